// Output directories: a design's files are written into a hidden temp dir next to the destination
// and renamed into `<outRoot>/<design>/` only when complete, so an interrupted run never leaves a
// partial design folder (an existing folder is replaced only after the new one is complete).
//
// Replacement protocol (writer W with tag `<pid>-<t>`, all names in `outRoot`):
//   1. recover: removeStale (below) repairs whatever dead writers left
//   2. write every file into `.<d>.tmp-<tag>/`
//   3. if `<d>/` exists: rename `<d>/` -> `.<d>.old-<tag>/`          (`<d>/` is now missing)
//   4. rename `.<d>.tmp-<tag>/` -> `<d>/`                              (`<d>/` is the new folder)
//   5. rename `.<d>.old-<tag>/` -> `.<d>.del-<tag>/`, then delete it
// Invariants: `<d>/` and every `.old-*` folder are always complete (each is made only by an atomic
// rename of a complete folder); a `.tmp-*` or `.del-*` folder may be partial and is never renamed
// into place. A kill between any two steps therefore leaves one of these states, which the next
// writer's step 1 repairs by looking only at leftovers of dead writers (pid not alive):
//   - killed in 2 or before 3: `<d>/` intact (or never existed) + tmp   -> delete tmp
//   - killed between 3 and 4: no `<d>/`, old (the previous folder) + tmp
//                                                                     -> rename old back to `<d>/`,
//                                                                        then delete tmp
//   - killed between 4 and 5, or in 5: `<d>/` new + old or del        -> delete old / del
// Ownership (issue 19): step 3 happens only to a folder mxgen wrote, i.e. one holding the marker
// file `.mxgen-output` (content OWNER_MARK) or, for folders written before the marker existed, a
// manifest.json with an `mxgenVersion`. Any other existing `<d>` (a user's folder, or a file) is an
// `io` error naming it, unless `force` is set. `checkOutputTarget` runs the same checks (and that
// the output root is writable) before any work, so a bad --out fails in milliseconds.
// An old folder is deleted only while `<d>/` exists, so the previous folder can be lost only to a
// complete newer one. If several dead writers' old folders exist and `<d>/` is missing (concurrent
// writers, each killed mid-swap), the most recently moved aside one (largest `<t>`, taken at its
// rename) is restored and the others are deleted. Leftovers of live writers are never touched: a
// concurrent writer that loses the race for `<d>/` at step 4 fails with an `io` error and puts
// its old folder back if `<d>/` is still missing. A dead writer's pid reused by another process
// only delays the clean-up until that process exits.
import {
  accessSync,
  constants,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { atInterrupt } from '../backends/index.js';
import type { SvOutput } from '../emit/sv/index.js';
import { MxgenError } from '../hdl/index.js';

export interface OutFile {
  readonly name: string;
  readonly text: string;
  /** A binary file's content (e.g. outputs.npy); written instead of `text`. */
  readonly bytes?: Uint8Array;
}

export interface WriteOptions {
  /** Called after each file is written (progress reporting; the tests stop a run here). */
  readonly onFileWritten?: (name: string, index: number) => void | Promise<void>;
  /** Called when the existing folder has been moved aside, before the new one takes its place. */
  readonly onOldMovedAside?: () => void | Promise<void>;
  /** Replace `<outRoot>/<design>` even when mxgen did not write it (`--force`). */
  readonly force?: boolean;
}

/** The marker file of a folder mxgen wrote (and may therefore replace). */
export const OWNER_FILE = '.mxgen-output';
export const OWNER_MARK = 'written by mxgen; mxgen replaces this folder on the next run\n';
/** Longest design (folder) name: leaves room for `.<name>.tmp-<pid>-<t>` under NAME_MAX = 255. */
export const MAX_NAME = 100;

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkName(what: string, name: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..'))
    throw new MxgenError('usage', `${what} ${JSON.stringify(name)} is not a plain file name`, {
      hint: 'use letters, digits, `_`, `-` and `.`, without slashes',
    });
  if (name.length > MAX_NAME)
    throw new MxgenError(
      'usage',
      `${what} ${JSON.stringify(`${name.slice(0, 24)}…`)} has ${name.length} characters; at most ${MAX_NAME} are allowed`,
      { hint: 'choose a shorter design name' },
    );
}

/** True when `dir` is a folder mxgen wrote (marker file, or an older run's manifest). */
export function ownedByMxgen(dir: string): boolean {
  try {
    if (readFileSync(join(dir, OWNER_FILE), 'utf8') === OWNER_MARK) return true;
  } catch {
    // No marker: maybe a folder of an older mxgen.
  }
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as unknown;
    return typeof (m as { mxgenVersion?: unknown }).mxgenVersion === 'string';
  } catch {
    return false;
  }
}

function notOurs(dest: string): MxgenError {
  const kind = statSync(dest).isDirectory() ? 'folder' : 'file';
  return new MxgenError(
    'io',
    `${dest} exists and was not written by mxgen (no ${OWNER_FILE}); refusing to replace that ${kind}`,
    { hint: 'pass another --out, rename the design, or add --force to replace it' },
  );
}

/** Throws unless `dest` is missing or a folder mxgen wrote (or `force`). */
export function checkReplaceable(dest: string, force = false): void {
  if (!force && existsSync(dest) && !(statSync(dest).isDirectory() && ownedByMxgen(dest)))
    throw notOurs(dest);
}

/** The nearest existing ancestor of `p` (itself included). */
function existingAncestor(p: string): string {
  let d = resolve(p);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
}

/** Throws an `io` error unless files can be created in `dir` (or in the folder that will hold it). */
export function checkWritableFolder(dir: string, what: string, hint: string): void {
  const at = existingAncestor(dir);
  try {
    if (!statSync(at).isDirectory())
      throw new MxgenError('io', `${what} ${dir}: ${at} is a file, not a folder`, { hint });
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (e instanceof MxgenError) throw e;
    throw new MxgenError(
      'io',
      `${what} ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? 'EACCES'} on ${at})`,
      { hint },
    );
  }
}

/** Pre-flight for writeDesignDir: name, ownership of an existing folder, a writable root. */
export function checkOutputTarget(outRoot: string, designName: string, force = false): string {
  checkName('design name', designName);
  const dest = join(outRoot, designName);
  checkReplaceable(dest, force);
  checkWritableFolder(outRoot, 'output folder', 'pass a writable folder with --out');
  return dest;
}

/**
 * Throws unless `path` is missing or a file mxgen wrote (its first bytes hold `signature`), or
 * `force`; and unless its folder is writable. For files mxgen writes outside an output folder.
 */
export function checkFileTarget(path: string, signature: string, force = false): void {
  if (existsSync(path)) {
    let head = '';
    try {
      head = statSync(path).isFile() ? readFileSync(path, 'utf8').slice(0, 4096) : '';
    } catch {
      head = '';
    }
    if (!force && !head.includes(signature))
      throw new MxgenError(
        'io',
        `${path} exists and was not written by mxgen; refusing to overwrite it`,
        { hint: 'choose another file name, or add --force to overwrite it' },
      );
  }
  checkWritableFolder(
    dirname(resolve(path)),
    'folder',
    'choose a writable folder (or another file name)',
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isErrno = (e: unknown, ...codes: string[]): boolean =>
  codes.includes((e as NodeJS.ErrnoException).code ?? '');

/** Repairs what dead writers of `design` left behind (step 1 of the protocol above). */
async function removeStale(outRoot: string, design: string): Promise<void> {
  const prefix = new RegExp(
    `^\\.${design.replace(/[.]/g, '\\.')}\\.(tmp|old|del)-(\\d+)-([0-9a-z]+)$`,
  );
  const dead: { entry: string; kind: string; t: number }[] = [];
  for (const entry of (await readdir(outRoot)).sort()) {
    const m = prefix.exec(entry);
    if (m && !pidAlive(Number(m[2])))
      dead.push({ entry, kind: m[1] ?? '', t: parseInt(m[3] ?? '0', 36) });
  }
  const dest = join(outRoot, design);
  const olds = dead.filter((d) => d.kind === 'old').sort((x, y) => y.t - x.t);
  const newest = olds[0];
  if (newest && !existsSync(dest)) {
    try {
      await rename(join(outRoot, newest.entry), dest);
    } catch (e) {
      // Another run restored it (or wrote a new folder) first.
      if (!isErrno(e, 'ENOENT', 'ENOTEMPTY', 'EEXIST')) throw e;
    }
  }
  const destThere = existsSync(dest);
  for (const d of dead)
    if (d.kind !== 'old' || destThere)
      await rm(join(outRoot, d.entry), { recursive: true, force: true });
}

/**
 * Writes `files` as `<outRoot>/<designName>/`, atomically: all files go to a temp dir in
 * `outRoot`, which is renamed into place when complete. Returns the destination path.
 */
export async function writeDesignDir(
  outRoot: string,
  designName: string,
  files: readonly OutFile[],
  opts: WriteOptions = {},
): Promise<string> {
  checkName('design name', designName);
  const seen = new Set<string>();
  for (const f of files) {
    checkName('output file name', f.name);
    if (seen.has(f.name))
      throw new MxgenError('usage', `output file ${f.name} is listed twice for ${designName}`);
    seen.add(f.name);
  }
  try {
    await mkdir(outRoot, { recursive: true });
  } catch (e) {
    throw new MxgenError('io', `cannot create output folder ${outRoot}: ${(e as Error).message}`, {
      hint: 'pass a writable folder with --out',
    });
  }
  await removeStale(outRoot, designName);
  const destEarly = join(outRoot, designName);
  checkReplaceable(destEarly, opts.force);
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(outRoot, `.${designName}.tmp-${tag}`);
  const dest = join(outRoot, designName);
  let old: string | null = null;
  // An interrupt puts the moved-aside folder back and removes the partial one.
  const offInterrupt = atInterrupt(() => {
    rmSync(tmp, { recursive: true, force: true });
    if (old && !existsSync(dest)) renameSync(old, dest);
  });
  try {
    await mkdir(tmp);
    await writeFile(join(tmp, OWNER_FILE), OWNER_MARK);
    for (const [i, f] of files.entries()) {
      await writeFile(join(tmp, f.name), f.bytes ?? f.text);
      await opts.onFileWritten?.(f.name, i);
    }
    if (existsSync(dest)) {
      checkReplaceable(dest, opts.force);
      // Named at the rename, so the newest of several old folders is the last one moved aside.
      const moved = join(outRoot, `.${designName}.old-${process.pid}-${Date.now().toString(36)}`);
      await rename(dest, moved);
      old = moved;
      await opts.onOldMovedAside?.();
    }
    await rename(tmp, dest);
  } catch (e) {
    offInterrupt();
    await rm(tmp, { recursive: true, force: true });
    if (old) await putBack(old, dest);
    if (e instanceof MxgenError) throw e;
    throw new MxgenError('io', `cannot write ${dest}: ${(e as Error).message}`, {
      hint: 'check that the output folder is writable and not in use',
    });
  }
  offInterrupt();
  if (old) await discard(old);
  return dest;
}

/** After a failed swap: the old folder goes back to `dest` if that is still missing. */
async function putBack(old: string, dest: string): Promise<void> {
  try {
    if (!existsSync(dest)) await rename(old, dest);
    else await discard(old);
  } catch {
    // Left for the next run's removeStale (this writer's pid is dead by then).
  }
}

/** Step 5: the replaced folder is renamed to `.del-*` (never restored), then deleted. */
async function discard(old: string): Promise<void> {
  const del = old.replace(/\.old-(?=\d+-[0-9a-z]+$)/, '.del-');
  try {
    await rename(old, del);
    await rm(del, { recursive: true, force: true });
  } catch {
    // Left for the next run's removeStale: `<d>/` exists, so it deletes old and del folders.
  }
}

/** mxgen's version, from package.json. */
export function mxgenVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** `manifest.json`: what a design folder holds, deterministic (no time, no paths). */
export function buildManifest(designName: string, sv: SvOutput, version: string): OutFile {
  const top = sv.modules[sv.modules.length - 1];
  if (!top) throw new MxgenError('usage', `design ${designName} has no modules`);
  const manifest = {
    design: designName,
    top: top.svName,
    mxgenVersion: version,
    configDigest: top.digest,
    clocked: top.clocked,
    ports: top.ports.map((p) => ({
      name: p.svName,
      dir: p.dir,
      width: p.width,
      signed: p.signed,
    })),
    modules: sv.modules.map((m) => ({
      name: m.svName,
      file: m.file,
      digest: m.digest,
      lines: m.lines,
    })),
    files: sv.files.map((f) => f.name),
  };
  return { name: 'manifest.json', text: `${JSON.stringify(manifest, null, 2)}\n` };
}
