// loadDesign: accepted export forms, and errors that name the file and what was expected.
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadDesign } from '../../../src/flow/design.js';
import { ModuleBuilder, MxgenError } from '../../../src/hdl/index.js';
import { HDL_URL, writeFixtures } from './cli-fixtures.js';
import { rejected as failure } from '../../support/mxgen-error.js';

describe('cli loadDesign', () => {
  let dir = '';
  before(() => (dir = writeFixtures()));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const f = (n: string): string => join(dir, n);

  // Accepted forms are loaded by the real CLI in cli-generate.test.ts: under mocha our sources
  // run as CommonJS, so an ESM design file gets its own copy of src/hdl, which loadDesign detects.
  it('names the design after the file and reports a builder of another src/hdl copy', async () => {
    const d = await loadDesign(f('default-fn.mjs'));
    expect(d.name).to.equal('default-fn');
    const sameCopy = (await import(HDL_URL)).ModuleBuilder === ModuleBuilder;
    if (sameCopy) expect(d.build().name).to.equal('fixture_counter');
    else expect(() => d.build()).to.throw(MxgenError, /ModuleBuilder of another copy of mxgen/);
    if (!sameCopy)
      expect((await failure(loadDesign(f('default-builder.mjs')))).hint).to.contain(
        'one copy of src/hdl',
      );
  });

  it('a missing file is an io error naming the path', async () => {
    const e = await failure(loadDesign(f('nope.ts')));
    expect(e.kind).to.equal('io');
    expect(e.message).to.equal(`design file ${f('nope.ts')} does not exist`);
  });

  it('a file that is not a module is a config error', async () => {
    const e = await failure(loadDesign(f('notes.txt')));
    expect(e.kind).to.equal('config');
    expect(e.message).to.contain('notes.txt is not a .ts or .js module');
  });

  it('a file without a default or design export says what was expected', async () => {
    const e = await failure(loadDesign(f('no-export.mjs')));
    expect(e.message).to.contain(
      'no-export.mjs has neither a default export nor an export named design',
    );
    expect(e.hint).to.contain('a ModuleBuilder or a function returning one');
  });

  it('a default export of the wrong type names its type', async () => {
    const e = await failure(loadDesign(f('number.mjs')));
    expect(e.message).to.contain('the default export of');
    expect(e.message).to.contain(
      'is a number; expected a ModuleBuilder or a function returning one',
    );
  });

  it('a function that returns something else fails when built, naming the file', async () => {
    const d = await loadDesign(f('returns-string.mjs'));
    expect(() => d.build()).to.throw(
      MxgenError,
      /returns-string\.mjs returned a string; expected a ModuleBuilder/,
    );
    const a = await loadDesign(f('async-fn.mjs'));
    expect(() => a.build()).to.throw(MxgenError, /returned a Promise/);
  });

  it('a syntax error or a throw while loading is a config error naming the file', async () => {
    for (const n of ['syntax.mjs', 'throws.mjs']) {
      const e = await failure(loadDesign(f(n)));
      expect(e.kind).to.equal('config');
      // Located at the file (and line) of the mistake.
      expect(e.loc ?? '').to.match(
        new RegExp(`^${f(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)*$`),
      );
    }
    expect((await failure(loadDesign(f('throws.mjs')))).message).to.contain('boom at load');
  });
});
