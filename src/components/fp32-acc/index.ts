// fp32-acc: in-order binary32 accumulation of a value stream (arith fp32Add, RNE), the hardware of
// DotGeneral's fp32-blockwise mode (formats.md 5.2).
import { registerComponent, type ComponentKind } from '../registry.js';
import { exhaustiveFp32AccBeats, randomFp32AccBeat } from './beats.js';
import {
  deriveFp32Acc,
  FP32_ACC_DEFAULTS,
  fp32AccName,
  fp32AccSchema,
  type Fp32AccConfig,
} from './config.js';
import { generateFp32Acc } from './generate.js';
import { referenceFp32Acc } from './reference.js';

export * from './config.js';
export { generateFp32Acc } from './generate.js';
export { referenceFp32Acc, binary32Add } from './reference.js';
export {
  randomFp32AccBeat,
  exhaustiveFp32AccBeats,
  fp32AccChosenValues,
  FP32_SPECIALS,
} from './beats.js';

export const fp32AccKind: ComponentKind<Fp32AccConfig> = {
  kind: 'fp32-acc',
  description: 'binary32 accumulator: a value stream summed in order from +0 (RNE per addition)',
  schema: fp32AccSchema,
  examples: [
    { name: 'acc', config: { ...FP32_ACC_DEFAULTS } },
    { name: 'acc-p2', config: { ...FP32_ACC_DEFAULTS, stages: 2 } },
  ],
  moduleName: fp32AccName,
  derive: deriveFp32Acc,
  generate: generateFp32Acc,
  stream: () => ({
    in: [
      { name: 'value', width: 32 },
      { name: 'last', width: 1 },
    ],
    out: [{ name: 'value', width: 32 }],
  }),
  randomBeat: randomFp32AccBeat,
  exhaustiveBeats: exhaustiveFp32AccBeats,
  reference: referenceFp32Acc,
  contract: (cfg) =>
    'An input beat has in_value (binary32 bits) and in_last. The values are summed in order ' +
    'from +0, one addition per cycle, each addition the exact sum rounded once to ' +
    'nearest-even (formats.md 7.3; as numerics add + toBinary32Bits): overflow gives ±Inf, ' +
    'x + (-x) = +0, -0 + -0 = -0 (so a sum of only -0 values is +0, from the +0 start), a NaN ' +
    'operand or +Inf + -Inf gives NaN 0x7FC00000 (sign and payload dropped). A beat with ' +
    'in_last = 1 closes the sum: out_value is the sum including that beat and the accumulator ' +
    `restarts at +0. Latency ${cfg.stages} cycle(s) from the last beat to out_valid; full ` +
    'throughput; stalls as a whole when out_ready is low.',
};

registerComponent(fp32AccKind);
