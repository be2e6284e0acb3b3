// Three-way check of a registered component: seeded random transactions through the native
// simulator (random input gaps and output stalls) against the component's golden reference
// model, and the same per-cycle stimulus replayed in Verilator, compared with the reference beat
// by beat and with the native simulator on every output every cycle.
import { makeRng, type Beat } from '../components/index.js';
import { emitSv } from '../emit/sv/index.js';
import { elaborate, MxgenError } from '../hdl/index.js';
import { compile, recordedBeats, runStream } from '../sim/index.js';
import { cycleMismatches, replayInVerilator, type Replay } from './replay.js';
import type { ComponentDesign } from './resolve.js';

export interface ComponentCosimOptions {
  readonly transactions: number;
  readonly seed: number;
  /** Probability that the producer idles / the consumer stalls in a cycle. */
  readonly idle: number;
  readonly stall: number;
  readonly verilator: boolean;
}

export interface ComponentCosimReport {
  readonly design: string;
  readonly inBeats: number;
  /** Output beats expected by the reference model, and those each simulator matched. */
  readonly expected: number;
  readonly nativeMatched: number;
  readonly verilatorMatched: number | null;
  /** Native vs Verilator: output values compared every cycle. */
  readonly valuesCompared: number;
  readonly cycles: number;
  readonly buildSeconds: number | null;
}

const hex = (v: bigint | undefined): string => (v === undefined ? 'none' : `0x${v.toString(16)}`);

function showBeat(b: Beat | undefined): string {
  if (!b) return 'none';
  return Object.entries(b)
    .map(([k, v]) => `${k}=${hex(v)}`)
    .join(' ');
}

/**
 * The first difference between two beat lists (every field of every beat, and the beat counts), as
 * a mismatch error naming the beat, the cycle that delivered it (`cycles[i]`, counted from the end
 * of reset), the field and both values; null when equal.
 */
export function compareBeats(
  design: string,
  who: string,
  got: readonly Beat[],
  want: readonly Beat[],
  fields: readonly string[],
  cycles: readonly number[] = [],
): MxgenError | null {
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const g = got[i];
    const w = want[i];
    const bad = fields.find((f) => g?.[f] !== w?.[f]);
    if (bad !== undefined) {
      const at = cycles[i] === undefined ? '' : ` (cycle ${cycles[i]} after reset)`;
      return new MxgenError(
        'mismatch',
        `${design}: output beat ${i}${at}, field out_${bad}: reference ${hex(w?.[bad])}, ${who} ${hex(g?.[bad])}`,
        { notes: [`reference beat: ${showBeat(w)}`, `${who} beat: ${showBeat(g)}`] },
      );
    }
  }
  return null;
}

/**
 * Output beats Verilator produced: out_* fields at cycles where out_valid && out_ready, and the
 * cycle (after reset) of each.
 */
export function verilatorBeats(
  rep: Replay,
  outFields: readonly string[],
): { beats: Beat[]; cycles: number[] } {
  return recordedBeats(rep, rep.verilator, outFields);
}

export async function cosimComponent(
  c: ComponentDesign,
  opts: ComponentCosimOptions,
): Promise<ComponentCosimReport> {
  const netlist = elaborate(c.kind.generate(c.config));
  const fields = c.kind.stream(c.config);
  const inFields = fields.in.map((f) => f.name);
  const outFields = fields.out.map((f) => f.name);
  const rng = makeRng(opts.seed);
  const inBeats = Array.from({ length: opts.transactions }, () => c.kind.randomBeat(c.config, rng));
  const want = c.kind.reference(c.config, inBeats);
  const run = runStream(compile(netlist, { signals: false }), inBeats, {
    inFields,
    outFields,
    expectedOutBeats: want.length,
    idleProbability: opts.idle,
    stallProbability: opts.stall,
    seed: opts.seed,
  });
  const nativeErr = compareBeats(
    c.name,
    'native sim',
    run.outBeats,
    want,
    outFields,
    run.outCycles,
  );
  if (nativeErr) throw nativeErr;
  if (!opts.verilator)
    return {
      design: c.name,
      inBeats: inBeats.length,
      expected: want.length,
      nativeMatched: run.outBeats.length,
      verilatorMatched: null,
      valuesCompared: 0,
      cycles: run.cycles,
      buildSeconds: null,
    };
  const rep = await replayInVerilator(netlist, emitSv(netlist), run);
  const cm = cycleMismatches(rep);
  if (cm.mismatches > 0)
    throw new MxgenError(
      'mismatch',
      `${c.name}: native simulator and Verilator differ in ${cm.mismatches} output values`,
      { notes: cm.first ? [`first: ${cm.first}`] : [] },
    );
  const v = verilatorBeats(rep, outFields);
  const vBeats = v.beats;
  const vErr = compareBeats(c.name, 'verilator', vBeats, want, outFields, v.cycles);
  if (vErr) throw vErr;
  return {
    design: c.name,
    inBeats: inBeats.length,
    expected: want.length,
    nativeMatched: run.outBeats.length,
    verilatorMatched: vBeats.length,
    valuesCompared: cm.compared,
    cycles: run.cycles,
    buildSeconds: rep.build.seconds,
  };
}
