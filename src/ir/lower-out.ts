// `lower`: the output stage of a linear unit by its output format: a signed int cast, OliVe
// (binary32 + olive-encoder, σ constant) or olive4_dyn (binary32 + mx-scale + olive-encoder, σ
// per token from the scale, which the beat carries like an MX scale).
import { getFormat } from '../numerics/index.js';
import { formatLabel, OLIVE_DYN_OFFSET, OLIVE_DYN_SCALE, type TensorFormat } from './formats.js';
import type { Graph, Node } from './graph.js';
import { unsupported } from './lower-linear.js';
import type { LinearUnitConfig } from './units.js';

export type OutSpec = Pick<
  LinearUnitConfig,
  'outElement' | 'outBits' | 'outExp' | 'outOlive' | 'outMx'
>;

export function outputSpec(g: Graph, n: Node, outF: TensorFormat, nOut: number): OutSpec {
  if (outF.kind === 'olive-dyn') {
    // binary32 totals → mx-scale (X, one block per token) → olive-encoder with σ from X; X is the
    // beat's scale field, like an MX scale.
    if (nOut % 2 !== 0 || nOut > 64)
      unsupported(g, n, `output ${outF.name} needs an even number ≤ 64 of features (one block)`);
    return {
      outElement: outF.variant,
      outBits: 4,
      outExp: 0,
      outOlive: { variant: outF.variant, sigmaExp: OLIVE_DYN_OFFSET, dynamic: OLIVE_DYN_SCALE },
      outMx: true,
    };
  }
  if (outF.kind === 'olive') {
    if (nOut % 2 !== 0 || nOut > 64 || outF.sigmaExp < -128 || outF.sigmaExp > 127)
      unsupported(
        g,
        n,
        `output ${formatLabel(outF)} needs an even number ≤ 64 of features and σ = 2^e with e in s8`,
      );
    const bits = outF.name === 'olive4' ? 4 : 8;
    return {
      outElement: outF.name,
      outBits: bits,
      outExp: 0,
      outOlive: { variant: outF.name, sigmaExp: outF.sigmaExp },
    };
  }
  const out = outF.kind === 'element' ? getFormat(outF.name) : undefined;
  if (outF.kind !== 'element' || out?.kind !== 'int' || !out.signed)
    unsupported(g, n, `output ${formatLabel(outF)} (linear outputs are signed ints, OliVe or MX)`);
  return { outElement: outF.name, outBits: out.bits, outExp: out.lsbExp + outF.scaleExp };
}
