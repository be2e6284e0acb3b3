// ONNX import and its file formats (docs/onnx.md).
export {
  dyadicEps,
  importOnnx,
  SUPPORTED_OPS,
  type Imported,
  type ImportOptions,
} from './import.js';
export { npyBytes, readNpy, type NpyTensor } from './npy.js';
export { joinWeights, splitWeights } from './weights-file.js';
