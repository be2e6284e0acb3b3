// Transaction-level reference of mac-array from the golden numerics: exact sums of decoded
// products (numerics.decodeFixed), specials by numerics.mxDot's rules, binary32 by
// numerics.toBinary32Bits (one RNE rounding; exact zero is +0).
import { BINARY32_NAN, decodeFixed, finite, toBinary32Bits } from '../../numerics/index.js';
import { unpackCodes } from '../arith/index.js';
import type { Beat } from '../registry.js';
import { deriveMacArray, type MacArrayConfig } from './config.js';

/** Exact sum of products plus special state. */
interface Sum {
  s: bigint;
  nan: boolean;
  pinf: boolean;
  ninf: boolean;
}

const newSum = (): Sum => ({ s: 0n, nan: false, pinf: false, ninf: false });

function addProduct(acc: Sum, c: MacArrayConfig, a: number, b: number): void {
  const pa = decodeFixed(c.aFormat, a);
  const pb = decodeFixed(c.bFormat, b);
  if (pa.kind === 'nan' || pb.kind === 'nan') acc.nan = true;
  else if (pa.kind === 'inf' || pb.kind === 'inf') {
    const other = pa.kind === 'inf' ? pb : pa;
    if (other.kind === 'finite' && other.sig === 0n) acc.nan = true;
    else {
      const na = pa.kind === 'inf' ? pa.neg : pa.sig < 0n;
      const nb = pb.kind === 'inf' ? pb.neg : pb.sig < 0n;
      if (na !== nb) acc.ninf = true;
      else acc.pinf = true;
    }
  } else acc.s += pa.sig * pb.sig;
}

function specialOf(x: Sum): number {
  if (x.nan || (x.pinf && x.ninf)) return 1;
  return x.pinf ? 2 : x.ninf ? 3 : 0;
}

function fp32Of(x: Sum, exp: number): number {
  const sp = specialOf(x);
  if (sp === 1) return BINARY32_NAN;
  if (sp === 2) return 0x7f800000;
  if (sp === 3) return 0xff800000;
  return toBinary32Bits(finite(false, x.s, exp));
}

function outBeat(c: MacArrayConfig, sums: readonly Sum[]): Beat {
  const d = deriveMacArray(c);
  const W = BigInt(d.accWidthBits);
  let acc = 0n;
  let special = 0n;
  let fp = 0n;
  for (let e = sums.length - 1; e >= 0; e--) {
    const x = sums[e] as Sum;
    acc = (acc << W) | BigInt.asUintN(d.accWidthBits, x.s);
    special = (special << 2n) | BigInt(specialOf(x));
    fp = (fp << 32n) | BigInt(fp32Of(x, d.accLsbExp));
  }
  const beat: Record<string, bigint> = { acc };
  if (d.specials) beat.special = special;
  if (c.output === 'fp32') beat.fp32 = fp;
  return beat;
}

export function macArrayReference(c: MacArrayConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveMacArray(c);
  const out: Beat[] = [];
  if (c.dataflow === 'os') {
    // Element (i, j) = Σ_k A[i][k] · B[k][j] over each group of K beats.
    let sums = Array.from({ length: c.rows * c.cols }, newSum);
    let k = 0;
    for (const beat of inBeats) {
      const a = unpackCodes(beat.a ?? 0n, d.aBits, c.rows);
      const b = unpackCodes(beat.b ?? 0n, d.bBits, c.cols);
      for (let i = 0; i < c.rows; i++)
        for (let j = 0; j < c.cols; j++)
          addProduct(sums[i * c.cols + j] as Sum, c, a[i] ?? 0, b[j] ?? 0);
      if (++k === d.k) {
        out.push(outBeat(c, sums));
        sums = Array.from({ length: c.rows * c.cols }, newSum);
        k = 0;
      }
    }
    return out;
  }
  // Weight-stationary: load beats fill rows 0, 1, ..., R-1, 0, ...; compute beats give y = a·W.
  const w: number[][] = Array.from({ length: c.rows }, () => new Array<number>(c.cols).fill(0));
  let ptr = 0;
  for (const beat of inBeats) {
    if ((beat.load ?? 0n) === 1n) {
      w[ptr] = unpackCodes(beat.b ?? 0n, d.bBits, c.cols);
      ptr = (ptr + 1) % c.rows;
      continue;
    }
    const a = unpackCodes(beat.a ?? 0n, d.aBits, c.rows);
    const sums = Array.from({ length: c.cols }, newSum);
    for (let j = 0; j < c.cols; j++)
      for (let i = 0; i < c.rows; i++) addProduct(sums[j] as Sum, c, a[i] ?? 0, w[i]?.[j] ?? 0);
    out.push(outBeat(c, sums));
  }
  return out;
}
