// The module name of every layer unit, and the first fields of its config: its shape, then a digest of the part of its config that
// decides the hardware (units.ts `unitHardwareConfig`: no values in memory and stream modes).
import { digestName } from '../../hdl/index.js';
import type { Graph, Node, WeightsStorage } from '../graph.js';
import { type LinearUnitConfig, unitHardwareConfig } from '../units.js';

export function linearModuleName(c: Omit<LinearUnitConfig, 'module'>): string {
  return digestName(
    `linear_${c.inFeatures}x${c.outFeatures}_p${c.lanes}t${c.tile}`,
    unitHardwareConfig({ ...c, module: '' }),
  );
}

/**
 * The fields a unit config of node `n` starts with, for units whose weights are constants or
 * SRAM words (no stream port): kind, storage, the data files' prefix (memory), node, K and N.
 */
export function unitBase(g: Graph, n: Node, storage: WeightsStorage, k: number, nOut: number) {
  const st = storage === 'memory' ? ('memory' as const) : ('embedded' as const);
  return {
    kind: 'linear-unit' as const,
    storage: st,
    ...(st === 'memory' ? { imagePrefix: `${g.name}_${n.name}` } : {}),
    node: n.name,
    inFeatures: k,
    outFeatures: nOut,
  };
}
