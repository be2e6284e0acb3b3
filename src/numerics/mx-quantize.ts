// MX quantization (formats.md section 4) of binary32 values into blocks, and block decoding (3.2).
import { fromBinary32Bits } from './binary.js';
import { fail } from './errors.js';
import { compare, type Exact, type FiniteExact, finite, ilog2, mul, NAN, scale2 } from './exact.js';
import { decode } from './decode.js';
import { encode } from './encode.js';
import { roundMag } from './rounding.js';
import {
  type MxBlock,
  type MxFormat,
  resolveMxFormat,
  SCALE_POLICIES,
  type ScalePolicy,
} from './mx-formats.js';

export interface MxQuantizeOptions {
  /** Block size k (default: the format's, 32). */
  readonly k?: number;
  /** Default 'floor' (OCP). */
  readonly scalePolicy?: ScalePolicy;
}

/** The element format's largest value as an exact value. */
export function elementMax(f: MxFormat): FiniteExact {
  return finite(false, f.element.maxSig, f.element.lsbExp);
}

/**
 * Unclamped shared exponent s for a block maximum `amax > 0` (docs/numerics.md):
 * floor: floor(log2 amax) - emax; ceil: ceil(log2 amax) - emax;
 * even: floor(log2 RNA_{M+1}(amax)) - emax (amax rounded to M+1 significant bits, ties away);
 * rceil: ceil(log2(amax / max)), the smallest s with amax·2^-s ≤ max (no element saturates).
 */
export function sharedExponent(f: MxFormat, amax: FiniteExact, policy: ScalePolicy): number {
  const e = ilog2(amax);
  const isPow2 = amax.sig === 1n;
  switch (policy) {
    case 'floor':
      return e - f.emaxElem;
    case 'ceil':
      return e + (isPow2 ? 0 : 1) - f.emaxElem;
    case 'even': {
      const bits = amax.sig.toString(2).length;
      const keep = f.manBits + 1;
      const r = roundMag(amax.sig, bits - keep, { mode: 'rna' });
      return e + (r.toString(2).length > keep && bits > keep ? 1 : 0) - f.emaxElem;
    }
    case 'rceil': {
      const s0 = e - f.emaxElem;
      return s0 + (compare(scale2(amax, -s0), elementMax(f)) === 1 ? 1 : 0);
    }
  }
}

/** Quantizes at most k binary32 values (bit patterns) into one block; a short tail is padded with +0. */
export function quantizeBlock(
  bits: readonly number[],
  format: MxFormat | string,
  opts: MxQuantizeOptions = {},
): MxBlock {
  const f = resolveMxFormat(format);
  const k = opts.k ?? f.blockSize;
  const policy = opts.scalePolicy ?? 'floor';
  if (!Number.isInteger(k) || k < 1) fail(`block size ${k} must be a positive integer`);
  if (!SCALE_POLICIES.includes(policy))
    fail(`scale policy '${String(policy)}' is unknown; use ${SCALE_POLICIES.join(', ')}`);
  if (bits.length > k) fail(`a block holds at most k = ${k} values; got ${bits.length}`);
  const values = [...bits, ...new Array<number>(k - bits.length).fill(0)].map(fromBinary32Bits);
  if (values.some((v) => v.kind !== 'finite'))
    return { format: f, scale: 0xff, codes: new Array<number>(k).fill(0) };
  const finiteVals = values as FiniteExact[];
  let amax = 0;
  for (const b of [...bits, 0]) amax = Math.max(amax, (b & 0x7fffffff) >>> 0);
  const opt = { overflow: 'saturate' as const };
  if (amax === 0)
    return { format: f, scale: 0, codes: finiteVals.map((v) => encode(f.element, v, opt)) };
  const amaxExact = fromBinary32Bits(amax) as FiniteExact;
  const s = Math.min(127, Math.max(-127, sharedExponent(f, amaxExact, policy)));
  const codes = finiteVals.map((v) => encode(f.element, scale2(v, -s), opt));
  return { format: f, scale: s + 127, codes };
}

/** Quantizes a vector: consecutive blocks of k, the last one padded with +0. */
export function quantize(
  bits: readonly number[],
  format: MxFormat | string,
  opts: MxQuantizeOptions = {},
): MxBlock[] {
  const f = resolveMxFormat(format);
  const k = opts.k ?? f.blockSize;
  const out: MxBlock[] = [];
  for (let i = 0; i < Math.max(bits.length, 1); i += k)
    out.push(quantizeBlock(bits.slice(i, i + k), f, opts));
  return out;
}

/** Exact element values X·P_i of a block (3.2): a NaN scale makes every element NaN. */
export function dequantize(block: MxBlock): Exact[] {
  if (block.scale === 0xff) return block.codes.map(() => NAN);
  const x = decode('e8m0', block.scale);
  return block.codes.map((c) => mul(x, decode(block.format.element, c)));
}
