// Self-tests of the comparators every "native = Verilator = golden" claim rests on. Each plants
// one difference where a sloppy comparator would not look: only on the last output port, only on
// the last cycle, only one bit of a wide port, only on a cycle that follows a stall. Every report
// must name the cycle, the port and both values (the planted one and the true one).
//  - cosimDesigns (src/backends/verilator/cosim.ts): a three-output design in a real Verilator
//    build against the real native simulator, whose sampled outputs are perturbed at one cycle.
//  - the component check (src/flow/component-cosim.ts): golden vs native beats, golden vs
//    Verilator beats, and the per-cycle native vs Verilator comparison of a real replay.
//  - the component harness (test/support/component-harness.ts): golden vs native beats.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cosimDesigns,
  designStimulus,
  firstMismatch,
  interfaceOf,
  mismatchError,
  resetStream,
  wrapDesigns,
  type CosimMismatch,
  type DesignLayout,
  type NativeModel,
} from '../../../../src/backends/index.js';
import {
  compareBeats,
  cosimComponent,
  verilatorBeats,
} from '../../../../src/flow/component-cosim.js';
import { cycleMismatches, nativeOutputs, replayInVerilator } from '../../../../src/flow/replay.js';
import { resolveComponentDesign, type ComponentDesign } from '../../../../src/flow/resolve.js';
import type { AnyComponentKind, Beat } from '../../../../src/components/index.js';
import { makeRng } from '../../../../src/components/index.js';
import { emitSv } from '../../../../src/emit/sv/index.js';
import { cat, elaborate, lit, ModuleBuilder, u, type Netlist } from '../../../../src/hdl/index.js';
import { compile, runStream } from '../../../../src/sim/index.js';
import { runNative as harnessRunNative } from '../../../support/component-harness.js';
import { rejected } from '../../../support/mxgen-error.js';

// ports3: en (stall when 0), a, b → sum = a + b (9 bits), acc = running sum of a held while en = 0
// (8 bits), wide = the last 12 values of a shifted in while en = 1 plus a constant top nibble
// (100 bits: its top bit is 1 and lives alone in the fourth 32-bit word).
function ports3(): Netlist {
  const m = new ModuleBuilder('ports3');
  const en = m.input('en', u(1));
  const a = m.input('a', u(8));
  const b = m.input('b', u(8));
  const acc = m.reg('acc_r', u(8), { init: 0, enable: en });
  acc.next(acc.addWrap(a));
  const hist = m.reg('hist', u(96), { init: 0, enable: en });
  hist.next(cat(hist.bits(87, 0), a));
  m.output('sum', u(9)).set(a.add(b));
  m.output('acc', u(8)).set(acc);
  m.output('wide', u(100)).set(cat(lit(0xa, u(4)), hist));
  return elaborate(m);
}

const NETLIST = ports3();
const RESET = 2;
const CYCLES = 240;

/** Where to plant: `pick` sees the cycle (reset included) and en at this and the previous cycle. */
interface Plant {
  readonly port: string;
  readonly bit: number;
  readonly pick: (cycle: number, en: bigint, prevEn: bigint) => boolean;
}

/** The real native simulator, with one bit of one output flipped at the first cycle `pick` takes. */
function planted(plant: Plant, log: { cycle?: number; truth?: bigint }): NativeModel {
  const sim = compile(NETLIST);
  let cycle = 0;
  let en = 0n;
  let prevEn = 0n;
  return {
    poke: (p, v) => {
      if (p === 'en') en = v;
      sim.poke(p, v);
    },
    peek: (p) => {
      const v = sim.peek(p);
      if (p !== plant.port || (log.cycle !== undefined && log.cycle !== cycle)) return v;
      if (log.cycle === undefined && !plant.pick(cycle, en, prevEn)) return v;
      log.cycle = cycle;
      log.truth = v;
      return v ^ (1n << BigInt(plant.bit));
    },
    step: (n = 1) => {
      sim.step(n);
      cycle += n;
      prevEn = en;
    },
  };
}

async function plantAndCompare(
  plant: Plant,
): Promise<{ m: CosimMismatch; at: number; truth: bigint; text: string }> {
  const log: { cycle?: number; truth?: bigint } = {};
  const r = await cosimDesigns([{ name: 'ports3', netlist: NETLIST }], {
    native: () => planted(plant, log),
    cycles: CYCLES,
    resetCycles: RESET,
    seed: 3,
    midResets: false,
  });
  expect(log.cycle, 'the plant found its cycle').to.not.equal(undefined);
  expect(r.compared).to.equal(3 * CYCLES);
  expect(r.mismatches).to.have.length(1);
  const m = r.mismatches[0] as CosimMismatch;
  return {
    m,
    at: (log.cycle ?? 0) - RESET,
    truth: log.truth ?? -1n,
    text: mismatchError(r).format(),
  };
}

describe('comparators: native vs Verilator (cosimDesigns)', function () {
  this.timeout(10 * 60_000);

  it('a correct native model agrees on all three ports (the control)', async () => {
    const r = await cosimDesigns([{ name: 'ports3', netlist: NETLIST }], {
      native: (nl) => compile(nl),
      cycles: CYCLES,
      resetCycles: RESET,
      seed: 3,
      midResets: false,
    });
    expect(r.mismatches).to.deep.equal([]);
  });

  it('a difference only on the last port (its top bit, alone in the fourth word) is reported', async () => {
    const { m, at, truth, text } = await plantAndCompare({
      port: 'wide',
      bit: 99,
      pick: (c) => c === RESET + 17,
    });
    expect([m.cycle, m.port, m.width]).to.deep.equal([17, 'wide', 100]);
    expect(at).to.equal(17);
    expect(m.verilator).to.equal(truth);
    expect(m.native).to.equal(truth ^ (1n << 99n));
    expect(truth >> 96n, 'the constant top nibble').to.equal(0xan);
    expect(text).to.contain('ports3: cycle 17 after reset, port wide (seed 3');
    expect(text).to.contain(
      `native sim 0x${m.native.toString(16).padStart(25, '0')}   verilator 0x${truth.toString(16).padStart(25, '0')}`,
    );
  });

  it('a difference only on the last compared cycle is reported', async () => {
    const last = RESET + CYCLES - 1;
    const { m, truth } = await plantAndCompare({ port: 'acc', bit: 0, pick: (c) => c === last });
    expect([m.cycle, m.port]).to.deep.equal([CYCLES - 1, 'acc']);
    expect(m.verilator).to.equal(truth);
    expect(m.native).to.equal(truth ^ 1n);
    expect(m.inputs.map((i) => i.port)).to.deep.equal(['rst', 'en', 'a', 'b']);
  });

  it('a difference in one middle bit of a wide port is reported', async () => {
    const { m, truth } = await plantAndCompare({
      port: 'wide',
      bit: 47,
      pick: (c) => c === RESET + 123,
    });
    expect([m.cycle, m.port]).to.deep.equal([123, 'wide']);
    expect(m.native ^ m.verilator).to.equal(1n << 47n);
    expect(m.verilator).to.equal(truth);
  });

  it('a difference only on a cycle after a stall (en = 0) is reported', async () => {
    const { m, at, truth } = await plantAndCompare({
      port: 'acc',
      bit: 7,
      pick: (c, en, prevEn) => c >= RESET + 100 && prevEn === 0n && en === 1n,
    });
    expect(m.port).to.equal('acc');
    expect(m.cycle).to.equal(at);
    expect(at).to.be.greaterThanOrEqual(100);
    expect(m.verilator).to.equal(truth);
    expect(m.native).to.equal(truth ^ 0x80n);
    expect(m.inputs.find((i) => i.port === 'en')?.value).to.equal(1n);
  });

  it('the report: padded values, every input (rst included) at that cycle, the hint, other sets', async () => {
    // Two vector sets with mid-run resets; the plant flips sum's top bit at cycle 5 of each.
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-comparators-'));
    try {
      const truths: bigint[] = [];
      const r = await cosimDesigns([{ name: 'ports3/x y', netlist: NETLIST }], {
        native: () => {
          const log: { cycle?: number; truth?: bigint } = {};
          const model = planted({ port: 'sum', bit: 8, pick: (c) => c === RESET + 5 }, log);
          return {
            ...model,
            peek: (p) => {
              const v = model.peek(p);
              if (log.truth !== undefined && truths.length < 2 && log.cycle === RESET + 5)
                truths.push(log.truth);
              return v;
            },
          };
        },
        cycles: 60,
        vectors: 2,
        resetCycles: RESET,
        seed: 3,
        vcdDir: dir,
      });
      expect(r.mismatches.map((m) => [m.vectorSet, m.cycle, m.port])).to.deep.equal([
        [0, 5, 'sum'],
        [1, 5, 'sum'],
      ]);
      const m = r.mismatches[0] as CosimMismatch;
      // The inputs of that cycle, computed here from the documented stimulus and reset streams.
      const layout = wrapDesigns([interfaceOf(NETLIST)]).designs[0] as DesignLayout;
      const rows = designStimulus('ports3/x y', layout, 3, 0, RESET + 60);
      const rst = resetStream(3, 0, RESET, 60, true);
      const row = rows[RESET + 5] ?? [];
      const ins = `rst=0x${(rst[RESET + 5] ?? 0n).toString(16)} ${['en', 'a', 'b']
        .map((p, k) => `${p}=0x${(row[k] ?? 0n).toString(16)}`)
        .join(' ')}`;
      const pad3 = (v: bigint): string => v.toString(16).padStart(3, '0');
      expect(m.verilator).to.equal(truths[0]);
      expect(mismatchError(r).format().split('\n')).to.deep.equal([
        'error[mismatch]: ports3/x y: cycle 5 after reset, port sum (seed 3, vector set 0)',
        '  hint: the native simulator and Verilator disagree: one of simulator, emitter or builder is wrong',
        `  note: native sim 0x${pad3(m.native)}   verilator 0x${pad3(m.verilator)}`,
        `  note: inputs: ${ins}`,
        `  note: waveform: ${join(dir, 'ports3_x_y.native.vcd')}`,
        `  note: waveform: ${join(dir, 'ports3_x_y.verilator.vcd')}`,
        '  note: 1 more design/vector sets mismatched',
      ]);
      // The waveforms hold every input and output, the wide port included.
      for (const f of m.vcds) {
        expect(existsSync(f)).to.equal(true);
        const text = readFileSync(f, 'utf8');
        for (const decl of ['1 ', '8 ', '9 ', '100 ']) expect(text).to.contain(`$var wire ${decl}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the reset stream: rst for the reset cycles, then about one compared cycle in 50', () => {
    const quiet = resetStream(5, 0, 3, 5000, false);
    expect(quiet.slice(0, 4)).to.deep.equal([1n, 1n, 1n, 0n]);
    expect(quiet.slice(3).every((v) => v === 0n)).to.equal(true);
    const mid = resetStream(5, 0, 3, 5000, true);
    expect(mid).to.have.length(5003);
    expect(mid.slice(0, 3)).to.deep.equal([1n, 1n, 1n]);
    const ones = mid.slice(3).filter((v) => v === 1n).length;
    expect(ones, 'binomial(5000, 1/50): mean 100, sd 9.9').to.be.within(60, 140);
    expect(resetStream(5, 0, 3, 5000, true)).to.deep.equal(mid);
    expect(resetStream(5, 1, 3, 5000, true)).to.not.deep.equal(mid);
  });

  it('a missing last cycle on one side is a mismatch, not a shorter comparison', () => {
    const outs = [
      { port: 'x', width: 8 },
      { port: 'y', width: 8 },
    ];
    const rows = [
      [1n, 2n],
      [3n, 4n],
    ];
    expect(firstMismatch(outs, rows, rows)).to.equal(null);
    expect(firstMismatch(outs, rows, rows.slice(0, 1))).to.deep.equal({
      cycle: 1,
      port: 'x',
      width: 8,
      native: 3n,
      verilator: -1n,
    });
    expect(firstMismatch(outs, rows.slice(0, 1), rows)?.cycle).to.equal(1);
    expect(
      firstMismatch(outs, rows, [
        [1n, 2n],
        [3n, 5n],
      ]),
    ).to.deep.equal({
      cycle: 1,
      port: 'y',
      width: 8,
      native: 4n,
      verilator: 5n,
    });
  });
});

// mx-dot e5m2-k1: six output fields, the first (sum) 65 bits wide, the last (fp32) 32 bits.
const MXDOT = resolveComponentDesign('mx-dot/e5m2-k1');
const FIELDS = MXDOT.kind.stream(MXDOT.config).out.map((f) => f.name);
const OPTS = { transactions: 200, seed: 11, idle: 0.3, stall: 0.5, verilator: true };

/** The same component with expected beat `beat` changed in one bit of one field. */
function corrupted(c: ComponentDesign, beat: number, field: string, bit: number): ComponentDesign {
  const kind: AnyComponentKind = {
    ...c.kind,
    reference: (config: unknown, inBeats: readonly Beat[]): Beat[] =>
      c.kind
        .reference(config, inBeats)
        .map((b, i) =>
          i === beat ? { ...b, [field]: (b[field] ?? 0n) ^ (1n << BigInt(bit)) } : b,
        ),
  };
  return { ...c, kind };
}

/**
 * The run cosimComponent makes (same seed and probabilities), and independently of runStream's
 * own bookkeeping: every output beat's handshake cycle and whether it follows a stall (out_valid
 * was 1 and out_ready 0 in the cycle before), from the per-cycle outputs of the recording.
 */
function handshakes(): { beats: Beat[]; cycles: number[]; afterStall: number[] } {
  const nl = elaborate(MXDOT.kind.generate(MXDOT.config));
  const rng = makeRng(OPTS.seed);
  const inBeats = Array.from({ length: OPTS.transactions }, () =>
    MXDOT.kind.randomBeat(MXDOT.config, rng),
  );
  const want = MXDOT.kind.reference(MXDOT.config, inBeats);
  const run = runStream(compile(nl), inBeats, {
    inFields: MXDOT.kind.stream(MXDOT.config).in.map((f) => f.name),
    outFields: FIELDS,
    expectedOutBeats: want.length,
    idleProbability: OPTS.idle,
    stallProbability: OPTS.stall,
    seed: OPTS.seed,
  });
  const outputs = ['out_valid'];
  const valid = nativeOutputs(nl, run, outputs).map((r) => r[0]);
  const ready = run.inputPorts.indexOf('out_ready');
  const cycles: number[] = [];
  const afterStall: number[] = [];
  run.rows.forEach((row, t) => {
    if (t < run.resetCycles || valid[t] !== 1n || row[ready] !== 1n) return;
    if (valid[t - 1] === 1n && run.rows[t - 1]?.[ready] === 0n) afterStall.push(cycles.length);
    cycles.push(t - run.resetCycles);
  });
  expect(cycles).to.have.length(want.length);
  return { beats: want, cycles, afterStall };
}

describe('comparators: golden vs native vs Verilator beats (mxgen cosim <component>)', function () {
  this.timeout(10 * 60_000);
  const hs = handshakes();
  const hex = (v: bigint | undefined): string => `0x${(v ?? 0n).toString(16)}`;

  it('a wrong bit in the last field of the last beat names beat, cycle, field and both values', async () => {
    const last = hs.beats.length - 1;
    const f = FIELDS[FIELDS.length - 1] as string;
    expect(f).to.equal('fp32');
    const want = hs.beats[last]?.[f] ?? 0n;
    const e = await rejected(cosimComponent(corrupted(MXDOT, last, f, 0), OPTS));
    expect(e.message).to.equal(
      `mx-dot-e5m2-k1: output beat ${last} (cycle ${hs.cycles[last]} after reset), field out_fp32: reference ${hex(want ^ 1n)}, native sim ${hex(want)}`,
    );
  });

  it('a wrong top bit of the 65-bit field on a beat that follows a stall is reported', async () => {
    const i = hs.afterStall.find((k) => k > 20);
    expect(i, 'stall probability 0.5 leaves beats waiting').to.not.equal(undefined);
    const beat = i ?? 0;
    const want = hs.beats[beat]?.sum ?? 0n;
    const e = await rejected(cosimComponent(corrupted(MXDOT, beat, 'sum', 64), OPTS));
    expect(e.message).to.equal(
      `mx-dot-e5m2-k1: output beat ${beat} (cycle ${hs.cycles[beat]} after reset), field out_sum: reference ${hex(want ^ (1n << 64n))}, native sim ${hex(want)}`,
    );
  });

  it('Verilator beats: a planted difference in the last field of the last beat, and one bit of the wide field after a stall', async () => {
    const nl = elaborate(MXDOT.kind.generate(MXDOT.config));
    const rng = makeRng(OPTS.seed);
    const inBeats = Array.from({ length: OPTS.transactions }, () =>
      MXDOT.kind.randomBeat(MXDOT.config, rng),
    );
    const run = runStream(compile(nl), inBeats, {
      inFields: MXDOT.kind.stream(MXDOT.config).in.map((f) => f.name),
      outFields: FIELDS,
      expectedOutBeats: hs.beats.length,
      idleProbability: OPTS.idle,
      stallProbability: OPTS.stall,
      seed: OPTS.seed,
    });
    const rep = await replayInVerilator(nl, emitSv(nl), run);
    expect(cycleMismatches(rep).mismatches).to.equal(0);
    const v = verilatorBeats(rep, FIELDS);
    expect(v.cycles).to.deep.equal(hs.cycles);
    expect(compareBeats('d', 'verilator', v.beats, hs.beats, FIELDS, v.cycles)).to.equal(null);
    const last = hs.beats.length - 1;
    const lastBeat = hs.beats[last] as Beat;
    const want1 = hs.beats.map((b, k) => (k === last ? { ...b, fp32: (b.fp32 ?? 0n) ^ 1n } : b));
    expect(compareBeats('d', 'verilator', v.beats, want1, FIELDS, v.cycles)?.message).to.equal(
      `d: output beat ${last} (cycle ${hs.cycles[last]} after reset), field out_fp32: reference ${hex((lastBeat.fp32 ?? 0n) ^ 1n)}, verilator ${hex(lastBeat.fp32)}`,
    );
    const s = hs.afterStall.find((k) => k > 20) ?? 0;
    const want2 = hs.beats.map((b, k) =>
      k === s ? { ...b, sum: (b.sum ?? 0n) ^ (1n << 40n) } : b,
    );
    expect(compareBeats('d', 'verilator', v.beats, want2, FIELDS, v.cycles)?.message).to.match(
      new RegExp(`^d: output beat ${s} \\(cycle ${hs.cycles[s]} after reset\\), field out_sum: `),
    );
    // One beat missing at the end is reported at that beat.
    expect(
      compareBeats('d', 'verilator', v.beats.slice(0, -1), hs.beats, FIELDS, v.cycles)?.message,
    ).to.match(new RegExp(`^d: output beat ${last} .*verilator none$`));

    // Per cycle, native vs Verilator: one bit of the last port on the last cycle.
    const t = rep.native.length - 1;
    const k = rep.outputs.length - 1;
    const native = rep.native.map((r) => [...r]);
    const row = native[t] as bigint[];
    const truth = row[k] ?? 0n;
    row[k] = truth ^ (1n << 5n);
    const cm = cycleMismatches({ ...rep, native });
    expect(cm.mismatches).to.equal(1);
    expect(cm.first).to.equal(
      `cycle ${t - rep.resetCycles} port ${rep.outputs[k]}: native 0x${(truth ^ 32n).toString(16)} verilator 0x${truth.toString(16)}`,
    );
  });

  it('the component harness reports the beat, cycle and field, and records without judging when asked', () => {
    const last = hs.beats.length - 1;
    const bad = corrupted(MXDOT, last, 'fp32', 31);
    const rng = makeRng(OPTS.seed);
    const inBeats = Array.from({ length: OPTS.transactions }, () =>
      MXDOT.kind.randomBeat(MXDOT.config, rng),
    );
    const opts = { seed: OPTS.seed, idleProbability: OPTS.idle, stallProbability: OPTS.stall };
    expect(() => harnessRunNative(bad.kind, bad.config, 'x', inBeats, opts)).to.throw(
      `x: output beat ${last} (cycle ${hs.cycles[last]} after reset), field fp32: native sim`,
    );
    // The Verilator replay's recording (check = false) does not fail a second time.
    const rec = harnessRunNative(bad.kind, bad.config, 'x', inBeats, opts, false);
    expect(rec.outBeats).to.deep.equal(hs.beats);
    expect(rec.stream.outCycles).to.deep.equal(hs.cycles);
  });
});
