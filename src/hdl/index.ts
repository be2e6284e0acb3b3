// Public surface of the HDL builder.
export * from './errors.js';
