// Designs built with the mxgen builder and emitted with emitSv, synthesized by real Yosys.
import { expect } from 'chai';
import { synthArea, type AreaReport } from '../../src/backends/index.js';
import { ModuleBuilder, s } from '../../src/hdl/index.js';
import { emitted, macGrid, macPe } from './builder-designs.js';

async function area(
  m: Parameters<typeof emitted>[0],
  tool: 'system' | 'yowasp' = 'system',
): Promise<AreaReport> {
  const { files, top } = emitted(m);
  return synthArea(files, top, { tool });
}

describe('yosys area of builder designs', () => {
  it('an int4 MAC PE is smaller than an int8 MAC PE (both Yosys)', async () => {
    for (const tool of ['system', 'yowasp'] as const) {
      const r4 = await area(macPe(4), tool);
      const r8 = await area(macPe(8), tool);
      // Accumulators of 16 and 32 bits: one flip-flop each.
      expect(r4.total.flipFlops, tool).to.equal(16);
      expect(r8.total.flipFlops, tool).to.equal(32);
      expect(r4.total.gateEquivalents, tool).to.be.lessThan(r8.total.gateEquivalents);
      expect(r4.total.transistors, tool).to.be.lessThan(r8.total.transistors);
      expect(r4.total.cells, tool).to.be.lessThan(r8.total.cells);
    }
  });

  it('a 4x4 grid is about 4 times a 2x2 grid and keeps one PE definition', async () => {
    const r2 = await area(macGrid(2, 4));
    const r4 = await area(macGrid(4, 4));
    const pe2 = r2.modules.find((m) => m.name.startsWith('area_mac_'));
    const pe4 = r4.modules.find((m) => m.name.startsWith('area_mac_'));
    expect(pe2?.instances).to.equal(4);
    expect(pe4?.instances).to.equal(16);
    expect(pe4?.gateEquivalents).to.equal(pe2?.gateEquivalents);
    expect(r4.total.gateEquivalents / r2.total.gateEquivalents).to.be.within(3.6, 4.4);
    expect(r4.total.logicDepth).to.equal(r2.total.logicDepth);
  });
});

describe('regression: logic depth through the hierarchy', () => {
  // Found when mac-array became hierarchical: a parent took its children's port-to-port depths
  // but not their register-to-register depth, so a grid whose multiplier sits between flip-flops
  // inside the PE reported the depth of the wiring only. A design is as deep as its deepest part.
  function registeredPe(): ModuleBuilder {
    const m = new ModuleBuilder('area_regpe_s4');
    const a = m.input('a', s(4));
    const b = m.input('b', s(4));
    const ar = m.reg('a_r', s(4), { init: 0 });
    const br = m.reg('b_r', s(4), { init: 0 });
    ar.next(a);
    br.next(b);
    const acc = m.reg('acc', s(16), { init: 0 });
    acc.next(acc.addWrap(ar.mul(br).extend(16)));
    m.output('acc_out', s(16)).set(acc);
    return m;
  }

  it('a pair of registered PEs is as deep as one PE', async () => {
    const pe = registeredPe();
    const top = new ModuleBuilder('area_regpe_pair');
    const a = top.input('a', s(4));
    const b = top.input('b', s(4));
    for (const k of [0, 1]) {
      const inst = top.instance(pe, `pe_${k}`);
      inst.connect({ a, b });
      top.output(`acc_${k}`, s(16)).set(inst.out('acc_out'));
    }
    const r = await area(top);
    const one = r.modules.find((m) => m.name === 'area_regpe_s4');
    expect(one?.logicDepth).to.be.greaterThan(4);
    expect(r.total.logicDepth).to.equal(one?.logicDepth);
  });
});
