// Public surface of the HDL builder.
export * from './errors.js';
export * from './netlist.js';
