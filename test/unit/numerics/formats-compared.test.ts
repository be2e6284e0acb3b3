// scripts/formats-compared.ts at a tiny size: every format row runs on every data set through the
// golden models, every SQNR is finite and positive, the dequantized values have the data's shape,
// the output is deterministic, and properties that hold whatever the data: int4 with g = 32 is
// at least as good as g = 128 on each set; Atom (int8 outlier channels) beats plain int4 g = 128
// on the outlier-channel set; DialectFP4 offline (best MSE per block) is at least as good as the
// online rule on every set (the online choice is one of the 16 the MSE search tries).
import { expect } from 'chai';
import {
  datasets,
  FORMATS,
  formatsComparedMarkdown,
  sqnrDb,
} from '../../../scripts/formats-compared.js';

describe('formats-compared (tiny: 4 rows × 64 channels)', () => {
  const data = datasets(4, 64);
  const sq = new Map<string, number[]>();
  before(() => {
    for (const f of FORMATS)
      sq.set(
        f.id,
        data.map((d) => {
          const y = f.run(d);
          expect(
            y.map((r) => r.length),
            f.id,
          ).to.deep.equal(d.rows.map((r) => r.length));
          return sqnrDb(d.rows, y);
        }),
      );
  });

  it('every format gives a finite, positive SQNR on every data set', () => {
    for (const [id, v] of sq)
      for (const x of v) expect(Number.isFinite(x) && x > 0, id).to.equal(true);
  });

  it('properties that hold whatever the data', () => {
    const at = (id: string, i: number): number => sq.get(id)?.[i] ?? NaN;
    data.forEach((_, i) => {
      expect(at('int4-g32', i)).to.be.at.least(at('int4-g128', i) - 0.5);
      expect(at('dialect-mse', i)).to.be.at.least(at('dialect-online', i) - 1e-9);
    });
    expect(at('atom', 2)).to.be.above(at('int4-g128', 2));
  });

  it('the document is deterministic', () => {
    expect(formatsComparedMarkdown(2, 32)).to.equal(formatsComparedMarkdown(2, 32));
  });
});
