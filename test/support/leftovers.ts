// The mxgen temporaries a run may leave (shared by the bad-input and interrupt tests).
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { tempOwner } from '../../src/backends/cleanup.js';

/** mxgen temporaries anywhere below `dir` and, for `pid`, in the OS temp dir. */
export function leftovers(dir: string, pid?: number): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (tempOwner(e.name) !== null || /\.(tmp|old|del)-\d+-/.test(e.name))
        found.push(relative(dir, join(d, e.name)));
      else if (e.isDirectory()) walk(join(d, e.name));
    }
  };
  walk(dir);
  if (pid !== undefined)
    for (const n of readdirSync(tmpdir())) if (tempOwner(n) === pid) found.push(n);
  return found;
}
