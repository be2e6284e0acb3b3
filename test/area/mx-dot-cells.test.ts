// Issue 15's figure for the mxint8 dot product (k = 32, the area sweep's row): Yosys cells of
// the SV as it was before the issue (netlist as lowered, products of spelled-out extensions,
// tables as ?: trees) against the SV emitted now, down by at least 15 %.
import { expect } from 'chai';
import { synthArea } from '../../src/backends/index.js';
import { getComponent, parseConfig } from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';

describe('mx-dot mxint8 k = 32: Yosys cells down by at least 15 % (issue 15)', function () {
  this.timeout(20 * 60_000);
  it('before (as lowered, full-width products, ?: tables) against now', async () => {
    const kind = getComponent('mx-dot');
    const cfg = parseConfig(kind, { format: 'mxint8', k: 32, fp32: false, stages: 1 });
    const cells = async (now: boolean): Promise<number> => {
      const nl = elaborate(kind.generate(cfg), { simplify: now });
      const sv = emitSv(nl, now ? {} : { nativeProducts: false, tablesAsCase: false });
      return (await synthArea(sv.files, sv.top, { tool: 'system' })).total.cells;
    };
    const before = await cells(false);
    const after = await cells(true);
    console.log(
      `      cells ${before} -> ${after} (${(((after - before) / before) * 100).toFixed(1)} %)`,
    );
    expect(after / before).to.be.at.most(0.85);
  });
});
