// Two builders with one module name and identical hardware merge. With simplification the stored
// module is the simplified one; comparing it with the next builder's lowered form called them
// "two different modules" (mx-blocks: fp32_acc_p1). Collisions compare the lowered forms.
import { expect } from 'chai';
import { elaborate, ModuleBuilder, u } from '../../src/hdl/index.js';

function leaf(): ModuleBuilder {
  const m = new ModuleBuilder('leaf_dup');
  const a = m.input('a', u(4));
  m.output('y', u(4)).set(a.and(0).or(a)); // simplifies to a
  return m;
}

describe('regression: identical duplicate builders merge after simplification', () => {
  it('two leaf_dup builders in one design are one module', () => {
    const top = new ModuleBuilder('top_dup');
    const x = top.input('x', u(4));
    const i0 = top.instance(leaf(), 'i0').connect('a', x);
    const i1 = top.instance(leaf(), 'i1').connect('a', i0.out('y'));
    top.output('z', u(4)).set(i1.out('y'));
    const nl = elaborate(top);
    expect(nl.modules.map((m) => m.name)).to.deep.equal(['leaf_dup', 'top_dup']);
  });
});
