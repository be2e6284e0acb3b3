// Small pipeline pieces shared by the output- and weight-stationary datapaths: delay lines that
// advance with the whole array (one memoized `mac_delay_w<W>_n<N>` module per width and length,
// instantiated by the array), the binary32 output stage (one `mac_to_fp32_*` module per
// accumulator width, LSB exponent and special-code presence), and the per-element result.
import { type Expr, lit, memoGenerator, ModuleBuilder, mux, u } from '../../hdl/index.js';
import { fixedToBinary32, type Product } from '../arith/index.js';

/** A chain of `n` registers `r_1..r_n` of `width` bits, each loading when `adv` is 1. */
const delayModule = memoGenerator((c: { width: number; n: number }): ModuleBuilder => {
  const m = new ModuleBuilder(`mac_delay_w${c.width}_n${c.n}`, { config: c });
  const adv = m.input('adv', u(1));
  let v: Expr = m.input('d', u(c.width));
  for (let k = 1; k <= c.n; k++) v = m.reg(`r_${k}`, u(c.width)).next(v, adv);
  m.output('q', u(c.width)).set(v);
  return m;
});

/**
 * `x` delayed by `n` registers that load when `adv` is 1: an instance `name` of the delay-line
 * module (n = 0: `x` itself). The result has the shape of `x`.
 */
export function delayed(m: ModuleBuilder, name: string, x: Expr, n: number, adv: Expr): Expr {
  if (n === 0) return x;
  const line = m.instance(delayModule({ width: x.width, n }), name);
  line.connect({ adv, d: x.signed ? x.asUnsigned() : x });
  const q = line.out('q');
  return x.signed ? q.asSigned() : q;
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

/** One finished output element: the accumulator bits (u(W)) and, with specials, the code. */
export interface ResultElem {
  readonly acc: Expr;
  readonly special?: Expr;
}

interface Fp32Config {
  readonly accWidthBits: number;
  readonly accLsbExp: number;
  readonly specials: boolean;
}

/** binary32 of one element: `acc` (two's complement) · 2^lsb, or the special code's value. */
const fp32Module = memoGenerator((c: Fp32Config): ModuleBuilder => {
  const e = c.accLsbExp < 0 ? `m${-c.accLsbExp}` : `${c.accLsbExp}`;
  const name = `mac_to_fp32_acc${c.accWidthBits}_lsb${e}${c.specials ? '_sp' : ''}`;
  const m = new ModuleBuilder(name, { config: c });
  const acc = m.input('acc', u(c.accWidthBits));
  const special = c.specials ? m.input('special', u(2)) : undefined;
  const conv = fixedToBinary32(acc.asSigned(), c.accLsbExp);
  const u32 = u(32);
  // Special code: 1 NaN (canonical quiet NaN), 2 +Inf, 3 -Inf.
  const out = special
    ? mux(
        special.eq(1),
        lit(0x7fc00000, u32),
        mux(special.eq(2), lit(0x7f800000, u32), mux(special.eq(3), lit(0xff800000, u32), conv)),
      )
    : conv;
  m.output('fp32', u32).set(out);
  return m;
});

/** The binary32 bits (u32) of result `r`: an instance `name` of the conversion module. */
export function toFp32(m: ModuleBuilder, name: string, r: ResultElem, accLsbExp: number): Expr {
  const specials = r.special !== undefined;
  const inst = m.instance(fp32Module({ accWidthBits: r.acc.width, accLsbExp, specials }), name);
  inst.connect({ acc: r.acc.signed ? r.acc.asUnsigned() : r.acc });
  if (r.special) inst.connect('special', r.special);
  return inst.out('fp32');
}
