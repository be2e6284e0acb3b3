// One small configuration of every component kind (overrides of its first registered example):
// the golden SV snapshots and the per-kind equivalence proofs use these.
import { getComponent, parseConfig } from '../../src/components/index.js';

export const SMALL: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'mx-scale': { format: 'mxfp4_e2m1', k: 2 },
  'mx-dot': { format: 'mxfp4_e2m1', k: 2, fp32: false },
  'mac-array': { rows: 1, cols: 2, aFormat: 'int4', bFormat: 'int4', depth: 2 },
  'scalable-pe': { maxBeats: 2 },
  'olive-pe': { elements: 2 },
  'olive-encoder': {},
  'mx-quantize': { format: 'mxfp4_e2m1', k: 2 },
  softmax: { n: 2 },
  layernorm: { n: 2 },
  rmsnorm: { n: 2 },
  'softmax-chunked': { n: 3, chunk: 2 },
  'layernorm-chunked': { n: 3, chunk: 2 },
  'rmsnorm-chunked': { n: 3, chunk: 2 },
  gelu: { n: 1 },
  silu: { n: 1 },
  mul: { n: 1 },
  'fp32-acc': {},
  'dialect-mac': { lanes: 1 },
  'dialect-quantize': { k: 1 },
  'bitmod-pe': { lanes: 1, maxBeats: 2 },
  'mixed-lane': {
    channels: 8,
    map: [
      { start: 0, end: 4, bits: 4, groupSize: 4 },
      { start: 4, end: 8, bits: 8, groupSize: 4 },
    ],
  },
  fwht: { n: 2, inBits: 4 },
  matmul: { m: 1, k: 2, n: 2, aBits: 4, bBits: 4 },
  'kv-attention': { heads: 1, kvHeads: 1, headDim: 4, capacity: 2, seqLen: 2 },
  rope: { heads: 1, kvHeads: 1, headDim: 2, seqLen: 3, fracBits: 4, inBits: 4, outBits: 4 },
};

/** The parsed small config of `kind`, with `over` on top (a proof's smaller size). */
export function smallConfig(kind: string, over: Readonly<Record<string, unknown>> = {}): unknown {
  const k = getComponent(kind);
  const base = k.examples[0]?.config as Record<string, unknown>;
  return parseConfig(k, { ...base, ...SMALL[kind], ...over });
}
