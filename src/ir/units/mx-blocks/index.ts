// MX × MX layers of several 32-element blocks per token: mx-dot lanes summed in binary32 by
// fp32-acc (fp32-blockwise), an int or MX output (LANE_TABLE row mx-dot blocks).
import { tokenInSram } from '../control.js';
import {
  bufferedSerial,
  chunkedSerial,
  componentLatency,
  laneLatency,
  outBuffered,
  quantizeCycles,
  readCycles,
  serial,
} from '../latency.js';
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
    // G·C steps (C = K / 32 blocks), the dot, one fp32-acc stage, registered output (+ quantize).
    const steps = (c.outFeatures / c.lanes) * (c.inFeatures / c.tile);
    const acc = componentLatency('fp32-acc', { stages: 1 }, `${c.node}.acc`);
    const lanes = readCycles(c) + laneLatency(c) + acc;
    const latency = steps + lanes + 1 + quantizeCycles(c);
    const C = c.inFeatures / c.tile;
    const s = tokenInSram(c)
      ? c.inChunked
        ? chunkedSerial(steps, latency, C)
        : bufferedSerial(steps, latency, C)
      : serial(steps, latency);
    // Decision 57: a chunked output drains from its SRAM (the next token starts as it is offered).
    return c.outChunk ? outBuffered(s) : s;
  },
};
