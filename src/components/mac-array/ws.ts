// Weight-stationary datapath: PE (i,j) holds weight W[i][j]. A load beat carries one weight row
// (in_b) for row `ptr` (load beats count 0, 1, ..., R-1, 0, ... after reset); a compute beat
// carries an activation vector (in_a, element i for row i). Tokens move down the columns with
// the partial sums (column j skewed by j) while activations move right (row i skewed by i), so a
// compute beat meets exactly the weights loaded before it. Column sums leave the bottom row and
// are deskewed by (C-1-j) registers.
import { type Expr, lit, mux, type ModuleBuilder, u } from '../../hdl/index.js';
import { decodeElement, fitSigned, multiplyDecoded } from '../arith/index.js';
import type { MacArrayConfig, MacArrayDerived } from './config.js';
import type { Core, CoreIo } from './os.js';
import { delay, type Flags, NO_FLAGS, orFlags, type ResultElem, specialCode } from './pipeline.js';

const clog2 = (n: number): number => (n <= 1 ? 1 : Math.ceil(Math.log2(n)));

interface Vertical {
  readonly v: Expr;
  readonly ld: Expr;
  readonly row: Expr;
  /** Load: the weight code (zero-extended); compute: the partial sum (W bits). */
  readonly data: Expr;
  readonly flags: Flags;
}

export function buildWeightStationary(
  m: ModuleBuilder,
  c: MacArrayConfig,
  d: MacArrayDerived,
  io: CoreIo,
): Core {
  const { rows: R, cols: C } = c;
  const W = d.accWidthBits;
  const DW = Math.max(W, d.bBits);
  const { adv } = io;
  const load = io.inLoad ?? lit(0, u(1));
  const rw = clog2(R);
  const ptr = m.reg('load_row', u(rw));
  const ptrLast = R === 1 ? lit(1, u(1)) : ptr.eq(R - 1);
  ptr.next(mux(ptrLast, lit(0, u(rw)), ptr.addWrap(1)), io.fire.and(load));
  // Skews: activations by row, tokens and weight rows by column.
  const aIn: Expr[] = [];
  for (let i = 0; i < R; i++)
    aIn.push(delay(m, `a_skew${i}`, io.inA.bits(d.aBits * (i + 1) - 1, d.aBits * i), i, adv));
  const top: Vertical[] = [];
  for (let j = 0; j < C; j++) {
    const b = io.inB.bits(d.bBits * (j + 1) - 1, d.bBits * j);
    const ld = delay(m, `col_ld_skew${j}`, load, j, adv);
    const data = delay(m, `b_skew${j}`, b, j, adv);
    top.push({
      v: delay(m, `col_v_skew${j}`, io.fire, j, adv),
      ld,
      row: delay(m, `col_row_skew${j}`, ptr, j, adv),
      data: mux(ld, data.extend(DW), lit(0, u(DW))),
      flags: NO_FLAGS(),
    });
  }
  const results: ResultElem[] = [];
  let tileValid: Expr = lit(0, u(1));
  const aReg: Expr[][] = [];
  let above = top;
  for (let i = 0; i < R; i++) {
    aReg.push([]);
    const below: Vertical[] = [];
    for (let j = 0; j < C; j++) {
      const p = `pe_${i}_${j}`;
      const from = above[j] as Vertical;
      const a = m
        .reg(`${p}_a`, u(d.aBits))
        .next(j === 0 ? (aIn[i] as Expr) : aReg[i]![j - 1]!, adv);
      aReg[i]!.push(a);
      const v = m.reg(`${p}_v`, u(1)).next(from.v, adv);
      const ld = m.reg(`${p}_ld`, u(1)).next(from.ld, adv);
      const row = m.reg(`${p}_row`, u(rw)).next(from.row, adv);
      const data = m.reg(`${p}_d`, u(DW)).next(from.data, adv);
      const flagIn: Flags = d.specials
        ? {
            nan: m.reg(`${p}_nan`, u(1)).next(from.flags.nan, adv),
            pinf: m.reg(`${p}_pinf`, u(1)).next(from.flags.pinf, adv),
            ninf: m.reg(`${p}_ninf`, u(1)).next(from.flags.ninf, adv),
          }
        : NO_FLAGS();
      // The stationary weight, written when this row's load token passes.
      const w = m.reg(`${p}_w`, u(d.bBits));
      w.next(data.bits(d.bBits - 1, 0), adv.and(v).and(ld).and(row.eq(i)));
      const prod = multiplyDecoded(
        m,
        decodeElement(m, c.aFormat, a),
        decodeElement(m, c.bFormat, w),
      );
      const psumIn = data.bits(W - 1, 0).asSigned();
      const psum = m
        .wire(`${p}_psum`, psumIn.shape)
        .set(psumIn.add(fitSigned(prod.value, W)).trunc(W));
      const flags = d.specials ? orFlags(flagIn, prod) : flagIn;
      below.push({
        v,
        ld,
        row,
        data: mux(ld, data, psum.asUnsigned().extend(DW)),
        flags: d.specials
          ? {
              nan: mux(ld, lit(0, u(1)), flags.nan),
              pinf: mux(ld, lit(0, u(1)), flags.pinf),
              ninf: mux(ld, lit(0, u(1)), flags.ninf),
            }
          : flags,
      });
      if (i === R - 1) {
        // Bottom row: capture the column sum, deskew to the last column.
        const capture = adv.and(v).and(ld.not());
        const res = m.reg(`col${j}_res`, psum.shape).next(psum, capture);
        const elem: { acc: Expr; special?: Expr } = {
          acc: delay(m, `col${j}_res_d`, res, C - 1 - j, adv),
        };
        if (d.specials) {
          const sp = m.reg(`col${j}_res_special`, u(2)).next(specialCode(flags), capture);
          elem.special = delay(m, `col${j}_res_special_d`, sp, C - 1 - j, adv);
        }
        results.push(elem);
        if (j === C - 1) tileValid = m.reg('tile_valid', u(1)).next(v.and(ld.not()), adv);
      }
    }
    above = below;
  }
  return { tileValid, results };
}
