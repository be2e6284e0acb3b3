// Narrow lowerings (src/sim/repr.ts) read *loose* operands: int32 numbers whose bits above the
// width are garbage (a sum, a product, a complement, a left shift) or known sign extensions
// (sext). Single-cell tests feed only exact inputs; here every consumer op reads every kind of
// producer, at the widths where the lowering changes form (1, 7, 31, 32, and 33-40 for wide
// results of narrow operands), and is compared with the reference interpreter
// (test/support/netlist-interp.ts) on edge and random inputs.
import { expect } from 'chai';
import { compile } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

type Make = (k: Kit, p: number, q: number, n: number, w: number) => number;

/** Consumers of two w-bit operands p, q and an amount n (6 bits). */
const CONSUMERS: readonly [string, Make][] = [
  ['zext32', (k, p, _q, _n, w) => (w < 32 ? k.cell('zext', 32, [p]) : p)],
  ['zext40', (k, p) => k.cell('zext', 40, [p])],
  ['sext32', (k, p, _q, _n, w) => (w < 32 ? k.cell('sext', 32, [p]) : p)],
  ['sext40', (k, p) => k.cell('sext', 40, [p])],
  ['sext w+1', (k, p, _q, _n, w) => k.cell('sext', w + 1, [p])],
  ['slice top', (k, p, _q, _n, w) => k.cell('slice', 1, [p], { lo: w - 1 })],
  ['slice low', (k, p, _q, _n, w) => k.cell('slice', Math.max(1, w - 1), [p], { lo: 0 })],
  ['concat', (k, p, q, _n, w) => k.cell('concat', 2 * w, [p, q])],
  ['concat, then <u and <s', (k, p, q, _n, w) => {
    const c1 = k.cell('concat', 2 * w, [p, q]);
    const c2 = k.cell('concat', 2 * w, [q, p]);
    return k.cell('concat', 2, [k.cell('ltU', 1, [c1, c2]), k.cell('ltS', 1, [c1, c2])]);
  }],
  ['concat3', (k, p, q, _n, w) => k.cell('concat', 2 * w + 1, [p, q, k.cell('slice', 1, [q], { lo: 0 })])],
  ...(['eq', 'ne', 'ltU', 'leU', 'ltS', 'leS'] as const).map(
    (op): [string, Make] => [op, (k, p, q) => k.cell(op, 1, [p, q])],
  ),
  ...(['and', 'or', 'xor', 'add', 'sub', 'mul'] as const).map(
    (op): [string, Make] => [op, (k, p, q, _n, w) => k.cell(op, w, [p, q])],
  ),
  ['not', (k, p, _q, _n, w) => k.cell('not', w, [p])],
  ...(['shrU', 'shrS', 'shl'] as const).map((op): [string, Make] => [
    `${op} 1`,
    (k, p, _q, _n, w) => k.cell(op, w, [p], { amount: Math.min(1, w - 1) || 1 }),
  ]),
  ...(['shrU', 'shrS'] as const).map((op): [string, Make] => [
    `${op} w-1`,
    (k, p, _q, _n, w) => k.cell(op, w, [p], { amount: Math.max(1, w - 1) }),
  ]),
  ...(['shlV', 'shrUV', 'shrSV'] as const).map((op): [string, Make] => [op, (k, p, _q, n, w) => k.cell(op, w, [p, n])]),
  ['shrUV by loose', (k, p, q, _n, w) => k.cell('shrUV', w, [p, k.cell('slice', Math.min(w, 6), [q], { lo: 0 })])],
  ['andR', (k, p) => k.cell('andR', 1, [p])],
  ['orR', (k, p) => k.cell('orR', 1, [p])],
  ['xorR', (k, p) => k.cell('xorR', 1, [p])],
  ['mux', (k, p, q, _n, w) => k.cell('mux', w, [k.cell('slice', 1, [k.cell('add', w, [p, q])], { lo: 0 }), p, q])],
  ['mux of sext', (k, p, q, _n, w) =>
    k.cell('mux', w + 1, [k.cell('xorR', 1, [p]), k.cell('sext', w + 1, [p]), k.cell('sext', w + 1, [q])])],
];

/** Producers of a w-bit operand from inputs a, b (w bits): loose, exact and sign-extended forms. */
const PRODUCERS: readonly [string, (k: Kit, a: number, b: number, w: number) => number][] = [
  ['input', (_k, a) => a],
  ['a + b', (k, a, b, w) => k.cell('add', w, [a, b])],
  ['a - b', (k, a, b, w) => k.cell('sub', w, [a, b])],
  ['a * b', (k, a, b, w) => k.cell('mul', w, [a, b])],
  ['~a', (k, a, _b, w) => k.cell('not', w, [a])],
  ['a << 1', (k, a, _b, w) => k.cell('shl', w, [a], { amount: 1 })],
  ['sext a[w-2:0]', (k, a, _b, w) => (w > 1 ? k.cell('sext', w, [k.cell('slice', w - 1, [a], { lo: 0 })]) : a)],
  ['sext a[w-2:0] + sext b[w-2:0]', (k, a, b, w) =>
    w > 2
      ? k.cell('add', w, [k.cell('sext', w, [k.cell('slice', w - 2, [a], { lo: 0 })]), k.cell('sext', w, [k.cell('slice', w - 2, [b], { lo: 0 })])])
      : a],
  ['(sa + sb) + (sa + sb), sa = sext a[w-2:0]', (k, a, b, w) => {
    if (w < 3) return a;
    const sx = (v: number): number => k.cell('sext', w, [k.cell('slice', w - 1, [v], { lo: 0 })]);
    const s = k.cell('add', w, [sx(a), sx(b)]);
    return k.cell('add', w, [s, s]);
  }],
  ['a >>s 1', (k, a, _b, w) => k.cell('shrS', w, [a], { amount: 1 })],
  // Muxes with an arm of 0 are masks (repr.ts selectExpr): an int32 even at 32 bits.
  ['b[0] ? a : 0', (k, a, b, w) => k.cell('mux', w, [k.cell('slice', 1, [b], { lo: 0 }), a, k.lit(0n, w)])],
  ['b[0] ? 0 : a + b', (k, a, b, w) => k.cell('mux', w, [k.cell('slice', 1, [b], { lo: 0 }), k.lit(0n, w), k.cell('add', w, [a, b])])],
];

function design(w: number): ReturnType<typeof netlist> {
  const k = new Kit(`loose${w}`);
  const a = k.input('a', w);
  const b = k.input('b', w);
  const n = k.input('n', 6);
  PRODUCERS.forEach(([, fp], i) =>
    PRODUCERS.forEach(([, fq], j) => {
      if (j !== i && j !== (i + 1) % PRODUCERS.length) return;
      const p = fp(k, a, b, w);
      const q = fq(k, b, a, w);
      CONSUMERS.forEach(([, fc], c) => {
        const y = fc(k, p, q, n, w);
        if (k.widthOf(y) > 0) k.output(`y_${i}_${j}_${c}`, y);
      });
    }),
  );
  return netlist(k.def(false));
}

describe('sim: narrow lowerings of loose and sign-extended operands vs the reference interpreter', () => {
  for (const w of [1, 2, 7, 16, 31, 32])
    it(`width ${w}: ${PRODUCERS.length} producers × ${CONSUMERS.length} consumers`, () => {
      const nl = design(w);
      const sim = compile(nl);
      const ref = new NetlistInterpreter(nl);
      const top = nl.modules[0];
      const outs = top?.ports.filter((p) => p.dir === 'out') ?? [];
      const r = new Rng(w);
      const m = (1n << BigInt(w)) - 1n;
      const edges = [0n, 1n, m, (m >> 1n) + 1n];
      const vectors: [bigint, bigint, bigint][] = [];
      for (const a of edges) for (const b of edges) vectors.push([a, b, BigInt(r.int(64))]);
      for (let i = 0; i < 12; i++) vectors.push([r.bits(w), r.bits(w), BigInt([0, 1, w - 1, w, w + 1, 63][i % 6] ?? 0) & 63n]);
      for (const [a, b, n] of vectors) {
        for (const [p, v] of [
          ['a', a],
          ['b', b],
          ['n', n],
        ] as const) {
          sim.poke(p, v);
          ref.poke(p, v);
        }
        for (const o of outs) {
          const [, i, j, c] = o.name.split('_').map(Number);
          const what = `${PRODUCERS[i as number]?.[0]} / ${PRODUCERS[j as number]?.[0]} -> ${CONSUMERS[c as number]?.[0]}`;
          expect(sim.peek(o.name), `${what} at a=${a} b=${b} n=${n}`).to.equal(ref.peek(o.name));
        }
      }
    });
});
