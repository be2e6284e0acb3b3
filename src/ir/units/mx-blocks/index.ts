// MX × MX layers of several 32-element blocks per token: mx-dot lanes summed in binary32 by
// fp32-acc (fp32-blockwise), an int or MX output (LANE_TABLE row mx-dot blocks).
import { internalError } from '../../../hdl/index.js';
import { componentLatency, readCycles, serial } from '../latency.js';
import { linearModuleName } from '../name.js';
import type { LinearUnitDef } from '../types.js';
import { generateMxBlockLinear, mxBlockPorts } from './generate.js';
import { lowerMxBlocks } from './lower.js';

export const MX_BLOCKS_UNIT: LinearUnitDef = {
  name: 'mx-blocks',
  lanes: 'mx-dot blocks + fp32-acc',
  takes: (c) => c.component?.kind === 'mx-dot' && c.component.blocks !== undefined,
  lower: lowerMxBlocks,
  moduleName: linearModuleName,
  ports: mxBlockPorts,
  generate: generateMxBlockLinear,
  schedule: (c) => {
    // G·C steps, the dot, one fp32-acc stage, registered output (+ quantize).
    const comp = c.component;
    if (comp?.kind !== 'mx-dot' || comp.blocks === undefined)
      throw internalError(`${c.node}: not an mx-dot blocks unit`);
    const steps = (c.outFeatures / c.lanes) * comp.blocks;
    const dot = componentLatency('mx-dot', comp.config, `${c.node}.component`);
    const quant = comp.quantize
      ? 1 + componentLatency('mx-quantize', comp.quantize, `${c.node}.quantize`)
      : 0;
    const acc = componentLatency('fp32-acc', { stages: 1 }, `${c.node}.acc`);
    return serial(steps, steps + readCycles(c) + dot + acc + 1 + quant);
  },
};
