// blockdialect × blockdialect layers on dialect-mac lanes (LANE_TABLE row dialect-mac).
import { internalError } from '../../../hdl/index.js';
import { componentLatency, readCycles, serial } from '../latency.js';
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
    const comp = c.component;
    if (comp?.kind !== 'dialect-mac') throw internalError(`${c.node}: not a dialect-mac unit`);
    const G = c.outFeatures / c.lanes;
    const mac = componentLatency('dialect-mac', comp.config, `${c.node}.component`);
    return serial(G, G + readCycles(c) + mac + 1);
  },
};
