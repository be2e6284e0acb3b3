// KV-cache formats (docs/numerics.md "KV-cache formats"): how one token's k (or v) codes — signed
// integers c at 2^e, the q|k|v projection's format — are stored in the cache and decoded back.
// Every format decodes exactly to signed integers at one exponent (kvDecodedExp), so the
// attention step (intAttention) runs on integers whatever the cache holds:
//   int            sat(RNE(c·2^-(inBits-bits))) at 2^(e + inBits - bits) (kvQuantize; no scale)
//   int_per_token  one power-of-two scale 2^X per token (X ≥ 0 from the token's largest code),
//                  codes sat(RNE(c·2^-X)) of `bits`; decoded c' = code·2^X at 2^e
//   int_per_channel one static power-of-two scale 2^X_i per channel i (a parameter of the design,
//                  calibrated at compile time with kvChannelShift, passed as `shifts`; nothing
//                  stored per token): codes sat(RNE(c_i·2^-X_i)); decoded c'_i = code_i·2^X_i at 2^e
//   fp8_e4m3       one fixed tensor scale 2^(e + L), L = max(0, inBits - 9): codes RNE-SAT to
//                  E4M3 of c·2^-L (formats.md 2.3); decoded c' = value·2^L at 2^e
//   mxfp8_e4m3,    OCP MX blocks (formats.md 4, scale policy floor) of min(32, headDim)
//   mxfp4_e2m1     consecutive channels of one token: E8M0 scale + E4M3 / E2M1 element codes of
//                  c·2^e; decoded c' = element·2^(scale - 127 - e) at 2^e
// For the scaled and float formats every decoded c' is an integer with |c'| ≤ 2^(inBits-1)
// (the grid of any rounding of an integer to a power-of-two step is either finer than 1 — then
// the integer is kept — or a multiple of the step), so c' fits inBits + 1 signed bits.
import { fail } from '../errors.js';
import { decode } from '../decode.js';
import { encode } from '../encode.js';
import { finite, type FiniteExact, scale2 } from '../exact.js';
import { getMxFormat, type MxFormat } from '../mx-formats.js';
import { sharedExponent } from '../mx-quantize.js';
import { FP8_E4M3 } from '../formats.js';
import { bitLength, checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';

export const KV_CACHE_FORMATS = [
  'int',
  'int_per_token',
  'int_per_channel',
  'fp8_e4m3',
  'mxfp8_e4m3',
  'mxfp4_e2m1',
] as const;
export type KvCacheFormat = (typeof KV_CACHE_FORMATS)[number];

export interface KvCacheSpec {
  readonly format: KvCacheFormat;
  /** Element code bits: the int width for int / int_per_token; 8 for the E4M3 forms, 4 for E2M1. */
  readonly bits: number;
  /** The k, v codes entering the cache: signed inBits at 2^inScaleExp. */
  readonly inBits: number;
  readonly inScaleExp: number;
  /** Channels per token (kvHeads·headDim) and per head (the MX blocks stay inside a head). */
  readonly channels: number;
  readonly headDim: number;
}

/** One token's row in the cache: element codes (unsigned bit patterns for floats) and scales. */
export interface KvRow {
  readonly codes: readonly number[];
  readonly scales: readonly number[];
}

const MX_OF: Partial<Record<KvCacheFormat, string>> = {
  mxfp8_e4m3: 'mxfp8_e4m3',
  mxfp4_e2m1: 'mxfp4_e2m1',
};

/** The OCP MX format of an MX cache format (undefined otherwise). */
export function kvMxFormat(format: KvCacheFormat): MxFormat | undefined {
  const n = MX_OF[format];
  return n === undefined ? undefined : getMxFormat(n);
}

/** The element code width a format stores (int kinds: their own `bits`). */
export function kvFormatBits(format: KvCacheFormat, intBits: number): number {
  if (format === 'fp8_e4m3' || format === 'mxfp8_e4m3') return 8;
  if (format === 'mxfp4_e2m1') return 4;
  return intBits;
}

/** Channels per scale: a token (int_per_token), an MX block (min(32, headDim)); 0: no scales. */
export function kvScaleBlock(s: KvCacheSpec): number {
  if (s.format === 'int_per_token') return s.channels;
  if (kvMxFormat(s.format)) return Math.min(32, s.headDim);
  return 0;
}

export const kvScaleCount = (s: KvCacheSpec): number => {
  const b = kvScaleBlock(s);
  return b === 0 ? 0 : s.channels / b;
};

/** The power-of-two scale of the int kinds: a shift X in 0..inBits - bits. */
const isShiftScaled = (f: KvCacheFormat): boolean =>
  f === 'int_per_token' || f === 'int_per_channel';

/** Bits of one stored scale: the shift X of int_per_token / int_per_channel, else E8M0's 8. */
export const kvScaleBits = (s: KvCacheSpec): number =>
  isShiftScaled(s.format) ? Math.max(1, bitLength(BigInt(s.inBits - s.bits))) : 8;

/** Static per-channel shifts (parameters, not stored per token): channels of int_per_channel, else 0. */
export const kvChannelScaleCount = (s: KvCacheSpec): number =>
  s.format === 'int_per_channel' ? s.channels : 0;

/**
 * The static shift of one int_per_channel channel from its calibrated largest magnitude `mag`
 * (a code count at 2^e, the ones'-complement magnitude: c ≥ 0 → c, c < 0 → -c - 1): the smallest
 * X ≥ 0 with mag·2^-X inside `bits` signed bits before rounding — the per-token rule applied to
 * the channel's calibration maximum. `mag` is clipped to the input's 2^(inBits-1) - 1.
 */
export function kvChannelShift(s: KvCacheSpec, mag: number): number {
  const m = Math.min(Math.max(0, Math.floor(mag)), 2 ** (s.inBits - 1) - 1);
  return Math.max(0, bitLength(BigInt(m)) - (s.bits - 1));
}

/** The shift X_i in force for a stored scale field value: min(field, inBits - bits). */
export const kvChannelShiftOf = (s: KvCacheSpec, field: number): number =>
  Math.min(field, s.inBits - s.bits);

/** Bits of one token's row (k or v) in the cache: element codes and scales. */
export const kvRowBits = (s: KvCacheSpec): number =>
  s.channels * s.bits + kvScaleCount(s) * kvScaleBits(s);

/** Width of the decoded integers. */
export const kvDecodedBits = (s: KvCacheSpec): number =>
  s.format === 'int' ? s.bits : s.inBits + 1;

/** Exponent of the decoded integers. */
export const kvDecodedExp = (s: KvCacheSpec): number =>
  s.format === 'int' ? s.inScaleExp + s.inBits - s.bits : s.inScaleExp;

/** L of fp8_e4m3: the tensor scale's distance from the input's, so that |c·2^-L| ≤ 256 < 448. */
export const kvFp8Shift = (inBits: number): number => Math.max(0, inBits - 9);

export function checkKvCacheSpec(s: KvCacheSpec): void {
  if (!KV_CACHE_FORMATS.includes(s.format))
    fail(`KV cache format '${String(s.format)}' is unknown; use ${KV_CACHE_FORMATS.join(', ')}`);
  checkIntParam('inBits', s.inBits, 2, 16);
  checkIntParam('inScaleExp', s.inScaleExp, -32, 32);
  checkIntParam('headDim', s.headDim, 1, 4096);
  checkIntParam('channels', s.channels, 1, 1 << 20);
  if (s.channels % s.headDim !== 0)
    fail(`channels ${s.channels} must be a multiple of headDim ${s.headDim}`);
  if (s.format === 'int') {
    checkIntParam('bits', s.bits, 2, 16);
    return;
  }
  // the decoded integers take inBits + 1 bits; intAttention's operands take at most 16
  checkIntParam(`inBits (KV cache ${s.format})`, s.inBits, 2, 15);
  if (isShiftScaled(s.format)) checkIntParam('bits', s.bits, 2, s.inBits);
  else if (s.bits !== kvFormatBits(s.format, s.bits))
    fail(`bits must be ${kvFormatBits(s.format, s.bits)} for KV cache ${s.format}; got ${s.bits}`);
  const b = kvScaleBlock(s);
  if (b > 0 && s.headDim % Math.min(b, s.headDim) !== 0)
    fail(`headDim ${s.headDim} is not a whole number of ${b}-channel scale blocks`);
}

/** An exact value as an integer at 2^e (it is one by construction; checked). */
function intAt(x: FiniteExact, e: number): number {
  const k = x.exp - e;
  if (k < 0 && x.sig % (1n << BigInt(-k)) !== 0n)
    fail(`KV decode: ${x.sig}·2^${x.exp} is not an integer at 2^${e}`);
  const m = k >= 0 ? x.sig << BigInt(k) : x.sig >> BigInt(-k);
  return Number(x.neg ? -m : m);
}

function decodeFinite(format: string, code: number): FiniteExact {
  const v = decode(format, code);
  if (v.kind !== 'finite') fail(`KV decode: ${format} code ${code} is not finite`);
  return v;
}

/** X of int_per_token: the smallest shift ≥ 0 that brings every c·2^-X into `bits` bits (before rounding). */
function tokenShift(c: readonly number[], bits: number): number {
  // ones'-complement magnitude: c ≥ 0 → c, c < 0 → -c - 1 (so -2^(n-1) needs n - 1 bits like 2^(n-1) - 1)
  const mag = c.reduce((a, v) => Math.max(a, v < 0 ? -v - 1 : v), 0);
  return Math.max(0, bitLength(BigInt(mag)) - (bits - 1));
}

/** The shifts in force of int_per_channel from the scale fields (checked: one per channel, 0..2^scaleBits - 1). */
function channelShifts(s: KvCacheSpec, shifts: readonly number[]): number[] {
  if (s.format !== 'int_per_channel') return [];
  if (shifts.length !== s.channels)
    fail(
      `KV int_per_channel: ${shifts.length} channel shifts; the cache row has ${s.channels} channels`,
    );
  const top = 2 ** kvScaleBits(s) - 1;
  for (const x of shifts)
    if (!Number.isInteger(x) || x < 0 || x > top)
      fail(`KV int_per_channel: a channel shift must be an integer in 0..${top}; got ${x}`);
  return shifts.map((x) => kvChannelShiftOf(s, x));
}

/**
 * Encodes one token's k (or v) codes into its cache row. `shifts`: int_per_channel's static
 * channel shifts (scale fields, kvChannelShift), one per channel; ignored by the other formats.
 */
export function kvEncodeRow(
  s: KvCacheSpec,
  c: readonly number[],
  shifts: readonly number[] = [],
): KvRow {
  checkKvCacheSpec(s);
  if (c.length !== s.channels)
    fail(`KV encode: ${c.length} codes; the cache row has ${s.channels} channels`);
  checkSignedCodes('k/v', c, s.inBits);
  switch (s.format) {
    case 'int_per_channel': {
      const xs = channelShifts(s, shifts);
      return {
        codes: c.map((v, i) => Number(satSigned(rneShift(BigInt(v), xs[i] ?? 0), s.bits))),
        scales: [],
      };
    }
    case 'int':
      return {
        codes: c.map((v) => Number(satSigned(rneShift(BigInt(v), s.inBits - s.bits), s.bits))),
        scales: [],
      };
    case 'int_per_token': {
      const x = tokenShift(c, s.bits);
      return {
        codes: c.map((v) => Number(satSigned(rneShift(BigInt(v), x), s.bits))),
        scales: [x],
      };
    }
    case 'fp8_e4m3': {
      const l = kvFp8Shift(s.inBits);
      const opt = { overflow: 'saturate' as const };
      return {
        codes: c.map((v) => encode(FP8_E4M3, finite(false, BigInt(v), -l), opt)),
        scales: [],
      };
    }
    default: {
      const f = kvMxFormat(s.format) as MxFormat;
      const b = kvScaleBlock(s);
      const codes: number[] = [];
      const scales: number[] = [];
      for (let i = 0; i < s.channels; i += b) {
        const vals = c.slice(i, i + b).map((v) => finite(false, BigInt(v), s.inScaleExp));
        const top = c.slice(i, i + b).reduce((a, v) => Math.max(a, Math.abs(v)), 0);
        const amax = finite(false, BigInt(top), s.inScaleExp);
        const opt = { overflow: 'saturate' as const };
        if (amax.sig === 0n) {
          scales.push(0);
          codes.push(...vals.map((v) => encode(f.element, v, opt)));
          continue;
        }
        const x = Math.min(127, Math.max(-127, sharedExponent(f, amax, 'floor')));
        scales.push(x + 127);
        codes.push(...vals.map((v) => encode(f.element, scale2(v, -x), opt)));
      }
      return { codes, scales };
    }
  }
}

/** Decodes a cache row exactly: signed integers (kvDecodedBits) at 2^kvDecodedExp. */
export function kvDecodeRow(s: KvCacheSpec, row: KvRow, shifts: readonly number[] = []): number[] {
  const e = kvDecodedExp(s);
  switch (s.format) {
    case 'int_per_channel': {
      const xs = channelShifts(s, shifts);
      return row.codes.map((q, i) => q * 2 ** (xs[i] ?? 0));
    }
    case 'int':
      return [...row.codes];
    case 'int_per_token': {
      const x = row.scales[0] ?? 0;
      return row.codes.map((q) => q * 2 ** x);
    }
    case 'fp8_e4m3': {
      const l = kvFp8Shift(s.inBits);
      return row.codes.map((q) => intAt(scale2(decodeFinite('fp8_e4m3', q), l) as FiniteExact, 0));
    }
    default: {
      const f = kvMxFormat(s.format) as MxFormat;
      const b = kvScaleBlock(s);
      return row.codes.map((q, i) => {
        const x = (row.scales[Math.floor(i / b)] ?? 0) - 127;
        return intAt(scale2(decodeFinite(f.element.name, q), x) as FiniteExact, e);
      });
    }
  }
}

/** The cache's rounding of one token's codes: encode then decode (integers at kvDecodedExp). */
export function kvRoundTrip(
  s: KvCacheSpec,
  c: readonly number[],
  shifts: readonly number[] = [],
): number[] {
  return kvDecodeRow(s, kvEncodeRow(s, c, shifts), shifts);
}
