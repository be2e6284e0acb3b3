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
// An old folder is deleted only while `<d>/` exists, so the previous folder can be lost only to a
// complete newer one. If several dead writers' old folders exist and `<d>/` is missing (concurrent
// writers, each killed mid-swap), the most recently moved aside one (largest `<t>`, taken at its
// rename) is restored and the others are deleted. Leftovers of live writers are never touched: a
// concurrent writer that loses the race for `<d>/` at step 4 fails with an `io` error and puts
// its old folder back if `<d>/` is still missing. A dead writer's pid reused by another process
// only delays the clean-up until that process exits.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SvOutput } from '../emit/sv/index.js';
import { MxgenError } from '../hdl/index.js';

export interface OutFile {
  readonly name: string;
  readonly text: string;
}

export interface WriteOptions {
  /** Called after each file is written (progress reporting; the tests stop a run here). */
  readonly onFileWritten?: (name: string, index: number) => void | Promise<void>;
  /** Called when the existing folder has been moved aside, before the new one takes its place. */
  readonly onOldMovedAside?: () => void | Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkName(what: string, name: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..'))
    throw new MxgenError('usage', `${what} ${JSON.stringify(name)} is not a plain file name`, {
      hint: 'use letters, digits, `_`, `-` and `.`, without slashes',
    });
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
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(outRoot, `.${designName}.tmp-${tag}`);
  const dest = join(outRoot, designName);
  let old: string | null = null;
  try {
    await mkdir(tmp);
    for (const [i, f] of files.entries()) {
      await writeFile(join(tmp, f.name), f.text);
      await opts.onFileWritten?.(f.name, i);
    }
    if (existsSync(dest)) {
      // Named at the rename, so the newest of several old folders is the last one moved aside.
      const moved = join(outRoot, `.${designName}.old-${process.pid}-${Date.now().toString(36)}`);
      await rename(dest, moved);
      old = moved;
      await opts.onOldMovedAside?.();
    }
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (old) await putBack(old, dest);
    if (e instanceof MxgenError) throw e;
    throw new MxgenError('io', `cannot write ${dest}: ${(e as Error).message}`, {
      hint: 'check that the output folder is writable and not in use',
    });
  }
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
