// `lower` for a row op: its checked formats (spec.ts) → the registry component's config → a
// row-unit config (units.ts). γ/β codes are SRAM words unless the design embeds its weights
// (`stream` keeps them in memory too: one word per op, read with each token).
import { digestName } from '../../hdl/index.js';
import { getComponent, parseConfig } from '../../components/index.js';
import type { ConstCache } from '../eval.js';
import type { Graph, RowOpNode } from '../graph.js';
import { type RowUnitConfig, unitHardwareConfig } from '../units.js';
import { rowOpDef } from './registry.js';
import { rowSpec } from './spec.js';
import { internalError } from '../../hdl/index.js';

export function rowModuleName(c: Omit<RowUnitConfig, 'module'>): string {
  return digestName(`row_${c.op}_${c.features}`, unitHardwareConfig({ ...c, module: '' }));
}

export function lowerRow(g: Graph, n: RowOpNode, consts: ConstCache): RowUnitConfig {
  const def = rowOpDef(n.op);
  const spec = rowSpec(g, n);
  const comp = def.component(spec);
  const kind = getComponent(comp.kind);
  const cfg = parseConfig(kind, comp.config, `${n.name}.component`);
  const fields = kind.stream(cfg);
  const ports = spec.inputs.length === 1 ? (['in'] as const) : (['a', 'b'] as const);
  const fieldAt = (i: number): string => {
    const f = fields.in[i]?.name;
    if (!f) throw internalError(`${comp.kind} has no input field ${i}`);
    return f;
  };
  const storage = g.weightsStorage === 'embedded' ? 'embedded' : 'memory';
  const cal = def.calibratedParams?.(spec) ?? [];
  const base = {
    kind: 'row-unit' as const,
    node: n.name,
    op: n.op,
    features: spec.features,
    inputs: spec.inputs.map((x, i) => ({
      port: ports[i] ?? 'in',
      field: fieldAt(i),
      tensor: x.tensor,
      element: x.element,
      bits: x.bits,
      features: x.features,
    })),
    params: [
      ...spec.params.map((p, i) => ({
        field: fieldAt(spec.inputs.length + i),
        tensor: p.tensor,
        bits: p.bits,
        codes: consts.quantized(p.tensor)[0]?.codes ?? [],
      })),
      ...cal.map((p, i) => ({
        field: fieldAt(spec.inputs.length + spec.params.length + i),
        tensor: p.tensor,
        bits: p.bits,
        codes: p.codes,
      })),
    ],
    storage,
    ...(comp.chunk === undefined ? {} : { chunk: comp.chunk }),
    ...(storage === 'memory' && spec.params.length + cal.length > 0
      ? { imagePrefix: `${g.name}_${n.name}` }
      : {}),
    component: comp,
    outField: fields.out[0]?.name ?? 'y',
    outElement: spec.out.element,
    outBits: spec.out.bits,
    outExp: spec.out.exp,
  } satisfies Omit<RowUnitConfig, 'module'>;
  return { ...base, module: rowModuleName(base) };
}
