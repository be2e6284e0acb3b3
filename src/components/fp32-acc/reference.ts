// Transaction model of fp32-acc from numerics: the sequential binary32 sum from +0, each addition
// toBinary32Bits(add(fromBinary32Bits(acc), fromBinary32Bits(x))) (formats.md 7.3, the
// fp32-blockwise accumulation of DotGeneral, 5.2), one output beat per in_last.
import { add, fromBinary32Bits, toBinary32Bits } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import type { Fp32AccConfig } from './config.js';

/** binary32 bits of a + b rounded once (RNE), IEEE specials as numerics.add. */
export function binary32Add(a: number, b: number): number {
  return toBinary32Bits(add(fromBinary32Bits(a), fromBinary32Bits(b)));
}

export function referenceFp32Acc(_cfg: Fp32AccConfig, inBeats: readonly Beat[]): Beat[] {
  const out: Beat[] = [];
  let acc = 0;
  for (const b of inBeats) {
    acc = binary32Add(acc, Number(b['value'] ?? 0n));
    if ((b['last'] ?? 0n) === 1n) {
      out.push({ value: BigInt(acc) });
      acc = 0;
    }
  }
  return out;
}
