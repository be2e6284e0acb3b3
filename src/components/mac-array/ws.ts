// Weight-stationary datapath: PE (i,j) (an instance of the memoized PE module, ./pe-ws.ts) holds
// weight W[i][j]. A load beat carries one weight row (in_b) for row `ptr` (load beats count 0,
// 1, ..., R-1, 0, ... after reset); a compute beat carries an activation vector (in_a, element i
// for row i). Tokens move down the columns with the partial sums (column j skewed by j) while
// activations move right (row i skewed by i), so a compute beat meets exactly the weights loaded
// before it. Column sums leave the bottom row and are deskewed by (C-1-j) registers.
import {
  type Expr,
  type InstanceHandle,
  lit,
  mux,
  type ModuleBuilder,
  u,
} from '../../hdl/index.js';
import type { MacArrayConfig, MacArrayDerived } from './config.js';
import type { Core, CoreIo } from './os.js';
import { generateWsPe, type WsPeConfig, wsDataBits } from './pe-ws.js';
import { delayed, type ResultElem, specialCode } from './pipeline.js';

const clog2 = (n: number): number => (n <= 1 ? 1 : Math.ceil(Math.log2(n)));

const FLAGS = ['nan', 'pinf', 'ninf'] as const;

export function buildWeightStationary(
  m: ModuleBuilder,
  c: MacArrayConfig,
  d: MacArrayDerived,
  io: CoreIo,
): Core {
  const { rows: R, cols: C } = c;
  const W = d.accWidthBits;
  const rw = clog2(R);
  const peConfig: WsPeConfig = {
    aFormat: c.aFormat,
    bFormat: c.bFormat,
    accWidthBits: W,
    rowBits: rw,
  };
  const DW = wsDataBits(peConfig);
  const { adv } = io;
  const load = io.inLoad ?? lit(0, u(1));
  const ptr = m.reg('load_row', u(rw));
  const ptrLast = R === 1 ? lit(1, u(1)) : ptr.eq(R - 1);
  ptr.next(mux(ptrLast, lit(0, u(rw)), ptr.addWrap(1)), io.fire.and(load));
  // Skews: activations by row, tokens and weight rows by column.
  const aIn: Expr[] = [];
  for (let i = 0; i < R; i++)
    aIn.push(delayed(m, `a_skew${i}`, io.inA.bits(d.aBits * (i + 1) - 1, d.aBits * i), i, adv));
  const top: Record<string, Expr>[] = [];
  for (let j = 0; j < C; j++) {
    const b = io.inB.bits(d.bBits * (j + 1) - 1, d.bBits * j);
    const ld = delayed(m, `col_ld_skew${j}`, load, j, adv);
    const data = delayed(m, `b_skew${j}`, b, j, adv);
    const t: Record<string, Expr> = {
      v_in: delayed(m, `col_v_skew${j}`, io.fire, j, adv),
      ld_in: ld,
      row_in: delayed(m, `col_row_skew${j}`, ptr, j, adv),
      d_in: mux(ld, data.extend(DW), lit(0, u(DW))),
    };
    if (d.specials) for (const k of FLAGS) t[`${k}_in`] = lit(0, u(1));
    top.push(t);
  }
  const peModule = generateWsPe(peConfig);
  // Vertical inputs of a PE from the outputs of the one above.
  const fromAbove = (pe: InstanceHandle): Record<string, Expr> => {
    const t: Record<string, Expr> = {};
    for (const k of ['v', 'ld', 'row', 'd', ...(d.specials ? FLAGS : [])])
      t[`${k}_in`] = pe.out(`${k}_out`);
    return t;
  };
  let above: InstanceHandle[] = [];
  for (let i = 0; i < R; i++) {
    const row: InstanceHandle[] = [];
    for (let j = 0; j < C; j++) {
      const left = row[j - 1];
      const up = above[j];
      row.push(
        m.instance(peModule, `pe_${i}_${j}`).connect({
          adv,
          row_id: lit(i, u(rw)),
          a_in: left ? left.out('a_out') : (aIn[i] as Expr),
          ...(up ? fromAbove(up) : (top[j] as Record<string, Expr>)),
        }),
      );
    }
    above = row;
  }
  // Bottom row: capture each column sum (a compute token), deskew to the last column.
  const results: ResultElem[] = [];
  for (let j = 0; j < C; j++) {
    const pe = above[j] as InstanceHandle;
    const capture = adv.and(pe.out('v_out')).and(pe.out('ld_out').not());
    const res = m.reg(`col${j}_res`, u(W)).next(pe.out('d_out').bits(W - 1, 0), capture);
    const elem: { acc: Expr; special?: Expr } = {
      acc: delayed(m, `col${j}_res_d`, res, C - 1 - j, adv),
    };
    if (d.specials) {
      const flags = { nan: pe.out('nan_out'), pinf: pe.out('pinf_out'), ninf: pe.out('ninf_out') };
      const sp = m.reg(`col${j}_res_special`, u(2)).next(specialCode(flags), capture);
      elem.special = delayed(m, `col${j}_res_special_d`, sp, C - 1 - j, adv);
    }
    results.push(elem);
  }
  const corner = above[C - 1] as InstanceHandle;
  const tileValid = m
    .reg('tile_valid', u(1))
    .next(corner.out('v_out').and(corner.out('ld_out').not()), adv);
  return { tileValid, results };
}
