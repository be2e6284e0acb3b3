// BlockDialect (DialectFP4) hardware: the MAC lane and the online activation quantizer.
export * from './mac.js';
export * from './quantize.js';
