// mixed × mixed layers with one format map on mixed-lane lanes (LANE_TABLE row mixed-lane).
import { getComponent, parseConfig } from '../../../components/index.js';
import { internalError } from '../../../hdl/index.js';
import { componentLatency, readCycles, serial } from '../latency.js';
import { linearModuleName } from '../name.js';
import type { LinearUnitDef } from '../types.js';
import { generateMixedLinear, mixedPorts } from './generate.js';
import { lowerMixed } from './lower.js';

export const MIXED_UNIT: LinearUnitDef = {
  name: 'mixed',
  lanes: 'mixed-lane',
  takes: (c) => c.component?.kind === 'mixed-lane',
  lower: lowerMixed,
  moduleName: linearModuleName,
  ports: mixedPorts,
  generate: generateMixedLinear,
  schedule: (c) => {
    // G rows of beatsPerRow beats, the lane's latency, registered output.
    const comp = c.component;
    if (comp?.kind !== 'mixed-lane') throw internalError(`${c.node}: not a mixed-lane unit`);
    const kind = getComponent('mixed-lane');
    const cfg = parseConfig(kind, comp.config, `${c.node}.component`);
    const steps = (c.outFeatures / c.lanes) * Number(kind.derive(cfg).beatsPerRow);
    const lane = componentLatency('mixed-lane', comp.config, `${c.node}.component`);
    return serial(steps, steps + readCycles(c) + lane + 1);
  },
};
