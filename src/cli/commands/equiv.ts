// `mxgen equiv <a> <b>`: proves two designs equal with Yosys (src/backends/yosys/equiv.ts), or
// prints the first cycle after reset in which an output differs and the inputs leading to it.
// Exit 0 equal, 1 bad input (missing file, different ports, a proof that times out), 3 different
// or not proven.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  formatCounterexample,
  proveEquivalent,
  type EquivDesign,
  type EquivResult,
} from '../../backends/index.js';
import { listComponents } from '../../components/index.js';
import { emitSv } from '../../emit/sv/index.js';
import { elaborate, MxgenError } from '../../hdl/index.js';
import { action } from '../action.js';
import { readDesignFolder } from '../../flow/design-folder.js';
import { resolveDesign } from '../../flow/resolve.js';
import { DESIGN_ARG } from '../options.js';

export interface EquivCommandOptions {
  cycles?: string;
  timeout?: string;
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
  const sv = emitSv(elaborate(design.build()));
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
  const [da, db] = [await loadSide(a), await loadSide(b)];
  return proveEquivalent(da, db, {
    ...(cycles !== undefined ? { cycles } : {}),
    ...(secs !== undefined ? { timeoutMs: secs * 1000 } : {}),
  });
}

export function register(program: Command): void {
  program
    .command('equiv')
    .description('prove two designs equal with Yosys, or print a counterexample')
    .argument('<a>', `an rtl-out/<design> folder, or ${DESIGN_ARG}`)
    .argument('<b>', 'the same kinds as <a>; its top must have the same ports')
    .option('--cycles <n>', 'induction depth and counterexample search length in cycles', '8')
    .option('--timeout <seconds>', 'limit for each Yosys run', '600')
    .action(
      action(async (a: string, b: string, opts: EquivCommandOptions) => {
        const r = await equiv(a, b, opts);
        if (r.kind === 'equal') {
          console.log(`equivalent: ${a} = ${b} (${r.equivCells} matched signals proven)`);
          return;
        }
        if (r.kind === 'unknown')
          throw new MxgenError(
            'mismatch',
            `not proven: ${r.unproven} matched signals unproven, and no output differs within ${r.cycles} cycles after reset`,
            { hint: 'raise --cycles to search longer or deepen the induction' },
          );
        for (const l of formatCounterexample(r)) console.log(l);
        throw new MxgenError(
          'mismatch',
          `not equivalent: ${a} and ${b} differ in cycle ${r.cycle} after reset`,
        );
      }),
    );
}
