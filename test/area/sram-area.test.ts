// Yosys keeps an SRAM as a memory: a 1024 x 32 SRAM is one `$mem_v2` of 32768 bits (reported as
// memory bits and a modelled memory area), not 32768 flip-flops; its logic GE stays tiny. The
// $readmemh line is stripped for synthesis, so the image file need not exist.
import { expect } from 'chai';
import { areaCsv, formatAreaTable, synthArea, type YosysKind } from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, u } from '../../src/hdl/index.js';

function sram1k(): ModuleBuilder {
  const m = new ModuleBuilder('sram_1k_x32');
  const w = m.sram('w', { width: 32, depth: 1024, init: 'weights.hex' });
  w.write(m.input('wa', u(10)), m.input('wd', u(32)), m.input('we', u(1)));
  m.output('q', u(32)).set(w.read(m.input('ra', u(10)), m.input('re', u(1))));
  return m;
}

/** Two SRAM instances under a parent, to check totals multiply memory bits by instance count. */
function twoBanks(): ModuleBuilder {
  const m = new ModuleBuilder('sram_two_banks');
  const b = sram1k();
  const ra = m.input('ra', u(10));
  for (const i of [0, 1]) {
    const inst = m.instance(b, `u${i}`);
    inst.connect({ wa: ra, wd: m.input(`wd${i}`, u(32)), we: m.input(`we${i}`, u(1)), ra, re: 1 });
    m.output(`q${i}`, u(32)).set(inst.out('q'));
  }
  return m;
}

for (const tool of ['system', 'yowasp'] as const satisfies readonly YosysKind[]) {
  describe(`sram area with ${tool} Yosys`, function () {
    this.timeout(10 * 60_000);

    it('a 1024 x 32 SRAM is one $mem_v2 of 32768 bits with almost no logic', async () => {
      const sv = emitSv(elaborate(sram1k()));
      expect(sv.files[0]?.text).to.contain('$readmemh');
      const r = await synthArea(sv.files, sv.top, { tool, cacheDir: null });
      const [mod] = r.modules;
      expect(mod?.cellsByType['$mem_v2']).to.equal(1);
      expect(mod?.memoryBits).to.equal(32768);
      expect(r.total.memoryBits).to.equal(32768);
      // 32768 flip-flops would be 32768 x 5.667 GE; the SRAM's read register merged into the port.
      expect(mod?.flipFlops).to.be.below(64);
      expect(r.total.gateEquivalents).to.be.below(500);
      expect(r.total.memoryGateEquivalents).to.equal(
        Math.round(32768 * r.areaModel.sramBitGe * 1000) / 1000,
      );
      expect(r.areaModel.sramBitGe).to.equal(0.434);
      expect(r.warnings).to.deep.equal([]);
      expect(formatAreaTable(r)).to.contain('memory bits');
      expect(areaCsv(r).split('\n')[0]).to.contain('memory_bits,memory_gate_equivalents');
    });

    it('totals count memory bits once per instance', async () => {
      const sv = emitSv(elaborate(twoBanks()));
      const r = await synthArea(sv.files, sv.top, { tool, cacheDir: null });
      expect(r.total.memoryBits).to.equal(2 * 32768);
      expect(r.modules.find((m) => m.name === 'sram_1k_x32')?.instances).to.equal(2);
    });
  });
}
