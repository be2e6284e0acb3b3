// A folder written by `mxgen generate` (or `area`, `run`): its SystemVerilog sources, top module
// and top ports, from manifest.json.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SvSource } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';

export interface DesignFolder {
  readonly files: SvSource[];
  readonly top: string;
  readonly clocked?: boolean;
  readonly ports?: { name: string; dir: 'in' | 'out'; width: number }[];
}

/** Sources, top and top ports of a generated folder, from its manifest.json. */
export function readDesignFolder(dir: string): DesignFolder {
  const mpath = join(dir, 'manifest.json');
  if (!existsSync(mpath))
    throw new MxgenError('io', `${dir} has no manifest.json`, {
      hint: 'pass a folder written by `mxgen generate`, or the design file itself',
    });
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(mpath, 'utf8'));
  } catch {
    throw new MxgenError('config', `${mpath} is not valid JSON`, { hint: 'regenerate the design' });
  }
  const m = manifest as { top?: unknown; files?: unknown };
  if (typeof m.top !== 'string')
    throw new MxgenError('config', `${mpath} has no string field "top"`);
  const names = Array.isArray(m.files)
    ? m.files.filter((f): f is string => typeof f === 'string' && f.endsWith('.sv'))
    : readdirSync(dir)
        .filter((f) => f.endsWith('.sv'))
        .sort();
  const files = names.map((name) => {
    const p = join(dir, name);
    if (!existsSync(p))
      throw new MxgenError('io', `${p} is listed in manifest.json but missing`, {
        hint: 'regenerate the design',
      });
    return { name, text: readFileSync(p, 'utf8') };
  });
  return { files, top: m.top, ...manifestPorts(manifest) };
}

/** `clocked` and `ports` of a manifest, when present and well-formed (older manifests lack them). */
function manifestPorts(manifest: unknown): Pick<DesignFolder, 'clocked' | 'ports'> {
  const m = manifest as { clocked?: unknown; ports?: unknown };
  if (typeof m.clocked !== 'boolean' || !Array.isArray(m.ports)) return {};
  const ports: NonNullable<DesignFolder['ports']> = [];
  for (const p of m.ports as unknown[]) {
    const q = p as { name?: unknown; dir?: unknown; width?: unknown };
    if (
      typeof q.name !== 'string' ||
      (q.dir !== 'in' && q.dir !== 'out') ||
      typeof q.width !== 'number'
    )
      return {};
    ports.push({ name: q.name, dir: q.dir, width: q.width });
  }
  return { clocked: m.clocked, ports };
}
