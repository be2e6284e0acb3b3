// Stimulus for olive-pe: random pair codes (every code reachable: identifiers, both-identifier
// pairs, the reserved outlier code, extreme outliers), int8 activations with the range ends, and
// a last flag that closes a dot product about every `elements` terms; plus the exhaustive sets.
import type { Rng } from '../random.js';
import type { Beat } from '../registry.js';
import { type ActivationFormat, deriveOlivePe, type OlivePeConfig } from './pe-config.js';

function randomPairs(rng: Rng, f: ActivationFormat, pairs: number): bigint {
  let v = 0n;
  const slots = 2 * pairs;
  const b = f === 'olive4' ? 4 : 8;
  for (let i = slots - 1; i >= 0; i--) {
    const r = rng.int(8);
    let c: number;
    if (f === 'int8') c = r === 0 ? 0x80 : r === 1 ? 0x7f : rng.int(256);
    else if (r === 0)
      c = 1 << (b - 1); // identifier: the partner is an outlier
    else if (r === 1)
      c = (1 << (b - 1)) - 1; // largest normal / largest outlier magnitude
    else c = rng.int(1 << b);
    v = (v << BigInt(b)) | BigInt(c);
  }
  return v;
}

export function randomOlivePeBeat(cfg: OlivePeConfig, rng: Rng): Beat {
  const beatsPerDot = cfg.elements / (2 * cfg.pairs);
  return {
    w: randomPairs(rng, cfg.weights, cfg.pairs),
    a: randomPairs(rng, cfg.activations, cfg.pairs),
    last: rng.int(beatsPerDot) === 0 ? 1n : 0n,
  };
}

/**
 * One pair per beat, every beat closing its dot product. OliVe activations: every weight code
 * pair × every activation code pair when that is ≤ 2^20 beats. int8 activations: every weight pair
 * × every a0, with a1 = 97·a0 + 13·w + 1 mod 256 (a bijection in a0), so every (w, a0) and every
 * (w, a1) combination occurs (2^16 beats; the full 2^24 set runs in a dedicated test).
 */
export function* exhaustiveOlivePeBeats(cfg: OlivePeConfig): Iterable<Beat> {
  const d = deriveOlivePe(cfg);
  if (cfg.pairs !== 1) return;
  const wCount = 2 ** d.wBits;
  if (cfg.activations === 'int8') {
    if (wCount * 256 > 2 ** 20) return;
    for (let w = 0; w < wCount; w++)
      for (let a0 = 0; a0 < 256; a0++) {
        const a1 = (97 * a0 + 13 * w + 1) & 255;
        yield { w: BigInt(w), a: BigInt(a0 | (a1 << 8)), last: 1n };
      }
    return;
  }
  const aCount = 2 ** d.aBits;
  if (wCount * aCount > 2 ** 20) return;
  for (let w = 0; w < wCount; w++)
    for (let a = 0; a < aCount; a++) yield { w: BigInt(w), a: BigInt(a), last: 1n };
}
