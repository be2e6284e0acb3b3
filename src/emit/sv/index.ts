// Public surface of the SystemVerilog emitter.
export * from './emit.js';
export * from './options.js';
export { SV_KEYWORDS } from './keywords.js';
