// Shapes: a width (1..MAX_WIDTH bits) and a signedness (two's complement when signed).
import { MxgenError } from './errors.js';
import { here } from './srcloc.js';

/**
 * The widest value, 2^20 bits. IEEE 1800 lets a tool stop at 2^16 bits; Verilator takes more
 * with `--max-num-width` (set by the backends), Yosys and Icarus have no such limit. Wider than
 * 2^16 appears only in real-size layer units (a 4096 → 11008 token vector of int8 is 88 064 bits).
 */
export const MAX_WIDTH = 1 << 20;

export interface Shape {
  readonly width: number;
  readonly signed: boolean;
}

function checkWidth(w: number, what: string): number {
  if (!Number.isInteger(w) || w < 1 || w > MAX_WIDTH)
    throw new MxgenError('shape', `${what} width must be an integer in 1..${MAX_WIDTH}; got ${w}`, {
      loc: here(),
      hint: 'zero-width values do not exist; use a 1-bit value or leave the signal out',
    });
  return w;
}

const CACHE_U: Shape[] = [];
const CACHE_S: Shape[] = [];

/** Unsigned shape of `w` bits. */
export function u(w: number): Shape {
  const c = CACHE_U[w];
  if (c) return c;
  const sh = Object.freeze({ width: checkWidth(w, 'u()'), signed: false });
  CACHE_U[w] = sh;
  return sh;
}

/** Signed (two's complement) shape of `w` bits. */
export function s(w: number): Shape {
  const c = CACHE_S[w];
  if (c) return c;
  const sh = Object.freeze({ width: checkWidth(w, 's()'), signed: true });
  CACHE_S[w] = sh;
  return sh;
}

export function shapeOfWidth(w: number, signed: boolean): Shape {
  return signed ? s(w) : u(w);
}

/** `u8`, `s12`. */
export function shapeName(sh: Shape): string {
  return `${sh.signed ? 's' : 'u'}${sh.width}`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.width === b.width && a.signed === b.signed;
}

/** Smallest and largest value of a shape. */
export function shapeRange(sh: Shape): [bigint, bigint] {
  const w = BigInt(sh.width);
  return sh.signed ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
}

/**
 * The bit pattern in [0, 2^w) of the value `v` in shape `sh`, or undefined when `v` is not an
 * integer representable in `sh`.
 */
export function toPattern(v: number | bigint, sh: Shape): bigint | undefined {
  if (typeof v === 'number' && !Number.isSafeInteger(v)) return undefined;
  const b = BigInt(v);
  const [lo, hi] = shapeRange(sh);
  if (b < lo || b > hi) return undefined;
  return BigInt.asUintN(sh.width, b);
}

/** The value of a bit pattern read in shape `sh`. */
export function fromPattern(p: bigint, sh: Shape): bigint {
  return sh.signed ? BigInt.asIntN(sh.width, p) : BigInt.asUintN(sh.width, p);
}
