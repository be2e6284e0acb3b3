// Output-stationary datapath: A columns enter from the left (row i skewed by i), B rows from the
// top (column j skewed by j); PE (i,j) (an instance of the memoized PE module, ./pe-os.ts) sees
// k-step t in its input registers t + i + j + 1 advancing cycles after the beat, accumulates K
// products and, on the tile's last step, sends acc + product down a delay line of
// (R-1-i) + (C-1-j) registers so that every element of the tile arrives at the output together.
import {
  type Expr,
  type InstanceHandle,
  lit,
  mux,
  type ModuleBuilder,
  u,
} from '../../hdl/index.js';
import type { MacArrayConfig, MacArrayDerived } from './config.js';
import { generateOsPe } from './pe-os.js';
import { delayed, type ResultElem } from './pipeline.js';

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
    tokV.push(delayed(m, `row_v_skew${i}`, io.fire, i, adv));
    tokLast.push(delayed(m, `row_last_skew${i}`, last, i, adv));
    const a = io.inA.bits(d.aBits * (i + 1) - 1, d.aBits * i);
    aIn.push(delayed(m, `a_skew${i}`, a, i, adv));
  }
  for (let j = 0; j < C; j++) {
    const b = io.inB.bits(d.bBits * (j + 1) - 1, d.bBits * j);
    bIn.push(delayed(m, `b_skew${j}`, b, j, adv));
  }
  const peModule = generateOsPe({
    aFormat: c.aFormat,
    bFormat: c.bFormat,
    accWidthBits: d.accWidthBits,
  });
  const results: ResultElem[] = [];
  // a, v, last come from the left neighbour; b from the one above.
  let above: InstanceHandle[] = [];
  for (let i = 0; i < R; i++) {
    const row: InstanceHandle[] = [];
    for (let j = 0; j < C; j++) {
      const p = `pe_${i}_${j}`;
      const left = row[j - 1];
      const up = above[j];
      const pe = m.instance(peModule, p).connect({
        adv,
        a_in: left ? left.out('a_out') : (aIn[i] as Expr),
        b_in: up ? up.out('b_out') : (bIn[j] as Expr),
        v_in: left ? left.out('v_out') : (tokV[i] as Expr),
        last_in: left ? left.out('last_out') : (tokLast[i] as Expr),
      });
      row.push(pe);
      const dl = R - 1 - i + (C - 1 - j);
      const elem: { acc: Expr; special?: Expr } = {
        acc: delayed(m, `${p}_res_d`, pe.out('res'), dl, adv),
      };
      if (d.specials) elem.special = delayed(m, `${p}_sp_d`, pe.out('res_special'), dl, adv);
      results.push(elem);
    }
    above = row;
  }
  const corner = above[C - 1] as InstanceHandle;
  const tileValid = m
    .reg('tile_valid', u(1))
    .next(corner.out('v_out').and(corner.out('last_out')), adv);
  return { tileValid, results };
}
