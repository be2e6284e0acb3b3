// Encoding exact values or binary32/binary64 patterns into element codes with the policies of
// formats.md 1.2 (integers), 2.3 (FP8), 3.1 (FP6/FP4, MXINT8 element), 3.2 (E8M0), 9.1 (BitMoD).
import { fromBinary32Bits, fromBinary64Bits } from './binary.js';
import { fail } from './errors.js';
import { abs, compare, type Exact, type FiniteExact, fromInt, ilog2, msb, sub } from './exact.js';
import type { ElementFormat, FloatFormat, GridFormat, IntFormat, ScaleFormat } from './formats.js';
import { resolveFormat } from './formats.js';
import { checkRounding, roundMag, type Rounding, type RoundingSpec } from './rounding.js';

/** An exact value, or an IEEE bit pattern. */
export type EncodeInput = Exact | { readonly binary32: number } | { readonly binary64: bigint };

/** Overflow policy: FP8 SAT = 'saturate', NONSAT = 'special'; integers also 'wrap'. */
export type Overflow = 'saturate' | 'special' | 'wrap';
/** Every overflow policy name (the CLI's choices); which ones a format takes: EncodeOptions. */
export const OVERFLOWS: readonly Overflow[] = ['saturate', 'special', 'wrap'];

/** Integer output range: 'symmetric' never emits the code 10…0 (1.1). */
export type IntRange = 'full' | 'symmetric';
export const INT_RANGES: readonly IntRange[] = ['full', 'symmetric'];

export interface EncodeOptions {
  /** Default 'rne'. Stochastic needs `random` (and optionally `randomBits`, default 8). */
  readonly rounding?: Rounding;
  readonly random?: number | bigint;
  readonly randomBits?: number;
  /** Required for FP8 (2.3); FP6/FP4/BitMoD: only 'saturate'; integers: 'saturate' (default) or 'wrap'. */
  readonly overflow?: Overflow;
  /** Integers only: 'full' (default) or 'symmetric' (never emits 10…0). */
  readonly range?: IntRange;
}

/** Converts any accepted input to an exact value. */
export function toExact(x: EncodeInput): Exact {
  if ('binary32' in x) return fromBinary32Bits(x.binary32);
  if ('binary64' in x) return fromBinary64Bits(x.binary64);
  return x;
}

/** Encodes one value; see EncodeOptions for the policies. Throws NumericsError on misuse. */
export function encode(
  format: ElementFormat | string,
  input: EncodeInput,
  opts: EncodeOptions = {},
): number {
  const f = resolveFormat(format);
  const r: RoundingSpec = {
    mode: opts.rounding ?? 'rne',
    random: opts.random,
    randomBits: opts.randomBits,
  };
  checkRounding(r);
  checkPolicies(f, opts);
  const x = toExact(input);
  switch (f.kind) {
    case 'float':
      return encodeFloat(f, x, r, opts.overflow);
    case 'int':
      return encodeInt(f, x, r, opts);
    case 'e8m0':
      return encodeE8m0(f, x, r, opts.overflow);
    case 'grid':
      return encodeGrid(f, x, r, opts.overflow);
  }
}

/**
 * Policy names come from users (CLI strings, YAML): anything outside the allowed sets is an
 * error here, so no branch below ever maps an unknown name onto another policy.
 */
function checkPolicies(f: ElementFormat, opts: EncodeOptions): void {
  const { overflow, range } = opts;
  if (overflow !== undefined && !OVERFLOWS.includes(overflow))
    fail(`overflow '${String(overflow)}' is unknown; use saturate, special or wrap`);
  if (range !== undefined && !INT_RANGES.includes(range))
    fail(`range '${String(range)}' is unknown; use full or symmetric`);
  if (range === 'symmetric' && f.kind !== 'int')
    fail(`range 'symmetric' applies to signed integers only, not ${f.name}`);
}

/**
 * Rounds |x| (finite, nonzero) to the float grid of `f` (2.3 step 4) and returns the magnitude
 * in units of 2^lsbExp, or undefined when the rounded magnitude exceeds the max (overflow).
 */
export function roundToFloatGrid(
  f: FloatFormat,
  x: FiniteExact,
  r: RoundingSpec,
): bigint | undefined {
  const p = ilog2(x);
  if (p > f.emax) return undefined; // ≥ 2^(emax+1) > max, whatever the rounding
  const qe = Math.max(p, f.emin) - f.manBits;
  const n = roundMag(x.sig, qe - x.exp, r);
  const mag = n << BigInt(qe - f.lsbExp);
  return mag > f.maxSig ? undefined : mag;
}

/** Code of a float magnitude given in units of 2^lsbExp (must be representable). */
export function floatCodeOfFixed(f: FloatFormat, neg: boolean, mag: bigint): number {
  const sign = neg ? 2 ** (f.bits - 1) : 0;
  const hidden = 1n << BigInt(f.manBits);
  if (mag < hidden) return sign + Number(mag);
  const e = msb(mag) - f.manBits + 1;
  const m = Number((mag >> BigInt(e - 1)) - hidden);
  return sign + (e << f.manBits) + m;
}

function encodeFloat(f: FloatFormat, x: Exact, r: RoundingSpec, overflow?: Overflow): number {
  if (overflow === undefined && f.policyRequired)
    fail(
      `${f.name} conversion needs an overflow policy: pass overflow 'saturate' (OCP SAT) or 'special' (OCP NONSAT)`,
    );
  if (overflow === 'wrap') fail(`overflow 'wrap' applies to integers only, not ${f.name}`);
  if (overflow === 'special' && f.specials === 'none')
    fail(
      `${f.name} has no Inf or NaN, so overflow 'special' (NONSAT) is impossible: use 'saturate'`,
    );
  const top = (1 << f.expBits) - 1;
  const signBit = (neg: boolean): number => (neg ? 2 ** (f.bits - 1) : 0);
  const nanCode = (neg: boolean): number =>
    signBit(neg) +
    (top << f.manBits) +
    (f.specials === 'ieee' ? 1 << (f.manBits - 1) : (1 << f.manBits) - 1);
  if (x.kind === 'nan') {
    if (f.specials === 'none')
      fail(
        `${f.name} has no NaN encoding: remove NaN inputs (MX quantization handles them per block)`,
      );
    return nanCode(x.neg);
  }
  const overflowCode = (neg: boolean): number => {
    if (overflow === 'special')
      return f.specials === 'ieee' ? signBit(neg) + (top << f.manBits) : nanCode(neg);
    return floatCodeOfFixed(f, neg, f.maxSig);
  };
  if (x.kind === 'inf') return overflowCode(x.neg);
  if (x.sig === 0n) return signBit(x.neg);
  const mag = roundToFloatGrid(f, x, r);
  return mag === undefined ? overflowCode(x.neg) : floatCodeOfFixed(f, x.neg, mag);
}

/** Rounds a finite exact value to an integer (magnitude rounding, sign applied after). */
export function roundToInteger(x: FiniteExact, r: RoundingSpec): bigint {
  const mag = roundMag(x.sig, -x.exp, r);
  return x.neg ? -mag : mag;
}

function encodeInt(f: IntFormat, x: Exact, r: RoundingSpec, opts: EncodeOptions): number {
  const overflow = opts.overflow ?? 'saturate';
  const range = opts.range ?? 'full';
  if (overflow === 'special')
    fail(`${f.name} has no special values: use overflow 'saturate' or 'wrap'`);
  if (range === 'symmetric' && !f.signed)
    fail(`range 'symmetric' applies to signed integers only, not ${f.name}`);
  if (range === 'symmetric' && overflow === 'wrap')
    fail(`overflow 'wrap' cannot be combined with range 'symmetric': no 2^n-periodic map exists`);
  const lo = range === 'symmetric' ? f.minSig + 1n : f.minSig;
  const mod = 1n << BigInt(f.bits);
  let q: bigint;
  if (x.kind === 'nan') q = 0n;
  else if (x.kind === 'inf') q = overflow === 'wrap' ? 0n : x.neg ? lo : f.maxSig;
  else {
    const scaled: FiniteExact = x.sig === 0n ? x : { ...x, exp: x.exp - f.lsbExp };
    q = roundToInteger(scaled, r);
    // overflow is 'saturate' or 'wrap' here ('special' and unknown names were rejected above)
    if (overflow === 'wrap') q = ((((q - f.minSig) % mod) + mod) % mod) + f.minSig;
    else q = q < lo ? lo : q > f.maxSig ? f.maxSig : q;
  }
  return Number(((q % mod) + mod) % mod);
}

function encodeE8m0(f: ScaleFormat, x: Exact, r: RoundingSpec, overflow?: Overflow): number {
  if (overflow === 'wrap') fail(`overflow 'wrap' applies to integers only, not e8m0`);
  const over = overflow === 'special' ? 0xff : 0xfe;
  if (x.kind === 'nan') return 0xff;
  if (x.neg || (x.kind === 'finite' && x.sig === 0n))
    fail(
      `e8m0 has no zero or negative values; got ${x.kind === 'inf' ? '-Inf' : 'a zero or negative input'}`,
    );
  if (x.kind === 'inf') return over;
  // Round the significand to 0 mantissa bits: 'rtz' is the MX floor(log2 x) rule.
  const n = roundMag(x.sig, msb(x.sig), r);
  const e = ilog2(x) + (n >= 2n ? 1 : 0);
  if (e > 127) return over;
  return Math.max(e, -127) + f.bias;
}

function encodeGrid(f: GridFormat, x: Exact, r: RoundingSpec, overflow?: Overflow): number {
  if (r.mode !== 'rne')
    fail(
      `${f.name} rounds to the nearest value (ties to the smaller magnitude); rounding '${r.mode}' is not supported`,
    );
  if (overflow !== undefined && overflow !== 'saturate')
    fail(`${f.name} saturates; overflow '${overflow}' is not supported`);
  if (x.kind === 'nan') fail(`${f.name} has no NaN encoding: remove NaN inputs`);
  let best = 0;
  if (x.kind === 'inf') {
    for (let c = 0; c < f.table.length; c++) {
      const v = f.table[c] ?? 0n;
      if (x.neg ? v < (f.table[best] ?? 0n) : v > (f.table[best] ?? 0n)) best = c;
    }
    return best;
  }
  let bestDist: Exact | undefined;
  for (let c = 0; c < f.table.length; c++) {
    const v = f.table[c] ?? 0n;
    const d = abs(sub(x, fromInt(v, f.lsbExp)));
    const cmp = bestDist === undefined ? -1 : compare(d, bestDist);
    const bv = f.table[best] ?? 0n;
    const smaller = (v < 0n ? -v : v) < (bv < 0n ? -bv : bv);
    if (cmp === -1 || (cmp === 0 && smaller)) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}
