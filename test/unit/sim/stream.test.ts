// The stream driver (src/sim/stream.ts): one evaluation per cycle, and exactly the outputs and the
// recording of the straightforward driver (poke every port, peek every input, peek, step) that it
// replaced, under gaps and stalls, with a wide field and a narrow one.
import { expect } from 'chai';
import type { Beat } from '../../../src/hdl/index.js';
import { compile, runStream, type Simulator } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

/** A one-deep skid-free pipeline stage: y = x + k, tag passes through; in_ready = !valid | ready. */
function stage(): ReturnType<typeof netlist> {
  const k = new Kit('stage');
  const inValid = k.input('in_valid', 1);
  const x = k.input('in_x', 100);
  const tag = k.input('in_tag', 5);
  const outReady = k.input('out_ready', 1);
  const valid = k.reg('valid', 1, 0n);
  const inReady = k.cell('or', 1, [k.cell('not', 1, [valid]), outReady]);
  const take = k.cell('and', 1, [inValid, inReady]);
  const y = k.reg('y', 100, null, take);
  const t = k.reg('t', 5, null, take);
  k.next(y, k.cell('add', 100, [x, k.lit(3n, 100)]));
  k.next(t, tag);
  k.next(valid, k.cell('or', 1, [take, k.cell('and', 1, [valid, k.cell('not', 1, [outReady])])]));
  k.output('in_ready', inReady);
  k.output('out_valid', valid);
  k.output('out_y', y);
  k.output('out_t', t);
  return netlist(k.def());
}

/** The driver runStream replaced: pokes every field every cycle, records by peeking. */
function reference(sim: Simulator, inBeats: readonly Beat[], idle: number, stall: number, seed: number) {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const inputPorts = ['rst', ...sim.ports.filter((p) => p.dir === 'in').map((p) => p.name)];
  const rows: bigint[][] = [];
  const record = (): void => {
    rows.push(inputPorts.map((p) => (p === 'rst' ? BigInt(sim.resetting) : sim.peek(p))));
  };
  const drive = (valid: boolean, beat: Beat | undefined, ready: boolean): void => {
    sim.poke('in_valid', valid ? 1n : 0n);
    for (const f of ['x', 'tag']) sim.poke(`in_${f}`, beat?.[f] ?? 0n);
    sim.poke('out_ready', ready ? 1n : 0n);
  };
  drive(false, undefined, false);
  for (let i = 0; i < 2; i++) {
    sim.poke('rst', 1n);
    record();
    sim.step(1);
  }
  sim.poke('rst', 0n);
  const outBeats: Beat[] = [];
  let next = 0;
  let offering = false;
  let cycle = 0;
  while (outBeats.length < inBeats.length) {
    if (!offering && next < inBeats.length && !(idle > 0 && rand() < idle)) offering = true;
    const ready = !(stall > 0 && rand() < stall);
    drive(offering, offering ? inBeats[next] : undefined, ready);
    record();
    if (offering && sim.peek('in_ready') === 1n) {
      next++;
      offering = false;
    }
    if (ready && sim.peek('out_valid') === 1n) outBeats.push({ y: sim.peek('out_y'), t: sim.peek('out_t') });
    sim.step(1);
    cycle++;
  }
  return { outBeats, rows, cycles: cycle };
}

describe('sim: stream driver', () => {
  const beats: Beat[] = Array.from({ length: 40 }, (_, i) => ({
    x: (BigInt(i) * 0x9e3779b97f4a7c15n) & ((1n << 100n) - 1n),
    tag: BigInt(i % 32),
  }));
  // The recording keeps only the words that change (stream.ts InputLog): beats that repeat a
  // value, change only the top or only the bottom word of x, or return to 0.
  const top = 0xfn << 96n;
  beats.push(
    { x: top | 5n, tag: 1n },
    { x: top | 5n, tag: 1n },
    { x: 5n, tag: 1n },
    { x: 6n, tag: 1n },
    { x: 0n, tag: 0n },
    { x: (1n << 100n) - 1n, tag: 31n },
  );
  for (const [idle, stall] of [
    [0, 0],
    [0.3, 0.4],
    // One probability 0: that draw is not made (the other one's sequence must not shift).
    [0, 0.4],
    [0.3, 0],
  ] as const)
    it(`matches the poke-every-port driver (idle ${idle}, stall ${stall}) with one evaluation per cycle`, () => {
      const want = reference(compile(stage()), beats, idle, stall, 9);
      const sim = compile(stage());
      const kernel = (sim as unknown as { kernel: { evalAll: () => void } }).kernel;
      const evalAll = kernel.evalAll;
      let evals = 0;
      kernel.evalAll = () => {
        evals++;
        evalAll();
      };
      const got = runStream(sim, beats, {
        inFields: ['x', 'tag'],
        outFields: ['y', 't'],
        expectedOutBeats: beats.length,
        idleProbability: idle,
        stallProbability: stall,
        seed: 9,
      });
      expect(got.outBeats).to.deep.equal(want.outBeats);
      expect(got.cycles).to.equal(want.cycles);
      expect(got.rows).to.deep.equal(want.rows);
      expect(got.inputPorts).to.deep.equal(['rst', 'in_valid', 'in_x', 'in_tag', 'out_ready']);
      expect(evals).to.equal(got.cycles + got.resetCycles);
      // The word recording replays to the same last-cycle outputs.
      const replay = compile(stage());
      const last = new Uint32Array(replay.wordCount('out'));
      replay.runWords(got.words, want.rows.length, last);
      const ref = compile(stage());
      want.rows.forEach((r, t) => {
        ref.poke('rst', r[0] ?? 0n);
        ['in_valid', 'in_x', 'in_tag', 'out_ready'].forEach((p, k) => ref.poke(p, r[k + 1] ?? 0n));
        if (t < want.rows.length - 1) ref.step(1);
      });
      expect(last[0]).to.equal(Number(ref.peek('in_ready')));
      expect(last[1]).to.equal(Number(ref.peek('out_valid')));
      const y = [5, 4, 3, 2].reduce((v, j) => (v << 32n) | BigInt(last[j] ?? 0), 0n);
      expect(y).to.equal(ref.peek('out_y'));
      expect(last[6]).to.equal(Number(ref.peek('out_t')));
    });
});
