// Output directories: a design's files are written into a hidden temp dir next to the destination
// and renamed into `<outRoot>/<design>/` only when complete, so an interrupted run never leaves a
// partial design folder (an existing folder is replaced only after the new one is complete).
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

/** Removes temp and old dirs of `design` left behind by runs that were killed. */
async function removeStale(outRoot: string, design: string): Promise<void> {
  const prefix = new RegExp(`^\\.${design.replace(/[.]/g, '\\.')}\\.(tmp|old)-(\\d+)-`);
  for (const entry of await readdir(outRoot)) {
    const m = prefix.exec(entry);
    if (m && !pidAlive(Number(m[2])))
      await rm(join(outRoot, entry), { recursive: true, force: true });
  }
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
  const old = join(outRoot, `.${designName}.old-${tag}`);
  try {
    await mkdir(tmp);
    for (const [i, f] of files.entries()) {
      await writeFile(join(tmp, f.name), f.text);
      await opts.onFileWritten?.(f.name, i);
    }
    const replacing = existsSync(dest);
    if (replacing) await rename(dest, old);
    await rename(tmp, dest);
    if (replacing) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    if (e instanceof MxgenError) throw e;
    throw new MxgenError('io', `cannot write ${dest}: ${(e as Error).message}`, {
      hint: 'check that the output folder is writable and not in use',
    });
  }
  return dest;
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
