// Public surface of the native cycle simulator.
export * from './simulator.js';
export * from './flatten.js';
export * from './levelize.js';
export * from './repr.js';
export * from './codegen.js';
export * from './stream.js';
export * from './vcd.js';
