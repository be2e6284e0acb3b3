// Transaction model of mx-scale from numerics.quantizeBlock: one scale code per input block.
import { quantizeBlock } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import type { MxScaleConfig } from './config.js';
import { unpackWords } from './random-values.js';

export function referenceMxScale(cfg: MxScaleConfig, inBeats: readonly Beat[]): Beat[] {
  return inBeats.map((b) => {
    const words = unpackWords(b['values'] ?? 0n, 32, cfg.k);
    const blk = quantizeBlock(words, cfg.format, { k: cfg.k, scalePolicy: cfg.policy });
    return { scale: BigInt(blk.scale) };
  });
}
