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
    expect(recordedBeats(rec, values, ['y', 'z'])).to.deep.equal({
      beats: [
        { y: 6n, z: 0n },
        { y: 9n, z: 0n },
      ],
      cycles: [0, 3],
    });
  });
});
