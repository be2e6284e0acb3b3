// Vector fields of signed integer lanes (docs/streams.md packing: lane i at bits [w·i+w-1 : w·i]).
import { cat, type Expr } from '../../hdl/index.js';

/** The `n` signed lanes of a packed field. */
export function signedLanes(field: Expr, bits: number, n: number): Expr[] {
  return Array.from({ length: n }, (_, i) => field.bits(bits * i + bits - 1, bits * i).asSigned());
}

/** Packs lanes (lane 0 in the low bits) into one unsigned field. */
export function packLanes(lanes: readonly Expr[]): Expr {
  return cat(...[...lanes].reverse().map((l) => (l.signed ? l.asUnsigned() : l)));
}

/** Two's complement codes → packed bits. */
export function packSignedCodes(codes: readonly number[], bits: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--)
    v = (v << BigInt(bits)) | BigInt.asUintN(bits, BigInt(codes[i] ?? 0));
  return v;
}

/** Packed bits → `n` two's complement codes. */
export function unpackSignedCodes(v: bigint, bits: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Number(BigInt.asIntN(bits, v >> BigInt(bits * i))));
}

/** Packed bits → `n` unsigned codes (the one unpacker, codes.ts). */
export { unpackCodes as unpackUnsignedCodes } from './codes.js';
