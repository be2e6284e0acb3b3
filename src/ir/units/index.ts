// The layer units (src/ir/units/<name>) and their shared token-serial controller.
export { LINEAR_UNITS, linearUnitOf, inScaleBits } from './registry.js';
export type { LinearUnitDef } from './types.js';
export type { GeneratedUnit, UnitPortWidths } from './control.js';
export { generateLinear, linearWidths } from './own/generate.js';
export { linearModuleName } from './name.js';
