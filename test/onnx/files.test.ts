// The file formats of the ONNX flow (docs/onnx.md): the weights side file (safetensors layout)
// round-trips a design's constants exactly; .npy files written by npyjs read back exactly; bad
// files are one-line errors.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { npyBytes, readNpy } from '../../src/ir/onnx/npy.js';
import { joinWeights, splitWeights } from '../../src/ir/onnx/weights-file.js';
import { dyadicEps } from '../../src/ir/onnx/import.js';

describe('onnx: weights side file and .npy files', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-files-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('splitWeights / joinWeights round-trip every constant bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ noNaN: true }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.double({ noNaN: true }), { minLength: 4, maxLength: 4 }),
        (w, gamma) => {
          const design = {
            design: 'd',
            graph: [
              { op: 'input', name: 'x', features: 3 },
              { op: 'linear', name: 'fc', input: 'x', features: w.length, weights: w },
              { op: 'rmsnorm', name: 'n', input: 'fc', gamma_values: gamma },
            ],
          };
          const s = splitWeights(design, 'w.safetensors');
          expect(JSON.stringify(s.design)).not.to.match(/weights"|gamma_values/);
          const path = join(dir, 'w.safetensors');
          writeFileSync(path, s.bytes);
          const back = joinWeights(s.design, path, 'd.yaml');
          expect(back.graph).to.deep.equal(design.graph);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a truncated side file is a one-line error', () => {
    const s = splitWeights(
      { design: 'd', graph: [{ op: 'linear', name: 'fc', weights: [[1, 2]] }] },
      'w.safetensors',
    );
    const path = join(dir, 'short.safetensors');
    writeFileSync(path, s.bytes.subarray(0, s.bytes.length - 3));
    expect(() => joinWeights(s.design, path, 'd.yaml')).to.throw(
      /d\.yaml: weights_file .*short\.safetensors: tensor fc\.weight is not F64 data inside the file/,
    );
  });

  it('.npy written by npyjs reads back exactly; wrong files are refused', () => {
    const data = [0.1, -2, 3.5e300, 5e-324, 0, -0];
    writeFileSync(join(dir, 'a.npy'), npyBytes(data, [2, 3]));
    const t = readNpy(join(dir, 'a.npy'));
    expect(t.shape).to.deep.equal([2, 3]);
    expect(Array.from(t.data)).to.deep.equal(data);
    writeFileSync(join(dir, 'b.npy'), 'hello');
    expect(() => readNpy(join(dir, 'b.npy'))).to.throw(
      /b\.npy: not a readable \.npy file: no NumPy magic/,
    );
    const big = Buffer.from(npyBytes(data, [2, 3]));
    const be = Buffer.from(big.toString('latin1').replace("'<f8'", "'>f8'"), 'latin1');
    writeFileSync(join(dir, 'c.npy'), be);
    expect(() => readNpy(join(dir, 'c.npy'))).to.throw(/big-endian dtype >f8/);
  });

  it('norm eps: the nearest eps_mantissa · 2^eps_exp with an even exponent', () => {
    const e = dyadicEps(1e-5);
    expect(e.eps_exp % 2).to.equal(0);
    expect(e.eps_mantissa).to.be.at.most(65536);
    expect(Math.abs(e.eps_mantissa * 2 ** e.eps_exp - 1e-5) / 1e-5).to.be.below(1e-4);
  });
});
