// One combinational design per kind of operation, each mixing widths so that SV's
// context-width rules would bite if the emitter got them wrong.
import { cat, ModuleBuilder, mux, s, u } from '../../src/hdl/index.js';

/** and, or, xor, not, andR, orR, xorR on u7 and s5. */
export function opsBitwise(): ModuleBuilder {
  const m = new ModuleBuilder('ops_bitwise');
  const a = m.input('a', u(7));
  const b = m.input('b', u(7));
  const c = m.input('c', s(5));
  m.output('and_ab', u(7)).set(a.and(b));
  m.output('or_ab', u(7)).set(a.or(b));
  m.output('xor_ab', u(7)).set(a.xor(b));
  m.output('not_a', u(7)).set(a.not());
  m.output('not_c', s(5)).set(c.not());
  m.output('and_r', u(1)).set(a.andR());
  m.output('or_r', u(1)).set(b.orR());
  m.output('xor_r', u(1)).set(c.xorR());
  return m;
}

/** Exact and wrapping add, sub, mul on unsigned operands of different widths. */
export function opsArithUnsigned(): ModuleBuilder {
  const m = new ModuleBuilder('ops_arith_unsigned');
  const a = m.input('a', u(8));
  const b = m.input('b', u(5));
  m.output('sum', u(9)).set(a.add(b));
  m.output('diff', s(9)).set(a.sub(b));
  m.output('prod', u(13)).set(a.mul(b));
  m.output('sum_wrap', u(8)).set(a.addWrap(b.extend(8)));
  m.output('diff_wrap', u(8)).set(a.subWrap(b.extend(8)));
  m.output('prod_wrap', u(8)).set(a.mulWrap(b.extend(8)));
  m.output('sum_const', u(9)).set(a.add(200));
  return m;
}

/** Exact and wrapping add, sub, mul, neg on signed operands of different widths. */
export function opsArithSigned(): ModuleBuilder {
  const m = new ModuleBuilder('ops_arith_signed');
  const a = m.input('a', s(8));
  const b = m.input('b', s(5));
  m.output('sum', s(9)).set(a.add(b));
  m.output('diff', s(9)).set(a.sub(b));
  m.output('prod', s(13)).set(a.mul(b));
  m.output('neg_a', s(9)).set(a.neg());
  m.output('prod_wrap', s(8)).set(a.mulWrap(b.extend(8)));
  m.output('sum_const', s(9)).set(a.add(-100));
  return m;
}

/** eq, ne, lt, le, gt, ge, signed and unsigned, operands of different widths. */
export function opsCompare(): ModuleBuilder {
  const m = new ModuleBuilder('ops_compare');
  const a = m.input('a', u(6));
  const b = m.input('b', u(4));
  const c = m.input('c', s(6));
  const d = m.input('d', s(3));
  const cmp = { eq: 'eq', ne: 'ne', lt: 'lt', le: 'le', gt: 'gt', ge: 'ge' } as const;
  for (const op of Object.values(cmp)) {
    m.output(`${op}_u`, u(1)).set(a[op](b));
    m.output(`${op}_s`, u(1)).set(c[op](d));
  }
  m.output('lt_s_const', u(1)).set(c.lt(-3));
  return m;
}

/** Constant shifts: shl (exact), shr logical and arithmetic, including past the width. */
export function opsShiftConst(): ModuleBuilder {
  const m = new ModuleBuilder('ops_shift_const');
  const a = m.input('a', u(8));
  const b = m.input('b', s(8));
  m.output('shl_a', u(11)).set(a.shl(3));
  m.output('shr_a', u(5)).set(a.shr(3));
  m.output('shl_b', s(10)).set(b.shl(2));
  m.output('shr_b', s(6)).set(b.shr(2));
  m.output('shr_b_all', s(1)).set(b.shr(7));
  m.output('shr_b_wrapped', s(8)).set(b.shr(3).extend(8).addWrap(1));
  return m;
}

/** Shifts by a signal: shlBy (exact), shrBy logical and arithmetic, amounts past the width. */
export function opsShiftVar(): ModuleBuilder {
  const m = new ModuleBuilder('ops_shift_var');
  const a = m.input('a', u(8));
  const b = m.input('b', s(8));
  const n = m.input('n', u(4));
  const k = m.input('k', u(2));
  m.output('shl_a', u(11)).set(a.shlBy(k));
  m.output('shr_a', u(8)).set(a.shrBy(n));
  m.output('shr_b', s(8)).set(b.shrBy(n));
  m.output('shl_b', s(11)).set(b.shlBy(k));
  m.output('shr_b_plus', s(8)).set(b.shrBy(n).addWrap(b));
  return m;
}

/** mux, cat, bits, bit, extend, trunc, asSigned, asUnsigned, toSigned. */
export function opsSelect(): ModuleBuilder {
  const m = new ModuleBuilder('ops_select');
  const sel = m.input('sel', u(1));
  const a = m.input('a', u(8));
  const b = m.input('b', u(8));
  const c = m.input('c', s(4));
  m.output('pick', u(8)).set(mux(sel, a, b));
  m.output('pick_expr', u(8)).set(mux(a.lt(b), a.addWrap(b), b.xor(a)));
  m.output('joined', u(20)).set(cat(a, c.asUnsigned(), b));
  m.output('middle', u(4)).set(a.bits(5, 2));
  m.output('top_bit', u(1)).set(b.bit(7));
  m.output('c_wide', s(12)).set(c.extend(12));
  m.output('a_low', u(3)).set(a.trunc(3));
  m.output('a_signed', s(8)).set(a.asSigned());
  m.output('a_value', s(9)).set(a.toSigned());
  m.output('c_signed_gt', u(1)).set(c.gt(a.bits(3, 0).asSigned()));
  return m;
}
