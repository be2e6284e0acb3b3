// The ONNX importer's Hadamard recognition (docs/onnx.md): a constant matrix becomes the IR's
// `hadamard` op only when it is exactly 2^-ν·H_n, entry by entry; anything else stays a linear.
import { expect } from 'chai';
import { isHadamard } from '../../src/ir/onnx/import.js';

/** (-1)^popcount(i & j) · scale, written out independently of src/numerics. */
function sylvester(n: number, scale: number): number[][] {
  const pop = (v: number): number => (v === 0 ? 0 : (v & 1) + pop(v >> 1));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (pop(i & j) % 2 === 0 ? scale : -scale)),
  );
}

describe('onnx: MatMul with a constant Hadamard matrix', () => {
  it('2^-ν·H_n for n = 2..64 (ν = ceil(k/2)) is recognized', () => {
    for (let k = 1; k <= 6; k++)
      expect(isHadamard(sylvester(2 ** k, 2 ** -Math.ceil(k / 2))), `n = ${2 ** k}`).to.equal(true);
  });

  it('H_n/√n for odd k, an unscaled H_n, n = 128, a flipped sign or a non-square matrix are not', () => {
    expect(isHadamard(sylvester(8, 1 / Math.sqrt(8)))).to.equal(false);
    expect(isHadamard(sylvester(16, 1))).to.equal(false);
    expect(isHadamard(sylvester(128, 2 ** -4))).to.equal(false);
    const flipped = sylvester(16, 0.25);
    flipped[3]![5] = -flipped[3]![5]!;
    expect(isHadamard(flipped)).to.equal(false);
    expect(isHadamard(sylvester(16, 0.25).map((r) => r.slice(0, 8)))).to.equal(false);
    expect(isHadamard([[1]])).to.equal(false);
  });
});
