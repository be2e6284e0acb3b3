// A layer unit as one descriptor (docs/ir.md "Units"): everything the IR needs of it — which
// lowered configs it takes, its module name, its stream ports, its generator and its schedule —
// so that a further unit is one more folder of src/ir/units plus its line in registry.ts.
// `lower` builds its config for the LANE_TABLE rows that choose it (lower-linear.ts).
import type { QVector } from '../formats.js';
import type { Pair } from '../lower-linear.js';
import type { UnitSchedule } from '../schedule.js';
import type { LinearUnitConfig } from '../units.js';
import type { GeneratedUnit, UnitPortWidths } from './control.js';

export interface LinearUnitDef {
  /** Its folder (src/ir/units/<name>). */
  readonly name: string;
  /** What computes: the lane components it instantiates (for messages and docs). */
  readonly lanes: string;
  /** Whether a lowered config is built by this unit. */
  takes(c: LinearUnitConfig): boolean;
  /** The config of a layer whose pair a LANE_TABLE row gave this unit (units with their own rule). */
  readonly lower?: (p: Pair, rows: readonly QVector[]) => LinearUnitConfig;
  /** The module name: the shape and a digest of `unitHardwareConfig` (name.ts). */
  moduleName(c: Omit<LinearUnitConfig, 'module'>): string;
  /** Widths of the stream ports (in_x, in_x_scale, out_y, out_y_scale). */
  ports(c: LinearUnitConfig): UnitPortWidths;
  generate(c: LinearUnitConfig): GeneratedUnit;
  /** Steps, latency and interval per token, without gaps or stalls (schedule.ts). */
  schedule(c: LinearUnitConfig): UnitSchedule;
}
