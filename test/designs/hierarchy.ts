// Instances: three levels, one definition used twice, an unclocked child inside a clocked parent,
// a child output the parent never reads, and names that are SV keywords (legalized with `_1`).
import { cat, ModuleBuilder, u } from '../../src/hdl/index.js';

function halfAdder(): ModuleBuilder {
  const m = new ModuleBuilder('half_adder');
  const a = m.input('a', u(1));
  const b = m.input('b', u(1));
  m.output('sum', u(1)).set(a.xor(b));
  m.output('carry', u(1)).set(a.and(b));
  return m;
}

function fullAdder(ha: ModuleBuilder): ModuleBuilder {
  const m = new ModuleBuilder('full_adder');
  const a = m.input('a', u(1));
  const b = m.input('b', u(1));
  const cin = m.input('cin', u(1));
  const h1 = m.instance(ha, 'ha_0').connect({ a, b });
  const h2 = m.instance(ha, 'ha_1').connect({ a: h1.out('sum'), b: cin });
  m.output('sum', u(1)).set(h2.out('sum'));
  m.output('cout', u(1)).set(h1.out('carry').or(h2.out('carry')));
  return m;
}

export function hierarchy(): ModuleBuilder {
  const ha = halfAdder();
  const fa = fullAdder(ha);
  const m = new ModuleBuilder('ripple_acc_2');
  const x = m.input('x', u(2));
  const acc = m.reg('acc', u(2), { init: 0 });
  const f0 = m.instance(fa, 'bit_0').connect({ a: x.bit(0), b: acc.bit(0), cin: 0 });
  const f1 = m.instance(fa, 'bit_1').connect({ a: x.bit(1), b: acc.bit(1), cin: f0.out('cout') });
  acc.next(cat(f1.out('sum'), f0.out('sum')));
  m.output('value', u(2)).set(acc);
  // A half adder whose carry nobody reads.
  const spare = m.instance(ha, 'spare').connect({ a: x.bit(0), b: x.bit(1) });
  m.output('parity', u(1)).set(spare.out('sum'));
  return m;
}

export function keywords(): ModuleBuilder {
  const m = new ModuleBuilder('keywords');
  const input = m.input('logic', u(4));
  const w = m.wire('wire', u(4));
  w.set(input.not());
  const reg = m.reg('reg', u(4), { init: 0 });
  reg.next(w);
  m.output('output', u(4)).set(reg.xor(w));
  return m;
}
