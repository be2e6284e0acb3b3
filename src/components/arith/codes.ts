// Code-level helpers for stimulus: the interesting codes of an element format (zeros, extremes,
// smallest magnitudes, NaN / Inf) and a random code that picks them often.
import { decodeFixed } from '../../numerics/index.js';
import type { Rng } from '../random.js';
import { arithFormat, type ArithFormatName } from './formats.js';

const EXTREMES = new Map<ArithFormatName, readonly number[]>();

/** +0, -0, the largest and most negative values, the smallest magnitudes, NaN and Inf codes. */
export function extremeCodes(name: ArithFormatName): readonly number[] {
  const got = EXTREMES.get(name);
  if (got) return got;
  const f = arithFormat(name);
  const codes: number[] = [];
  let max = 0n;
  let min = 0n;
  let tiny = -1n;
  for (let c = 0; c < 2 ** f.bits; c++) {
    const d = decodeFixed(name, c);
    if (d.kind !== 'finite') continue;
    if (d.sig > max) max = d.sig;
    if (d.sig < min) min = d.sig;
    const mag = d.sig < 0n ? -d.sig : d.sig;
    if (mag !== 0n && (tiny < 0n || mag < tiny)) tiny = mag;
  }
  for (let c = 0; c < 2 ** f.bits; c++) {
    const d = decodeFixed(name, c);
    if (d.kind !== 'finite') codes.push(c);
    else if (d.sig === 0n || d.sig === max || d.sig === min || d.sig === tiny || d.sig === -tiny)
      codes.push(c);
  }
  EXTREMES.set(name, codes);
  return codes;
}

/** A random code: with probability `pExtreme` one of `extremeCodes`, else uniform. */
export function randomCode(name: ArithFormatName, rng: Rng, pExtreme = 0.15): number {
  const f = arithFormat(name);
  if (rng.chance(pExtreme)) {
    const x = extremeCodes(name);
    return x[rng.int(x.length)] ?? 0;
  }
  return rng.int(2 ** f.bits);
}

/** Packs codes of `bits` each, element 0 in the least significant bits (docs/streams.md). */
export function packCodes(codes: readonly number[], bits: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--) v = (v << BigInt(bits)) | BigInt(codes[i] ?? 0);
  return v;
}

/** Unpacks `n` codes of `bits` each. */
export function unpackCodes(v: bigint, bits: number, n: number): number[] {
  const mask = (1n << BigInt(bits)) - 1n;
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(bits * i)) & mask));
}
