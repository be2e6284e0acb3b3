// Public surface of the tool backends: the process helper, tool checks, Verilator and Yosys.
export * from './process.js';
export * from './tools.js';
export * from './cache.js';
export * from './images.js';
export * from './verilator/index.js';
export * from './yosys/index.js';
export * from './cleanup.js';
