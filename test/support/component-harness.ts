// Generic checks of a registered component kind (src/components registry): every example runs
// seeded random input beats (and every beat of exhaustiveBeats, when the kind has them) through
// the native simulator with random stalls on both sides and is compared beat for beat with the
// kind's reference model; the recorded per-cycle stimulus of all examples is then replayed in ONE
// Verilator build (multi-design wrapper) and every output is compared with the native simulator
// on every cycle. Plus: emitted SV is deterministic and lint-clean as a set of files
// (Verilator -Wall, Icarus, Yosys).
import { expect } from 'chai';
import type { CxxOpt } from '../../src/backends/index.js';
import { cycleMismatches, replaySets } from '../../src/flow/replay.js';
import {
  makeRng,
  parseConfig,
  type AnyComponentKind,
  type Beat,
} from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, MxgenError, type Netlist } from '../../src/hdl/index.js';
import { compile, runStream, type StreamRunResult } from '../../src/sim/index.js';
import { lintAll, type LintDesign } from './lint-set.js';

export const FUZZ = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

export interface SweepOptions {
  /** Random input beats per example (default 10 000 × MXGEN_FUZZ_N). */
  readonly transactions?: number;
  readonly seed?: number;
  /** Probability that the consumer deasserts out_ready in a cycle (default 0.3). */
  readonly stallProbability?: number;
  /** Probability that the producer idles in a cycle (default 0.3). */
  readonly idleProbability?: number;
  /** g++ optimization of the one Verilator build (default O0: builds fastest). */
  readonly buildOpt?: CxxOpt;
  /** Skip the Verilator replay (default false). */
  readonly skipVerilator?: boolean;
}

/** One native-simulator run of a beat sequence, with everything the Verilator replay needs. */
export interface NativeRun {
  readonly label: string;
  readonly netlist: Netlist;
  readonly inBeats: readonly Beat[];
  readonly outBeats: readonly Beat[];
  readonly stream: StreamRunResult;
}

/** The SV text and SV top of a netlist. */
export function svOf(nl: Netlist): { text: string; top: string } {
  const out = emitSv(nl);
  return { text: out.files.map((f) => f.text).join('\n'), top: out.top };
}

function hex(v: bigint | undefined): string {
  return v === undefined ? '(none)' : `0x${v.toString(16)}`;
}

function beatText(b: Beat | undefined): string {
  if (!b) return '(none)';
  return Object.entries(b)
    .map(([k, v]) => `${k}=${hex(v)}`)
    .join(' ');
}

/**
 * Throws a `mismatch` error naming the first output beat, the cycle that delivered it
 * (`cycles[i]`, after reset, when known), the field and both values.
 */
export function expectBeats(
  label: string,
  actual: readonly Beat[],
  expected: readonly Beat[],
  inBeats: readonly Beat[],
  cycles: readonly number[] = [],
): void {
  if (actual.length !== expected.length)
    throw new MxgenError(
      'mismatch',
      `${label}: ${actual.length} output beats, the reference expects ${expected.length}`,
    );
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as Beat;
    const a = actual[i] as Beat;
    for (const f of Object.keys(e))
      if (a[f] !== e[f])
        throw new MxgenError(
          'mismatch',
          `${label}: output beat ${i}${cycles[i] === undefined ? '' : ` (cycle ${cycles[i]} after reset)`}, field ${f}: native sim ${hex(a[f])}, reference ${hex(e[f])}`,
          {
            notes: [
              `expected beat: ${beatText(e)}`,
              `actual beat:   ${beatText(a)}`,
              `input beats ${Math.max(0, i - 1)}..: ${inBeats
                .slice(Math.max(0, i - 1), i + 2)
                .map(beatText)
                .join(' | ')}`,
            ],
          },
        );
  }
}

/**
 * Runs `inBeats` through the native simulator with seeded stalls; checks against the reference
 * unless `check` is false (a recording for the Verilator replay whose reference check is another
 * test's job).
 */
export function runNative(
  kind: AnyComponentKind,
  config: unknown,
  label: string,
  inBeats: readonly Beat[],
  opts: SweepOptions & { seed: number },
  check = true,
): NativeRun {
  const netlist = elaborate(kind.generate(config));
  const fields = kind.stream(config);
  const expected = kind.reference(config, inBeats);
  const sim = compile(netlist);
  const stream = runStream(sim, inBeats, {
    inFields: fields.in.map((f) => f.name),
    outFields: fields.out.map((f) => f.name),
    expectedOutBeats: expected.length,
    idleProbability: opts.idleProbability ?? 0.3,
    stallProbability: opts.stallProbability ?? 0.3,
    seed: opts.seed,
  });
  if (check) expectBeats(label, stream.outBeats, expected, inBeats, stream.outCycles);
  return { label, netlist, inBeats, outBeats: stream.outBeats, stream };
}

/** Seeded random beats of an example. */
export function randomBeats(
  kind: AnyComponentKind,
  config: unknown,
  n: number,
  seed: number,
): Beat[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => kind.randomBeat(config, rng));
}

export interface ReplayReport {
  readonly designs: number;
  /** Input beats replayed (all designs and vector sets). */
  readonly beats: number;
  /** Cycles per vector set (the longest design's recording). */
  readonly cycles: readonly number[];
  /** Output port values compared (ports × cycles × designs × sets). */
  readonly compared: number;
  readonly buildSeconds: number;
}

/**
 * Replays recorded runs in one Verilator build (src/flow/replay.ts `replaySets`, the flow's one
 * replay): `sets[s][d]` is design d's run in vector set s (undefined = that design idles in that
 * set). Every design must be the same netlist in every set. Throws a `mismatch` error at the first
 * output that differs from the native simulator (a shorter run's idle tail included).
 */
export async function replayInVerilator(
  designs: readonly { readonly name: string; readonly netlist: Netlist }[],
  sets: readonly (readonly (NativeRun | undefined)[])[],
  buildOpt: CxxOpt = 'O0',
): Promise<ReplayReport> {
  const reps = await replaySets(
    designs.map((d) => ({ netlist: d.netlist, sv: emitSv(d.netlist) })),
    sets.map((runs) => runs.map((r) => r?.stream)),
    { opt: buildOpt },
  );
  let compared = 0;
  let beats = 0;
  let buildSeconds = 0;
  const cycles = reps.map((set, s) => {
    let len = 0;
    set.forEach((rep, d) => {
      const run = sets[s]?.[d];
      if (!rep || !run) return;
      const cm = cycleMismatches(rep);
      if (cm.first !== undefined)
        throw new MxgenError('mismatch', `${run.label}: ${cm.first} (cycles after reset)`, {
          hint: 'the native simulator and Verilator disagree: one of simulator, emitter or builder is wrong',
        });
      compared += cm.compared;
      beats += run.inBeats.length;
      buildSeconds = rep.build.seconds;
      len = Math.max(len, rep.native.length - rep.resetCycles);
    });
    return len;
  });
  return { designs: designs.length, beats, cycles, compared, buildSeconds };
}

/**
 * Emits every example twice (same bytes), then lints every example as the set of files it is,
 * with its top: verilator --lint-only -Wall (zero warnings), iverilog -g2012, yosys check -assert.
 */
export async function lintExamples(kind: AnyComponentKind): Promise<number> {
  const designs: LintDesign[] = [];
  for (const ex of kind.examples) {
    const config = parseConfig(kind, ex.config, `${kind.kind}.examples.${ex.name}`);
    const first = svOf(elaborate(kind.generate(config)));
    const second = svOf(elaborate(kind.generate(config)));
    expect(second.text, `${ex.name}: emitting twice gives the same bytes`).to.equal(first.text);
    designs.push({ name: ex.name, sv: emitSv(elaborate(kind.generate(config))) });
  }
  const problems = await lintAll(designs);
  expect(problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n')).to.equal('');
  return designs.length;
}

/** Numbers of one kind's sweep, for the report. */
export interface SweepStats {
  configs: number;
  nativeBeats: number;
  nativeOutBeats: number;
  verilatorBeats: number;
  verilatorCompared: number;
}

/**
 * Defines the mocha suite of a kind: per example, random beats (and exhaustive beats) through the
 * native simulator against the reference; then one Verilator build replaying every recording;
 * then lint and determinism. Returns live stats (filled as the tests run).
 */
export function sweepComponentKind(kind: AnyComponentKind, opts: SweepOptions = {}): SweepStats {
  const n = opts.transactions ?? 10_000 * FUZZ;
  const seed = opts.seed ?? 20260101;
  const stats: SweepStats = {
    configs: 0,
    nativeBeats: 0,
    nativeOutBeats: 0,
    verilatorBeats: 0,
    verilatorCompared: 0,
  };
  const examples = kind.examples.map((ex, i) => ({
    name: ex.name,
    index: i,
    config: parseConfig(kind, ex.config, `${kind.kind}.examples.${ex.name}`),
  }));
  const random = new Map<string, NativeRun>();
  const exhaustive = new Map<string, NativeRun>();

  describe(`component ${kind.kind}: every registered example`, function () {
    this.timeout(20 * 60_000);
    for (const ex of examples) {
      const exSeed = seed + 7919 * ex.index;
      it(`${ex.name}: native sim equals the reference on ${n} random beats with stalls`, () => {
        const beats = randomBeats(kind, ex.config, n, exSeed);
        const run = runNative(
          kind,
          ex.config,
          `${kind.moduleName(ex.config)} (${ex.name}, random seed ${exSeed})`,
          beats,
          { ...opts, seed: exSeed },
        );
        random.set(ex.name, run);
        stats.configs++;
        stats.nativeBeats += beats.length;
        stats.nativeOutBeats += run.outBeats.length;
        expect(run.outBeats.length).to.be.greaterThan(0);
      });
      // Only configs whose exhaustive space is non-empty (peek at the first beat).
      const some = kind.exhaustiveBeats?.(ex.config);
      if (some && some[Symbol.iterator]().next().done === false)
        it(`${ex.name}: native sim equals the reference on every exhaustive beat`, () => {
          const beats = [...(kind.exhaustiveBeats?.(ex.config) ?? [])];
          const run = runNative(
            kind,
            ex.config,
            `${kind.moduleName(ex.config)} (${ex.name}, exhaustive)`,
            beats,
            { idleProbability: 0.1, stallProbability: 0.1, ...opts, seed: exSeed + 1 },
          );
          exhaustive.set(ex.name, run);
          stats.nativeBeats += beats.length;
          stats.nativeOutBeats += run.outBeats.length;
          expect(run.outBeats.length).to.be.greaterThan(0);
        });
    }
    if (!opts.skipVerilator)
      it(`Verilator (one build for ${examples.length} examples) equals the native sim on every output every cycle`, async () => {
        // An example whose native sweep did not run here (or failed: that is the native test's
        // failure, not counted again) is recorded without the reference check, so Verilator is
        // still compared with the native simulator on its stimulus.
        const recorded = examples.map(
          (ex) =>
            random.get(ex.name) ??
            runNative(
              kind,
              ex.config,
              ex.name,
              randomBeats(kind, ex.config, n, seed + 7919 * ex.index),
              { ...opts, seed: seed + 7919 * ex.index },
              false,
            ),
        );
        const designs = examples.map((ex, i) => ({
          name: ex.name,
          netlist: (recorded[i] as NativeRun).netlist,
        }));
        const sets: (NativeRun | undefined)[][] = [recorded];
        if (examples.some((ex) => exhaustive.has(ex.name)))
          sets.push(examples.map((ex) => exhaustive.get(ex.name)));
        const rep = await replayInVerilator(designs, sets, opts.buildOpt ?? 'O0');
        stats.verilatorBeats += rep.beats;
        stats.verilatorCompared += rep.compared;
        expect(rep.compared).to.be.greaterThan(0);
      });
    it('every example emits the same bytes twice and passes verilator -Wall, iverilog and yosys as a set of files', async () => {
      expect(await lintExamples(kind)).to.equal(examples.length);
    });
    after(() => {
      if (process.env.MXGEN_COMPONENT_STATS) console.log(`${kind.kind}: ${JSON.stringify(stats)}`);
    });
  });
  return stats;
}
