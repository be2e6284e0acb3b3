// Smoke run of the mutation-testing configuration (stryker.config.mjs, docs/mutation.md), so it
// cannot rot between full `npm run mutate` runs: the real StrykerJS with the mocha runner (tsx),
// per-test coverage and the TypeScript checker, on src/numerics/packing.ts lines 21-22 (the
// check that the bytes hold the codes) against its unit test. Every mutant there must be killed
// by a test or rejected by the checker, and the JSON report must say so.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Report {
  files: Record<string, { mutants: { status: string; location: { start: { line: number } } }[] }>;
}

describe('mutation testing: smoke run of stryker.config.mjs', function () {
  this.timeout(5 * 60_000);

  it('kills or type-rejects every mutant of the unpackCodes checks and writes the JSON report', () => {
    const reports = mkdtempSync(join(tmpdir(), 'mxgen-mutate-smoke-'));
    const sandbox = `.stryker-tmp-smoke-${process.pid}`;
    try {
      const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], {
        encoding: 'utf8',
        env: {
          ...process.env,
          MXGEN_MUTATE: 'numerics',
          MXGEN_MUTATE_CHECKER: '1',
          MXGEN_MUTATE_FILES: 'src/numerics/packing.ts:21-22',
          MXGEN_MUTATE_SPECS: 'test/unit/numerics/packing.test.ts',
          MXGEN_MUTATE_REPORTS: reports,
          MXGEN_MUTATE_TMP: sandbox,
        },
      });
      expect(r.status, `stryker exited ${r.status}:\n${r.stdout}\n${r.stderr}`).to.equal(0);
      const report = JSON.parse(readFileSync(join(reports, 'custom.json'), 'utf8')) as Report;
      expect(Object.keys(report.files)).to.deep.equal(['src/numerics/packing.ts']);
      const mutants = report.files['src/numerics/packing.ts']?.mutants ?? [];
      const statuses = mutants.map((m) => m.status);
      expect(mutants.length, 'mutants on lines 21-22').to.be.greaterThan(5);
      for (const m of mutants) expect(m.location.start.line).to.be.within(21, 22);
      expect(statuses.filter((s) => s !== 'Killed' && s !== 'CompileError')).to.deep.equal([]);
      expect(statuses, 'the mocha runner killed some').to.include('Killed');
      expect(statuses, 'the TypeScript checker rejected some').to.include('CompileError');
    } finally {
      rmSync(reports, { recursive: true, force: true });
      rmSync(sandbox, { recursive: true, force: true });
    }
  });
});
