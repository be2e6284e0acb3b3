// `lower` for a one-block MX × MX layer with an MX output: mx-dot lanes (binary32 results) and
// one mx-quantize block, exactly the golden MX cast.
import { getFormat } from '../../../numerics/index.js';
import type { QVector, TensorFormat } from '../../formats.js';
import { linearModuleName, unitBase } from '../name.js';
import {
  lanesFor,
  layerStorage,
  mxElementName,
  type Pair,
  unsupported,
} from '../../lower-linear.js';
import type { LinearUnitConfig } from '../../units.js';

/**
 * An MX output: mx-dot lanes with their binary32 (RNE) result, then one mx-quantize block over
 * the output vector: exactly the golden MX cast (binary32 RNE, then quantizeBlock, floor).
 */
export function lowerMxOut(
  p: Pair,
  rows: readonly QVector[],
  outF: Extract<TensorFormat, { kind: 'mx' }>,
): LinearUnitConfig {
  const { g, n, fx, wf, k } = p;
  const nOut = rows.length;
  if (fx.kind !== 'mx' || wf.kind !== 'mx' || p.bias || k > 32 || nOut > 32)
    unsupported(
      g,
      n,
      `output ${outF.name} needs an MX input and MX weights, no bias, and K and N of at most 32 or multiples of 32`,
    );
  if (layerStorage(g, n) === 'stream')
    unsupported(
      g,
      n,
      `weights_storage: stream needs int/fp element weights on vector lanes; got an MX output`,
    );
  const lanes = lanesFor(nOut, Math.max(1, Math.floor((n.parallelism?.macs ?? 1) / k)));
  const el = mxElementName(outF.name);
  n.parallelism = { lanes, tile: k, macs: lanes * k, cyclesPerToken: nOut / lanes };
  const base = {
    ...unitBase(g, n, layerStorage(g, n), k, nOut),
    lanes,
    tile: k,
    ...mxOperands(fx.name),
    component: {
      kind: 'mx-dot' as const,
      config: { format: fx.name, bFormat: wf.name, k, fp32: true },
      rowScales: rows.map((r) => r.scales[0] ?? 0),
      rowCodes: rows.map((r) => [...r.codes]),
      quantize: { format: outF.name, k: nOut },
    },
    outElement: el,
    outBits: getFormat(el).bits,
    outExp: 0,
    outMx: true,
  };
  return { ...base, module: linearModuleName(base) };
}

/** The input (an MX block's element codes with its scale) and weight fields of an MX × MX unit. */
export function mxOperands(format: string): {
  input: { element: string; mx: true };
  inputExp: number;
  weights: string[];
  weightExp: number;
} {
  const element = mxElementName(format);
  return {
    input: { element, mx: true },
    inputExp: getFormat(element).lsbExp,
    weights: [],
    weightExp: 0,
  };
}
