// Public surface of the dataflow IR: graph, design files, passes, golden/FP64 evaluation, units.
export * from './graph.js';
export * from './formats.js';
export * from './design.js';
export * from './passes.js';
export * from './infer.js';
export * from './quantize.js';
export * from './parallelize.js';
export * from './lower.js';
export * from './emit.js';
export * from './pipeline.js';
export * from './eval.js';
export * from './data.js';
export * from './vectors.js';
export * from './schedule.js';
export * from './pack.js';
export * from './units.js';
export {
  generateLinear,
  linearWidths,
  LINEAR_UNITS,
  linearUnitOf,
  inScaleBits,
} from './units/index.js';
export type { LinearUnitDef } from './units/index.js';
export { generateRelu } from './hw-relu.js';
export { generateCast } from './hw-cast.js';
export { mxElementName } from './lower-linear.js';
export * from './row-ops/index.js';
export * from './onnx/index.js';
