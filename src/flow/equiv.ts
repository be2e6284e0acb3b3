// `mxgen equiv <a> <b>`: proves two designs equal with Yosys (src/backends/yosys/equiv.ts), or
// prints the first cycle after reset in which an output differs and the inputs leading to it.
// Exit 0 equal, 1 bad input (missing file, different ports, a proof that times out), 3 different
// or not proven.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { proveEquivalent, type EquivDesign, type EquivResult } from '../backends/index.js';
import { listComponents } from '../components/index.js';
import { emitSv } from '../emit/sv/index.js';
import { elaborate, MxgenError } from '../hdl/index.js';
import { readDesignFolder } from './design-folder.js';
import { resolveDesign } from './resolve.js';

export interface EquivCommandOptions {
  cycles?: string;
  timeout?: string;
  engine?: string;
}

function positive(flag: string, t: string | undefined, integer: boolean): number | undefined {
  if (t === undefined) return undefined;
  const v = Number(t);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw new MxgenError(
      'usage',
      `${flag} must be a positive ${integer ? 'integer' : 'number'}; got ${t}`,
    );
  return v;
}

/** A generated folder (manifest.json), or any `<design>` emitted now. */
async function loadSide(spec: string): Promise<EquivDesign> {
  const path = resolve(spec);
  if (existsSync(path) && statSync(path).isDirectory())
    return { label: spec, ...readDesignFolder(path) };
  // A path that does not exist (not `<kind>/<example>` of a registered component).
  const kind = /^([\w-]+)\/[\w.-]+$/.exec(spec)?.[1];
  const known = kind !== undefined && listComponents().some((k) => k.kind === kind);
  if (/[/\\]/.test(spec) && !existsSync(path) && !known)
    throw new MxgenError('io', `${spec}: no such file or folder`, {
      hint: 'pass an rtl-out/<design> folder, a design file, or a component (<kind>/<example>)',
    });
  const design = await resolveDesign(spec, []);
  const sv = emitSv(elaborate(design.build()), { tempNames: 'index' });
  const top = sv.modules[sv.modules.length - 1];
  return {
    label: spec,
    files: sv.files.map((f) => ({ name: f.name, text: f.text })),
    top: sv.top,
    ...(top
      ? {
          clocked: top.clocked,
          ports: top.ports.map((p) => ({ name: p.svName, dir: p.dir, width: p.width })),
        }
      : {}),
  };
}

/** The whole command without printing. */
export async function equiv(
  a: string,
  b: string,
  opts: EquivCommandOptions = {},
): Promise<EquivResult> {
  const cycles = positive('--cycles', opts.cycles, true);
  const secs = positive('--timeout', opts.timeout, false);
  const engine = opts.engine ?? 'pairs';
  if (engine !== 'pairs' && engine !== 'abc')
    throw new MxgenError('usage', `--engine must be pairs or abc; got ${engine}`);
  const [da, db] = [await loadSide(a), await loadSide(b)];
  return proveEquivalent(da, db, {
    engine,
    ...(cycles !== undefined ? { cycles } : {}),
    ...(secs !== undefined ? { timeoutMs: secs * 1000 } : {}),
  });
}
