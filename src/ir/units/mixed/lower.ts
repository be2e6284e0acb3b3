// `lower` for mixed × mixed layers with one format map (the LANE_TABLE row `mixed-lane`).
import { getComponent } from '../../../components/index.js';
import { internalError } from '../../../hdl/index.js';
import { formatLabel, type QVector } from '../../formats.js';
import { linearModuleName, unitBase } from '../name.js';
import { lanesFor, type Pair, unsupported } from '../../lower-linear.js';
import { outputSpec } from '../../lower-out.js';
import type { LinearUnitConfig } from '../../units.js';

/**
 * mixed × mixed on `mixed-lane` lanes (generate.ts): per lane one weight row at a time, beat
 * by beat as the shared format map says; the groups' exact sums are shifted by d_a + d_w and added.
 */
export function lowerMixed(p: Pair, rows: readonly QVector[]): LinearUnitConfig {
  const { g, n, fx, wf, k, N, outF } = p;
  const same =
    fx.kind === 'mixed' && wf.kind === 'mixed' && JSON.stringify(fx.map) === JSON.stringify(wf.map);
  if (!same || p.bias)
    unsupported(
      g,
      n,
      `${formatLabel(fx)} × ${formatLabel(wf)}${p.bias ? ' with a bias' : ''}: mixed-lane lanes take activations and weights with the same format map, no bias`,
    );
  if (fx.kind !== 'mixed' || wf.kind !== 'mixed')
    throw internalError(`${n.name}: mixed-lane lowering of a non-mixed pair`);
  if (p.storage === 'stream')
    unsupported(g, n, `weights_storage: stream needs int/fp element weights; got ${wf.name}`);
  const kind = getComponent('mixed-lane');
  const config = { channels: k, map: fx.map.map((r) => ({ ...r })) };
  const checked = kind.schema.safeParse(config);
  if (!checked.success)
    unsupported(
      g,
      n,
      `format map ${fx.name} on mixed-lane lanes: ${checked.error.issues[0]?.message ?? 'invalid'}`,
    );
  const out = outputSpec(g, n, outF, N);
  if (out.outOlive || out.outMx)
    unsupported(g, n, `output ${formatLabel(outF)} from mixed-lane lanes (signed int only)`);
  const lanes = lanesFor(N, Math.max(1, Math.floor((n.parallelism?.macs ?? 32) / 4)));
  const beats = Number(kind.derive(checked.data).beatsPerRow);
  n.parallelism = { lanes, tile: 4, macs: lanes * 4, cyclesPerToken: (N / lanes) * beats };
  const signed = (c: number): number => (c >= 128 ? c - 256 : c);
  const base = {
    ...unitBase(g, n, p.storage, k, N),
    lanes,
    tile: 4,
    input: { element: fx.name, mx: true },
    inputExp: fx.exp,
    weights: [],
    weightExp: wf.exp,
    component: {
      kind: 'mixed-lane' as const,
      config,
      groups: rows[0]?.scales.length ?? 0,
      rowCodes: rows.map((r) => r.codes.map(signed)),
      rowExps: rows.map((r) => [...r.scales]),
    },
    ...out,
  };
  return { ...base, module: linearModuleName(base) };
}
