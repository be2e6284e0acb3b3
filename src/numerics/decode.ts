// Decoding element codes (formats.md 1.1, 2.2, 3.1, 3.2, 9.1) to exact values, and the
// integer-significand forms that MAC datapaths consume (2.2 and 5.2).
import { fail } from './errors.js';
import { type Exact, finite, NAN, NEG_INF, POS_INF } from './exact.js';
import { type ElementFormat, type FloatFormat, resolveFormat } from './formats.js';

/** Throws unless `code` is an integer code of the format. */
export function checkCode(f: ElementFormat, code: number): void {
  if (!Number.isInteger(code) || code < 0 || code >= 2 ** f.bits)
    fail(
      `code ${code} is out of range for ${f.name}: use an integer in 0..0x${(2 ** f.bits - 1).toString(16).toUpperCase()}`,
    );
}

/** Formats of at most this many bits get their decoders' results tabled (4 096 entries). */
const TABLE_BITS = 12;

/**
 * A decoder whose results for a format of at most TABLE_BITS bits come from a table built on the
 * format's first use: the golden models decode the same few codes millions of times (a GPT-2
 * FFN's MX weights: 4.7 M codes, each in every token's dot products). The results are immutable
 * values, so sharing them is safe; a code that is not in the table (out of range, not an
 * integer) goes to the decoder itself, which reports it.
 */
function tabled<T>(
  decoder: (f: ElementFormat, code: number) => T,
): (format: ElementFormat | string, code: number) => T {
  const tables = new WeakMap<ElementFormat, readonly T[]>();
  return (format, code) => {
    const f = resolveFormat(format);
    if (f.bits > TABLE_BITS) return decoder(f, code);
    let t = tables.get(f);
    if (!t) {
      t = Array.from({ length: 2 ** f.bits }, (_, c) => decoder(f, c));
      tables.set(f, t);
    }
    return t[code] ?? decoder(f, code);
  };
}

/** Fields of a float code. */
export function floatFields(f: FloatFormat, code: number): { neg: boolean; e: number; m: number } {
  return {
    neg: code >>> (f.bits - 1) === 1,
    e: (code >>> f.manBits) & ((1 << f.expBits) - 1),
    m: code & ((1 << f.manBits) - 1),
  };
}

/** The special a float code encodes, if any. */
function floatSpecial(f: FloatFormat, code: number): Exact | undefined {
  const { neg, e, m } = floatFields(f, code);
  const top = (1 << f.expBits) - 1;
  if (f.specials === 'ieee' && e === top)
    return m === 0 ? (neg ? NEG_INF : POS_INF) : { ...NAN, neg };
  if (f.specials === 'nan-only' && e === top && m === (1 << f.manBits) - 1) return { ...NAN, neg };
  return undefined;
}

/**
 * Integer-significand form of 2.2: value = (-1)^neg · sig · 2^exp with sig = m or 2^M + m and
 * exp = max(e,1) - bias - M. Integers: sig = |value| / 2^lsbExp, exp = lsbExp.
 */
export type SigForm =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly sig: bigint; readonly exp: number }
  | { readonly kind: 'nan' }
  | { readonly kind: 'inf'; readonly neg: boolean };

export const decodeSig = tabled((f: ElementFormat, code: number): SigForm => {
  checkCode(f, code);
  switch (f.kind) {
    case 'float': {
      const sp = floatSpecial(f, code);
      if (sp) return sp.kind === 'inf' ? sp : { kind: 'nan' };
      const { neg, e, m } = floatFields(f, code);
      const sig = BigInt(e === 0 ? m : (1 << f.manBits) + m);
      return { kind: 'finite', neg, sig, exp: Math.max(e, 1) - f.bias - f.manBits };
    }
    case 'e8m0':
      return code === 0xff
        ? { kind: 'nan' }
        : { kind: 'finite', neg: false, sig: 1n, exp: code - 127 };
    case 'int':
    case 'grid': {
      const v = fixedOf(f, code);
      return { kind: 'finite', neg: v < 0n, sig: v < 0n ? -v : v, exp: f.lsbExp };
    }
  }
});

/** Value in units of 2^lsbExp as a signed bigint, ignoring specials (caller checks). */
function fixedOf(f: ElementFormat, code: number): bigint {
  switch (f.kind) {
    case 'int':
      return BigInt(f.signed && code >= 2 ** (f.bits - 1) ? code - 2 ** f.bits : code);
    case 'grid':
      return f.table[code] ?? 0n;
    case 'float':
    case 'e8m0': {
      const s = decodeSig(f, code);
      if (s.kind !== 'finite') return 0n;
      const mag = s.sig << BigInt(s.exp - f.lsbExp);
      return s.neg ? -mag : mag;
    }
  }
}

/**
 * Fixed form of 5.2: value = sig · 2^lsbExp with a per-format constant lsbExp and a signed
 * integer sig (|sig| ≤ maxSig); -0 becomes 0n. Specials are reported as such.
 */
export type FixedForm =
  | { readonly kind: 'finite'; readonly sig: bigint; readonly lsbExp: number }
  | { readonly kind: 'nan' }
  | { readonly kind: 'inf'; readonly neg: boolean };

export const decodeFixed = tabled((f: ElementFormat, code: number): FixedForm => {
  checkCode(f, code);
  if (f.kind === 'float') {
    const sp = floatSpecial(f, code);
    if (sp) return sp.kind === 'inf' ? sp : { kind: 'nan' };
  }
  if (f.kind === 'e8m0' && code === 0xff) return { kind: 'nan' };
  return { kind: 'finite', sig: fixedOf(f, code), lsbExp: f.lsbExp };
});

/** Exact value of a code (NaN codes keep their sign bit; every NaN code decodes to NaN). */
export const decode = tabled((f: ElementFormat, code: number): Exact => {
  checkCode(f, code);
  if (f.kind === 'float') {
    const sp = floatSpecial(f, code);
    if (sp) return sp;
    const s = decodeSig(f, code);
    if (s.kind === 'finite') return finite(s.neg, s.sig, s.exp);
  }
  if (f.kind === 'e8m0') return code === 0xff ? NAN : finite(false, 1n, code - 127);
  return finite(false, fixedOf(f, code), f.lsbExp);
});
