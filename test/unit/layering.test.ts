// Layers only point down (docs/architecture.md, docs/flow.md): each folder of src/ may import only
// the layers listed here, and only through their index.ts. src/flow is the library every command
// calls; src/cli only parses options, calls src/flow (its index.ts) and prints: of ours it imports
// src/flow and src/numerics (the `numerics`/`formats` calculators are front ends of the numerics
// library), and of node and npm only what parsing and printing need (see CLI_PACKAGES).
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');
const ALLOWED: Record<string, readonly string[]> = {
  numerics: [],
  hdl: [],
  emit: ['hdl'],
  sim: ['hdl'],
  backends: ['hdl', 'emit'],
  components: ['hdl', 'numerics'],
  ir: ['components', 'hdl', 'numerics'],
  flow: ['numerics', 'hdl', 'emit', 'sim', 'backends', 'components', 'ir'],
  cli: ['flow', 'numerics'],
};

/**
 * The packages src/cli may import, and for node:fs the only functions: reading an option's file.
 * Writing files, running tools and starting workers is flow work.
 */
const CLI_PACKAGES: Readonly<Record<string, readonly string[] | 'any'>> = {
  commander: 'any',
  'cli-progress': 'any',
  'node:path': 'any',
  'node:fs': ['readFileSync'],
};

/** Violations of the CLI rule by the files given as absolute path -> text. */
export function cliViolations(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    if (layerOf(file) !== 'cli') continue;
    for (const m of text.matchAll(
      /import\s+(type\s+)?([^'"]*?)\s*from\s+['"]([^.'"][^'"]*)['"]/g,
    )) {
      const [, typeOnly, names = '', pkg = ''] = m;
      const allowed = CLI_PACKAGES[pkg];
      const where = `${relative('.', file)} imports '${pkg}'`;
      if (allowed === undefined) problems.push(`${where}: the CLI only parses and prints`);
      else if (allowed !== 'any' && typeOnly === undefined) {
        const named = /\{([^}]*)\}/.exec(names)?.[1] ?? '*';
        for (const n of named
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''))
          if (!allowed.includes(n)) problems.push(`${where}: ${n} is flow work, not parsing`);
      }
    }
  }
  return problems;
}

const srcFiles = (): Map<string, string> =>
  new Map(tsFiles(SRC).map((f) => [f, readFileSync(f, 'utf8')]));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0] ?? '';

/** The folder whose index.ts is the public surface for an import target. */
function surfaceOf(target: string): string {
  const rel = relative(SRC, target).split('/');
  return rel[0] === 'emit'
    ? join(SRC, 'emit', 'sv', 'index.ts')
    : join(SRC, rel[0] ?? '', 'index.ts');
}

// The three forms of a relative import, the specifier in group 1: static `import … from` /
// `export … from`; dynamic `import('…')` (also in type positions, and with a plain template
// literal); side-effect `import '…'`. Bare specifiers (`node:fs`, packages) never match.
const IMPORT_PATTERNS: readonly RegExp[] = [
  /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g,
  /\bimport\s*\(\s*['"`](\.[^'"`$]+)['"`]\s*\)/g,
  /\bimport\s+['"](\.[^'"]+)['"]/g,
];

/** The relative specifiers `text` imports, in order of appearance. */
export function relativeImports(text: string): string[] {
  return IMPORT_PATTERNS.flatMap((re) => [...text.matchAll(re)])
    .sort((a, b) => a.index - b.index)
    .map((m) => m[1] ?? '');
}

/** Violations of the files given as absolute path -> text. */
export function violationsIn(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    const from = layerOf(file);
    for (const spec of relativeImports(text)) {
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const to = layerOf(target);
      if (to === from) continue;
      const where = `${relative('.', file)} imports '${spec}'`;
      if (!(ALLOWED[from] ?? []).includes(to))
        problems.push(`${where}: ${from} may not import ${to}`);
      else if (target !== surfaceOf(target) && !target.endsWith('/index.ts'))
        problems.push(`${where}: import ${to} through its index.ts`);
    }
  }
  return problems;
}

export function layeringViolations(): string[] {
  return violationsIn(srcFiles());
}

describe('layering', () => {
  it('src/ folders import only the layers below them, through index.ts', () => {
    expect(layeringViolations()).to.deep.equal([]);
  });
  it('dynamic import() and side-effect imports count too (relative specifiers only)', () => {
    const hdl = join(SRC, 'hdl', 'x.ts');
    const sim = join(SRC, 'sim', 'x.ts');
    const files = new Map([
      [hdl, "const m = await import('../sim/index.js');\nimport '../emit/sv/index.js';\n"],
      [
        sim,
        [
          "type N = import('../hdl/netlist.js').Netlist;",
          'const e = await import(`../hdl/index.js`);',
          "import './own.js';",
          "const n = await import('node:fs');",
          "import 'chai';",
        ].join('\n'),
      ],
    ]);
    expect(violationsIn(files)).to.deep.equal([
      "src/hdl/x.ts imports '../sim/index.js': hdl may not import sim",
      "src/hdl/x.ts imports '../emit/sv/index.js': hdl may not import emit",
      "src/sim/x.ts imports '../hdl/netlist.js': import hdl through its index.ts",
    ]);
  });
  it('numerics and hdl import nothing else of ours', () => {
    const ours = layeringViolations().filter((p) => /^src\/(numerics|hdl)\//.test(p));
    expect(ours).to.deep.equal([]);
  });
  it('src/flow never imports src/cli', () => {
    const flow = layeringViolations().filter((p) => p.startsWith('src/flow/'));
    expect(flow).to.deep.equal([]);
    expect(
      violationsIn(
        new Map([[join(SRC, 'flow', 'x.ts'), "import { a } from '../cli/options.js';"]]),
      ),
    ).to.deep.equal(["src/flow/x.ts imports '../cli/options.js': flow may not import cli"]);
  });
  it('src/cli imports of ours only src/flow (through index.ts) and src/numerics', () => {
    const cli = layeringViolations().filter((p) => p.startsWith('src/cli/'));
    expect(cli).to.deep.equal([]);
    const x = join(SRC, 'cli', 'x.ts');
    expect(
      violationsIn(
        new Map([
          [
            x,
            [
              "import { elaborate } from '../hdl/index.js';",
              "import { runFlow } from '../flow/flow.js';",
              "import * as flow from '../flow/index.js';",
            ].join('\n'),
          ],
        ]),
      ),
    ).to.deep.equal([
      "src/cli/x.ts imports '../hdl/index.js': cli may not import hdl",
      "src/cli/x.ts imports '../flow/flow.js': import flow through its index.ts",
    ]);
  });
  it('src/cli only parses and prints: no file writing, tools or workers', () => {
    expect(cliViolations(srcFiles())).to.deep.equal([]);
    const x = join(SRC, 'cli', 'x.ts');
    expect(
      cliViolations(
        new Map([
          [
            x,
            [
              "import { readFileSync, writeFileSync } from 'node:fs';",
              "import { spawnSync } from 'node:child_process';",
              "import type { Stats } from 'node:fs';",
              "import { Command } from 'commander';",
            ].join('\n'),
          ],
        ]),
      ),
    ).to.deep.equal([
      "src/cli/x.ts imports 'node:fs': writeFileSync is flow work, not parsing",
      "src/cli/x.ts imports 'node:child_process': the CLI only parses and prints",
    ]);
  });
});
