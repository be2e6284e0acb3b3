// LSB-first code packing (formats.md 1.1): the argument checks, each at its boundary, with the
// exact message (mutation testing found them all unchecked: any of them could be dropped).
import { expect } from 'chai';
import { NumericsError, packCodes, unpackCodes } from '../../../src/numerics/index.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(NumericsError);
    return (e as Error).message;
  }
  throw new Error('expected a NumericsError');
}

describe('numerics: packCodes / unpackCodes argument checks', () => {
  it('widths 1 and 8 work; 0, 9 and 1.5 are refused by both', () => {
    expect([...packCodes([1, 0, 1], 1)]).to.deep.equal([0b101]);
    expect([...packCodes([0xff, 0x80], 8)]).to.deep.equal([0xff, 0x80]);
    expect(unpackCodes(Uint8Array.of(0b101), 1, 3)).to.deep.equal([1, 0, 1]);
    expect(unpackCodes(Uint8Array.of(0xff, 0x80), 8, 2)).to.deep.equal([0xff, 0x80]);
    for (const bits of [0, 9, 1.5]) {
      expect(message(() => packCodes([0], bits))).to.equal(`packing width ${bits} must be 1..8`);
      expect(message(() => unpackCodes(Uint8Array.of(0), bits, 0))).to.equal(
        `packing width ${bits} must be 1..8`,
      );
    }
  });

  it('codes must be integers in 0 .. 2^bits - 1', () => {
    expect([...packCodes([0, 15], 4)]).to.deep.equal([0xf0]);
    expect(message(() => packCodes([3, 16], 4))).to.equal(
      'code 16 at index 1 does not fit in 4 bits',
    );
    expect(message(() => packCodes([-1], 4))).to.equal('code -1 at index 0 does not fit in 4 bits');
    expect(message(() => packCodes([0.5], 4))).to.equal(
      'code 0.5 at index 0 does not fit in 4 bits',
    );
  });

  it('unpacking more codes than the bytes hold is refused; exactly full is fine', () => {
    // 3 bytes hold 24 bits: four 6-bit codes fit exactly, five do not.
    const bytes = packCodes([0x01, 0x1f, 0x20, 0x3a], 6);
    expect(unpackCodes(bytes, 6, 4)).to.deep.equal([0x01, 0x1f, 0x20, 0x3a]);
    expect(message(() => unpackCodes(bytes, 6, 5))).to.equal(
      '3 bytes hold fewer than 5 codes of 6 bits',
    );
    // 2 bytes, 3 codes of 5 bits = 15 bits: fits (a count/bits confusion would say otherwise).
    expect(unpackCodes(Uint8Array.of(0xff, 0x7f), 5, 3)).to.deep.equal([31, 31, 31]);
  });
});
