// Every catalogue design, emitted: zero warnings from verilator -Wall, compiles in Icarus,
// passes Yosys `proc; check -assert`; byte-identical across builds and processes.
import { expect } from 'chai';
import { runTool } from '../../../src/backends/index.js';
import { CATALOGUE } from '../../designs/index.js';
import { digestOf, emitCatalogue } from './catalogue-sv.js';
import { lintAll } from '../../support/lint-set.js';

describe('emit/sv over the design catalogue', () => {
  it('the catalogue names are unique snake_case', () => {
    const names = CATALOGUE.map((d) => d.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const n of names) expect(n).to.match(/^[a-z][a-z0-9_]*$/);
  });

  it('every design passes verilator -Wall (zero warnings), iverilog -g2012 and yosys check', async () => {
    const problems = await lintAll(emitCatalogue());
    expect(problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n')).to.equal('');
  });

  it('emits byte-identical text when built twice in one process', () => {
    const first = emitCatalogue();
    const second = emitCatalogue();
    expect(second.map((d) => d.sv.files)).to.deep.equal(first.map((d) => d.sv.files));
  });

  it('emits byte-identical text in a separate node process', async () => {
    const here = Object.fromEntries(emitCatalogue().map((d) => [d.name, digestOf(d.sv)]));
    const r = await runTool('node', ['--import', 'tsx', 'test/unit/emit/catalogue-sv.ts']);
    expect(JSON.parse(r.stdout)).to.deep.equal(here);
  });

  it('never prints timestamps or absolute paths', () => {
    for (const d of emitCatalogue())
      for (const f of d.sv.files) {
        expect(f.text).not.to.match(/\/(home|tmp|work|usr)\//);
        expect(f.text).not.to.match(/\b20\d\d-\d\d-\d\d\b/);
      }
  });
});
