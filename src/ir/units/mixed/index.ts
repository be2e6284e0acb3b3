// mixed × mixed layers with one format map on mixed-lane lanes (LANE_TABLE row mixed-lane).
import { getComponent, parseConfig } from '../../../components/index.js';
import { laneLatency, readCycles, serial } from '../latency.js';
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
    const kind = getComponent('mixed-lane');
    const config = c.component?.kind === 'mixed-lane' ? c.component.config : {};
    const cfg = parseConfig(kind, config, `${c.node}.component`);
    const steps = (c.outFeatures / c.lanes) * Number(kind.derive(cfg).beatsPerRow);
    return serial(steps, steps + readCycles(c) + laneLatency(c) + 1);
  },
};
