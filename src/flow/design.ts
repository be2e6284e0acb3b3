// Design specs on the command line: a path to a .ts/.js module whose default export (or named
// export `design`) is a ModuleBuilder or a function returning one. (Component names come later.)
import { existsSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModuleBuilder, MxgenError } from '../hdl/index.js';

export interface LoadedDesign {
  /** The output folder name: the file name without its extension. */
  readonly name: string;
  readonly build: () => ModuleBuilder;
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
const EXPECTED = 'a ModuleBuilder or a function returning one';

/** A ModuleBuilder of another copy of src/hdl (another path, or CommonJS next to ESM). */
function isForeignBuilder(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof ModuleBuilder) &&
    v.constructor?.name === 'ModuleBuilder'
  );
}

const FOREIGN_HINT =
  'import ModuleBuilder from the same mxgen that runs the command (one copy of src/hdl)';

function describe(v: unknown): string {
  if (isForeignBuilder(v)) return 'a ModuleBuilder of another copy of mxgen';
  if (v === null) return 'null';
  if (v instanceof Promise) return 'a Promise';
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'no class'})`;
  return `a ${typeof v}`;
}

let hooksRegistered = false;

/** TS designs are ES modules in any package (design-hooks.mjs). */
function registerDesignHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  register(new URL('./design-hooks.mjs', import.meta.url).href);
}

/** `path:line:col` of the first stack frame in `path` (file URL or plain path), if any. */
export function frameIn(e: unknown, path: string): string | undefined {
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const url = pathToFileURL(path).href;
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m?.[1]) continue;
    const file = m[1].startsWith('file:') ? fileURLToPath(m[1]) : m[1];
    if (file === path || m[1] === url) return `${path}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** A design's own exception (or syntax error) as a one-line `config` error at its file:line:col. */
function designError(e: unknown, path: string, spec: string, what: string): MxgenError {
  const msg = e instanceof Error ? e.message : String(e);
  // esbuild (tsx): `Transform failed with 1 error:\n/abs/file.ts:2:0: ERROR: Expected …` (0-based col).
  const es = /^(\/[^:\n]+):(\d+):(\d+): ERROR: (.*)$/m.exec(msg);
  if (es?.[1])
    return new MxgenError('config', `syntax error: ${es[4]}`, {
      loc: `${es[1]}:${es[2]}:${Number(es[3]) + 1}`,
      hint: `fix the TypeScript in ${spec}`,
      cause: e,
    });
  // A JavaScript SyntaxError's stack starts with `file:///…/design.mjs:3` (no column).
  const first = e instanceof Error ? /^(file:\/\/\S+?):(\d+)\s*$/m.exec(e.stack ?? '') : null;
  const synLoc = first?.[1] && fileURLToPath(first[1]) === path ? `${path}:${first[2]}` : undefined;
  const loc = frameIn(e, path) ?? synLoc ?? spec;
  const name = e instanceof Error && e.name !== 'Error' ? `${e.name}: ` : '';
  return new MxgenError('config', `${what}: ${name}${msg.split('\n')[0]}`, {
    loc,
    hint: 'fix the design file; --debug prints the stack',
    cause: e,
  });
}

/** Loads a design file; errors name the file and what was expected. */
export async function loadDesign(spec: string): Promise<LoadedDesign> {
  const path = resolve(spec);
  if (!existsSync(path) || !statSync(path).isFile())
    throw new MxgenError('io', `design file ${spec} does not exist`, {
      hint: 'pass the path of a .ts or .js file that exports a ModuleBuilder',
    });
  const ext = extname(path);
  if (!EXTENSIONS.includes(ext))
    throw new MxgenError('config', `design file ${spec} is not a .ts or .js module`, {
      hint: `export ${EXPECTED} from a .ts or .js file`,
    });
  let mod: Record<string, unknown>;
  registerDesignHooks();
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof MxgenError) throw e;
    throw designError(e, path, spec, `loading the design file failed`);
  }
  const exported = mod.default !== undefined ? mod.default : mod.design;
  const which = mod.default !== undefined ? 'default export' : 'export `design`';
  if (exported === undefined)
    throw new MxgenError(
      'config',
      `${spec} has neither a default export nor an export named design`,
      {
        hint: `export default ${EXPECTED}`,
      },
    );
  const name = basename(path, ext);
  if (exported instanceof ModuleBuilder) return { name, build: () => exported };
  if (isForeignBuilder(exported))
    throw new MxgenError('config', `the ${which} of ${spec} is ${describe(exported)}`, {
      hint: FOREIGN_HINT,
    });
  if (typeof exported !== 'function')
    throw new MxgenError(
      'config',
      `the ${which} of ${spec} is ${describe(exported)}; expected ${EXPECTED}`,
      {
        hint: 'export default (() => new ModuleBuilder(...)) or the builder itself',
      },
    );
  const fn = exported as () => unknown;
  return {
    name,
    build: () => {
      let r: unknown;
      try {
        r = fn();
      } catch (e) {
        if (e instanceof MxgenError) throw e;
        throw designError(e, path, spec, `the design function threw`);
      }
      if (r instanceof ModuleBuilder) return r;
      throw new MxgenError(
        'config',
        `the ${which} of ${spec} returned ${describe(r)}; expected a ModuleBuilder`,
        {
          hint:
            r instanceof Promise
              ? 'make the design function synchronous'
              : isForeignBuilder(r)
                ? FOREIGN_HINT
                : 'return the ModuleBuilder of the top module',
        },
      );
    },
  };
}
