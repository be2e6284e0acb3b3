// Stream fields pack element i at bits [w*i + w - 1 : w*i] (docs/streams.md).
export function packCodes(codes: readonly number[], w: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--) v = (v << BigInt(w)) | BigInt(codes[i] ?? 0);
  return v;
}

export function unpackCodes(v: bigint, w: number, n: number): number[] {
  const mask = (1n << BigInt(w)) - 1n;
  return Array.from({ length: n }, (_, i) => Number((v >> BigInt(w * i)) & mask));
}
