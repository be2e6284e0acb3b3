// Small pipeline pieces shared by the output- and weight-stationary datapaths: delay chains that
// advance with the whole array, and the per-element result (accumulator + special code).
import { type Expr, lit, mux, type ModuleBuilder, u } from '../../hdl/index.js';
import type { Product } from '../arith/index.js';

/** `x` delayed by `n` registers `<name>_1..n`, each loading when `adv` is 1 (n = 0: `x`). */
export function delay(m: ModuleBuilder, name: string, x: Expr, n: number, adv: Expr): Expr {
  let v = x;
  for (let k = 1; k <= n; k++) v = m.reg(`${name}_${k}`, x.shape).next(v, adv);
  return v;
}

/** NaN / +Inf / -Inf flags of an accumulated sum (sticky over the products). */
export interface Flags {
  readonly nan: Expr;
  readonly pinf: Expr;
  readonly ninf: Expr;
}

export const NO_FLAGS = (): Flags => ({
  nan: lit(0, u(1)),
  pinf: lit(0, u(1)),
  ninf: lit(0, u(1)),
});

export function orFlags(a: Flags, p: Product): Flags {
  return {
    nan: p.isNaN ? a.nan.or(p.isNaN) : a.nan,
    pinf: p.posInf ? a.pinf.or(p.posInf) : a.pinf,
    ninf: p.negInf ? a.ninf.or(p.negInf) : a.ninf,
  };
}

/** Special code of a sum (docs/components.md): 0 finite, 1 NaN, 2 +Inf, 3 -Inf (mxDot's rules). */
export function specialCode(f: Flags): Expr {
  const nan = f.nan.or(f.pinf.and(f.ninf));
  const u2 = u(2);
  return mux(nan, lit(1, u2), mux(f.pinf, lit(2, u2), mux(f.ninf, lit(3, u2), lit(0, u2))));
}

/** One finished output element: the accumulator bits and, with specials, the special code. */
export interface ResultElem {
  readonly acc: Expr;
  readonly special?: Expr;
}
