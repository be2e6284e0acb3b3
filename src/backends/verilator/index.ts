// Public surface of the Verilator backend: lint, harness, cached build, run, co-simulation.
export * from './build.js';
export * from './harness.js';
export * from './lint.js';
export * from './run.js';
export * from './sv-merge.js';
export * from './wrapper.js';
export * from './cosim.js';
export * from './sample-vcd.js';
export * from './stimulus.js';
