// The skipping form's cycle loops (`runWords`, `runVectors`) store an input port and wake the
// chunks reading it only when its words changed (codegen.ts `inputWakes`): held inputs leave their
// readers asleep. Checked cycle by cycle against the reference interpreter
// (test/support/netlist-interp.ts) on inputs held for runs of cycles: narrow, wide of up to 8
// words (compared word by word) and over 8 words (the `inW` loop), with pokes between loops
// (the simulator wakes their readers before a loop starts), in both forms and switching between
// them.
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

const INS: readonly [string, number][] = [
  ['a', 8],
  ['v', 1],
  ['x', 300],
  ['y', 70],
  ['z', 32],
];

function design(): ReturnType<typeof netlist> {
  const k = new Kit('wake');
  const [a, v, x, y, z] = INS.map(([n, w]) => k.input(n, w)) as [number, number, number, number, number];
  // Combinational outputs of each input (read by different chunks when chunks are small).
  k.output('o1', k.cell('add', 32, [k.cell('mul', 32, [k.cell('zext', 32, [a]), k.lit(3n, 32)]), z]));
  k.output('o2', k.cell('add', 300, [x, k.cell('zext', 300, [y])]));
  k.output('o3', k.cell('xor', 70, [y, k.cell('slice', 70, [x], { lo: 200 })]));
  // Registers enabled by v, reading the held inputs.
  const r1 = k.reg('r1', 32, 1n, v);
  k.next(r1, k.cell('add', 32, [k.cell('slice', 32, [x], { lo: 260 }), k.cell('zext', 32, [a])]));
  const r2 = k.reg('r2', 70, null, v);
  k.next(r2, k.cell('add', 70, [r2, y]));
  const r3 = k.reg('r3', 32, 0n);
  k.next(r3, k.cell('xor', 32, [r3, z]));
  k.output('r1_o', r1);
  k.output('r2_o', r2);
  k.output('r3_o', r3);
  return netlist(k.def(true));
}

const OUTS: readonly [string, number][] = [
  ['o1', 32],
  ['o2', 300],
  ['o3', 70],
  ['r1_o', 32],
  ['r2_o', 70],
  ['r3_o', 32],
];

const FORMS: readonly CompileOptions[] = [
  { chunkSize: 1, activity: true },
  { chunkSize: 2, activity: true, signals: false },
  { chunkSize: 1, calibrationWindow: 1 },
  { chunkSize: 3, activity: false },
];

const words = (v: bigint, w: number): number[] =>
  Array.from({ length: Math.ceil(w / 32) }, (_, j) => Number((v >> BigInt(32 * j)) & 0xffffffffn));

describe('sim: input wakes of the cycle loops vs the reference interpreter', () => {
  FORMS.forEach((opts, f) =>
    it(`form ${JSON.stringify(opts)}: held inputs, pokes between loops, every cycle agrees`, () => {
      const nl = design();
      const sim = compile(nl, opts);
      if (opts.activity === true) expect(sim.source).to.match(/function inW\(/);
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(700 + f);
      const cur = new Map<string, bigint>(INS.map(([n]) => [n, 0n]));
      const per = 1 + sim.wordCount('in');
      const outW = sim.wordCount('out');
      let t = 0;
      for (let block = 0; block < 14; block++) {
        // Between loops: poke an input to a new value that the next loop's first row keeps.
        if (block % 3 === 2) {
          const [n, w] = INS[block % INS.length] as [string, number];
          const val = r.bits(w);
          cur.set(n, val);
          sim.poke(n, val);
        }
        const n = 1 + r.int(5);
        const stim = new Uint32Array(n * per);
        const rows: { rst: number; vals: Map<string, bigint> }[] = [];
        for (let c = 0; c < n; c++, t++) {
          const rst = t === 0 || t === 37 ? 1 : 0;
          // Each input changes in about one cycle of four (at most one word of a wide one, or all).
          for (const [name, w] of INS)
            if (r.int(4) === 0) {
              const old = cur.get(name) ?? 0n;
              cur.set(name, r.int(2) === 0 ? r.bits(w) : old ^ (1n << BigInt(r.int(w))));
            }
          const row = [rst, ...INS.flatMap(([name, w]) => words(cur.get(name) ?? 0n, w))];
          stim.set(row, c * per);
          rows.push({ rst, vals: new Map(cur) });
        }
        const out = new Uint32Array(n * outW);
        sim.runWords(stim, n, out, true);
        rows.forEach(({ rst, vals }, c) => {
          ref.rst = BigInt(rst);
          for (const [name, v] of vals) ref.poke(name, v);
          let o = c * outW;
          for (const [name, w] of OUTS) {
            let got = 0n;
            const k = Math.ceil(w / 32);
            for (let j = k - 1; j >= 0; j--) got = (got << 32n) | BigInt(out[o + j] ?? 0);
            o += k;
            expect(got, `block ${block}, cycle ${c}, ${name}`).to.equal(ref.peek(name));
          }
          ref.step();
        });
      }
      // runVectors (narrow inputs only; the wide ones keep their values) and a final peek.
      const narrow = INS.filter(([, w]) => w <= 32);
      for (let c = 0; c < 12; c++, t++) {
        for (const [name, w] of narrow) if (r.int(3) === 0) cur.set(name, r.bits(w));
        if (c === 6) {
          cur.set('y', r.bits(70));
          sim.poke('y', cur.get('y') ?? 0n);
        }
        sim.poke('rst', 0);
        sim.runVectors(Uint32Array.from(narrow.map(([name]) => Number(cur.get(name) ?? 0n))), 1);
        ref.rst = 0n;
        for (const [name, v] of cur) ref.poke(name, v);
        ref.step();
        for (const [name] of OUTS.filter(([o]) => o.startsWith('r')))
          expect(sim.peek(name), `runVectors cycle ${c}, ${name}`).to.equal(ref.peek(name));
      }
    }),
  );
});
