// Design files for the loadDesign / generate tests, written into a temp dir at test time (so a
// deliberately broken file never reaches the type-checker).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Imported the way mxgen's own files import it (`.js`), so both resolve to one module instance.
export const HDL_URL = pathToFileURL(resolve('src/hdl/index.js')).href;
const COUNTER = `
const counter = () => {
  const m = new ModuleBuilder('fixture_counter');
  const en = m.input('en', u(1));
  const c = m.reg('count', u(4), { init: 0 });
  c.next(c.addWrap(1), en);
  m.output('value', u(4)).set(c);
  return m;
};`;

export const FIXTURES: Readonly<Record<string, string>> = {
  'default-fn.mjs': `import { ModuleBuilder, u } from '${HDL_URL}';${COUNTER}\nexport default counter;\n`,
  'default-builder.mjs': `import { ModuleBuilder, u } from '${HDL_URL}';${COUNTER}\nexport default counter();\n`,
  'named.mjs': `import { ModuleBuilder, u } from '${HDL_URL}';${COUNTER}\nexport const design = counter;\n`,
  'no-export.mjs': `export const something = 1;\n`,
  'number.mjs': `export default 42;\n`,
  'returns-string.mjs': `export default () => 'not a builder';\n`,
  'async-fn.mjs': `export default async () => 1;\n`,
  'syntax.mjs': `export default (;\n`,
  'throws.mjs': `throw new Error('boom at load');\n`,
  'notes.txt': `hello\n`,
  'shape-error.mjs': `import { ModuleBuilder, u } from '${HDL_URL}';
export default () => { const m = new ModuleBuilder('bad'); const a = m.input('a', u(4));
  m.output('y', u(8)).set(a); return m; };\n`,
};

/** A fresh temp dir holding every fixture; returns its path. */
export function writeFixtures(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-designs-'));
  for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text);
  return dir;
}
