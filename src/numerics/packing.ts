// LSB-first bitstream packing of n-bit codes (formats.md 1.1): element i occupies stream bits
// [n·i, n·i+n), byte b holds stream bits 8b…8b+7 with the lowest in bit 0, unused bits are 0.
import { fail } from './errors.js';

export function packCodes(codes: readonly number[], bits: number): Uint8Array {
  if (!Number.isInteger(bits) || bits < 1 || bits > 8) fail(`packing width ${bits} must be 1..8`);
  const out = new Uint8Array(Math.ceil((codes.length * bits) / 8));
  codes.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c >= 1 << bits)
      fail(`code ${c} at index ${i} does not fit in ${bits} bits`);
    for (let j = 0; j < bits; j++) {
      const pos = i * bits + j;
      out[pos >> 3] = (out[pos >> 3] ?? 0) | (((c >> j) & 1) << (pos & 7));
    }
  });
  return out;
}

export function unpackCodes(bytes: Uint8Array, bits: number, count: number): number[] {
  if (!Number.isInteger(bits) || bits < 1 || bits > 8) fail(`packing width ${bits} must be 1..8`);
  if (count * bits > bytes.length * 8)
    fail(`${bytes.length} bytes hold fewer than ${count} codes of ${bits} bits`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let c = 0;
    for (let j = 0; j < bits; j++) {
      const pos = i * bits + j;
      c |= (((bytes[pos >> 3] ?? 0) >> (pos & 7)) & 1) << j;
    }
    out.push(c);
  }
  return out;
}
