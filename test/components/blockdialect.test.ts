// dialect-mac (both published datapaths) and dialect-quantize: every registered example swept by
// the generic component harness (native sim vs numerics.dialectDot / dialectQuantizeActivation
// with random stalls, every code pair of every dialect pair on one lane, one Verilator build
// compared every cycle, lint in three tools, determinism), plus the coverage of the quantizer's
// stimulus: every dialect is chosen, and NaN, all-zero and tiny blocks occur.
import '../../src/components/index.js';
import { expect } from 'chai';
import { getComponent, makeRng, parseConfig } from '../../src/components/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('dialect-mac'), { transactions: 3000 });
sweepComponentKind(getComponent('dialect-quantize'), { transactions: 3000 });

describe('dialect-quantize stimulus coverage', () => {
  it('3000 random blocks reach every dialect (k = 32, 8), NaN blocks and zero blocks (k = 1)', () => {
    const kind = getComponent('dialect-quantize');
    for (const k of [32, 8, 1]) {
      const c = parseConfig(kind, { k });
      const rng = makeRng(20260101);
      const out = kind.reference(
        c,
        Array.from({ length: 3000 }, () => kind.randomBeat(c, rng)),
      );
      const seen = new Set(out.map((o) => (o.scale === 0xffn ? 'nan' : String(o.dialect))));
      if (k > 1)
        for (let d = 0; d < 16; d++)
          expect(seen.has(String(d)), `k=${k} dialect ${d}`).to.equal(true);
      expect(seen.has('nan'), `k=${k} NaN`).to.equal(true);
      if (k === 1) expect(out.some((o) => o.scale === 0n && o.codes === 0n)).to.equal(true);
    }
  });
});
