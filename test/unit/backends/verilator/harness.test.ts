// The harness generator: word layout per width class and template filling.
import { expect } from 'chai';
import { harnessSource, totalWords, wordsOf } from '../../../../src/backends/index.js';

describe('verilator harness source', () => {
  it('takes ceil(width/32) words per port', () => {
    expect([1, 32, 33, 64, 65, 130].map(wordsOf)).to.deep.equal([1, 1, 2, 2, 3, 5]);
    expect(
      totalWords([
        { name: 'a', width: 7 },
        { name: 'b', width: 96 },
      ]),
    ).to.equal(4);
  });

  it('masks the top word of each input and splits 33..64-bit ports into two words', () => {
    const src = harnessSource({
      inputs: [
        { name: 'rst', width: 1 },
        { name: 'i1', width: 40 },
        { name: 'i2', width: 70 },
      ],
      outputs: [{ name: 'o0', width: 33 }],
      clock: 'clk',
    });
    // 1 bit: mask 0x1; 40 bits: high word keeps 8 bits (0xff); 70 bits: 3 words, top keeps 6 (0x3f).
    expect(src).to.contain('top->rst = w[0] & 0x1U;');
    expect(src).to.contain('top->i1 = (static_cast<uint64_t>(w[2] & 0xffU) << 32) | w[1];');
    expect(src).to.contain('top->i2[0] = w[3];');
    expect(src).to.contain('top->i2[2] = w[5] & 0x3fU;');
    expect(src).to.contain('w[1] = static_cast<uint32_t>(top->o0 >> 32);');
    expect(src).to.contain('static const size_t IN_WORDS = 6;');
    expect(src).to.contain('top->clk = 1;');
    expect(src).not.to.match(/\{\{[A-Z_]+\}\}/);
  });

  it('has no clock edge for a combinational model and is deterministic', () => {
    const spec = { inputs: [{ name: 'i0', width: 8 }], outputs: [], clock: null };
    const a = harnessSource(spec);
    expect(a).not.to.contain('top->clk');
    expect(harnessSource(spec)).to.equal(a);
  });

  it('rejects a port name that is not a C++ identifier', () => {
    expect(() =>
      harnessSource({ inputs: [{ name: 'a.b', width: 1 }], outputs: [], clock: null }),
    ).to.throw(/not a C\+\+ identifier/);
  });
});
