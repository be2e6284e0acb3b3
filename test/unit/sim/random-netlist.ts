// Random well-formed netlists (all ops, edge widths, registers, memories, one level of hierarchy)
// for the property test of the native simulator against the reference interpreter.
import type { CellOp, Netlist } from '../../../src/hdl/index.js';
import { Kit, netlist } from './kit.js';

export const EDGE_WIDTHS = [1, 2, 7, 8, 16, 31, 32, 33, 53, 64, 65, 128] as const;

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  bits(w: number): bigint {
    let v = 0n;
    for (let i = 0; i < w; i += 16) v = (v << 16n) | BigInt(this.int(65536));
    // Bias towards edge values: all ones, top bit only, zero.
    const r = this.int(8);
    if (r === 0) return (1n << BigInt(w)) - 1n;
    if (r === 1) return 1n << BigInt(w - 1);
    if (r === 2) return 0n;
    return BigInt.asUintN(w, v);
  }
}

const OPS: readonly CellOp[] = [
  'const', 'zext', 'sext', 'slice', 'concat', 'not', 'and', 'or', 'xor', 'add', 'sub', 'mul',
  'eq', 'ne', 'ltU', 'ltS', 'leU', 'leS', 'shl', 'shrU', 'shrS', 'shlV', 'shrUV', 'shrSV', 'mux',
  'andR', 'orR', 'xorR', 'rom',
];

/** Adds random cells to `k` reading from `pool`; returns the grown pool. */
function growCells(k: Kit, r: Rng, pool: number[], count: number): void {
  const any = (): number => r.pick(pool);
  const adapt = (net: number, w: number): number => {
    const wa = k.widthOf(net);
    if (wa === w) return net;
    if (wa < w) return k.cell(r.int(2) ? 'sext' : 'zext', w, [net]);
    return k.cell('slice', w, [net], { lo: r.int(wa - w + 1) });
  };
  const width = (): number => r.pick(EDGE_WIDTHS);
  for (let i = 0; i < count; i++) {
    const op = r.pick(OPS);
    const w = width();
    let out: number;
    switch (op) {
      case 'const': out = k.lit(r.bits(w), w); break;
      case 'zext': case 'sext': {
        const a = any();
        out = k.cell(op, k.widthOf(a) + r.pick([0, 1, 5, 31, 40]), [a]);
        break;
      }
      case 'slice': {
        const a = any();
        const wa = k.widthOf(a);
        const lo = r.int(wa);
        out = k.cell('slice', 1 + r.int(wa - lo), [a], { lo });
        break;
      }
      case 'concat': {
        const parts = [any(), any(), any()].slice(0, 2 + r.int(2));
        out = k.cell('concat', parts.reduce((s, p) => s + k.widthOf(p), 0), parts);
        break;
      }
      case 'not': out = k.cell('not', w, [adapt(any(), w)]); break;
      case 'eq': case 'ne': case 'ltU': case 'ltS': case 'leU': case 'leS':
        out = k.cell(op, 1, [adapt(any(), w), adapt(any(), w)]);
        break;
      case 'shl': case 'shrU': case 'shrS':
        out = k.cell(op, w, [adapt(any(), w)], { amount: r.pick([0, 1, w - 1, w, w + 3, r.int(w)]) });
        break;
      case 'shlV': case 'shrUV': case 'shrSV': {
        const n = any();
        const nn = k.widthOf(n) > 8 && r.int(2) ? k.cell('slice', 7, [n], { lo: 0 }) : n;
        out = k.cell(op, w, [adapt(any(), w), nn]);
        // Half the wide right shifts are read only through a slice (a dynamic part-select).
        if (op === 'shrUV' && w > 32 && r.int(2)) {
          const lo = r.int(w);
          out = k.cell('slice', 1 + r.int(w - lo), [out], { lo });
        }
        break;
      }
      case 'mux':
        if (r.int(3) === 0) {
          // A ROM written as `?:`: (x == k1) ? c1 : (x == k2) ? c2 : ... : c0 (keys may repeat).
          const xw = r.pick([1, 2, 3, 8, 13]);
          const x = adapt(any(), xw);
          const cw = r.pick([1, 7, 32, 33]);
          out = r.int(4) === 0 ? adapt(any(), cw) : k.lit(r.bits(cw), cw);
          for (let n = 1 + r.int(6); n > 0; n--) {
            const key = k.lit(BigInt(r.int(Math.min(2 ** xw, 12))), xw);
            out = k.cell('mux', cw, [k.cell('eq', 1, [x, key]), k.lit(r.bits(cw), cw), out]);
          }
          break;
        }
        if (r.int(2) === 0) {
          // A priority encoder written as `?:`: x[lo + i] ? c_i : ... over consecutive bits, up
          // or down, up to 34 of them (the simulator's Math.clz32 takes 32), sometimes a gap.
          const x = any();
          const xw = k.widthOf(x);
          const m = Math.min(xw, 34);
          const n = m >= 4 && r.int(4) !== 0 ? 4 + r.int(m - 3) : 1 + r.int(m);
          const lo = r.int(xw - n + 1);
          const up = r.int(2) === 0;
          const cw = r.pick([1, 5, 32, 33]);
          out = r.int(4) === 0 ? adapt(any(), cw) : k.lit(r.bits(cw), cw);
          for (let i = 0; i < n; i++) {
            const gap = r.int(12) === 0 && i + 1 < n ? 1 : 0;
            const bit = k.cell('slice', 1, [x], { lo: up ? lo + i + gap : lo + n - 1 - i - gap });
            out = k.cell('mux', cw, [bit, k.lit(r.bits(cw), cw), out]);
          }
          // A port of its own: few of the pool's values reach an output.
          k.output(`prio${pool.length}`, out);
          break;
        }
        out = k.cell('mux', w, [adapt(any(), 1), adapt(any(), w), adapt(any(), w)]);
        break;
      case 'andR': case 'orR': case 'xorR': out = k.cell(op, 1, [any()]); break;
      case 'rom': {
        // A constant table (embedded weights): sometimes shorter than the index's range (0 past
        // its end), sometimes longer (the rest unreachable), narrow or wide words.
        const xw = r.pick([1, 3, 5, 40]);
        const n = 1 + r.int(Math.min(2 ** xw + 4, 40));
        out = k.cell('rom', w, [adapt(any(), xw)], { table: Array.from({ length: n }, () => r.bits(w)) });
        break;
      }
      default: out = k.cell(op, w, [adapt(any(), w), adapt(any(), w)]);
    }
    pool.push(out);
  }
}

export function randomModule(r: Rng, name: string, cells: number): Kit {
  const k = new Kit(name);
  const pool: number[] = [];
  const nIn = 2 + r.int(3);
  for (let i = 0; i < nIn; i++) pool.push(k.input(`in${i}`, r.pick(EDGE_WIDTHS)));
  const regs: number[] = [];
  const nReg = r.int(4);
  for (let i = 0; i < nReg; i++) {
    const w = r.pick(EDGE_WIDTHS);
    const init = r.int(3) === 0 ? null : r.bits(w);
    const en = r.int(2) ? k.input(`en${i}`, 1) : undefined;
    regs.push(k.reg(`r${i}`, w, init, en));
    pool.push(regs[regs.length - 1] as number);
  }
  growCells(k, r, pool, cells);
  const fit = (net: number, w: number): number => {
    const wa = k.widthOf(net);
    if (wa === w) return net;
    return wa < w ? k.cell('zext', w, [net]) : k.cell('slice', w, [net], { lo: 0 });
  };
  if (r.int(2)) {
    const w = r.pick([8, 33]);
    const depth = r.pick([3, 4, 16]);
    const aw = r.pick([2, 5, 40]);
    const data = k.mem('m', w, depth, [fit(r.pick(pool), aw)], [
      { addr: fit(r.pick(pool), aw), data: fit(r.pick(pool), w), en: fit(r.pick(pool), 1) },
      { addr: fit(r.pick(pool), aw), data: fit(r.pick(pool), w), en: fit(r.pick(pool), 1) },
    ]);
    pool.push(...data);
  }
  for (const q of regs) k.next(q, fit(r.pick(pool), k.widthOf(q)));
  const nOut = 2 + r.int(3);
  for (let i = 0; i < nOut; i++) k.output(`out${i}`, r.pick(pool.slice(nIn)));
  for (const q of regs) k.output(`o_${k.nets[q]?.name ?? ''}`, q);
  return k;
}

/** A random design; sometimes the random module sits twice inside a top with cross-wiring. */
export function randomNetlist(seed: number, cells = 25): Netlist {
  const r = new Rng(seed);
  const leaf = randomModule(r, 'leaf', cells);
  if (r.int(2) === 0) return netlist(leaf.def());
  const child = leaf.def();
  const top = new Kit('top');
  const ins = child.ports.filter((p) => p.dir === 'in').map((p) => top.input(p.name, p.width));
  const conn = (vals: number[]): Record<string, number> =>
    Object.fromEntries(child.ports.filter((p) => p.dir === 'in').map((p, i) => [p.name, vals[i] as number]));
  const a = top.inst('u_a', child, conn(ins));
  // u_b's inputs: u_a's outputs where the width matches, else the top input; a third of them
  // constants (which the simulator propagates into u_b's logic).
  const bIns = child.ports
    .filter((p) => p.dir === 'in')
    .map((p, i) =>
      r.int(3) === 0
        ? top.lit(r.bits(p.width), p.width)
        : (Object.values(a).find((n) => top.widthOf(n) === p.width) ?? (ins[i] as number)),
    );
  const b = top.inst('u_b', child, conn(bIns));
  for (const [n, net] of Object.entries(a)) top.output(`a_${n}`, net);
  for (const [n, net] of Object.entries(b)) top.output(`b_${n}`, net);
  return netlist(child, top.def(child.clocked));
}
