// blockdialect × blockdialect layers on dialect-mac lanes (LANE_TABLE row dialect-mac).
import { laneLatency, readCycles, serial } from '../latency.js';
import { linearModuleName } from '../name.js';
import type { LinearUnitDef } from '../types.js';
import { dialectPorts, generateDialectLinear } from './generate.js';
import { lowerDialect } from './lower.js';

export const DIALECT_UNIT: LinearUnitDef = {
  name: 'dialect',
  lanes: 'dialect-mac',
  takes: (c) => c.component?.kind === 'dialect-mac',
  lower: lowerDialect,
  moduleName: linearModuleName,
  ports: dialectPorts,
  generate: generateDialectLinear,
  schedule: (c) => {
    // G steps, the MAC's results in order, registered output.
    const G = c.outFeatures / c.lanes;
    return serial(G, G + readCycles(c) + laneLatency(c) + 1);
  },
};
