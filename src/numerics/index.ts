// Public surface of the golden numerics (docs/numerics.md): exact values, element formats,
// encode/decode, MX blocks and dot products, NVFP4, BitMoD, OliVe pairs, packing.
export * from './errors.js';
export * from './exact.js';
export * from './rounding.js';
export * from './binary.js';
export * from './formats.js';
export * from './decode.js';
export * from './encode.js';
export * from './mx-formats.js';
export * from './mx-quantize.js';
export * from './mx-dot.js';
export * from './nvfp4.js';
export * from './bitmod.js';
export * from './olive.js';
export * from './packing.js';
export * from './catalogue.js';
export * from './int-ops/index.js';
export * from './blockdialect.js';
export * from './hadamard.js';
export * from './mixed.js';
