// Public surface of the component generators: the registry and every registered kind.
export * from './registry.js';
export * from './random.js';
export {
  adderTree,
  castToInt,
  castToIntLane,
  decodeElementFixed,
  elementMaxSig,
  exprSelect,
  fitSigned,
  romSelect,
  satSigned,
  sbits,
  ubits,
  fixedToBinary32,
  fp32Add,
  FP32_ADD_NAN,
  packCodes,
  packSignedCodes,
  unpackCodes,
  unpackSignedCodes,
  unpackUnsignedCodes,
} from './arith/index.js';
export * from './mx-scale/index.js';
export * from './mx-dot/index.js';
export * from './mac-array/index.js';
export * from './scalable-pe/index.js';
export * from './olive/index.js';
export * from './mx-quantize/index.js';
export * from './softmax/index.js';
export * from './norm/index.js';
export * from './activation/index.js';
export * from './mul/index.js';
export * from './matmul/index.js';
export * from './kv-attention/index.js';
export * from './rope/index.js';
export * from './fp32-acc/index.js';
export * from './blockdialect/index.js';
export * from './bitmod-pe/index.js';
export * from './mixed-lane/index.js';
export * from './fwht/index.js';
export * from './row-chunked/index.js';
