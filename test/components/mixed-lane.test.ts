// mixed-lane: every registered example swept by the generic component harness (native sim vs
// numerics.mixedDot per group with random stalls, one Verilator build compared every cycle,
// lint, determinism), and its config errors: a format map that does not cover the channels.
import '../../src/components/index.js';
import { expect } from 'chai';
import { getComponent, parseConfig } from '../../src/components/index.js';
import { MxgenError } from '../../src/hdl/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('mixed-lane'), { transactions: 3000 });

describe('mixed-lane config errors', () => {
  it('a map that does not cover the channels is one line naming the field', () => {
    const kind = getComponent('mixed-lane');
    const f = (): unknown =>
      parseConfig(kind, { channels: 64, map: [{ start: 0, end: 48, bits: 4, groupSize: 16 }] });
    expect(f).to.throw(
      MxgenError,
      /^mixed-lane\.map: map covers channels 0\.\.47 but the tensor has 64 channels$/,
    );
    const g = (): unknown =>
      parseConfig(kind, { channels: 8, map: [{ start: 0, end: 8, bits: 4, groupSize: 6 }] });
    expect(g).to.throw(MxgenError, /^mixed-lane\.map\.0\.groupSize: groupSize 6 must divide/);
  });
});
