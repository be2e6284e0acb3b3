// Stimulus for mx-dot: random blocks (edge scales, zero and max-magnitude codes, FP8 NaN/Inf
// codes), blocks quantized from random binary32 data by numerics, and for k = 1 every element
// pair under a fixed list of scale pairs.
import { getMxFormat, nvfp4Quantize, quantizeBlock, SCALE_POLICIES } from '../../numerics/index.js';
import type { Rng } from '../random.js';
import type { Beat } from '../registry.js';
import { packWords, randomBinary32Block } from '../mx-scale/index.js';
import { deriveMxDot, type DotFormatName, type MxDotConfig } from './config.js';

const EDGE_E8M0 = [0x00, 0x01, 0x7f, 0x80, 0x7e, 0xfe, 0xff, 0x60, 0xa0];
const EDGE_E4M3 = [0x00, 0x01, 0x07, 0x08, 0x38, 0x7e, 0x7f, 0x80, 0xb8];

function randomScale(rng: Rng, nvfp4: boolean): number {
  const edges = nvfp4 ? EDGE_E4M3 : EDGE_E8M0;
  if (rng.chance(0.25)) return edges[rng.int(edges.length)] as number;
  if (nvfp4) return rng.chance(0.95) ? rng.int(0x7f) : rng.int(256);
  return rng.int(256);
}

function randomCodes(rng: Rng, bits: number, k: number): number[] {
  const max = (1 << (bits - 1)) - 1;
  return Array.from({ length: k }, () => {
    const r = rng.int(10);
    if (r === 0) return 0;
    if (r === 1) return rng.chance(0.5) ? max : max | (1 << (bits - 1)); // largest codes (FP8: NaN/Inf)
    if (r === 2) return max - 1 - rng.int(2) + (rng.chance(0.5) ? 1 << (bits - 1) : 0);
    return rng.int(1 << bits);
  });
}

function quantizedSide(
  rng: Rng,
  name: DotFormatName,
  k: number,
): { scale: number; codes: number[] } {
  const vals = randomBinary32Block(rng, k);
  if (name === 'nvfp4') {
    const blk = nvfp4Quantize(vals.slice(0, Math.min(16, k)));
    return { scale: blk.scale, codes: blk.codes.slice(0, k) };
  }
  const policy = SCALE_POLICIES[rng.int(SCALE_POLICIES.length)] ?? 'floor';
  const blk = quantizeBlock(vals, getMxFormat(name), { k, scalePolicy: policy });
  return { scale: blk.scale, codes: [...blk.codes] };
}

export function randomMxDotBeat(cfg: MxDotConfig, rng: Rng): Beat {
  const d = deriveMxDot(cfg);
  const side = (name: DotFormatName, bits: number): { scale: number; codes: number[] } =>
    rng.chance(0.3) && !(name === 'nvfp4' && cfg.k > 16)
      ? quantizedSide(rng, name, cfg.k)
      : { scale: randomScale(rng, d.nvfp4), codes: randomCodes(rng, bits, cfg.k) };
  const a = side(cfg.format, d.bitsA);
  const b = side(cfg.bFormat ?? cfg.format, d.bitsB);
  return {
    a_scale: BigInt(a.scale),
    a_elems: packWords(a.codes, d.bitsA),
    b_scale: BigInt(b.scale),
    b_elems: packWords(b.codes, d.bitsB),
  };
}

/** k = 1: every element code pair, each under scale pairs from a fixed list (≤ 2^18 beats). */
export function* exhaustiveMxDotBeats(cfg: MxDotConfig): Iterable<Beat> {
  const d = deriveMxDot(cfg);
  if (cfg.k !== 1) return;
  const pairs = 2 ** (d.bitsA + d.bitsB);
  const edges = d.nvfp4 ? EDGE_E4M3 : EDGE_E8M0;
  const nScales = Math.max(1, Math.min(edges.length ** 2, Math.floor(2 ** 18 / pairs)));
  for (let j = 0; j < nScales; j++) {
    const sa = edges[j % edges.length] as number;
    const sb = edges[Math.floor(j / edges.length) % edges.length] as number;
    for (let ca = 0; ca < 2 ** d.bitsA; ca++)
      for (let cb = 0; cb < 2 ** d.bitsB; cb++)
        yield {
          a_scale: BigInt(sa),
          a_elems: BigInt(ca),
          b_scale: BigInt(sb),
          b_elems: BigInt(cb),
        };
  }
}
