// Integer golden definitions of the transformer ops (docs/numerics.md "Integer transformer ops").
export * from './fixed.js';
export * from './exp.js';
export * from './softmax.js';
export * from './norm.js';
export * from './activation.js';
export * from './mul.js';
export * from './matmul.js';
export * from './attention.js';
export * from './kv-cache.js';
export * from './rope.js';
