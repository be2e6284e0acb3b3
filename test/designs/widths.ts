// Width extremes: values wider than 64 bits (the simulator's bigint path, SV's wide vectors) and
// 1-bit values (plain `logic`, one-bit sign extension and signed compares of -1 and 0).
import { cat, ModuleBuilder, mux, s, u } from '../../src/hdl/index.js';

export function wide(): ModuleBuilder {
  const m = new ModuleBuilder('wide_100');
  const a = m.input('a', u(100));
  const b = m.input('b', u(100));
  const c = m.input('c', s(70));
  const n = m.input('n', u(7));
  m.output('sum', u(101)).set(a.add(b));
  m.output('prod', u(130)).set(a.bits(64, 0).mul(b.bits(64, 0)));
  m.output('diff_s', s(101)).set(c.extend(100).sub(a.asSigned()));
  m.output('lt_s', u(1)).set(c.lt(a.bits(69, 0).asSigned()));
  m.output('shr_c', s(70)).set(c.shrBy(n));
  m.output('shr_a', u(100)).set(a.shrBy(n));
  m.output('shl_c', s(73)).set(c.shl(3));
  m.output('xor_r', u(1)).set(a.xorR());
  m.output('hi_lo', u(128)).set(cat(a.bits(99, 36), b.bits(63, 0)));
  const acc = m.reg('acc', u(100), { init: (1n << 99n) | 5n });
  acc.next(mux(n.eq(0), a, acc.addWrap(b)));
  m.output('acc_out', u(100)).set(acc);
  return m;
}

export function oneBit(): ModuleBuilder {
  const m = new ModuleBuilder('one_bit');
  const a = m.input('a', u(1));
  const b = m.input('b', u(1));
  const c = m.input('c', s(1));
  const d = m.input('d', s(1));
  m.output('sum', u(2)).set(a.add(b));
  m.output('prod', u(2)).set(a.mul(b));
  m.output('diff', s(2)).set(c.sub(d));
  m.output('lt_s', u(1)).set(c.lt(d));
  m.output('c_wide', s(4)).set(c.extend(4));
  m.output('neg_c', s(2)).set(c.neg());
  m.output('shl_a', u(3)).set(a.shl(2));
  m.output('shr_c', s(1)).set(c.shr(1));
  m.output('pick', u(1)).set(mux(a, b, a.xor(b)));
  m.output('not_c', s(1)).set(c.not());
  return m;
}
