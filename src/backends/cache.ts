// Content-addressed build cache: a build lives in `<root>/<sha256 of its inputs>/`, is made in a
// temporary sibling directory and renamed into place only when complete, so a crashed or
// concurrent build never leaves a half-built entry that a later run would trust.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MxgenError } from '../hdl/index.js';
import { registerTempRoot, removeDeadTemps } from './cleanup.js';

/** Default cache root, relative to the working directory (ignored by git). */
export const DEFAULT_CACHE_ROOT = 'sim/build';

/** sha256 (hex) over the parts, each length-prefixed so that ['ab','c'] and ['a','bc'] differ. */
export function contentHash(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest('hex');
}

/** The project's root folder (this file is src/backends/cache.ts). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The project code that produces or interprets each cached result, as paths (files or folders)
 * relative to the project root. Their hash is part of the cache key, so editing that code misses
 * the cache instead of serving a result the new code would not produce.
 */
export const CACHE_CODE = {
  /** The Verilator runtime library (sim/build/runtime-*). */
  verilatorRuntime: ['src/backends/cache.ts', 'src/backends/verilator/build.ts'],
  /** A Verilator model + harness build: how it is built, and how its files are read and written. */
  verilatorModel: [
    'src/backends/cache.ts',
    'src/backends/verilator/build.ts',
    'src/backends/verilator/harness.ts',
    'src/backends/verilator/run.ts',
    'templates/verilator',
  ],
  /** Yosys area and iCE40 reports: script, liberty/area model, stat parsing, depth, report. */
  yosys: [
    'src/backends/cache.ts',
    'src/backends/tools.ts',
    'src/backends/yosys',
    'templates/yosys',
  ],
  /** A sweep point runs the whole flow (compile, simulate, Verilator, Yosys): all the code. */
  sweep: ['src', 'templates', 'package.json'],
} as const;

function codeFiles(root: string, path: string, out: string[]): void {
  const abs = join(root, path);
  if (!existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) {
    out.push(abs);
    return;
  }
  for (const e of readdirSync(abs).sort()) codeFiles(root, join(path, e), out);
}

/**
 * sha256 over the files under `paths` (relative to `root`, default the project root): every
 * file's path relative to the root and its bytes, in sorted order, so an edit, a new file or a
 * removed one changes it. Read afresh on every call (a few dozen small files).
 */
export function codeHash(paths: readonly string[], root: string = PROJECT_ROOT): string {
  const files: string[] = [];
  for (const p of [...paths].sort()) codeFiles(root, p, files);
  return contentHash(
    files.flatMap((f) => [relative(root, f).split('\\').join('/'), readFileSync(f)]),
  );
}

export interface CachedDir {
  /** Absolute path of the finished entry. */
  dir: string;
  /** True when the entry already existed and `make` did not run. */
  hit: boolean;
}

/**
 * Returns `<root>/<key>`, building it first with `make(tmpDir)` when missing. `make` fills a fresh
 * temporary directory; on success it is renamed to the final name (if another process finished
 * the same key first, its entry is kept and ours is discarded), on failure it is removed.
 */
export async function cachedDir(
  root: string,
  key: string,
  make: (tmpDir: string) => Promise<void>,
): Promise<CachedDir> {
  const absRoot = resolve(root);
  const dir = join(absRoot, key);
  if (existsSync(join(dir, '.complete'))) return { dir, hit: true };
  let tmp: string;
  try {
    mkdirSync(absRoot, { recursive: true });
    registerTempRoot(absRoot);
    removeDeadTemps(absRoot);
    // The pid in the name: an interrupted run's folder is removed by its own handler or, after a
    // SIGKILL, by the next run (removeDeadTemps).
    tmp = mkdtempSync(join(absRoot, `.tmp-${key.slice(0, 12)}-${process.pid}-`));
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot create the build cache folder ${absRoot}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { hint: 'run mxgen from a writable working directory (the cache is sim/build under it)' },
    );
  }
  try {
    await make(tmp);
    // Marker written last: an entry without it is treated as absent.
    writeFileSync(join(tmp, '.complete'), `${key}\n`);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      // Lost a race with a concurrent build of the same key: theirs is as good as ours.
      if (!existsSync(join(dir, '.complete'))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return { dir, hit: false };
}
