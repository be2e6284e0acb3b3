// Transaction model of mx-quantize: numerics.quantizeBlock (MX) or numerics.nvfp4Quantize with
// g = 2^tensorScaleExp (NVFP4) on each beat's k values.
import { nvfp4Quantize, quantizeBlock } from '../../numerics/index.js';
import type { Beat } from '../registry.js';
import { packWords, unpackWords } from '../mx-scale/index.js';
import {
  deriveMxQuantize,
  policyOf,
  tensorScaleBits,
  tensorScaleExpOf,
  type MxQuantizeConfig,
} from './config.js';

export function referenceMxQuantize(cfg: MxQuantizeConfig, inBeats: readonly Beat[]): Beat[] {
  const d = deriveMxQuantize(cfg);
  const g = tensorScaleBits(tensorScaleExpOf(cfg));
  return inBeats.map((b) => {
    const words = unpackWords(b['values'] ?? 0n, 32, cfg.k);
    const blk =
      cfg.format === 'nvfp4'
        ? nvfp4Quantize(words, g)
        : quantizeBlock(words, cfg.format, { k: cfg.k, scalePolicy: policyOf(cfg) });
    const codes = blk.codes.slice(0, cfg.k); // NVFP4 pads a short block with +0
    return { scale: BigInt(blk.scale), elems: packWords(codes, d.elementBits) };
  });
}
