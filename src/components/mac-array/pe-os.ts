// The output-stationary PE, one module per (A format, B format, accumulator width), generated
// once (memoized) and instantiated rows × cols times by the array. Input registers for a, b, the
// valid token and the tile's last-step flag (passed on to the right / lower neighbour through
// the *_out ports); an exact multiply-accumulate that restarts after the last step; on the last
// step acc + product is captured in `res` (and the special code in `res_special`).
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
import { orFlags, specialCode } from './pipeline.js';

export interface OsPeConfig {
  readonly aFormat: ArithFormatName;
  readonly bFormat: ArithFormatName;
  readonly accWidthBits: number;
}

/** `mac_pe_os_e4m3_int4_acc24`. */
export function osPeName(c: OsPeConfig): string {
  return `mac_pe_os_${shortFormatName(c.aFormat)}_${shortFormatName(c.bFormat)}_acc${c.accWidthBits}`;
}

/**
 * Ports: in `adv`, `a_in`, `b_in`, `v_in`, `last_in`; out `a_out`, `b_out`, `v_out`, `last_out`
 * (the input registers), `res` (u(W), the finished sum) and, with specials, `res_special` (u2).
 */
export const generateOsPe = memoGenerator((c: OsPeConfig): ModuleBuilder => {
  const A = arithFormat(c.aFormat);
  const B = arithFormat(c.bFormat);
  const W = c.accWidthBits;
  const m = new ModuleBuilder(osPeName(c), { config: c });
  const adv = m.input('adv', u(1));
  const aIn = m.input('a_in', u(A.bits));
  const bIn = m.input('b_in', u(B.bits));
  const vIn = m.input('v_in', u(1));
  const lastIn = m.input('last_in', u(1));
  const a = m.reg('a', u(A.bits)).next(aIn, adv);
  const b = m.reg('b', u(B.bits)).next(bIn, adv);
  const v = m.reg('v', u(1)).next(vIn, adv);
  const l = m.reg('last', u(1)).next(lastIn, adv);
  m.output('a_out', a.shape).set(a);
  m.output('b_out', b.shape).set(b);
  m.output('v_out', u(1)).set(v);
  m.output('last_out', u(1)).set(l);
  // Multiply-accumulate; the accumulator restarts after the tile's last step.
  const prod = multiplyDecoded(m, decodeElement(m, c.aFormat, a), decodeElement(m, c.bFormat, b));
  const acc = m.reg('acc', fitSigned(prod.value, W).shape);
  const sum = m.wire('sum', acc.shape).set(acc.add(fitSigned(prod.value, W)).trunc(W));
  const step = adv.and(v);
  acc.next(mux(l, lit(0, acc.shape), sum), step);
  const capture = step.and(l);
  const res = m.reg('res_r', acc.shape).next(sum, capture);
  m.output('res', u(W)).set(res.asUnsigned());
  if (hasSpecials(A) || hasSpecials(B)) {
    const flagRegs = {
      nan: m.reg('nan', u(1)),
      pinf: m.reg('pinf', u(1)),
      ninf: m.reg('ninf', u(1)),
    };
    const now = orFlags(flagRegs, prod);
    for (const k of ['nan', 'pinf', 'ninf'] as const)
      flagRegs[k].next(mux(l, lit(0, u(1)), now[k]), step);
    const sp = m.reg('res_special_r', u(2)).next(specialCode(now), capture);
    m.output('res_special', u(2)).set(sp);
  }
  return m;
});
