// The tracked form's cycle loops (runWords, runVectors) store an input port and wake the chunks
// reading it only when the port's value changed (codegen.ts `wakingInput`), instead of waking
// every input reader each cycle. A stale chunk would show as an output that keeps an old input's
// value: every output is compared cycle by cycle with the reference interpreter, with inputs
// held for stretches and changing one port (or one word of a wide port) at a time.
import { expect } from 'chai';
import { compile, type Simulator } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';

/** Inputs read combinationally (outputs of the same cycle) and through registers. */
function design(): ReturnType<typeof netlist> {
  const k = new Kit('wake');
  const a = k.input('a', 8);
  const b = k.input('b', 32);
  const x = k.input('x', 70);
  const m = k.input('m', 1);
  const acc = k.reg('acc', 70, null, m);
  k.next(acc, k.cell('add', 70, [acc, x]));
  const cnt = k.reg('cnt', 8, 0n);
  k.next(cnt, k.cell('add', 8, [cnt, a]));
  k.output('sum_o', k.cell('add', 8, [a, k.cell('slice', 8, [b], { lo: 24 })]));
  k.output('prod_o', k.cell('mul', 32, [b, k.cell('zext', 32, [a])]));
  k.output('xs_o', k.cell('xor', 70, [x, acc]));
  k.output('hi_o', k.cell('slice', 6, [x], { lo: 64 }));
  k.output('cnt_o', cnt);
  k.output('sel_o', k.cell('mux', 32, [m, b, k.cell('slice', 32, [x], { lo: 33 })]));
  return netlist(k.def());
}

const INS = [
  ['a', 8],
  ['b', 32],
  ['x', 70],
  ['m', 1],
] as const;

/** Per cycle: rst, then the input values; one port (or one word of x) changes at a time. */
function stimulus(cycles: number): bigint[][] {
  let s = 12345;
  const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  const v: bigint[] = [0n, 0n, 0n, 0n];
  const rows: bigint[][] = [];
  for (let t = 0; t < cycles; t++) {
    const r = rnd();
    // Held for stretches of 1..8 cycles, then one port changes.
    if (r % 8 === 0) {
      const p = (r >>> 3) % 4;
      if (p === 2) {
        const word = BigInt((r >>> 5) % 3);
        v[2] = (v[2] ?? 0n) ^ (BigInt(rnd() | 1) << (32n * word));
        v[2] &= (1n << 70n) - 1n;
      } else v[p] = BigInt(rnd()) & ((1n << BigInt(INS[p]?.[1] ?? 1)) - 1n);
    }
    rows.push([t < 2 || t === 120 ? 1n : 0n, ...v]);
  }
  return rows;
}

describe('sim: the tracked form wakes the readers of changed inputs only', () => {
  const cycles = 300;
  const rows = stimulus(cycles);
  const outs = ['sum_o', 'prod_o', 'xs_o', 'hi_o', 'cnt_o', 'sel_o'];

  /** Every output of every cycle from the reference interpreter, as runWords packs them. */
  function reference(sim: Simulator): bigint[][] {
    const ref = new NetlistInterpreter(design());
    return rows.map((row) => {
      ref.rst = row[0] ?? 0n;
      INS.forEach(([p], j) => ref.poke(p, row[j + 1] ?? 0n));
      const got = sim.ports.filter((p) => p.dir === 'out').map((p) => ref.peek(p.name));
      ref.step();
      return got;
    });
  }

  it('generates compare-and-wake input copies in the tracked form only', () => {
    const tracked = compile(design(), { chunkSize: 1, activity: true }).source;
    const plain = compile(design(), { activity: false }).source;
    expect(tracked).to.match(/if \(N\[\d+\] !== \(I\[i \+ \d+\] & 255\)\) \{ N\[\d+\] = \(I\[i \+ \d+\] & 255\); D\[\d+\] = 1;/);
    expect(tracked).to.match(/if \(W\[\d+\] !== \(I\[i \+ \d+\]\) \|\| W\[\d+\] !== \(I\[i \+ \d+\]\) \|\| W\[\d+\] !== \(I\[i \+ \d+\] & 63\)\)/);
    expect(tracked).to.not.match(/touchInputs\(\);\n\s*evalAll/);
    expect(plain).to.not.match(/if \(N\[\d+\] !== \(I\[/);
  });

  for (const form of ['tracked', 'plain', 'both'] as const) {
    it(`runWords (${form}) equals the reference interpreter cycle by cycle`, () => {
      const sim = compile(design(), {
        chunkSize: 1,
        ...(form === 'both' ? { calibrationWindow: 2 } : { activity: form === 'tracked' }),
      });
      const want = reference(sim);
      const per = 1 + sim.wordCount('in');
      const words = new Uint32Array(cycles * per);
      rows.forEach((row, t) => {
        let k = t * per;
        words[k++] = Number(row[0]);
        INS.forEach(([, w], j) => {
          let v = row[j + 1] ?? 0n;
          for (let q = 0; q < Math.ceil(w / 32); q++, v >>= 32n) words[k++] = Number(v & 0xffffffffn);
        });
      });
      const outW = sim.wordCount('out');
      const got = new Uint32Array(cycles * outW);
      // In pieces, so that a loop starts on held inputs that an earlier loop stored.
      for (let t = 0; t < cycles; t += 50)
        sim.runWords(words.subarray(t * per, (t + 50) * per), 50, got.subarray(t * outW, (t + 50) * outW), true);
      const widths = sim.ports.filter((p) => p.dir === 'out').map((p) => p.width);
      want.forEach((vals, t) => {
        let k = t * outW;
        vals.forEach((v, j) => {
          let g = 0n;
          const n = Math.ceil((widths[j] ?? 1) / 32);
          for (let q = n - 1; q >= 0; q--) g = (g << 32n) | BigInt(got[k + q] ?? 0);
          k += n;
          expect(g, `cycle ${t}, ${outs[j]}`).to.equal(v);
        });
      });
    });
  }

  it('runVectors (tracked) equals the plain form on the narrow ports, cycle by cycle', () => {
    const tracked = compile(design(), { chunkSize: 1, activity: true });
    const plain = compile(design(), { activity: false });
    // Narrow inputs a, b, m, held for stretches; x stays as poked before.
    const n = 200;
    const I = new Uint32Array(n * 3);
    let s = 99;
    for (let t = 0; t < n; t++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const prev = t === 0 ? [0, 0, 0] : [...I.subarray((t - 1) * 3, t * 3)];
      prev[s % 3] = s % 5 === 0 ? s >>> 7 : (prev[s % 3] ?? 0);
      I.set(prev, t * 3);
    }
    for (const sim of [tracked, plain]) {
      sim.reset(1);
      sim.poke('x', 0x2_0000_0001_8000_0003n);
    }
    const outN = 5; // sum_o, prod_o, hi_o, cnt_o, sel_o
    const a = new Uint32Array(outN);
    const b = new Uint32Array(outN);
    for (let t = 0; t < n; t++) {
      const row = I.subarray(t * 3, t * 3 + 3);
      tracked.runVectors(row, 1, a);
      plain.runVectors(row, 1, b);
      expect([...a], `cycle ${t}`).to.deep.equal([...b]);
    }
  });
});
