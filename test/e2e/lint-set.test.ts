// Every bundled design, emitted fresh and linted as the set of files it is with its top module
// (weights in SRAM with their `.hex` images, and as constants): verilator -Wall with zero
// warnings, iverilog -g2012, yosys check -assert. Linting files one by one misses what only the
// set shows: a child's signal named like the instance that holds it (VARHIDDEN, olive-dyn's
// `scale`), or two files defining one module. The real-size designs (slow to generate) are linted
// in real-size.test.ts, from the designs that file has generated already.
import { expect } from 'chai';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import type { WeightsStorage } from '../../src/ir/index.js';
import { lintAll, type LintDesign } from '../support/lint-set.js';
import { bundledDesigns, compileFile } from './designs.js';

function lintDesign(path: string, storage?: WeightsStorage): LintDesign {
  const c = compileFile(path, storage);
  const base = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
  return {
    name: storage ? `${base}-${storage}` : base,
    sv: emitSv(elaborate(c.top)),
    images: c.memories.images,
  };
}

function report(problems: Awaited<ReturnType<typeof lintAll>>): string {
  return problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n');
}

describe('e2e: every bundled design passes the three linters as a set of files', () => {
  it('the small designs, weights in SRAM and embedded', async function () {
    // About 50 designs generated and linted in three tools: minutes on the 2-core machine.
    this.timeout(20 * 60_000);
    const paths = bundledDesigns();
    expect(paths.length).to.be.at.least(10);
    const designs = [
      ...paths.map((p) => lintDesign(p)),
      ...paths.map((p) => lintDesign(p, 'embedded')),
    ];
    expect(report(await lintAll(designs))).to.equal('');
  });
});
