// The unit's own multipliers (embedded weights folded to integers): the LANE_TABLE's last row.
import { linearModuleName } from '../name.js';
import { serial } from '../latency.js';
import type { LinearUnitDef } from '../types.js';
import { generateLinear, ownPorts } from './generate.js';

export const OWN_UNIT: LinearUnitDef = {
  name: 'own',
  lanes: "the unit's own multipliers",
  takes: (c) => c.component === undefined,
  moduleName: linearModuleName,
  ports: ownPorts,
  generate: (c) => ({ module: generateLinear(c), srams: [], images: new Map() }),
  schedule: (c) => {
    // G·C steps after the accept cycle, each group's results registered as it finishes; the
    // vector is offered the cycle after the last step.
    const steps = (c.outFeatures / c.lanes) * (c.inFeatures / c.tile);
    return serial(steps, steps + 1);
  },
};
