// The compiled CLI (bin/compiled.js, dist/): the stamp check that keeps a stale bundle from
// running, and the same output as the sources (source locations through the bundle's maps).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SourceMap } from 'node:module';
import { FlatMap } from '../../src/hdl/srcloc.js';
// @ts-expect-error: plain JavaScript module without types
import { buildCompiled, compiledEntry } from '../../bin/compiled.js';

const entry = compiledEntry as (root?: string) => string | undefined;
const build = buildCompiled as (root?: string) => Promise<number>;

/** A checkout with one source file, the real builder and node_modules (for esbuild). */
function fakeRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'mxgen-compiled-'));
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'bin', 'compiled.js'), readFileSync('bin/compiled.js'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  writeFileSync(
    join(root, 'src', 'cli', 'main.ts'),
    'const here: string = import.meta.url;\nconsole.log(here);\n',
  );
  return root;
}

describe('compiled CLI (dist/)', () => {
  it('runs only while every source file is as stamped; a rewrite with the same bytes keeps it', async function () {
    this.timeout(60_000);
    const root = fakeRoot();
    try {
      expect(entry(root)).to.equal(undefined);
      await build(root);
      const main = entry(root);
      expect(main).to.match(/\/dist\/main\.js$/);
      // import.meta.url is the source module's own URL, not the bundle's.
      const out = execFileSync('node', [join(root, 'dist', 'main.js')], { encoding: 'utf8' });
      expect(out.trim()).to.equal(`file://${join(root, 'src', 'cli', 'main.ts')}`);
      const file = join(root, 'src', 'cli', 'main.ts');
      utimesSync(file, new Date(), new Date(Date.now() + 5000));
      expect(entry(root), 'same bytes, new mtime').to.equal(main);
      writeFileSync(file, `${readFileSync(file, 'utf8')}// edited\n`);
      expect(entry(root), 'edited').to.equal(undefined);
      await build(root);
      expect(entry(root)).to.equal(main);
      writeFileSync(join(root, 'src', 'cli', 'extra.ts'), 'export const x = 1;\n');
      expect(entry(root), 'a new file').to.equal(undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("srcloc's decoded source map finds what Node's SourceMap finds", async function () {
    this.timeout(120_000);
    if (!entry()) await build();
    for (const f of readdirSync('dist').filter((x) => x.endsWith('.js.map'))) {
      const payload = JSON.parse(readFileSync(join('dist', f), 'utf8')) as {
        sources: string[];
        mappings: string;
      };
      const lines = payload.mappings.split(';').length;
      const node = new SourceMap(payload as unknown as ConstructorParameters<typeof SourceMap>[0]);
      const flat = new FlatMap(payload);
      let seed = 12345;
      const rnd = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      for (let i = 0; i < 3000; i++) {
        const [line, col] = [rnd(lines + 2), rnd(120)];
        const want = node.findEntry(line, col) as Partial<{
          originalSource: string;
          originalLine: number;
          originalColumn: number;
        }>;
        const got = flat.findEntry(line, col);
        const where = `${f} ${line}:${col}`;
        if (want.originalLine === undefined) expect(got, where).to.equal(undefined);
        else
          expect(got, where).to.deep.equal({
            originalSource: want.originalSource,
            originalLine: want.originalLine,
            originalColumn: want.originalColumn,
          });
      }
    }
  });

  it('writes the same SV with source locations as the sources', async function () {
    this.timeout(120_000);
    if (!entry()) await build();
    const out = mkdtempSync(join(tmpdir(), 'mxgen-compiled-gen-'));
    try {
      const gen = (dir: string, env: NodeJS.ProcessEnv): void => {
        execFileSync(
          'node',
          ['bin/mxgen.js', 'generate', 'mac-array', '--locations', 'relative', '--out', dir],
          { env: { ...process.env, ...env }, stdio: 'ignore' },
        );
      };
      gen(join(out, 'compiled'), { MXGEN_SOURCE: '0' });
      gen(join(out, 'source'), { MXGEN_SOURCE: '1' });
      const files = (d: string): string[] =>
        readdirSync(join(out, d), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name).slice(join(out, d).length));
      const names = files('source').sort();
      expect(files('compiled').sort()).to.deep.equal(names);
      const sv = names.filter((n) => n.endsWith('.sv'));
      expect(sv.length).to.be.greaterThan(0);
      let located = 0;
      for (const n of names) {
        const text = readFileSync(join(out, 'source', n), 'utf8');
        expect(readFileSync(join(out, 'compiled', n), 'utf8'), n).to.equal(text);
        located += (text.match(/src\/components\/[\w/-]+\.ts:\d+:\d+/g) ?? []).length;
      }
      expect(located, 'source locations in the SV').to.be.greaterThan(10);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
