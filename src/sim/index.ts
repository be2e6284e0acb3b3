// Public surface of the native cycle simulator.
export * from './simulator.js';
export * from './flatten.js';
export * from './levelize.js';
export * from './repr.js';
export * from './codegen.js';
export * from './layout.js';
export * from './stream.js';
export * from './vcd.js';

/** The typed TypeScript model (`mxgen sim --emit-ts`); loads ts-morph only when called. */
export async function emitTypedModelSource(
  nl: import('../hdl/index.js').Netlist,
  opts: import('./simulator.js').CompileOptions = {},
): Promise<string> {
  const m = await import('./emit-ts.js');
  return m.emitTypedModel(nl, opts);
}
