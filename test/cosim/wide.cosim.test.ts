// Values wider than 2^16 bits (the IEEE 1800 minimum a tool must take; real-size layer units hold
// an 88 064-bit token vector): the native simulator and Verilator (run with --max-num-width)
// agree on every output every cycle, and the SV is lint-clean.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosimDesigns, lintFiles, mismatchError } from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, lit, ModuleBuilder, mux, type Netlist, u } from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';

const W = 70_001;

function wide(): Netlist {
  const m = new ModuleBuilder('wide_70k');
  const x = m.input('x', u(W));
  const load = m.input('load', u(1));
  const at = m.input('at', u(12));
  const r = m.reg('r', u(W), { enable: load }).next(x.xor(x.shr(3).extend(W)));
  // A 16-bit window at a variable position (at·17), and a rotation by one word.
  m.output('win', u(16)).set(r.shrBy(at.extend(17).mulWrap(17)).trunc(16));
  const acc = m.reg('acc', u(W));
  acc.next(mux(load, lit(0, u(W)), acc.addWrap(r)));
  m.output('y', u(W)).set(acc);
  m.output('top', u(9)).set(acc.bits(W - 1, W - 9));
  return elaborate(m);
}

describe(`values of ${W} bits (past 2^16)`, function () {
  this.timeout(20 * 60_000);

  it('native and Verilator agree on every output every cycle', async () => {
    const r = await cosimDesigns([{ name: 'wide_70k', netlist: wide() }], {
      native: compile,
      cycles: 60,
      seed: 3,
      build: { opt: 'O0' },
    });
    if (r.mismatches.length > 0) expect.fail(mismatchError(r).format());
    expect(r.compared).to.equal(3 * 60);
  });

  it('is lint-clean under verilator --lint-only -Wall', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-wide-lint-'));
    try {
      const sv = emitSv(wide());
      const files = sv.files.map((f) => join(dir, f.name));
      sv.files.forEach((f, i) => writeFileSync(files[i] as string, f.text));
      const msgs = await lintFiles(files, { top: sv.top });
      expect(msgs.map((x) => `${x.code}: ${x.message}`)).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
