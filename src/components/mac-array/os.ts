// Output-stationary datapath: A columns enter from the left (row i skewed by i), B rows from the
// top (column j skewed by j); PE (i,j) sees k-step t in its input registers t + i + j + 1
// advancing cycles after the beat, accumulates K products and, on the tile's last step, sends
// acc + product down a delay line of (R-1-i) + (C-1-j) registers so that every element of the
// tile arrives at the output together.
import { type Expr, lit, mux, type ModuleBuilder, u } from '../../hdl/index.js';
import { decodeElement, fitSigned, multiplyDecoded } from '../arith/index.js';
import type { MacArrayConfig, MacArrayDerived } from './config.js';
import { delay, orFlags, type ResultElem, specialCode } from './pipeline.js';

export interface CoreIo {
  readonly fire: Expr;
  readonly adv: Expr;
  readonly inA: Expr;
  readonly inB: Expr;
  readonly inLoad?: Expr;
}

export interface Core {
  /** u1: a finished output beat is at the end of the delay lines. */
  readonly tileValid: Expr;
  readonly results: readonly ResultElem[];
}

const clog2 = (n: number): number => (n <= 1 ? 1 : Math.ceil(Math.log2(n)));

export function buildOutputStationary(
  m: ModuleBuilder,
  c: MacArrayConfig,
  d: MacArrayDerived,
  io: CoreIo,
): Core {
  const { rows: R, cols: C } = c;
  const W = d.accWidthBits;
  const { adv } = io;
  // Tile position: the K-th accepted beat closes a tile.
  const kw = clog2(d.k);
  const kcnt = m.reg('k_count', u(kw));
  const last = d.k === 1 ? lit(1, u(1)) : kcnt.eq(d.k - 1);
  kcnt.next(d.k === 1 ? lit(0, u(kw)) : mux(last, lit(0, u(kw)), kcnt.addWrap(1)), io.fire);
  // Skew: row i's operand and token wait i cycles, column j's operand j cycles.
  const tokV: Expr[] = [];
  const tokLast: Expr[] = [];
  const aIn: Expr[] = [];
  const bIn: Expr[] = [];
  for (let i = 0; i < R; i++) {
    tokV.push(delay(m, `row_v_skew${i}`, io.fire, i, adv));
    tokLast.push(delay(m, `row_last_skew${i}`, last, i, adv));
    const a = io.inA.bits(d.aBits * (i + 1) - 1, d.aBits * i);
    aIn.push(delay(m, `a_skew${i}`, a, i, adv));
  }
  for (let j = 0; j < C; j++) {
    const b = io.inB.bits(d.bBits * (j + 1) - 1, d.bBits * j);
    bIn.push(delay(m, `b_skew${j}`, b, j, adv));
  }
  const results: ResultElem[] = [];
  let tileValid: Expr = lit(0, u(1));
  const aReg: Expr[][] = [];
  const bReg: Expr[][] = [];
  const vReg: Expr[][] = [];
  const lastReg: Expr[][] = [];
  for (let i = 0; i < R; i++) {
    aReg.push([]);
    bReg.push([]);
    vReg.push([]);
    lastReg.push([]);
    for (let j = 0; j < C; j++) {
      const p = `pe_${i}_${j}`;
      // Input registers: a, v, last from the left neighbour; b from the one above.
      const a = m
        .reg(`${p}_a`, u(d.aBits))
        .next(j === 0 ? (aIn[i] as Expr) : aReg[i]![j - 1]!, adv);
      const v = m.reg(`${p}_v`, u(1)).next(j === 0 ? (tokV[i] as Expr) : vReg[i]![j - 1]!, adv);
      const l = m
        .reg(`${p}_last`, u(1))
        .next(j === 0 ? (tokLast[i] as Expr) : lastReg[i]![j - 1]!, adv);
      const b = m
        .reg(`${p}_b`, u(d.bBits))
        .next(i === 0 ? (bIn[j] as Expr) : bReg[i - 1]![j]!, adv);
      aReg[i]!.push(a);
      bReg[i]!.push(b);
      vReg[i]!.push(v);
      lastReg[i]!.push(l);
      // Multiply-accumulate; the accumulator restarts after the tile's last step.
      const prod = multiplyDecoded(
        m,
        decodeElement(m, c.aFormat, a),
        decodeElement(m, c.bFormat, b),
      );
      const acc = m.reg(`${p}_acc`, fitSigned(prod.value, W).shape);
      const sum = m.wire(`${p}_sum`, acc.shape).set(acc.add(fitSigned(prod.value, W)).trunc(W));
      const step = adv.and(v);
      acc.next(mux(l, lit(0, acc.shape), sum), step);
      const capture = step.and(l);
      const res = m.reg(`${p}_res`, acc.shape).next(sum, capture);
      const dl = R - 1 - i + (C - 1 - j);
      const elem: { acc: Expr; special?: Expr } = { acc: delay(m, `${p}_res_d`, res, dl, adv) };
      if (d.specials) {
        const flagRegs = {
          nan: m.reg(`${p}_nan`, u(1)),
          pinf: m.reg(`${p}_pinf`, u(1)),
          ninf: m.reg(`${p}_ninf`, u(1)),
        };
        const now = orFlags(flagRegs, prod);
        for (const k of ['nan', 'pinf', 'ninf'] as const)
          flagRegs[k].next(mux(l, lit(0, u(1)), now[k]), step);
        const sp = m.reg(`${p}_res_special`, u(2)).next(specialCode(now), capture);
        elem.special = delay(m, `${p}_res_special_d`, sp, dl, adv);
      }
      results.push(elem);
      if (i === R - 1 && j === C - 1) tileValid = m.reg('tile_valid', u(1)).next(v.and(l), adv);
    }
  }
  return { tileValid, results };
}
