// IEEE binary32 / binary64 bit patterns <-> exact values: decoding is exact; encoding to binary32
// rounds once (formats.md 7.3, RNE by default). Also exact parsing of decimal text to binary32.
import { fail } from './errors.js';
import {
  type Exact,
  type FiniteExact,
  finite,
  ilog2,
  NEG_INF,
  NEG_ZERO,
  POS_INF,
  POS_ZERO,
} from './exact.js';
import { RNE, roundMag, type RoundingSpec } from './rounding.js';

/** Exact value of a binary32 bit pattern (0..0xFFFFFFFF). NaN keeps its sign bit. */
export function fromBinary32Bits(bits: number): Exact {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff)
    fail(`binary32 pattern ${bits} is not an integer in 0..0xFFFFFFFF`);
  const neg = bits >>> 31 === 1;
  const e = (bits >>> 23) & 0xff;
  const f = bits & 0x7fffff;
  if (e === 0xff) return f === 0 ? (neg ? NEG_INF : POS_INF) : { kind: 'nan', neg };
  if (e === 0) return finite(neg, BigInt(f), -149);
  return finite(neg, BigInt(f | 0x800000), e - 150);
}

/** Exact value of a binary64 bit pattern (as a bigint 0..2^64-1). */
export function fromBinary64Bits(bits: bigint): Exact {
  if (bits < 0n || bits >= 1n << 64n) fail(`binary64 pattern ${bits} is not in 0..2^64-1`);
  const neg = bits >> 63n === 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  const f = bits & ((1n << 52n) - 1n);
  if (e === 0x7ff) return f === 0n ? (neg ? NEG_INF : POS_INF) : { kind: 'nan', neg };
  if (e === 0) return finite(neg, f, -1074);
  return finite(neg, f | (1n << 52n), e - 1075);
}

const scratch = new DataView(new ArrayBuffer(8));

/** Exact value of a JS number (a binary64: converting it is exact). */
export function fromNumber(x: number): Exact {
  scratch.setFloat64(0, x);
  return fromBinary64Bits(scratch.getBigUint64(0));
}

/**
 * The value of a finite Exact as a double when that is exact and far from binary64's limits: a
 * significand below 2^53 and an exponent in [-1000, 900]; undefined otherwise (NaN, infinities
 * and wider values). The fast paths of the golden models compare and add such doubles exactly.
 */
export function exactNumber(x: Exact): number | undefined {
  if (x.kind !== 'finite' || x.sig >= 2n ** 53n || x.exp < -1000 || x.exp > 900) return undefined;
  const m = Number(x.sig) * 2 ** x.exp;
  return x.neg ? -m : m;
}

/** binary32 bits of a JS number that is exactly a binary32 value (Math.fround(x) === x). */
export function binary32BitsOfNumber(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

/** The JS number of a binary32 pattern (exact: every binary32 is a binary64). */
export function binary32ToNumber(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

/** Canonical quiet NaN pattern produced by mxgen for binary32 results. */
export const BINARY32_NAN = 0x7fc00000;

/** Rounds an exact value to binary32 bits (7.3): overflow gives ±Inf, underflow keeps the sign. */
export function toBinary32Bits(x: Exact, r: RoundingSpec = RNE): number {
  if (x.kind === 'nan') return (x.neg ? 0x80000000 : 0) + BINARY32_NAN;
  const sign = x.neg ? 0x80000000 : 0;
  if (x.kind === 'inf') return sign + 0x7f800000;
  if (x.sig === 0n) return sign;
  const p = ilog2(x);
  if (p > 127) return overflow32(sign, r);
  const qe = Math.max(p, -126) - 23;
  let n = roundMag(x.sig, qe - x.exp, r);
  let e = qe;
  if (n === 1n << 24n) {
    n = 1n << 23n;
    e += 1;
  }
  if (n === 0n) return sign;
  if (n < 1n << 23n) return sign + Number(n); // subnormal (e = -149)
  const u = e + 23;
  if (u > 127) return overflow32(sign, r);
  return sign + (u + 127) * 0x800000 + Number(n - (1n << 23n));
}

/** RTZ overflows to the max finite value, every other mode to Inf (IEEE). */
function overflow32(sign: number, r: RoundingSpec): number {
  return sign + (r.mode === 'rtz' ? 0x7f7fffff : 0x7f800000);
}

/**
 * An exact stand-in for the rational `(-1)^neg · num / den · 2^exp` (num, den > 0): its quotient
 * truncated to at least 64 significant bits, with a sticky 1 appended when inexact. Rounding it
 * to at most 60 significant bits (RNE, RTZ, RNA) gives the same result as rounding the rational.
 */
export function stickyQuotient(neg: boolean, num: bigint, den: bigint, exp: number): FiniteExact {
  if (num === 0n) return neg ? NEG_ZERO : POS_ZERO;
  const sh = Math.max(0, 66 + den.toString(2).length - num.toString(2).length);
  const scaled = num << BigInt(sh);
  const q = scaled / den;
  const inexact = q * den !== scaled;
  return inexact ? finite(neg, (q << 1n) | 1n, exp - sh - 1) : finite(neg, q, exp - sh);
}

/**
 * Parses binary32 input text: `0x` + up to 8 hex digits (a bit pattern), a decimal number
 * (rounded once to binary32 with RNE from its exact value), `NaN`, `Inf`, `-Inf`.
 */
export function parseBinary32(text: string): number {
  const t = text.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return parseInt(t.slice(2), 16) >>> 0;
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(t);
  if (special) {
    const neg = special[1] === '-';
    if ((special[2] ?? '').toLowerCase() === 'nan') return (neg ? 0x80000000 : 0) + BINARY32_NAN;
    return toBinary32Bits(neg ? NEG_INF : POS_INF);
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(t);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '')
    fail(`'${text}' is not a number: write a decimal (1.5, -2e-3), a 0x bit pattern, NaN or Inf`);
  const neg = m[1] === '-';
  const frac = m[3] ?? '';
  const digits = BigInt(`${m[2] ?? ''}${frac}` || '0');
  const e10 = Number(m[4] ?? '0') - frac.length;
  if (!Number.isSafeInteger(e10) || Math.abs(e10) > 100000)
    fail(`'${text}' has an exponent out of range; binary32 needs |exponent| ≤ 100000`);
  if (digits === 0n) return neg ? 0x80000000 : 0;
  if (e10 >= 0) return toBinary32Bits(finite(neg, digits * 10n ** BigInt(e10), 0));
  const den = 5n ** BigInt(-e10); // 10^-e = 5^-e · 2^-e
  return toBinary32Bits(stickyQuotient(neg, digits, den, e10));
}
