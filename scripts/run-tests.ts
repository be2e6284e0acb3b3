// The whole suite behind `npm test`: type-check, lint, format check, mocha, then pytest (cocotb).
// Every stage is counted, and the run ends with one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
const extraArgs = process.argv.slice(2);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): number {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) {
    console.error(`run-tests: cannot start ${cmd}: ${r.error.message}`);
    return 127;
  }
  return r.status ?? 1;
}

/** A stage that is one test: passes when the command exits 0. */
function checkStage(name: string, cmd: string, args: string[]): void {
  console.log(`\n== ${name}: ${[cmd, ...args].join(' ')}`);
  const code = run(cmd, args);
  if (code === 0) tally.passed += 1;
  else {
    tally.failed += 1;
    failures.push(name);
  }
}

function mochaStage(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-test-'));
  const stats = join(dir, 'mocha.json');
  console.log(`\n== mocha`);
  const specs = extraArgs.length > 0 ? extraArgs : ['test/**/*.test.ts'];
  const code = run('npx', ['mocha', ...specs], { MXGEN_MOCHA_STATS: stats });
  if (existsSync(stats)) {
    const s = JSON.parse(readFileSync(stats, 'utf8')) as {
      passed: number;
      failed: number;
      pending: number;
    };
    tally.passed += s.passed;
    tally.failed += s.failed;
    tally.skipped += s.pending;
    if (s.failed > 0) failures.push(`mocha (${s.failed} failing)`);
    else if (code !== 0) {
      tally.failed += 1;
      failures.push(`mocha exited ${code}`);
    }
  } else {
    tally.failed += 1;
    failures.push(`mocha exited ${code} before reporting`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function pytestStage(): void {
  const py = join('.venv', 'bin', 'python');
  if (!existsSync('cocotb-bridge/tests')) return;
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-pytest-'));
  const xml = join(dir, 'junit.xml');
  console.log(`\n== pytest (cocotb bridge)`);
  const code = run(py, [
    '-m',
    'pytest',
    'cocotb-bridge/tests',
    '-p',
    'no:cacheprovider',
    `--junitxml=${xml}`,
  ]);
  if (code === 5) {
    console.log('pytest: no tests collected');
  } else if (existsSync(xml)) {
    const text = readFileSync(xml, 'utf8');
    const m = /<testsuite [^>]*>/.exec(text)?.[0] ?? '';
    const num = (k: string): number => Number(new RegExp(`${k}="(\\d+)"`).exec(m)?.[1] ?? 0);
    const total = num('tests');
    const bad = num('failures') + num('errors');
    const skipped = num('skipped');
    tally.passed += total - bad - skipped;
    tally.failed += bad;
    tally.skipped += skipped;
    if (bad > 0) failures.push(`pytest (${bad} failing)`);
  } else {
    tally.failed += 1;
    failures.push(`pytest exited ${code} before reporting`);
  }
  rmSync(dir, { recursive: true, force: true });
}

const onlyMocha = extraArgs.length > 0;
if (!onlyMocha) {
  checkStage('typecheck', 'npx', ['tsc', '--noEmit']);
  checkStage('eslint', 'npx', ['eslint', '.']);
  checkStage('prettier', 'npx', ['prettier', '--check', '.']);
}
mochaStage();
if (!onlyMocha) pytestStage();

if (failures.length > 0) console.log(`\nfailed stages: ${failures.join(', ')}`);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exitCode = tally.failed > 0 ? 1 : 0;
