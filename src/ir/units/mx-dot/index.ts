// One-block MX × MX layers on mx-dot lanes: an int output, or an MX output through one
// mx-quantize (LANE_TABLE rows mx-dot and mx-dot + mx-quantize).
import { internalError } from '../../../hdl/index.js';
import { laneLatency, quantizeCycles, readCycles, serial } from '../latency.js';
import { linearModuleName } from '../name.js';
import type { LinearUnitDef } from '../types.js';
import { generateMxDotLinear, mxDotPorts } from './generate.js';
import { lowerMxOut } from './lower.js';

export const MX_DOT_UNIT: LinearUnitDef = {
  name: 'mx-dot',
  lanes: 'mx-dot (+ mx-quantize)',
  takes: (c) => c.component?.kind === 'mx-dot' && c.component.blocks === undefined,
  lower: (p, rows) => {
    if (p.outF.kind !== 'mx') throw internalError(`${p.n.name}: not an MX output`);
    return lowerMxOut(p, rows, p.outF);
  },
  moduleName: linearModuleName,
  ports: mxDotPorts,
  generate: generateMxDotLinear,
  schedule: (c) => {
    // G steps, the dot's results in order, registered output (+ quantize).
    const G = c.outFeatures / c.lanes;
    return serial(G, G + readCycles(c) + laneLatency(c) + 1 + quantizeCycles(c));
  },
};
