// Element-wise and row-wise ops of the IR (docs/ir.md "Row ops"): definitions, format checks,
// lowering, golden/FP64 evaluation and the unit.
export * from './types.js';
export { rowOpDef } from './registry.js';
export { rowSpec, ROW_MAX_FEATURES } from './spec.js';
export { lowerRow, rowModuleName } from './lower.js';
export { rowGolden, rowFp64 } from './eval.js';
export { generateRowUnit } from './hw.js';
export { erf } from './activation.js';
