// `mxgen run <design> --no-verilator --no-area` end to end, CPU time of the whole process tree
// (user + system, from the shell's `times`), for every bundled design, before (a reference commit,
// f0a1947 by default: when issue 18 was filed) and after (this checkout), side by side: for each
// design the two runs alternate, `repeats` times, and the medians are compared. Run alone with
//   node --import tsx scripts/bench.ts run-cli
// The reference checkout is a temporary `git worktree` (node_modules linked from this one) unless
// MXGEN_BENCH_BEFORE names a checkout. This checkout's compiled CLI (dist/) is built first.
// Designs: by default those the reference has too (the real-size ones run for minutes each);
// MXGEN_BENCH_FULL=1 every bundled design; MXGEN_BENCH_RUN_DESIGNS=a,b a list.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchRecord } from '../bench.js';
import { benchFull } from '../bench-full.js';

export interface RunCliOptions {
  /** Bundled design names (default: see the head of this file). */
  readonly designs?: readonly string[];
  /** Runs of each side per design; the median is reported (default 3). */
  readonly repeats?: number;
  /** The reference commit (default f0a1947), checked out in a temporary worktree. */
  readonly before?: string;
  /** An existing checkout to use as the reference instead (MXGEN_BENCH_BEFORE). */
  readonly beforeRoot?: string;
  /** Build this checkout's dist/ first (default true). */
  readonly build?: boolean;
}

const ROOT = resolve('.');

/** CPU seconds (user + system of the command and its children) and wall seconds of one run. */
function timeRun(root: string, design: string): { cpu: number; wall: number; ok: boolean } {
  const out = mkdtempSync(join(tmpdir(), 'mxgen-bench-run-'));
  const file = join('templates', 'designs', `${design}.yaml`);
  const t0 = performance.now();
  const text = execFileSync(
    'sh',
    [
      '-c',
      `node bin/mxgen.js run "$1" --no-verilator --no-area --out "$2" >/dev/null 2>&1; echo "rc=$?"; times`,
      'sh',
      file,
      out,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  rmSync(out, { recursive: true, force: true });
  // `times`: the shell's own user/system, then its children's: `0m1.230000s 0m0.140000s`.
  const lines = text.trim().split('\n');
  const kids = lines[lines.length - 1] ?? '';
  const secs = [...kids.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { cpu: (secs[0] ?? NaN) + (secs[1] ?? NaN), wall, ok: /rc=0/.test(text) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2;
};

/** A detached worktree of `commit` with this checkout's node_modules linked in. */
function referenceTree(commit: string): { root: string; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), `mxgen-bench-${commit.slice(0, 12)}-`));
  rmSync(root, { recursive: true, force: true });
  execFileSync('git', ['worktree', 'add', '--detach', root, commit], {
    cwd: ROOT,
    stdio: 'ignore',
  });
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return {
    root,
    dispose: () => {
      execFileSync('git', ['worktree', 'remove', '--force', root], { cwd: ROOT, stdio: 'ignore' });
    },
  };
}

export async function run(opts: RunCliOptions = {}): Promise<BenchRecord[]> {
  const repeats = opts.repeats ?? 3;
  if (opts.build !== false)
    execFileSync('node', ['bin/compiled.js', '--build'], { cwd: ROOT, stdio: 'ignore' });
  const given = opts.beforeRoot ?? process.env.MXGEN_BENCH_BEFORE;
  const ref = given
    ? { root: resolve(given), dispose: () => {} }
    : referenceTree(opts.before ?? 'f0a1947');
  const bundled = readdirSync(join(ROOT, 'templates', 'designs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  const listed = process.env.MXGEN_BENCH_RUN_DESIGNS?.split(',').filter((x) => x !== '');
  const designs =
    opts.designs ??
    listed ??
    (benchFull()
      ? bundled
      : bundled.filter((d) => existsSync(join(ref.root, 'templates', 'designs', `${d}.yaml`))));
  const records: BenchRecord[] = [];
  try {
    for (const d of designs) {
      const hasBefore = existsSync(join(ref.root, 'templates', 'designs', `${d}.yaml`));
      const before: number[] = [];
      const after: number[] = [];
      const afterWall: number[] = [];
      let ok = true;
      for (let i = 0; i < repeats; i++) {
        if (hasBefore) {
          const b = timeRun(ref.root, d);
          before.push(b.cpu);
          ok &&= b.ok;
        }
        const a = timeRun(ROOT, d);
        after.push(a.cpu);
        afterWall.push(a.wall);
        ok &&= a.ok;
      }
      const b = hasBefore ? median(before) : null;
      const a = median(after);
      records.push({
        name: `run-cli.${d}`,
        beforeCpuS: b,
        afterCpuS: a,
        speedup: b === null ? null : b / a,
        afterWallS: median(afterWall),
        repeats,
        ok,
      });
    }
  } finally {
    ref.dispose();
  }
  return records;
}
