// Registers with and without enable and reset in one always_ff; a module whose registers all lack
// a reset value (rst is unused there); a shift register pipeline.
import { ModuleBuilder, mux, s, u } from '../../src/hdl/index.js';

export function registersMixed(): ModuleBuilder {
  const m = new ModuleBuilder('registers_mixed');
  const d = m.input('d', u(6));
  const en = m.input('en', u(1));
  const load = m.input('load', u(1));
  const plain = m.reg('plain', u(6), { init: 0 });
  plain.next(d);
  const enabled = m.reg('enabled', u(6), { init: 0x2a, enable: en });
  enabled.next(d.xor(plain));
  const signedInit = m.reg('signed_init', s(6), { init: -3 });
  signedInit.next(d.asSigned(), load);
  const noReset = m.reg('no_reset', u(6), { init: null });
  noReset.next(plain);
  const noResetEn = m.reg('no_reset_en', u(6), { init: null, enable: en });
  noResetEn.next(enabled);
  m.output('q_plain', u(6)).set(plain);
  m.output('q_enabled', u(6)).set(enabled);
  m.output('q_signed', s(6)).set(signedInit);
  m.output('q_no_reset', u(6)).set(noReset);
  m.output('q_no_reset_en', u(6)).set(noResetEn);
  return m;
}

export function registersNoReset(): ModuleBuilder {
  const m = new ModuleBuilder('registers_no_reset');
  const d = m.input('d', u(4));
  const r1 = m.reg('stage1', u(4), { init: null });
  const r2 = m.reg('stage2', u(4), { init: null });
  r1.next(d);
  r2.next(r1);
  m.output('q', u(4)).set(r2);
  return m;
}

export function pipeline(): ModuleBuilder {
  const m = new ModuleBuilder('pipeline_3');
  const x = m.input('x', s(8));
  const valid = m.input('valid', u(1));
  let v = m.reg('valid_s0', u(1), { init: 0 });
  v.next(valid);
  let data = m.reg('data_s0', s(8), { init: 0, enable: valid });
  data.next(x);
  for (let i = 1; i < 3; i++) {
    const nv = m.reg(`valid_s${i}`, u(1), { init: 0 });
    nv.next(v);
    const nd = m.reg(`data_s${i}`, s(8), { init: 0, enable: v });
    nd.next(mux(data.lt(0), data.neg().trunc(8), data));
    v = nv;
    data = nd;
  }
  m.output('out_valid', u(1)).set(v);
  m.output('out_abs', s(8)).set(data);
  return m;
}
