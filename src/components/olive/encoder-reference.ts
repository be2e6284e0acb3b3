// Transaction model of olive-encoder: numerics.oliveEncode with σ = 2^e on the beat's values.
// NaN and ±Inf have no golden encoding (6.4: an error); the hardware's documented choice is
// NaN → 0 and ±Inf → saturation, modelled here as +0 and ±2^400 (saturates for every σ).
import { finite, oliveEncode, type EncodeInput } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import { unpackWords } from '../mx-scale/index.js';
import { deriveOliveEncoder, type OliveEncoderConfig } from './encoder-config.js';

function input(bits: number): EncodeInput {
  const special = ((bits >>> 23) & 0xff) === 0xff;
  if (!special) return { binary32: bits };
  if ((bits & 0x7fffff) !== 0) return finite(false, 0n, 0);
  return finite(bits >>> 31 === 1, 1n, 400);
}

export function referenceOliveEncoder(cfg: OliveEncoderConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveOliveEncoder(cfg);
  return inBeats.map((b) => {
    const words = unpackWords(b['values'] ?? 0n, 32, 2 * cfg.pairs);
    const e = Number(BigInt.asIntN(8, b['sigma_exp'] ?? 0n));
    const bytes = oliveEncode(words.map(input), finite(false, 1n, e), cfg.variant);
    let v = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] ?? 0);
    return { codes: v & ((1n << BigInt(d.codeBits)) - 1n) };
  });
}
