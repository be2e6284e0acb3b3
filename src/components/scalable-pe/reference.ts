// Transaction-level reference of scalable-pe: each beat's products from the packed operand words
// (mode, signedness), their exact sum accumulated until a `last` beat, reported modulo 2^W.
import type { Beat } from '../registry.js';
import { deriveScalablePe, PE_MODES, type ScalablePeConfig } from './config.js';

/** Element `i` of width `w` from a packed word, read signed or unsigned. */
function element(word: bigint, w: number, i: number, signed: boolean): bigint {
  const bits = (word >> BigInt(w * i)) & ((1n << BigInt(w)) - 1n);
  return signed ? BigInt.asIntN(w, bits) : bits;
}

/** Σ a_i · b_i over the products of the beat's mode (reserved modes 5..7: 0). */
export function beatSum(beat: Beat): bigint {
  const md = PE_MODES[Number(beat.mode ?? 0n)];
  if (!md) return 0n;
  const sa = (beat.sa ?? 0n) === 1n;
  const sb = (beat.sb ?? 0n) === 1n;
  let s = 0n;
  for (let i = 0; i < md.products; i++)
    s += element(beat.a ?? 0n, md.wa, i, sa) * element(beat.b ?? 0n, md.wb, i, sb);
  return s;
}

export function scalablePeReference(c: ScalablePeConfig, inBeats: readonly Beat[]): Beat[] {
  const W = deriveScalablePe(c).accWidthBits;
  const out: Beat[] = [];
  let acc = 0n;
  for (const beat of inBeats) {
    acc += beatSum(beat);
    if ((beat.last ?? 0n) === 1n) {
      out.push({ acc: BigInt.asUintN(W, acc) });
      acc = 0n;
    }
  }
  return out;
}
