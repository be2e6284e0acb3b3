// Edge cases of the stream driver (src/sim/stream.ts) with hand-traced expected values: word
// sources, the preamble, the observer, the recording (rows, words, outCycles), the cycle limit
// and its message, an `rst` port, seed 0, and recordedBeats.
import { expect } from 'chai';
import { MxgenError, type Beat } from '../../../src/hdl/index.js';
import { compile, recordedBeats, runStream } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

/**
 * One pipeline stage: y = in_x + m_data + k, registered when a beat is taken; m_ready = take
 * (the word source advances with each beat); k is loaded by k_load/k_val (the preamble).
 * With `rstPort`, an explicit `rst` input clears `valid` (else the simulator's reset does).
 */
function srcStage(rstPort = false): ReturnType<typeof netlist> {
  const k = new Kit('srcstage');
  const rst = rstPort ? k.input('rst', 1) : -1;
  const inValid = k.input('in_valid', 1);
  const x = k.input('in_x', 8);
  k.input('m_valid', 1);
  const m = k.input('m_data', 8);
  const kLoad = k.input('k_load', 1);
  const kVal = k.input('k_val', 8);
  const outReady = k.input('out_ready', 1);
  const valid = k.reg('valid', 1, rstPort ? null : 0n);
  const inReady = k.cell('or', 1, [k.cell('not', 1, [valid]), outReady]);
  const take = k.cell('and', 1, [inValid, inReady]);
  const kr = k.reg('k', 8, 0n, kLoad);
  k.next(kr, kVal);
  const y = k.reg('y', 8, null, take);
  k.next(y, k.cell('add', 8, [k.cell('add', 8, [x, m]), kr]));
  const nextValid = k.cell('or', 1, [take, k.cell('and', 1, [valid, k.cell('not', 1, [outReady])])]);
  k.next(valid, rstPort ? k.cell('mux', 1, [rst, k.lit(0n, 1), nextValid]) : nextValid);
  k.output('in_ready', inReady);
  k.output('out_valid', valid);
  k.output('out_y', y);
  k.output('m_ready', take);
  return netlist(k.def(true));
}

const beats: Beat[] = [{ x: 1n }, { x: 2n }, { x: 3n }];

describe('sim: stream driver edge cases', () => {
  it('a word source, a preamble and the observer: beats, rows, outCycles, words', () => {
    const seen: number[] = [];
    const r = runStream(compile(srcStage()), beats, {
      inFields: ['x'],
      outFields: ['y'],
      expectedOutBeats: 3,
      sources: [{ prefix: 'm', words: [10n, 20n] }],
      preamble: [{ k_load: 1n, k_val: 5n }, { k_val: 7n }],
      observe: (c) => seen.push(c),
    });
    // words 10, 20, 10 (wrapping) and k = 5 (the second preamble row does not load: k_load is 0).
    expect(r.outBeats).to.deep.equal([{ y: 16n }, { y: 27n }, { y: 18n }]);
    expect(r.cycles).to.equal(4);
    expect(seen).to.deep.equal([0, 1, 2, 3]);
    expect(r.resetCycles).to.equal(2);
    expect(r.inputPorts).to.deep.equal(['rst', 'in_valid', 'in_x', 'm_valid', 'm_data', 'k_load', 'k_val', 'out_ready']);
    // Rows count from the first reset cycle; outCycles from the end of reset (preamble included).
    expect(r.outCycles).to.deep.equal([3, 4, 5]);
    const R = (...v: number[]): bigint[] => v.map(BigInt);
    expect(r.rows).to.deep.equal([
      R(1, 0, 0, 1, 0, 0, 0, 0),
      R(1, 0, 0, 1, 0, 0, 0, 0),
      R(0, 0, 0, 1, 0, 1, 5, 0),
      R(0, 0, 0, 1, 0, 0, 7, 0),
      R(0, 1, 1, 1, 10, 0, 0, 1),
      R(0, 1, 2, 1, 20, 0, 0, 1),
      R(0, 1, 3, 1, 10, 0, 0, 1),
      R(0, 0, 0, 1, 20, 0, 0, 1),
    ]);
    expect([...r.words]).to.deep.equal(r.rows.flat().map(Number));
  });

  it('an rst port is recorded in its own place and cleared after reset', () => {
    const r = runStream(compile(srcStage(true)), beats, {
      inFields: ['x'],
      outFields: ['y'],
      expectedOutBeats: 3,
      sources: [{ prefix: 'm', words: [0n] }],
      resetCycles: 3,
    });
    expect(r.outBeats).to.deep.equal([{ y: 1n }, { y: 2n }, { y: 3n }]);
    expect(r.inputPorts).to.deep.equal(['rst', 'in_valid', 'in_x', 'm_valid', 'm_data', 'k_load', 'k_val', 'out_ready']);
    expect(r.rows.map((row) => row[0])).to.deep.equal([1n, 1n, 1n, 0n, 0n, 0n, 0n]);
    expect(r.outCycles).to.deep.equal([1, 2, 3]);
    // Per cycle: the simulator's own reset word (0: the port takes the reset), then the ports
    // (rst first among them): 9 words.
    expect(r.words.length).to.equal(7 * 9);
    expect([...r.words.subarray(0, 9)]).to.deep.equal([0, 1, 0, 0, 1, 0, 0, 0, 0]);
    expect([...r.words.subarray(27, 36)]).to.deep.equal([0, 0, 1, 1, 1, 0, 0, 0, 1]);
  });

  it('a recording longer than its first buffer grows (a 40-row preamble, maxCycles 4)', () => {
    const preamble = Array.from({ length: 40 }, (_, i) => ({ k_load: 1n, k_val: BigInt(i) }));
    const r = runStream(compile(srcStage()), beats, {
      inFields: ['x'],
      outFields: ['y'],
      expectedOutBeats: 3,
      sources: [{ prefix: 'm', words: [0n] }],
      preamble,
      maxCycles: 4,
      resetCycles: 0,
    });
    // k = 39, the last preamble value.
    expect(r.outBeats).to.deep.equal([{ y: 40n }, { y: 41n }, { y: 42n }]);
    expect(r.rows).to.have.length(44);
    expect(r.rows.map((row) => row[6])).to.deep.equal([...preamble.map((p) => p.k_val), 0n, 0n, 0n, 0n]);
    expect(r.outCycles).to.deep.equal([41, 42, 43]);
  });

  it('seed 0 behaves as seed 1 (the stall generator never starts at 0)', () => {
    const run = (seed: number) =>
      runStream(compile(srcStage()), beats, {
        inFields: ['x'],
        outFields: ['y'],
        expectedOutBeats: 3,
        sources: [{ prefix: 'm', words: [0n] }],
        idleProbability: 0.5,
        stallProbability: 0.5,
        seed,
      });
    const a = run(0);
    const b = run(1);
    expect(a.outBeats).to.deep.equal([{ y: 1n }, { y: 2n }, { y: 3n }]);
    expect(a.rows).to.deep.equal(b.rows);
    // Gaps and stalls happened: more cycles than the 4 of a run without them.
    expect(a.cycles).to.be.greaterThan(4);
  });

  it('gives up after maxCycles (default 64 + 8·beats·(1 + ceil(4·(idle + stall)))) with a message', () => {
    const k = new Kit('dead');
    k.input('in_valid', 1);
    k.input('in_x', 8);
    k.input('out_ready', 1);
    k.output('in_ready', k.lit(1n, 1));
    k.output('out_valid', k.lit(0n, 1));
    k.output('out_y', k.lit(0n, 8));
    const nl = netlist(k.def(false));
    const fail = (o: { idleProbability?: number; stallProbability?: number; maxCycles?: number }): string => {
      try {
        runStream(compile(nl), [{ x: 1n }], { inFields: ['x'], outFields: ['y'], expectedOutBeats: 1, ...o });
      } catch (e) {
        expect(e).to.be.instanceOf(MxgenError);
        expect((e as MxgenError).kind).to.equal('mismatch');
        expect((e as MxgenError).hint).to.equal('the design deadlocks or drops beats; inspect a VCD of this run');
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(fail({ maxCycles: 5 })).to.contain('dead: only 0 of 1 output beats after 5 cycles (1 of 1 input beats accepted)');
    // 64 + 8·2·1 = 80; with idle 0.1 and stall 0.2: 64 + 8·2·(1 + 2) = 112.
    expect(fail({})).to.contain('after 80 cycles');
    expect(fail({ idleProbability: 0.1, stallProbability: 0.2 })).to.contain('after 112 cycles');
  });

  it('a recording past its first buffers (1024 words, 1024 cycles) grows and keeps every row', () => {
    const preamble = Array.from({ length: 1100 }, (_, i) => ({ k_load: BigInt(i & 1), k_val: BigInt(i & 255) }));
    const r = runStream(compile(srcStage()), beats, {
      inFields: ['x'],
      outFields: ['y'],
      expectedOutBeats: 3,
      sources: [{ prefix: 'm', words: [0n] }],
      preamble,
      resetCycles: 0,
    });
    // k = 1099 & 255 = 75, loaded by the last row with k_load = 1.
    expect(r.outBeats).to.deep.equal([{ y: 76n }, { y: 77n }, { y: 78n }]);
    expect(r.rows).to.have.length(1104);
    expect(r.rows.map((row) => row[6])).to.deep.equal([...preamble.map((p) => p.k_val), 0n, 0n, 0n, 0n]);
    expect(r.rows.map((row) => row[5])).to.deep.equal([...preamble.map((p) => p.k_load), 0n, 0n, 0n, 0n]);
  });

  it('a port the driver never writes is recorded with the value poked before the run', () => {
    const sim = compile(srcStage());
    sim.poke('k_val', 9);
    const r = runStream(sim, beats, { inFields: ['x'], outFields: ['y'], expectedOutBeats: 3, sources: [{ prefix: 'm', words: [0n] }] });
    expect(r.rows.map((row) => row[6])).to.deep.equal(r.rows.map(() => 9n));
  });

  it('a draw equal to the idle or stall probability does not idle or stall (rand() < p)', () => {
    // stallRng(1)'s first draw, by hand: s = 1; s ^= s << 13 (8193); s ^= s >>> 17 (8193);
    // s ^= s << 5 (270369); 270369 / 2^32.
    const first = 270369 / 2 ** 32;
    const run = (o: { idleProbability?: number; stallProbability?: number }) =>
      runStream(compile(srcStage()), beats, { inFields: ['x'], outFields: ['y'], expectedOutBeats: 3, sources: [{ prefix: 'm', words: [0n] }], ...o });
    expect(run({ idleProbability: first }).outCycles[0]).to.equal(1);
    // The stall draw that matters is the second (cycle 1, the first out_valid), the same three
    // steps from 270369: 67634689 / 2^32.
    expect(run({ stallProbability: 67634689 / 2 ** 32 }).outCycles[0]).to.equal(1);
  });

  it('a word source advances only after a cycle that took its word, whatever the gaps', () => {
    const xs: Beat[] = [1n, 2n, 3n, 4n, 5n, 6n, 7n].map((x) => ({ x }));
    const words = [10n, 20n, 30n];
    for (const seed of [1, 2, 3]) {
      const r = runStream(compile(srcStage()), xs, {
        inFields: ['x'],
        outFields: ['y'],
        expectedOutBeats: xs.length,
        sources: [{ prefix: 'm', words }],
        idleProbability: 0.5,
        stallProbability: 0.3,
        seed,
      });
      expect(r.outBeats, `seed ${seed}`).to.deep.equal(xs.map((b, i) => ({ y: (b.x as bigint) + (words[i % 3] as bigint) })));
      expect(r.cycles, `seed ${seed}`).to.be.greaterThan(xs.length + 1);
    }
  });

  it('handshake ports wider than 32 bits are poked by name; a missing one is a name error', () => {
    const k = new Kit('wideh');
    const v = k.input('in_valid', 40);
    const x = k.input('in_x', 8);
    const rdy = k.input('out_ready', 40);
    k.input('m_valid', 40);
    k.input('m_data', 8);
    k.input('in_w', 40);
    k.input('k_val', 8);
    k.output('in_ready', k.cell('slice', 1, [rdy], { lo: 0 }));
    k.output('out_valid', k.cell('slice', 1, [v], { lo: 0 }));
    k.output('out_y', x);
    k.output('m_ready', k.lit(1n, 1));
    const sim = compile(netlist(k.def(false)));
    sim.poke('k_val', 9);
    const r = runStream(sim, beats, {
      inFields: ['x', 'w'],
      outFields: ['y'],
      expectedOutBeats: 3,
      sources: [{ prefix: 'm', words: [4n] }],
      resetCycles: 0,
    });
    expect(r.outBeats).to.deep.equal(beats.map((b) => ({ y: b.x })));
    // The 40-bit field's two words do not spill into k_val's word, which keeps its 9.
    expect(r.rows.map((row) => row[r.inputPorts.indexOf('k_val')])).to.deep.equal(r.rows.map(() => 9n));
    expect(r.outCycles).to.deep.equal([0, 1, 2]);
    // Without in_valid (or a source's valid) the driver's poke names the port.
    const n = new Kit('novalid');
    n.input('in_x', 8);
    n.input('out_ready', 1);
    n.output('in_ready', n.lit(1n, 1));
    n.output('out_valid', n.lit(0n, 1));
    n.output('out_y', n.lit(0n, 8));
    const nv = compile(netlist(n.def(false)));
    const opts = { inFields: ['x'], outFields: ['y'], expectedOutBeats: 1 };
    const e = (() => {
      try {
        runStream(nv, beats, opts);
      } catch (err) {
        return err as MxgenError;
      }
      return undefined;
    })();
    expect([e?.kind, e?.message]).to.deep.equal(['name', 'novalid has no input port in_valid']);
    const m = new Kit('nosrc');
    m.input('in_valid', 1);
    m.input('in_x', 8);
    m.input('out_ready', 1);
    m.input('m_data', 8);
    m.output('in_ready', m.lit(1n, 1));
    m.output('out_valid', m.lit(0n, 1));
    m.output('out_y', m.lit(0n, 8));
    m.output('m_ready', m.lit(1n, 1));
    expect(() => runStream(compile(netlist(m.def(false))), beats, { ...opts, sources: [{ prefix: 'm', words: [0n] }] })).to.throw(
      'nosrc has no input port m_valid',
    );
  });

  it('a preamble row naming rst (no rst port) applies the reset and records it in word 0', () => {
    const run = () =>
      runStream(compile(srcStage()), beats, {
        inFields: ['x'],
        outFields: ['y'],
        expectedOutBeats: 3,
        sources: [{ prefix: 'm', words: [0n] }],
        preamble: [{ k_load: 1n, k_val: 5n }, { rst: 1n }],
      });
    const r = run();
    // The reset row clears k (init 0) after the first row loaded 5: y = x.
    expect(r.outBeats).to.deep.equal([{ y: 1n }, { y: 2n }, { y: 3n }]);
    expect(r.rows.map((row) => row[0])).to.deep.equal([1n, 1n, 0n, 1n, 0n, 0n, 0n, 0n]);
    // The recording replays to the same outputs (out_y of the last cycle).
    const replay = compile(srcStage());
    const out = new Uint32Array(replay.wordCount('out') * r.rows.length);
    replay.runWords(r.words, r.rows.length, out, true);
    const ys = r.rows.map((_, t) => out[t * replay.wordCount('out') + 2]);
    expect(ys.slice(-3)).to.deep.equal([1, 2, 3]);
  });

  it('recordedBeats: out_valid and out_ready both 1 after reset; a field with no port reads 0', () => {
    const rec = {
      outputs: ['out_y', 'out_valid'],
      inputPorts: ['rst', 'out_ready'],
      rows: [
        [1n, 1n],
        [0n, 1n],
        [0n, 0n],
        [0n, 1n],
        [0n, 1n],
      ],
      resetCycles: 1,
    };
    const values = [
      [5n, 1n], // reset cycle: not a beat
      [6n, 1n], // beat at cycle 0
      [7n, 1n], // not ready
      [8n, 0n], // not valid
      [9n, 1n], // beat at cycle 3
    ];
    // Fields read from any column; output rows past the recorded input rows are not beats.
    const swapped = { ...rec, outputs: ['out_valid', 'out_y'] };
    const more = [...values.map(([y, v]) => [v as bigint, y as bigint]), [1n, 10n]];
    expect(recordedBeats(swapped, more, ['y'])).to.deep.equal({ beats: [{ y: 6n }, { y: 9n }], cycles: [0, 3] });
    expect(recordedBeats(rec, values, ['y', 'z'])).to.deep.equal({
      beats: [
        { y: 6n, z: 0n },
        { y: 9n, z: 0n },
      ],
      cycles: [0, 3],
    });
  });
});
