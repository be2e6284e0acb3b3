// `lower` for blockdialect × blockdialect layers (the LANE_TABLE row `dialect-mac`).
import { formatLabel, type QVector } from '../../formats.js';
import { linearModuleName, unitBase } from '../name.js';
import { lanesFor, type Pair, unsupported } from '../../lower-linear.js';
import { outputSpec } from '../../lower-out.js';
import type { LinearUnitConfig } from '../../units.js';

/**
 * blockdialect × blockdialect on `dialect-mac` lanes (generate.ts): one block of the
 * token × one weight row's block per lane per step, the exact sum cast to the output int.
 */
export function lowerDialect(p: Pair, rows: readonly QVector[]): LinearUnitConfig {
  const { g, n, fx, wf, k, N, outF } = p;
  if (fx.kind !== 'dialect' || wf.kind !== 'dialect' || p.bias || k > 32)
    unsupported(
      g,
      n,
      `${formatLabel(fx)} × ${formatLabel(wf)} with ${k} input features${p.bias ? ' and a bias' : ''}: dialect-mac lanes take blockdialect activations × blockdialect weights, one 32-element block (K ≤ 32), no bias`,
    );
  if (p.storage === 'stream')
    unsupported(
      g,
      n,
      `weights_storage: stream needs int/fp element weights on vector lanes; got blockdialect weights`,
    );
  const out = outputSpec(g, n, outF, N);
  if (out.outOlive || out.outMx)
    unsupported(g, n, `output ${formatLabel(outF)} from dialect-mac lanes (signed int only)`);
  const lanes = lanesFor(N, Math.max(1, Math.floor((n.parallelism?.macs ?? 32) / 32)));
  n.parallelism = { lanes, tile: k, macs: lanes * k, cyclesPerToken: N / lanes };
  const base = {
    ...unitBase(g, n, p.storage, k, N),
    lanes,
    tile: k,
    input: { element: 'blockdialect', mx: true },
    inputExp: 0,
    weights: [],
    weightExp: 0,
    component: {
      kind: 'dialect-mac' as const,
      config: { variant: 'umul', lanes: 32 },
      rowScales: rows.map((r) => r.scales[0] ?? 0),
      rowDialects: rows.map((r) => r.scales[1] ?? 0),
      rowCodes: rows.map((r) => [...r.codes]),
    },
    ...out,
  };
  return { ...base, module: linearModuleName(base) };
}
