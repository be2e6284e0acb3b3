// olive-dyn failed verilator -Wall when its files were linted together: an instance named `scale`
// in `linear_16x16_*` held `mx_scale_*`, which declares a signal `scale` (VARHIDDEN). Instance
// names now avoid every name declared in the module they instantiate and the modules under it.
import { expect } from 'chai';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, u } from '../../src/hdl/index.js';
import { lintAll } from '../support/lint-set.js';

function design(): ModuleBuilder {
  const leaf = new ModuleBuilder('leaf');
  const x = leaf.input('x', u(4));
  const deep = leaf.wire('deep', u(4)).set(x.not());
  leaf.output('y', u(4)).set(deep);

  const child = new ModuleBuilder('child');
  const a = child.input('a', u(4));
  const scale = child.wire('scale', u(4)).set(a.xor(3));
  const l = child.instance(leaf, 'inner').connect('x', scale);
  child.output('b', u(4)).set(l.out('y'));

  const top = new ModuleBuilder('top');
  const i = top.input('i', u(4));
  const c1 = top.instance(child, 'scale').connect('a', i); // a signal of `child`
  const c2 = top.instance(child, 'deep').connect('a', c1.out('b')); // a signal of `leaf`
  top.output('o', u(4)).set(c2.out('b'));
  return top;
}

describe('regression: instance names never hide signals of the modules below', () => {
  it('an instance named like a signal of its child or grandchild is renamed', () => {
    const top = emitSv(elaborate(design())).files.at(-1)?.text ?? '';
    expect(top).to.match(/^ {2}child scale_1 \($/m);
    expect(top).to.match(/^ {2}child deep_1 \($/m);
  });

  it('the design passes verilator -Wall, iverilog and yosys as a set of files', async () => {
    const problems = await lintAll([{ name: 'hides', sv: emitSv(elaborate(design())) }]);
    expect(problems.map((p) => `${p.tool}: ${p.output}`).join('\n')).to.equal('');
  });
});
