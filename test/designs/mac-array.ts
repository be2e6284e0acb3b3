// mac_array_2x2: four int8 multiply-accumulate PEs (s8 x s8 into s20 accumulators) in a 2x2
// grid; row i gets a_i, column j gets b_j, PE (i,j) accumulates a_i * b_j while `en`, and `clear`
// loads the product alone. Hierarchy: one PE definition instantiated four times.
import { ModuleBuilder, mux, s, u } from '../../src/hdl/index.js';

export function macPe(): ModuleBuilder {
  const m = new ModuleBuilder('mac_pe_s8_acc20', { config: { element: 's8', acc: 20 } });
  const en = m.input('en', u(1));
  const clear = m.input('clear', u(1));
  const a = m.input('a', s(8));
  const b = m.input('b', s(8));
  const acc = m.reg('acc', s(20), { init: 0 });
  const prod = m.wire('prod', s(16));
  prod.set(a.mul(b));
  const sum = m.wire('acc_next', s(20));
  sum.set(mux(clear, prod.extend(20), acc.addWrap(prod.extend(20))));
  acc.next(sum, en);
  m.output('acc_out', s(20)).set(acc);
  return m;
}

export function macArray2x2(): ModuleBuilder {
  const pe = macPe();
  const m = new ModuleBuilder('mac_array_2x2_s8_acc20', { config: { rows: 2, cols: 2 } });
  const en = m.input('en', u(1));
  const clear = m.input('clear', u(1));
  const a = [m.input('a0', s(8)), m.input('a1', s(8))];
  const b = [m.input('b0', s(8)), m.input('b1', s(8))];
  for (let i = 0; i < 2; i++)
    for (let j = 0; j < 2; j++) {
      const inst = m.instance(pe, `pe_${i}_${j}`);
      inst.connect({ en, clear, a: a[i], b: b[j] });
      m.output(`acc_${i}_${j}`, s(20)).set(inst.out('acc_out'));
    }
  return m;
}
