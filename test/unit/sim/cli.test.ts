// `mxgen sim`: seeded random stimulus into a VCD, deterministic per seed; --emit-ts; bad options.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Imported as mxgen's own files import it (`.js`), so the design and the CLI share one src/hdl.
const HDL_URL = pathToFileURL(resolve('src/hdl/index.js')).href;
const COUNTER = `import { ModuleBuilder, u } from '${HDL_URL}';
export default () => {
  const m = new ModuleBuilder('counter');
  const en = m.input('en', u(1));
  const c = m.reg('count', u(8), { init: 0 });
  c.next(c.addWrap(1), en);
  m.output('value', u(8)).set(c);
  return m;
};
`;

const mxgen = (args: string[]) => spawnSync('node', ['bin/mxgen.js', ...args], { encoding: 'utf8' });

describe('sim: mxgen sim command (through the real CLI)', () => {
  let dir = '';
  let DESIGN = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-sim-cli-'));
    DESIGN = join(dir, 'counter.mjs');
    writeFileSync(DESIGN, COUNTER);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same VCD for the same seed and a different one for another seed', () => {
    const a = join(dir, 'a.vcd');
    const b = join(dir, 'b.vcd');
    const c = join(dir, 'c.vcd');
    for (const [vcd, seed] of [
      [a, '7'],
      [b, '7'],
      [c, '8'],
    ])
      expect(mxgen(['sim', DESIGN, '--cycles', '50', '--vcd', vcd, '--seed', seed]).status).to.equal(0);
    const text = readFileSync(a, 'utf8');
    expect(readFileSync(b, 'utf8')).to.equal(text);
    expect(readFileSync(c, 'utf8')).to.not.equal(text);
    // one reset cycle + 50 cycles: the last sample is cycle 50 at time 500, closed at 510
    expect(text).to.contain('\n#500\n');
    expect(text.trimEnd().split('\n').at(-1)).to.equal('#510');
  });

  it('writes the typed model with --emit-ts', () => {
    const out = join(dir, 'model', 'counter.ts');
    const r = mxgen(['sim', '--emit-ts', out, DESIGN]);
    expect(r.stdout).to.contain('(typed model of counter)');
    expect(readFileSync(out, 'utf8')).to.contain('export class CounterModel');
  });

  it('is registered in the CLI and rejects a bad --cycles with exit code 1', () => {
    const r = mxgen(['sim', DESIGN, '--cycles', 'many']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.contain('error[usage]: --cycles must be an integer from 0 to any size; got "many"');
  });
});
