// Design specs on the command line: a path to a .ts/.js module whose default export (or named
// export `design`) is a ModuleBuilder or a function returning one. (Component names come later.)
import { existsSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new MxgenError('config', `cannot load design file ${spec}: ${(e as Error).message}`, {
      hint: /require\(\)|Cannot use import statement/.test((e as Error).message ?? '')
        ? 'outside a package with "type": "module", name the design file .mts'
        : 'fix the error above; run with --debug for the stack',
      cause: e,
    });
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
      const r = fn();
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
