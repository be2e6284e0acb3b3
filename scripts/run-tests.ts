// The whole suite behind `npm test`: type-check, lint, format check, mocha, then pytest (cocotb).
// Every stage is counted, and the run ends with one line `N passed, N failed`.
//
// Both cores are kept busy (the suite's budget is 30 minutes on a 2-core machine): type-check,
// lint and format check run side by side; mocha runs its files on two workers (`--parallel`,
// the slowest files first so that none starts last), and pytest runs beside mocha. The output of
// a stage that runs beside another is collected and printed whole when it ends.
// `MXGEN_TEST_JOBS=1` runs mocha serially (then the per-file times it prints are wall times).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
const jobs = Math.max(1, Number(process.env.MXGEN_TEST_JOBS ?? '2') || 2);

/**
 * Test files that take minutes (measured in full runs on the 2-core machine), queued first so
 * that the two mocha workers finish together. Files not listed follow in name order.
 */
const SLOW_FIRST = [
  'test/e2e/verilator-embedded-blocks.test.ts',
  'test/e2e/verilator.test.ts',
  'test/e2e/verilator-embedded.test.ts',
  'test/e2e/real-size.test.ts',
  'test/onnx/search.test.ts',
  'test/area/equiv-simplify.test.ts',
  'test/ir/schedule.test.ts',
  'test/onnx/import.test.ts',
  'test/ir/row-chunked.test.ts',
  'test/unit/emit/names.test.ts',
  'test/cosim/random.cosim.test.ts',
  'test/components/xfmr-ops.test.ts',
];

/** Runs a command on this terminal; resolves with its exit code. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (e) => {
      console.error(`run-tests: cannot start ${cmd}: ${e.message}`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Runs a command with its output collected; resolves with the exit code and the output. */
function runCollected(cmd: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', (e) =>
      resolve({ code: 127, output: `run-tests: cannot start ${cmd}: ${e.message}\n` }),
    );
    child.on('close', (code) =>
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString() }),
    );
  });
}

/** Stages that are one test each (pass when the command exits 0), run side by side. */
async function checkStages(stages: readonly [string, string, string[]][]): Promise<void> {
  const results = await Promise.all(stages.map(([, cmd, args]) => runCollected(cmd, args)));
  stages.forEach(([name, cmd, args], i) => {
    const r = results[i] as { code: number; output: string };
    console.log(`\n== ${name}: ${[cmd, ...args].join(' ')}`);
    process.stdout.write(r.output);
    if (r.code === 0) tally.passed += 1;
    else {
      tally.failed += 1;
      failures.push(name);
    }
  });
}

/** Every test file, the slow ones first. */
function mochaFiles(): string[] {
  const all = readdirSync('test', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => `test/${f.split('\\').join('/')}`)
    .sort();
  const slow = SLOW_FIRST.filter((f) => all.includes(f));
  return [...slow, ...all.filter((f) => !slow.includes(f))];
}

async function mochaStage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-test-'));
  const stats = join(dir, 'mocha.json');
  console.log(`\n== mocha${jobs > 1 ? ` (${jobs} workers)` : ''}`);
  const specs = extraArgs.length > 0 ? extraArgs : mochaFiles();
  const parallel = jobs > 1 && specs.length > 1 ? ['--parallel', '--jobs', String(jobs)] : [];
  const code = await run('npx', ['mocha', ...parallel, ...specs], { MXGEN_MOCHA_STATS: stats });
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

/** Starts pytest (cocotb bridge) with its output collected; the returned function tallies it. */
function startPytest(): () => Promise<void> {
  const py = join('.venv', 'bin', 'python');
  if (!existsSync('cocotb-bridge/tests')) return () => Promise.resolve();
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-pytest-'));
  const xml = join(dir, 'junit.xml');
  const args = [
    '-m',
    'pytest',
    'cocotb-bridge/tests',
    '-p',
    'no:cacheprovider',
    `--junitxml=${xml}`,
  ];
  const done = runCollected(py, args);
  return async () => {
    const { code, output } = await done;
    console.log(`\n== pytest (cocotb bridge): ${[py, ...args].join(' ')}`);
    process.stdout.write(output);
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
  };
}

const onlyMocha = extraArgs.length > 0;
if (!onlyMocha)
  await checkStages([
    ['typecheck', 'npx', ['tsc', '--noEmit']],
    ['eslint', 'npx', ['eslint', '.']],
    ['prettier', 'npx', ['prettier', '--check', '.']],
  ]);
const pytestDone = onlyMocha ? null : startPytest();
await mochaStage();
if (pytestDone) await pytestDone();

if (failures.length > 0) console.log(`\nfailed stages: ${failures.join(', ')}`);
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exitCode = tally.failed > 0 ? 1 : 0;
