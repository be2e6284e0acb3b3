// Shared arithmetic of the component generators (Gemmini's Arithmetic idea): element formats
// enter a datapath only through these helpers.
export * from './formats.js';
export * from './element.js';
export * from './product.js';
export * from './adder-tree.js';
export * from './to-binary32.js';
export * from './codes.js';
export * from './int-math.js';
export * from './lanes.js';
export * from './random-rows.js';
export * from './fp32-add.js';
export * from './fixed.js';
