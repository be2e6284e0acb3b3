// `mxgen run` on the default design, twice into two folders: exit 0, the documented files, a
// cosim.json with zero mismatches on both simulators, and byte-identical folders.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(out: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'node',
    ['bin/mxgen.js', 'run', 'templates/designs/default.yaml', '--out', out],
    { encoding: 'utf8' },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('e2e: mxgen run templates/designs/default.yaml', () => {
  let root = '';
  before(() => (root = mkdtempSync(join(tmpdir(), 'mxgen-run-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the same bytes twice, with zero mismatches in both simulators', () => {
    const a = run(join(root, 'a'));
    expect(a.code, a.stderr).to.equal(0);
    expect(a.stdout).to.match(/native sim: 80 output beats vs golden, 0 mismatches/);
    expect(a.stdout).to.match(/verilator: +80 output beats vs golden, 0 mismatches/);
    const b = run(join(root, 'b'));
    expect(b.code, b.stderr).to.equal(0);
    const da = join(root, 'a', 'default');
    const db = join(root, 'b', 'default');
    const files = readdirSync(da).sort();
    expect(files).to.include.members([
      'manifest.json',
      'area.json',
      'cosim.json',
      'report.html',
      'graph.json',
    ]);
    expect(files.filter((f) => f.endsWith('.sv')).length).to.be.at.least(3);
    expect(readdirSync(db).sort()).to.deep.equal(files);
    for (const f of files)
      expect(readFileSync(join(db, f)).equals(readFileSync(join(da, f))), f).to.equal(true);
    const cosim = JSON.parse(readFileSync(join(da, 'cosim.json'), 'utf8')) as {
      vectorsCompared: { native: number; verilator: number };
      mismatches: number;
    };
    // 20 tensors × 4 tokens = 80 output beats per simulator.
    expect(cosim.vectorsCompared).to.deep.equal({ native: 80, verilator: 80 });
    expect(cosim.mismatches).to.equal(0);
    expect(readFileSync(join(da, 'report.html'), 'utf8')).to.include('<svg');
  });
});
