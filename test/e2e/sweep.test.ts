// `mxgen sweep`: points across a worker pool, every point bit-exact against the golden model,
// rejected mixes reported per point, the cache reused on a second run, shards that partition the
// points.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  paretoSet,
  pointKey,
  sweepCsv,
  sweepPoints,
  parseMix,
  type SweepRow,
} from '../../src/flow/sweep.js';

function sweep(
  out: string,
  ...extra: string[]
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'node',
    [
      'bin/mxgen.js',
      'sweep',
      'templates/designs/mlp-int8.yaml',
      '--mix',
      'weights=int8',
      'weights=olive4,fc1=int8',
      'input=mxfp8_e4m3',
      '--macs',
      '8,24',
      '--vectors',
      '2',
      '--no-area',
      '--workers',
      '2',
      '--out',
      out,
      ...extra,
    ],
    { encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('e2e: mxgen sweep', () => {
  let root = '';
  before(() => (root = mkdtempSync(join(tmpdir(), 'mxgen-sweep-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('evaluates 6 points, rejects the bias-with-MX-input mix, then reuses the cache', () => {
    const a = sweep(join(root, 'a'));
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stdout).to.match(/^mlp_int8: 6 points \(\d+ cached\), 2 rejected, 0 with mismatches/);
    const csv = readFileSync(join(root, 'a', 'mlp_int8-sweep', 'sweep.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).to.equal(
      'index,mix,macs,macs_used,ok,mismatches,beats,cycles_per_token,relative_error,area_ge,tool,pareto,error',
    );
    expect(csv).to.have.length(7);
    // Points 0..3 simulate 2 tensors × 3 tokens = 6 beats each with 0 mismatches.
    for (const line of csv.slice(1, 5)) expect(line).to.match(/^\d,[^,]+,(8|24),\d+,true,0,6,/);
    expect(csv[5]).to.include('unsupported precision pair: a bias needs a statically scaled input');
    const b = sweep(join(root, 'b'));
    // The 4 accepted points come from the cache; rejections are not cached (issue 19).
    expect(b.stdout).to.match(/^mlp_int8: 6 points \(4 cached\), 2 rejected/);
    expect(readFileSync(join(root, 'b', 'mlp_int8-sweep', 'sweep.csv'), 'utf8')).to.equal(
      readFileSync(join(root, 'a', 'mlp_int8-sweep', 'sweep.csv'), 'utf8'),
    );
    // The Pareto plot: Vega axes with titles, the chosen point labelled; the same bytes twice.
    const svg = readFileSync(join(root, 'a', 'mlp_int8-sweep', 'pareto.svg'), 'utf8');
    expect(svg).to.include('role-axis-title').and.include('MACs used');
    expect(svg)
      .to.include('relative error vs FP64')
      .and.match(/>chosen: [^<]+, macs=(8|24)</);
    expect(readFileSync(join(root, 'b', 'mlp_int8-sweep', 'pareto.svg'), 'utf8')).to.equal(svg);
  });

  it("the Yosys (kind and version) is part of a point's cache key and has a CSV column", () => {
    const pt = {
      design: {},
      file: 'd.yaml',
      mix: {},
      mixLabel: 'design',
      macs: 8,
      tensors: 2,
      area: true,
    };
    const sys = pointKey('0.1.0', { ...pt, yosys: { kind: 'system', detail: 'Yosys 0.23' } }, 'c');
    const wasm = pointKey(
      '0.1.0',
      { ...pt, yosys: { kind: 'yowasp', detail: '@yowasp/yosys 0.55.944' } },
      'c',
    );
    const other = pointKey(
      '0.1.0',
      { ...pt, yosys: { kind: 'system', detail: 'Yosys 0.40' } },
      'c',
    );
    expect(new Set([sys, wasm, other]).size).to.equal(3);
    const csv = sweepCsv([
      { index: 0, mix: 'm', macs: 8, ok: true, cached: false, areaGE: 10, tool: 'Yosys 0.23' },
    ]).split('\n');
    expect(csv[1]).to.match(/^0,m,8,,true,,,,,10,Yosys 0\.23,(true|false),$/);
  });

  it('shards partition the points', () => {
    const mixes = ['weights=int8', 'weights=olive4'].map(parseMix);
    const all = sweepPoints(mixes, [4, 8, 16], { index: 0, count: 1 }).map((p) => p.index);
    const shards = [0, 1, 2].flatMap((i) => sweepPoints(mixes, [4, 8, 16], { index: i, count: 3 }));
    expect(shards.map((p) => p.index).sort((x, y) => x - y)).to.deep.equal(all);
    expect(all).to.deep.equal([0, 1, 2, 3, 4, 5]);
  });

  it('the Pareto set keeps exactly the non-dominated points', () => {
    const row = (index: number, area: number, err: number, cyc: number): SweepRow => ({
      index,
      mix: 'm',
      macs: 1,
      ok: true,
      cached: false,
      areaGE: area,
      relativeError: err,
      cyclesPerToken: cyc,
    });
    // 1 is dominated by 0 (worse on all three); 2 trades area for error; 3 equals 0 on area and
    // error but is slower, so dominated.
    const set = paretoSet([
      row(0, 10, 0.1, 5),
      row(1, 12, 0.2, 6),
      row(2, 20, 0.05, 5),
      row(3, 10, 0.1, 7),
    ]);
    expect([...set].sort()).to.deep.equal([0, 2]);
  });
});
