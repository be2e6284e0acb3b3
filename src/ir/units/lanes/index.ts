// Registry lanes that accumulate over a stream of beats: olive-pe, scalable-pe, one mac-array, or
// the unit's own vector lanes (LANE_TABLE rows olive-pe, vector, scalable-pe, mac-array).
import {
  bufferedSerial,
  chunkedSerial,
  laneLatency,
  outBuffered,
  outputStageCycles,
  readCycles,
  serial,
} from '../latency.js';
import { linearModuleName } from '../name.js';
import type { LinearUnitDef } from '../types.js';
import { generateLaneLinear, lanePorts, laneTokenInSram } from './generate.js';

const KINDS = ['olive-pe', 'scalable-pe', 'mac-array', 'vector'];

export const LANES_UNIT: LinearUnitDef = {
  name: 'lanes',
  lanes: 'olive-pe, scalable-pe, mac-array or vector lanes',
  takes: (c) => KINDS.includes(c.component?.kind ?? ''),
  moduleName: linearModuleName,
  ports: lanePorts,
  generate: generateLaneLinear,
  schedule: (c) => {
    // G·C steps, the lanes' latency after the last beat, the output stage.
    const steps = (c.outFeatures / c.lanes) * (c.inFeatures / c.tile);
    // vector-lane.ts: the closing beat's sum is registered (out_valid one cycle later).
    const lane = c.component?.kind === 'vector' ? 1 : laneLatency(c);
    const latency = steps + 1 + readCycles(c) + lane + outputStageCycles(c.node, c);
    const C = c.inFeatures / c.tile;
    const s = laneTokenInSram(c)
      ? c.inChunked
        ? chunkedSerial(steps, latency, C)
        : bufferedSerial(steps, latency, C)
      : serial(steps, latency);
    return c.outChunk ? outBuffered(s) : s;
  },
};
