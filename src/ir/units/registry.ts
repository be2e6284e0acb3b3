// Every layer unit, by folder (src/ir/units/<name>: lower, module name, ports, generate,
// schedule). A further unit is one more folder plus its line here; emit (generate), schedule and
// the top's ports consult this table, and LANE_TABLE (lower-linear.ts) picks its lanes.
import { internalError } from '../../hdl/index.js';
import type { LinearUnitConfig } from '../units.js';
import { DIALECT_UNIT } from './dialect/index.js';
import { LANES_UNIT } from './lanes/index.js';
import { MIXED_UNIT } from './mixed/index.js';
import { MX_BLOCKS_UNIT } from './mx-blocks/index.js';
import { MX_DOT_UNIT } from './mx-dot/index.js';
import { OWN_UNIT } from './own/index.js';
import type { LinearUnitDef } from './types.js';

export const LINEAR_UNITS: readonly LinearUnitDef[] = [
  LANES_UNIT,
  MX_DOT_UNIT,
  MX_BLOCKS_UNIT,
  DIALECT_UNIT,
  MIXED_UNIT,
  OWN_UNIT,
];

/** The unit that builds a lowered linear config. */
export function linearUnitOf(c: LinearUnitConfig): LinearUnitDef {
  const d = LINEAR_UNITS.find((u) => u.takes(c));
  if (!d) throw internalError(`${c.node}: no layer unit takes lanes ${c.component?.kind ?? 'own'}`);
  return d;
}

/** Bits of a unit's `in_x_scale` (0: no scale field). */
export function inScaleBits(c: LinearUnitConfig): number {
  return linearUnitOf(c).ports(c).xScale ?? 0;
}
