// Exact values: sign, bigint significand and power-of-two exponent, or NaN / ±Inf. Every result
// of the golden model is one of these (never a JS float); finite values are kept normalized
// (odd significand, or significand 0 with exponent 0), so structurally equal means equal.

export type Exact =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly sig: bigint; readonly exp: number }
  | { readonly kind: 'nan'; readonly neg: boolean }
  | { readonly kind: 'inf'; readonly neg: boolean };

export type FiniteExact = Extract<Exact, { kind: 'finite' }>;

export const NAN: Exact = { kind: 'nan', neg: false };
export const POS_INF: Exact = { kind: 'inf', neg: false };
export const NEG_INF: Exact = { kind: 'inf', neg: true };
export const POS_ZERO: FiniteExact = { kind: 'finite', neg: false, sig: 0n, exp: 0 };
export const NEG_ZERO: FiniteExact = { kind: 'finite', neg: true, sig: 0n, exp: 0 };

/** Index of the highest set bit of a positive bigint (msb(1) = 0). */
export function msb(n: bigint): number {
  if (n <= 0n) throw new RangeError(`msb of non-positive ${n}`);
  const s = n.toString(16);
  return (s.length - 1) * 4 + (31 - Math.clz32(parseInt(s[0] ?? '0', 16)));
}

/** Number of trailing zero bits of a positive bigint. */
export function ctz(n: bigint): number {
  let k = 0;
  let v = n;
  while ((v & 0xffffffffn) === 0n) {
    v >>= 32n;
    k += 32;
  }
  while ((v & 1n) === 0n) {
    v >>= 1n;
    k++;
  }
  return k;
}

/** `(-1)^neg · sig · 2^exp`, normalized. `sig` may be negative (then its sign wins over `neg`). */
export function finite(neg: boolean, sig: bigint, exp: number): FiniteExact {
  let n = neg;
  let s = sig;
  if (s < 0n) {
    n = !n;
    s = -s;
  }
  if (s === 0n) return n ? NEG_ZERO : POS_ZERO;
  const tz = ctz(s);
  return { kind: 'finite', neg: n, sig: s >> BigInt(tz), exp: exp + tz };
}

/** The exact value of a signed integer times 2^exp (zero is +0). */
export function fromInt(v: bigint, exp = 0): FiniteExact {
  return finite(false, v, exp);
}

export const isNaN = (x: Exact): boolean => x.kind === 'nan';
export const isZero = (x: Exact): boolean => x.kind === 'finite' && x.sig === 0n;
export const isFinite = (x: Exact): x is FiniteExact => x.kind === 'finite';

/** Negation (flips the sign bit, also of NaN and zero). */
export function neg(x: Exact): Exact {
  return { ...x, neg: !x.neg };
}

export function abs(x: Exact): Exact {
  return { ...x, neg: false };
}

/** Signed integer `sig` such that the value is `sig · 2^exp` (exp ≤ x.exp); zero gives 0n. */
export function signedSigAt(x: FiniteExact, exp: number): bigint {
  if (exp > x.exp && x.sig !== 0n) throw new RangeError(`cannot align ${x.exp} to ${exp}`);
  const m = x.sig === 0n ? 0n : x.sig << BigInt(x.exp - exp);
  return x.neg ? -m : m;
}

/** Exact sum with IEEE special rules; an exact zero sum of nonzero terms is +0, -0 + -0 = -0. */
export function add(a: Exact, b: Exact): Exact {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf') return a.neg === b.neg ? a : NAN;
    return a.kind === 'inf' ? a : b;
  }
  if (a.sig === 0n && b.sig === 0n) return a.neg && b.neg ? NEG_ZERO : POS_ZERO;
  if (a.sig === 0n) return b;
  if (b.sig === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  return finite(false, signedSigAt(a, e) + signedSigAt(b, e), e);
}

export function sub(a: Exact, b: Exact): Exact {
  return add(a, neg(b));
}

/** Exact product with IEEE special rules (0 · Inf = NaN; sign is the XOR of signs). */
export function mul(a: Exact, b: Exact): Exact {
  if (a.kind === 'nan' || b.kind === 'nan') return NAN;
  const n = a.neg !== b.neg;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (isZero(a) || isZero(b)) return NAN;
    return n ? NEG_INF : POS_INF;
  }
  if (a.sig === 0n || b.sig === 0n) return n ? NEG_ZERO : POS_ZERO;
  return { kind: 'finite', neg: n, sig: a.sig * b.sig, exp: a.exp + b.exp };
}

/** x · 2^k, exact. */
export function scale2(x: Exact, k: number): Exact {
  if (x.kind !== 'finite' || x.sig === 0n) return x;
  return { ...x, exp: x.exp + k };
}

/**
 * -2 for -Inf, -1 below 0, 0 for zeros, 1 above 0, 2 for +Inf. Module-level: a closure per
 * `compare` call cost a defineProperty under keepNames, a quarter of an OliVe layer's run.
 */
const rank = (x: Exact): number =>
  x.kind === 'inf' ? (x.neg ? -2 : 2) : x.kind === 'nan' || x.sig === 0n ? 0 : x.neg ? -1 : 1;

/**
 * Numeric comparison: -1, 0 or 1; +0 and -0 compare equal. Returns undefined when either side
 * is NaN (unordered).
 */

export function compare(a: Exact, b: Exact): -1 | 0 | 1 | undefined {
  if (a.kind === 'nan' || b.kind === 'nan') return undefined;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.kind !== 'finite' || b.kind !== 'finite' || a.sig === 0n) return 0;
  const e = Math.min(a.exp, b.exp);
  const d = signedSigAt(a, e) - signedSigAt(b, e);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** Compares magnitudes of two finite values (-1, 0, 1). */
export function compareMag(a: FiniteExact, b: FiniteExact): -1 | 0 | 1 {
  const c = compare(abs(a), abs(b));
  return c ?? 0;
}

/**
 * Same value and, for zeros, same sign; any NaN equals any NaN (NaN signs are ignored). This is
 * the bit-exactness test of the golden model, not IEEE equality.
 */
export function same(a: Exact, b: Exact): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'nan') return true;
  if (a.kind === 'inf') return a.neg === (b as typeof a).neg;
  const f = b as FiniteExact;
  return a.neg === f.neg && a.sig === f.sig && a.exp === f.exp;
}

/** floor(log2 |x|) of a nonzero finite value. */
export function ilog2(x: FiniteExact): number {
  return msb(x.sig) + x.exp;
}

/**
 * Exact decimal text: "0.001953125", "-0", "448", "NaN", "Inf", "-Inf". Finite dyadic values
 * always have a terminating decimal expansion; no exponent notation, so long values stay long.
 */
export function toDecimalString(x: Exact): string {
  if (x.kind === 'nan') return 'NaN';
  if (x.kind === 'inf') return x.neg ? '-Inf' : 'Inf';
  const sign = x.neg ? '-' : '';
  if (x.sig === 0n) return `${sign}0`;
  if (x.exp >= 0) return sign + (x.sig << BigInt(x.exp)).toString();
  const k = -x.exp;
  const digits = (x.sig * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  const int = digits.slice(0, digits.length - k);
  const frac = digits.slice(digits.length - k).replace(/0+$/, '');
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}

/** `n·2^k` with odd n (the notation of formats.md), or NaN / Inf / ±0. */
export function toDyadicString(x: Exact): string {
  if (x.kind !== 'finite' || x.sig === 0n) return toDecimalString(x);
  return `${x.neg ? '-' : ''}${x.sig}·2^${x.exp}`;
}
