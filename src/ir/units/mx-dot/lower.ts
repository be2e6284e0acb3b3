// `lower` for a one-block MX × MX layer with an MX output: mx-dot lanes (binary32 results) and
// one mx-quantize block, exactly the golden MX cast.
import { getFormat } from '../../../numerics/index.js';
import { formatOf } from '../../eval.js';
import type { QVector, TensorFormat } from '../../formats.js';
import { type Graph, type LinearNode, type MatmulNode, nodeByName } from '../../graph.js';
import { linearModuleName, unitBase } from '../name.js';
import { lanesFor, layerStorage, mxElementName, unsupported } from '../../lower-linear.js';
import { weightName } from '../../quantize.js';
import type { LinearUnitConfig } from '../../units.js';

/**
 * An MX output: mx-dot lanes with their binary32 (RNE) result, then one mx-quantize block over
 * the output vector: exactly the golden MX cast (binary32 RNE, then quantizeBlock, floor).
 */
export function lowerMxOut(
  g: Graph,
  n: LinearNode | MatmulNode,
  rows: readonly QVector[],
  outF: Extract<TensorFormat, { kind: 'mx' }>,
  fx: TensorFormat,
  k: number,
): LinearUnitConfig {
  const wf = formatOf(nodeByName(g, weightName(n)) ?? n);
  const nOut = rows.length;
  const hasBias = n.op === 'linear' && n.bias !== undefined;
  if (fx.kind !== 'mx' || wf.kind !== 'mx' || hasBias || k > 32 || nOut > 32)
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
    input: { element: mxElementName(fx.name), mx: true },
    inputExp: getFormat(mxElementName(fx.name)).lsbExp,
    weights: [],
    weightExp: 0,
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
