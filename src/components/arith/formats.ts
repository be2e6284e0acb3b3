// Element formats as the arithmetic helpers see them (formats.md 1.3, 5.2, 5.3): the names a
// generator config may use, their numerics descriptors, exact product ranges and the exact
// two's complement width of a sum of N products. Formats enter generators only through here.
import { MxgenError } from '../../hdl/index.js';
import { getFormat, type FloatFormat, type IntFormat } from '../../numerics/index.js';

/** Element formats the arithmetic helpers implement (OCP spelling; `mxint8_element` = 1.6 int8). */
export const ARITH_FORMATS = [
  'int2',
  'int3',
  'int4',
  'int5',
  'int6',
  'int7',
  'int8',
  'uint2',
  'uint3',
  'uint4',
  'uint5',
  'uint6',
  'uint7',
  'uint8',
  'fp8_e4m3',
  'fp8_e5m2',
  'fp6_e2m3',
  'fp6_e3m2',
  'fp4_e2m1',
  'mxint8_element',
] as const;

export type ArithFormatName = (typeof ARITH_FORMATS)[number];
export type ArithFormat = FloatFormat | IntFormat;

/** The numerics descriptor of an arithmetic element format. */
export function arithFormat(name: ArithFormatName): ArithFormat {
  if (!(ARITH_FORMATS as readonly string[]).includes(name))
    throw new MxgenError('config', `element format ${JSON.stringify(name)} is not supported`, {
      hint: `use one of ${ARITH_FORMATS.join(', ')}`,
    });
  const f = getFormat(name);
  if (f.kind !== 'float' && f.kind !== 'int')
    throw new MxgenError('config', `element format ${name} is neither an integer nor a float`);
  return f;
}

/** Short name for module names: `e4m3`, `int4`, `uint8`, `mxint8`. */
export function shortFormatName(name: ArithFormatName): string {
  if (name === 'mxint8_element') return 'mxint8';
  return name.replace(/^fp\d_/, '');
}

/** Bits of the smallest two's complement shape holding [lo, hi]. */
export function signedWidthOf(lo: bigint, hi: bigint): number {
  const len = (v: bigint): number => (v <= 0n ? 0 : v.toString(2).length);
  return Math.max(len(hi), lo < 0n ? len(-lo - 1n) : 0) + 1;
}

/** Range of the exact product of two elements, in units of 2^(lsbA + lsbB) (formats.md 1.3). */
export function productRange(a: ArithFormat, b: ArithFormat): { min: bigint; max: bigint } {
  const c = [a.minSig * b.minSig, a.minSig * b.maxSig, a.maxSig * b.minSig, a.maxSig * b.maxSig];
  return {
    min: c.reduce((x, y) => (y < x ? y : x)),
    max: c.reduce((x, y) => (y > x ? y : x)),
  };
}

/** Two's complement width of one exact product. */
export function productWidth(a: ArithFormat, b: ArithFormat): number {
  const r = productRange(a, b);
  return signedWidthOf(r.min, r.max);
}

/**
 * Exact minimal signed width W of a sum of `n` products (formats.md 1.3): the smallest w with
 * -2^(w-1) ≤ n·Pmin and n·Pmax ≤ 2^(w-1) - 1 (an initial value of 0 included).
 */
export function exactSumWidth(a: ArithFormat, b: ArithFormat, n: number): number {
  const r = productRange(a, b);
  const N = BigInt(n);
  return signedWidthOf(N * (r.min < 0n ? r.min : 0n), N * (r.max > 0n ? r.max : 0n));
}

/** Format names whose codes can be NaN or ±Inf (fp8 only among the arithmetic formats). */
export function hasSpecials(f: ArithFormat): boolean {
  return f.hasNaN || f.hasInf;
}
