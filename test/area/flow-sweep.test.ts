// The Yosys path of `mxgen sweep` (src/flow/sweep-run.ts) at a tiny size: a 4×4 int8 linear layer
// at 2 and 4 MACs, each point synthesized with the system Yosys in the worker pool. Holds whatever
// the exact gate counts: every point is measured by the pinned Yosys, more MACs cost more area and
// fewer cycles (so both points are Pareto-optimal), and a second run reads the same rows back from
// the cache.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepCommand, sweepCsv, sweepError } from '../../src/flow/index.js';

const TINY = `design: tiny_sweep
seed: 1
macs: 4
tokens: 1
graph:
  - { op: input, name: x, features: 4 }
  - { op: linear, name: fc1, input: x, features: 4 }
outputs: [fc1]
precision:
  weights: int8
  activations: int8
`;

describe('flow: sweep with Yosys area (tiny)', function () {
  this.timeout(300_000);
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'mxgen-flow-sweep-'));
    writeFileSync(join(root, 'tiny.yaml'), TINY);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const opts = (out: string) => ({
    macs: '2,4',
    vectors: '1',
    workers: '1',
    yosys: 'system',
    out: join(root, out),
  });

  it('measures every point with the system Yosys; more MACs: more GE, fewer cycles', async () => {
    const notes: string[] = [];
    const r = await sweepCommand(join(root, 'tiny.yaml'), opts('a'), {
      onNote: (t) => notes.push(t),
    });
    expect(sweepError(r)).to.equal(undefined);
    expect(r.rows.map((x) => x.macs)).to.deep.equal([2, 4]);
    const [two, four] = r.rows;
    for (const x of r.rows) {
      expect(x.ok, x.error).to.equal(true);
      expect(x.mismatches).to.equal(0);
      expect(x.tool).to.match(/^Yosys 0\.23 /);
      expect(x.areaGE).to.be.a('number').greaterThan(0);
    }
    expect(four?.areaGE).to.be.greaterThan(two?.areaGE ?? Infinity);
    expect(four?.cyclesPerToken).to.be.lessThan(two?.cyclesPerToken ?? 0);
    const csv = readFileSync(join(r.dir, 'sweep.csv'), 'utf8');
    expect(csv).to.equal(sweepCsv(r.rows));
    expect(csv.split('\n')[0]).to.contain('area_ge');
    // Both points are Pareto-optimal (area vs cycles per token).
    expect(csv.trim().split('\n').slice(1)).to.satisfy((rows: string[]) =>
      rows.every((l) => l.split(',')[11] === 'true'),
    );
    expect(readFileSync(join(r.dir, 'pareto.svg'), 'utf8')).to.contain('<svg');
  });

  it('a second run reads both points from the cache, same CSV bytes', async () => {
    const a = readFileSync(join(root, 'a', 'tiny_sweep-sweep', 'sweep.csv'), 'utf8');
    const r = await sweepCommand(join(root, 'tiny.yaml'), opts('b'));
    expect(r.rows.map((x) => x.cached)).to.deep.equal([true, true]);
    const b = readFileSync(join(r.dir, 'sweep.csv'), 'utf8');
    expect(b).to.equal(a);
  });
});
