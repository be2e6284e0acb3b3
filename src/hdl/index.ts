// Public surface of the HDL builder.
export * from './errors.js';
export * from './netlist.js';
export {
  type Shape,
  u,
  s,
  shapeName,
  sameShape,
  shapeRange,
  toPattern,
  fromPattern,
  MAX_WIDTH,
} from './shape.js';
export { Expr, type ExprLike, lit, mux, cat, rom, RomRead, addrWidth } from './expr.js';
export { OPS, type OpRule, type BuilderOp, shapeOf } from './ops.js';
export { Input, Output, Wire } from './signal.js';
export { RegHandle, type RegOptions } from './reg.js';
export { Memory, MemRead, type MemOptions } from './mem.js';
export {
  Sram,
  SramRead,
  type SramOptions,
  type MemImage,
  type MemImages,
  formatMemHex,
  parseMemHex,
} from './sram.js';
export { InstanceHandle, InstOut } from './instance.js';
export { ModuleBuilder, type ModuleOptions } from './module.js';
export { elaborate, type ElaborateOptions } from './elaborate.js';
export { memoGenerator } from './generator.js';
export { configDigest, digestName, canonicalJson, isIdentifier } from './names.js';
export { setSrcLocCapture, srcLocCaptureEnabled } from './srcloc.js';
export * from './suggest.js';
export { foldCell, mask } from './fold.js';
export * from './stream.js';
