// The text of every source file under a folder (ts, js, mjs), keyed by its path relative to the
// working directory: the input of the scan tests (no bare Error, streams through the one API).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sourcePaths(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourcePaths(p) : /\.(ts|js|mjs)$/.test(n) ? [p] : [];
  });
}

/** Path (relative to the working directory) → text, of every source file under `dir`. */
export function sourceTexts(dir: string): Map<string, string> {
  return new Map(sourcePaths(dir).map((f) => [relative('.', f), readFileSync(f, 'utf8')] as const));
}
