// src/ir/onnx/model.ts loads onnx-proto only when a model is read (start-up time of the CLI), so
// it spells the ONNX data type numbers out; they must be onnx-proto's.
import { expect } from 'chai';
import onnxProto from 'onnx-proto';
import { DT } from '../../src/ir/onnx/model.js';

describe('onnx model reader: data type numbers', () => {
  it('every DT value equals onnx-proto TensorProto.DataType', () => {
    const want = onnxProto.onnx.TensorProto.DataType as unknown as Record<string, number>;
    for (const [name, v] of Object.entries(DT)) expect(v, name).to.equal(want[name]);
  });
});
