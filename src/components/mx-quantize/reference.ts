// Transaction model of mx-quantize: numerics.quantizeBlock on each beat's k values.
import { quantizeBlock } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import { packWords, unpackWords } from '../mx-scale/index.js';
import { deriveMxQuantize, type MxQuantizeConfig } from './config.js';

export function referenceMxQuantize(cfg: MxQuantizeConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveMxQuantize(cfg);
  return inBeats.map((b) => {
    const words = unpackWords(b['values'] ?? 0n, 32, cfg.k);
    const blk = quantizeBlock(words, cfg.format, { k: cfg.k, scalePolicy: cfg.policy });
    return { scale: BigInt(blk.scale), elems: packWords(blk.codes, d.elementBits) };
  });
}
