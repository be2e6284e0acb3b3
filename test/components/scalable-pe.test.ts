// scalable-pe: every registered example swept by the generic component harness (native sim vs
// reference with stalls, exhaustive int8 × int8 and lane-wise products, one Verilator build,
// lint, determinism).
import '../../src/components/index.js';
import { expect } from 'chai';
import { getComponent, parseConfig } from '../../src/components/index.js';
import { elaborate, Input, ModuleBuilder } from '../../src/hdl/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('scalable-pe'));

describe('regression: scalable-pe module identity', () => {
  // Found by the residual design: configs {maxBeats: 12} and {maxBeats: 16} have the same
  // accumulator width and name, and the same hardware; two instances must elaborate as one module.
  it('configs with the same accumulator width are one module definition', () => {
    const kind = getComponent('scalable-pe');
    const a = parseConfig(kind, { maxBeats: 12 });
    const b = parseConfig(kind, { maxBeats: 16 });
    expect(kind.moduleName(a)).to.equal(kind.moduleName(b));
    const top = new ModuleBuilder('two_pes');
    for (const [i, c] of [a, b].entries()) {
      const pe = kind.generate(c);
      const inst = top.instance(pe, `pe_${i}`);
      for (const p of pe.ports) {
        if (p instanceof Input) inst.connect(p.name, top.input(`i${i}_${p.name}`, p.shape));
        else top.output(`o${i}_${p.name}`, p.shape).set(inst.out(p.name));
      }
    }
    const nl = elaborate(top);
    expect(nl.modules.filter((m) => m.name === kind.moduleName(a))).to.have.length(1);
  });
});
