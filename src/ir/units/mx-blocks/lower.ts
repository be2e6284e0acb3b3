// `lower` for MX × MX layers with several 32-element blocks per token (or an MX output of more
// than 32 features): mx-dot lanes summed in binary32 per block (fp32-blockwise).
import { getFormat } from '../../../numerics/index.js';
import { formatLabel, type QVector } from '../../formats.js';
import { linearModuleName, unitBase } from '../name.js';
import { layerStorage, mxElementName, type Pair, unsupported } from '../../lower-linear.js';
import { outputSpec } from '../../lower-out.js';
import { mxOperands } from '../mx-dot/lower.js';
import type { LinearUnitConfig } from '../../units.js';

/**
 * An MX × MX layer with several 32-element blocks per token (K > 32), or an MX output of more
 * than 32 features: mx-dot lanes with binary32 results (`fp32: true`), one block of the token ×
 * one block of a weight row per lane per step, each lane's C = K/32 block results summed in
 * binary32 from +0 (the golden `fp32-blockwise` DotGeneral, eval.ts `mxBlockwise`), then the int
 * cast of the binary32 total or an `mx-quantize` (k = 32) per 32 finished features.
 */
export function lowerMxBlocks(p: Pair, rows: readonly QVector[]): LinearUnitConfig {
  const { g, n, fx, wf, k, outF } = p;
  const nOut = rows.length;
  const mxOut = outF.kind === 'mx';
  if (fx.kind !== 'mx' || wf.kind !== 'mx' || p.bias || k % 32 !== 0 || (mxOut && nOut % 32 !== 0))
    unsupported(
      g,
      n,
      `${formatLabel(fx)} input of ${k} features × ${formatLabel(wf)} weights → ${nOut} × ${formatLabel(outF)}: several MX blocks per token need MX weights, K a multiple of 32, no bias${mxOut ? ' and N a multiple of 32' : ''}`,
    );
  const storage = layerStorage(g, n);
  if (storage === 'stream')
    unsupported(
      g,
      n,
      `weights_storage: stream needs int/fp element weights on vector lanes; got MX × MX blocks`,
    );
  const C = k / 32;
  const cap = Math.max(1, Math.floor((n.parallelism?.macs ?? 32) / 32));
  // An MX output is quantized per 32 features: the lanes divide 32 or are a multiple of it.
  let lanes = 1;
  for (let d = 1; d <= Math.min(nOut, cap); d++)
    if (nOut % d === 0 && (!mxOut || 32 % d === 0 || d % 32 === 0)) lanes = d;
  n.parallelism = { lanes, tile: 32, macs: lanes * 32, cyclesPerToken: (nOut / lanes) * C };
  const out = mxOut
    ? {
        outElement: mxElementName(outF.name),
        outBits: getFormat(mxElementName(outF.name)).bits,
        outExp: 0,
        outMx: true,
      }
    : outputSpec(g, n, outF, nOut);
  if (out.outOlive) unsupported(g, n, `output ${formatLabel(outF)} from MX × MX blocks`);
  const base = {
    ...unitBase(g, n, storage, k, nOut),
    lanes,
    tile: 32,
    ...mxOperands(fx.name),
    component: {
      kind: 'mx-dot' as const,
      config: { format: fx.name, bFormat: wf.name, k: 32, fp32: true },
      rowScales: rows.flatMap((r) => Array.from({ length: C }, (_, b) => r.scales[b] ?? 0)),
      rowCodes: rows.map((r) => [...r.codes]),
      blocks: C,
      ...(mxOut ? { quantize: { format: outF.name, k: 32 } } : {}),
    },
    ...out,
  };
  return { ...base, module: linearModuleName(base) };
}
