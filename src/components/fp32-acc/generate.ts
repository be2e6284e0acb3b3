// fp32-acc: a stream of binary32 values summed in order from +0 by arith fp32Add (one addition
// per cycle, the accumulator register feeds back into the adder); a beat with in_last = 1 closes
// the sum, which is offered on out_value, and the accumulator restarts at +0.
// Oracle: ./reference.ts. Latency: cfg.stages cycles from the last beat to out_valid.
import { type Expr, lit, ModuleBuilder, mux, u } from '../../hdl/index.js';
import { fp32Add } from '../arith/index.js';
import { deriveFp32Acc, fp32AccName, type Fp32AccConfig } from './config.js';

export function generateFp32Acc(cfg: Fp32AccConfig): ModuleBuilder {
  deriveFp32Acc(cfg);
  const m = new ModuleBuilder(fp32AccName(cfg), { config: cfg });
  // 1. Interface; the whole pipeline advances when the output register is free or drained.
  const inValid = m.input('in_valid', u(1));
  const inValue = m.input('in_value', u(32));
  const inLast = m.input('in_last', u(1));
  const outReady = m.input('out_ready', u(1));
  const outValid = m.reg('out_valid_r', u(1));
  const adv = m.wire('adv', u(1)).set(outValid.not().or(outReady));
  m.output('in_ready', u(1)).set(adv);
  const fire = m.wire('in_fire', u(1)).set(inValid.and(adv));
  // 2. Optional input register stage.
  let valid: Expr = fire;
  let value: Expr = inValue;
  let last: Expr = inLast;
  if (cfg.stages === 2) {
    valid = m.reg('s1_valid', u(1)).next(fire, adv);
    value = m.reg('s1_value', u(32)).next(inValue, adv);
    last = m.reg('s1_last', u(1)).next(inLast, adv);
  }
  // 3. Accumulator: acc holds the running sum (+0 = 0x00000000 after reset and after a last beat).
  const acc = m.reg('acc', u(32));
  const sum = m.wire('acc_sum', u(32)).set(fp32Add(acc, value));
  const step = m.wire('acc_step', u(1)).set(valid.and(adv));
  acc.next(mux(last, lit(0, u(32)), sum), step);
  // 4. Output register.
  outValid.next(valid.and(last), adv);
  const outValue = m.reg('out_value_r', u(32)).next(sum, step.and(last));
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_value', u(32)).set(outValue);
  return m;
}
