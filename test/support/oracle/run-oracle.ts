// Runs test/support/oracle/ml_dtypes_oracle.py once with a batch of tasks (files in a temp dir)
// and returns its answers. Tests call this once per suite, never per value.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const PYTHON = resolve('.venv/bin/python');
const SCRIPT = resolve('test/support/oracle/ml_dtypes_oracle.py');

export type OracleTask =
  | { op: 'decode'; dtype: string; codes: number[] }
  | { op: 'encode'; dtype: string; bits: number[]; sat: boolean }
  | { op: 'mx'; elem: string; emax: number; blocks: number[][] };

export type OracleAnswer = { f64?: string[] | string[][]; codes?: number[]; scales?: number[] };

export function runOracle(tasks: OracleTask[]): OracleAnswer[] {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-oracle-'));
  try {
    const req = join(dir, 'req.json');
    const out = join(dir, 'out.json');
    writeFileSync(req, JSON.stringify({ tasks }));
    const r = spawnSync(PYTHON, [SCRIPT, req, out], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`oracle failed (${r.status}): ${r.stderr || r.error?.message}`);
    return (JSON.parse(readFileSync(out, 'utf8')) as { answers: OracleAnswer[] }).answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
