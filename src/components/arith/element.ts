// decodeElement: an element code to the datapath form of formats.md 5.2, value = sig · 2^(shift +
// lsb) with a signed significand `sig`, an unsigned left shift `shift` and the format's constant
// lsb exponent; fp8 specials are flagged beside it (their `sig` is forced to 0).
import { cat, type Expr, lit, mux, MxgenError, s, u, type ModuleBuilder } from '../../hdl/index.js';
import { arithFormat, type ArithFormat, type ArithFormatName } from './formats.js';

export interface Decoded {
  readonly format: ArithFormat;
  /** Signed significand (0 for NaN / Inf codes). */
  readonly sig: Expr;
  /** Unsigned left shift; `maxShift` is its largest value (0: `shift` is the constant 0). */
  readonly shift: Expr;
  readonly maxShift: number;
  /** The value is `sig · 2^(shift + lsb)`. */
  readonly lsb: number;
  /** u1: the code's sign (floats: the sign bit; integers: value < 0). */
  readonly sign: Expr;
  /** u1 flags, present only when the format has NaN / Inf codes. */
  readonly isNaN?: Expr;
  readonly isInf?: Expr;
}

/** Decodes `code` (u(bits) of the format) inside module `m`; pure combinational logic. */
export function decodeElement(m: ModuleBuilder, name: ArithFormatName, code: Expr): Decoded {
  void m; // the decoder is built from expressions only; `m` keeps the helper signatures uniform
  const f = arithFormat(name);
  const c = code.signed ? code.asUnsigned() : code;
  if (c.width !== f.bits)
    throw new MxgenError(
      'shape',
      `decodeElement(${name}): the code is ${c.width} bits wide; the format has ${f.bits}`,
      {
        hint: `pass a u(${f.bits}) code`,
      },
    );
  if (f.kind === 'int') {
    const sig = f.signed ? c.asSigned() : c.toSigned();
    return {
      format: f,
      sig,
      shift: lit(0, u(1)),
      maxShift: 0,
      lsb: f.lsbExp,
      sign: f.signed ? c.bit(f.bits - 1) : lit(0, u(1)),
    };
  }
  const M = f.manBits;
  const sign = c.bit(f.bits - 1);
  const e = c.bits(f.bits - 2, M);
  const man = c.bits(M - 1, 0);
  const normal = e.orR().named('normal');
  // sig magnitude = e == 0 ? m : 2^M + m; shift = max(e, 1) - 1 (formats.md 2.2).
  const mag = cat(normal, man).toSigned(); // s(M + 2)
  const signed = mux(sign, mag.neg().trunc(M + 2), mag).named('sig');
  const shift = mux(normal, e.subWrap(1), lit(0, u(f.expBits))).named('shift');
  let isNaN: Expr | undefined;
  let isInf: Expr | undefined;
  if (f.specials === 'nan-only') isNaN = e.andR().and(man.andR());
  if (f.specials === 'ieee') {
    isNaN = e.andR().and(man.orR());
    isInf = e.andR().and(man.orR().not());
  }
  const special = isInf ? isNaN?.or(isInf) : isNaN;
  const sig = special ? mux(special, lit(0, s(M + 2)), signed) : signed;
  return {
    format: f,
    sig,
    shift,
    maxShift: f.maxShift,
    lsb: f.lsbExp,
    sign,
    ...(isNaN ? { isNaN } : {}),
    ...(isInf ? { isInf } : {}),
  };
}
