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
  gelu: { n: 1 },
  silu: { n: 1 },
  mul: { n: 1 },
  'fp32-acc': {},
};

/** The parsed small config of `kind`. */
export function smallConfig(kind: string): unknown {
  const k = getComponent(kind);
  const base = k.examples[0]?.config as Record<string, unknown>;
  return parseConfig(k, { ...base, ...SMALL[kind] });
}
