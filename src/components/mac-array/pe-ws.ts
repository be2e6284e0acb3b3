// The weight-stationary PE, one module per (A format, B format, accumulator width, row-index
// width), generated once (memoized) and instantiated rows × cols times by the array. It registers
// the activation (passed right) and the vertical token (valid, load, target row, data, special
// flags; passed down), keeps its stationary weight, written when a load token for its row
// (input `row_id`, a constant per array row) passes, and adds its exact product to the partial
// sum flowing down.
import { lit, memoGenerator, ModuleBuilder, mux, u } from '../../hdl/index.js';
import {
  arithFormat,
  decodeElement,
  fitSigned,
  hasSpecials,
  multiplyDecoded,
  shortFormatName,
  type ArithFormatName,
} from '../arith/index.js';
import { type Flags, NO_FLAGS, orFlags } from './pipeline.js';

export interface WsPeConfig {
  readonly aFormat: ArithFormatName;
  readonly bFormat: ArithFormatName;
  readonly accWidthBits: number;
  /** Width of the weight-row index (clog2(rows), at least 1). */
  readonly rowBits: number;
}

/** `mac_pe_ws_uint8_e2m3_acc20_rw2`. */
export function wsPeName(c: WsPeConfig): string {
  return `mac_pe_ws_${shortFormatName(c.aFormat)}_${shortFormatName(c.bFormat)}_acc${c.accWidthBits}_rw${c.rowBits}`;
}

/** Width of the vertical data path: a weight code (load) or a partial sum (compute). */
export const wsDataBits = (c: WsPeConfig): number =>
  Math.max(c.accWidthBits, arithFormat(c.bFormat).bits);

/**
 * Ports: in `adv`, `row_id`, `a_in`, `v_in`, `ld_in`, `row_in`, `d_in` and, with specials,
 * `nan_in`, `pinf_in`, `ninf_in`; out the same names with `_out` (data: the weight code on a
 * load token, else the partial sum including this PE's product; flags cleared on a load token).
 */
export const generateWsPe = memoGenerator((c: WsPeConfig): ModuleBuilder => {
  const A = arithFormat(c.aFormat);
  const B = arithFormat(c.bFormat);
  const W = c.accWidthBits;
  const DW = wsDataBits(c);
  const specials = hasSpecials(A) || hasSpecials(B);
  const m = new ModuleBuilder(wsPeName(c), { config: c });
  const adv = m.input('adv', u(1));
  const rowId = m.input('row_id', u(c.rowBits));
  const aIn = m.input('a_in', u(A.bits));
  const vIn = m.input('v_in', u(1));
  const ldIn = m.input('ld_in', u(1));
  const rowIn = m.input('row_in', u(c.rowBits));
  const dIn = m.input('d_in', u(DW));
  const a = m.reg('a', u(A.bits)).next(aIn, adv);
  const v = m.reg('v', u(1)).next(vIn, adv);
  const ld = m.reg('ld', u(1)).next(ldIn, adv);
  const row = m.reg('row', u(c.rowBits)).next(rowIn, adv);
  const data = m.reg('d', u(DW)).next(dIn, adv);
  const flagIn: Flags = specials
    ? {
        nan: m.reg('nan', u(1)).next(m.input('nan_in', u(1)), adv),
        pinf: m.reg('pinf', u(1)).next(m.input('pinf_in', u(1)), adv),
        ninf: m.reg('ninf', u(1)).next(m.input('ninf_in', u(1)), adv),
      }
    : NO_FLAGS();
  // The stationary weight, written when this row's load token passes.
  const w = m.reg('w', u(B.bits));
  w.next(data.bits(B.bits - 1, 0), adv.and(v).and(ld).and(row.eq(rowId)));
  const prod = multiplyDecoded(m, decodeElement(m, c.aFormat, a), decodeElement(m, c.bFormat, w));
  const psumIn = data.bits(W - 1, 0).asSigned();
  const psum = m.wire('psum', psumIn.shape).set(psumIn.add(fitSigned(prod.value, W)).trunc(W));
  m.output('a_out', a.shape).set(a);
  m.output('v_out', u(1)).set(v);
  m.output('ld_out', u(1)).set(ld);
  m.output('row_out', row.shape).set(row);
  m.output('d_out', u(DW)).set(mux(ld, data, psum.asUnsigned().extend(DW)));
  if (specials) {
    const flags = orFlags(flagIn, prod);
    for (const k of ['nan', 'pinf', 'ninf'] as const)
      m.output(`${k}_out`, u(1)).set(mux(ld, lit(0, u(1)), flags[k]));
  }
  return m;
});
