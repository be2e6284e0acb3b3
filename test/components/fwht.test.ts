// fwht: every registered example swept by the generic component harness (native sim vs
// numerics.fwht with random stalls, every input of n = 2 × 4-bit exhaustively, one Verilator build
// compared every cycle, lint, determinism), and the config error for a size that is not 2^k.
import '../../src/components/index.js';
import { expect } from 'chai';
import { getComponent, parseConfig } from '../../src/components/index.js';
import { MxgenError } from '../../src/hdl/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('fwht'), { transactions: 3000 });

describe('fwht config errors', () => {
  it('n not a power of two is one line naming the field', () => {
    expect(() => parseConfig(getComponent('fwht'), { n: 12 })).to.throw(
      MxgenError,
      /^fwht\.n: hadamard n 12 is not a power of two/,
    );
  });
});
