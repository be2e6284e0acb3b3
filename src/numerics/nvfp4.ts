// NVFP4 (formats.md 9.2): 16 E2M1 elements, an E4M3 block scale and a binary32 tensor scale g.
import { fromBinary32Bits, stickyQuotient } from './binary.js';
import { decode } from './decode.js';
import { fail } from './errors.js';
import { add, type Exact, type FiniteExact, mul, NAN, POS_ZERO } from './exact.js';
import { encode } from './encode.js';

export const NVFP4_BLOCK_SIZE = 16;

export interface Nvfp4Block {
  /** E4M3 scale code (sign bit 0; 0x7F marks a non-finite block). */
  readonly scale: number;
  /** 16 E2M1 codes. */
  readonly codes: readonly number[];
}

/** Checks and decodes a tensor scale g (binary32 bits, positive and finite). */
function tensorScale(g: number): FiniteExact {
  const v = fromBinary32Bits(g);
  if (v.kind !== 'finite' || v.neg || v.sig === 0n)
    fail(`NVFP4 tensor scale 0x${g.toString(16)} must be a positive finite binary32`);
  return v;
}

/** Exact quotient n / d rounded later by the caller: a sticky stand-in (binary.stickyQuotient). */
function quotient(n: FiniteExact, d: FiniteExact): FiniteExact {
  return stickyQuotient(n.neg !== d.neg, n.sig, d.sig, n.exp - d.exp);
}

/**
 * Quantizes ≤ 16 binary32 values (bit patterns; a tail is padded with +0) with tensor scale g
 * (binary32 bits, default 1.0): s = E4M3_SAT_RNE(amax / (6g)), P_i = E2M1_SAT_RNE(V_i / (g·s)).
 */
export function nvfp4Quantize(bits: readonly number[], g = 0x3f800000): Nvfp4Block {
  if (bits.length > NVFP4_BLOCK_SIZE) fail(`an NVFP4 block holds 16 values; got ${bits.length}`);
  const gv = tensorScale(g);
  const vals = [...bits, ...new Array<number>(NVFP4_BLOCK_SIZE - bits.length).fill(0)].map(
    fromBinary32Bits,
  );
  if (vals.some((v) => v.kind !== 'finite'))
    return { scale: 0x7f, codes: new Array<number>(NVFP4_BLOCK_SIZE).fill(0) };
  const fin = vals as FiniteExact[];
  let amax: FiniteExact = POS_ZERO;
  for (const v of fin) if (v.sig !== 0n && (amax.sig === 0n || cmpMag(v, amax) > 0)) amax = v;
  const sat = { overflow: 'saturate' as const };
  const six: FiniteExact = { kind: 'finite', neg: false, sig: 3n, exp: 1 };
  const scale =
    amax.sig === 0n
      ? 0
      : encode('fp8_e4m3', quotient({ ...amax, neg: false }, mul(six, gv) as FiniteExact), sat);
  const sv = decode('fp8_e4m3', scale) as FiniteExact;
  if (sv.sig === 0n) return { scale, codes: new Array<number>(NVFP4_BLOCK_SIZE).fill(0) };
  const d = mul(gv, sv) as FiniteExact;
  return { scale, codes: fin.map((v) => encode('fp4_e2m1', quotient(v, d), sat)) };
}

function cmpMag(a: FiniteExact, b: FiniteExact): number {
  const e = Math.min(a.exp, b.exp);
  const x = a.sig << BigInt(a.exp - e);
  const y = b.sig << BigInt(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact element values g·s·P_i; a scale code 0x7F or with the sign bit set gives all NaN. */
export function nvfp4Decode(block: Nvfp4Block, g = 0x3f800000): Exact[] {
  const gv = tensorScale(g);
  if (block.scale === 0x7f || block.scale >= 0x80) return block.codes.map(() => NAN);
  const gs = mul(gv, decode('fp8_e4m3', block.scale));
  return block.codes.map((c) => mul(gs, decode('fp4_e2m1', c)));
}

/** Exact dot product of two NVFP4 blocks with tensor scales gA, gB (NaN for a NaN scale). */
export function nvfp4Dot(a: Nvfp4Block, b: Nvfp4Block, gA = 0x3f800000, gB = 0x3f800000): Exact {
  const va = nvfp4Decode(a, gA);
  const vb = nvfp4Decode(b, gB);
  if (va.length !== vb.length) fail(`nvfp4Dot needs blocks of equal length`);
  let acc: Exact = POS_ZERO;
  for (let i = 0; i < va.length; i++) acc = add(acc, mul(va[i] as Exact, vb[i] as Exact));
  // An exact zero sum is +0, as for MX (5.2).
  return acc.kind === 'finite' && acc.sig === 0n ? POS_ZERO : acc;
}
