// Hand-derived vectors for the integer helpers of the transformer ops (int-ops/fixed.ts): RNE
// shifts, saturation, exact integer square roots, bit lengths and the parameter checks with their
// messages. In-process, so StrykerJS sees them (docs/mutation.md).
import { expect } from 'chai';
import {
  bitLength,
  checkIntParam,
  checkSignedCodes,
  isqrt,
  NumericsError,
  rneShift,
  satSigned,
  satUnsigned,
} from '../../../src/numerics/index.js';

describe('int-ops helpers (fixed.ts)', () => {
  it('rneShift: -1.5 → -2, 2.5 → 2, 3.5 → 4, -0.5 → 0, k ≤ 0 shifts left', () => {
    const got = [
      rneShift(-6n, 2),
      rneShift(10n, 2),
      rneShift(14n, 2),
      rneShift(-2n, 2),
      rneShift(3n, -2),
      rneShift(3n, 0),
    ];
    expect(got).to.deep.equal([-2n, 2n, 4n, 0n, 12n, 3n]);
  });
  it('satSigned clamps to [-2^(b-1), 2^(b-1)-1]', () => {
    const got = [200n, -200n, 127n, -128n, 128n, -129n, 5n].map((v) => satSigned(v, 8));
    expect(got).to.deep.equal([127n, -128n, 127n, -128n, 127n, -128n, 5n]);
    expect(satSigned(9n, 4)).to.equal(7n);
    expect(satSigned(-9n, 4)).to.equal(-8n);
  });
  it('satUnsigned clamps to [0, 2^b-1]', () => {
    const got = [256n, -1n, 255n, 0n, 7n].map((v) => satUnsigned(v, 8));
    expect(got).to.deep.equal([255n, 0n, 255n, 0n, 7n]);
    expect(satUnsigned(16n, 4)).to.equal(15n);
  });
  it('isqrt is floor(sqrt(v)) at squares, one below and large values', () => {
    const rows: [bigint, bigint][] = [
      [0n, 0n],
      [1n, 1n],
      [2n, 1n],
      [3n, 1n],
      [4n, 2n],
      [8n, 2n],
      [9n, 3n],
      [15n, 3n],
      [16n, 4n],
      [99n, 9n],
      [100n, 10n],
      [1n << 61n, 1518500249n], // floor(√2 · 2^30)
      [1n << 64n, 1n << 32n],
      [(1n << 64n) - 1n, (1n << 32n) - 1n],
      [10n ** 30n, 10n ** 15n],
      [10n ** 30n - 1n, 10n ** 15n - 1n],
    ];
    expect(rows.map(([v]) => isqrt(v))).to.deep.equal(rows.map((r) => r[1]));
    expect(() => isqrt(-1n)).to.throw(NumericsError, 'isqrt of a negative value -1');
  });
  it('bitLength: 0 → 0, 1 → 1, 255 → 8, 256 → 9', () => {
    expect([0n, 1n, 255n, 256n].map(bitLength)).to.deep.equal([0, 1, 8, 9]);
  });
  it('checkIntParam accepts the inclusive range, refuses the rest with a one-line message', () => {
    expect(() => checkIntParam('shift', 0, 0, 8)).not.to.throw();
    expect(() => checkIntParam('shift', 8, 0, 8)).not.to.throw();
    for (const v of [1.5, -1, 9])
      expect(() => checkIntParam('shift', v, 0, 8)).to.throw(
        NumericsError,
        `shift must be an integer in 0..8; got ${v}`,
      );
  });
  it('checkSignedCodes: every code in the signed range, the first bad one named', () => {
    expect(() => checkSignedCodes('x', [1, -8, 7], 4)).not.to.throw();
    expect(() => checkSignedCodes('x', [8], 4)).to.throw(
      NumericsError,
      'x[0] = 8 is not a signed 4-bit code (-8..7)',
    );
    expect(() => checkSignedCodes('w', [0, -9, 100], 4)).to.throw(
      NumericsError,
      'w[1] = -9 is not a signed 4-bit code (-8..7)',
    );
    expect(() => checkSignedCodes('x', [0.5], 8)).to.throw(NumericsError, 'x[0] = 0.5');
  });
});
