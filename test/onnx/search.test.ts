// `mxgen search` (issue 14 point 4) on the scikit-learn digits classifier (its logits
// `add_result1`, before the softmax: argmax is the same; 100 test rows, 4 MACs):
// a front with a point strictly smaller in logic than uniform int8 at equal or better accuracy (or
// the search says why not), byte-identical output on a second run, and two shards merged with
// `mxgen search-merge` give the same front as the unsharded run.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function mxgen(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/mxgen.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A search folder's files (without mxgen's marker), for byte comparisons. */
function files(d: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(d)
      .filter((f) => f !== '.mxgen-output')
      .sort()
      .map((f) => [f, readFileSync(join(d, f), 'latin1')]),
  );
}

/** pareto.csv's rows (checked header: the quality column is `accuracy` or `relativeError`). */
function paretoRows(folder: string, quality: string): string[][] {
  const csv = readFileSync(join(folder, 'pareto.csv'), 'utf8');
  expect(csv.split('\n')[0]).to.equal(
    `index,phase,mix,${quality},logicGE,memoryBits,cyclesPerToken,mismatches,pareto,error`,
  );
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

/**
 * The same search again (points now cached) writes the same bytes, and two shards merged with
 * `mxgen search-merge` give the same folder as the unsharded run in `<dir>/a`.
 */
function sameAgainAndSharded(
  search: (out: string, ...extra: string[]) => ReturnType<typeof mxgen>,
  dir: string,
  name: string,
): void {
  const folder = join(dir, 'a', `${name}-search`);
  const b = search('b');
  expect(b.code, b.stderr).to.equal(0);
  expect(files(join(dir, 'b', `${name}-search`))).to.deep.equal(files(folder));
  for (const i of [0, 1]) {
    const s = search('s', '--shard', `${i}/2`);
    expect(s.code, s.stderr).to.equal(0);
  }
  const m = mxgen(
    'search-merge',
    join(dir, 's', `${name}-search-shard-0-of-2`),
    join(dir, 's', `${name}-search-shard-1-of-2`),
    '--out',
    join(dir, 'm'),
  );
  expect(m.code, m.stderr).to.equal(0);
  expect(files(join(dir, 'm', `${name}-search`))).to.deep.equal(files(folder));
}

describe('onnx: mxgen search on the digits classifier', function () {
  this.timeout(3_600_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-search-'));
    const r = spawnSync('.venv/bin/python', ['test/onnx/make_models.py', dir, 'digits'], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    const cut = spawnSync(
      '.venv/bin/python',
      [
        '-c',
        `import numpy as np; d='${dir}'; np.save(d+'/x100.npy', np.load(d+'/digits.x.npy')[:100]); np.save(d+'/y100.npy', np.load(d+'/digits.labels.npy')[:100])`,
      ],
      { encoding: 'utf8' },
    );
    expect(cut.status, cut.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const search = (out: string, ...extra: string[]): ReturnType<typeof mxgen> =>
    mxgen(
      'search',
      join(dir, 'digits.onnx'),
      '--output',
      'add_result1',
      '--inputs',
      join(dir, 'x100.npy'),
      '--labels',
      join(dir, 'y100.npy'),
      '--formats',
      'int8,int4,int2',
      '--macs',
      '4',
      '--workers',
      '2',
      '--out',
      join(dir, out),
      ...extra,
    );

  it('finds a point smaller than uniform int8 at equal or better accuracy; deterministic; shards merge to the same front', () => {
    const a = search('a');
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stdout).to.match(/sensitivity-ordered greedy then local moves/);
    const rows = paretoRows(join(dir, 'a', 'digits-search'), 'accuracy');
    expect(rows.length).to.be.at.least(4);
    expect(rows.every((r) => r[7] === '0' || r[9] !== '')).to.equal(true); // no mismatches
    const summary = JSON.parse(
      readFileSync(join(dir, 'a', 'digits-search', 'search.json'), 'utf8'),
    ) as { betterThanBaseline: number[] | string; pareto: number[] };
    console.log(`      ${a.stdout.trim().split('\n').slice(1, 4).join('\n      ')}`);
    expect(summary.betterThanBaseline, String(summary.betterThanBaseline)).to.be.an('array');
    expect((summary.betterThanBaseline as number[]).length).to.be.at.least(1);
    // Deterministic, and two shards merged give the same folder.
    sameAgainAndSharded(search, dir, 'digits');
    // A missing shard is refused.
    const bad = mxgen(
      'search-merge',
      join(dir, 's', 'digits-search-shard-0-of-2'),
      '--out',
      join(dir, 'm2'),
    );
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/points are in no shard given/);
  });
});

// The bundled LM-style design `gpt2-mlp` (GPT-2's c_fc → tanh-GELU → c_proj → residual at d_model
// 8, FFN 32; its seeded inputs, 4 tensors × 4 tokens; quality = relative error vs FP64). Chosen
// because Yosys finishes it in about a minute per point here, which the norms and the attention
// unit do not (docs/onnx.md "Search"): 8 hardware points, a point smaller than uniform int8 at an
// error no larger, the same bytes again, two shards merged = the unsharded folder.
describe('onnx: mxgen search on the bundled LM-style design gpt2-mlp', function () {
  this.timeout(3_600_000);
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-search-lm-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const search = (out: string, ...extra: string[]): ReturnType<typeof mxgen> =>
    mxgen(
      'search',
      'gpt2-mlp',
      '--formats',
      'int8,int4',
      '--budget',
      '0.1',
      '--workers',
      '2',
      '--out',
      join(dir, out),
      ...extra,
    );

  it('finds a point smaller than uniform int8 at no larger error; deterministic; shards merge to the same front', () => {
    const a = search('a');
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stdout).to.match(/sensitivity-ordered greedy then local moves: 4 tensors/);
    const folder = join(dir, 'a', 'gpt2_mlp-search');
    const rows = paretoRows(folder, 'relativeError');
    expect(rows.length).to.be.at.least(4);
    expect(rows.every((r) => r[7] === '0' && r[9] === '')).to.equal(true); // all ran, no mismatch
    const base = rows.find((r) => r[1] === 'baseline') as string[];
    expect(base[2]).to.equal('c_fc.weight=int8 c_fc=int8 c_proj.weight=int8 c_proj=int8');
    const summary = JSON.parse(readFileSync(join(folder, 'search.json'), 'utf8')) as {
      betterThanBaseline: number[] | string;
    };
    console.log(`      ${a.stdout.trim().split('\n').slice(1, 4).join('\n      ')}`);
    expect(summary.betterThanBaseline, String(summary.betterThanBaseline)).to.be.an('array');
    const better = summary.betterThanBaseline as number[];
    expect(better.length).to.be.at.least(1);
    // Each such point really is smaller in logic, no larger in memory, at no larger error.
    for (const i of better) {
      const r = rows.find((x) => Number(x[0]) === i) as string[];
      expect(Number(r[4])).to.be.below(Number(base[4]));
      expect(Number(r[5])).to.be.at.most(Number(base[5]));
      expect(Number(r[3])).to.be.at.most(Number(base[3]));
    }
    sameAgainAndSharded(search, dir, 'gpt2_mlp');
  });
});
