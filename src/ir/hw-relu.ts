// The ReLU unit: one register stage; every element whose sign bit (the MSB of a signed int or a
// float code) is set becomes code 0 (+0). Unsigned codes pass unchanged.
import { cat, digestName, type Expr, lit, ModuleBuilder, mux, u } from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import type { ReluUnitConfig } from './units.js';

export function reluModuleName(c: Omit<ReluUnitConfig, 'module'>): string {
  return digestName(`relu_${c.features}`, c);
}

export function generateRelu(c: ReluUnitConfig): ModuleBuilder {
  const w = getFormat(c.element).bits;
  const m = new ModuleBuilder(c.module, { config: c });
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(c.features * w));
  const outReady = m.input('out_ready', u(1));
  const inReady = m.output('in_ready', u(1));
  const outValid = m.output('out_valid', u(1));
  const outY = m.output('out_y', u(c.features * w));
  const v = m.reg('valid', u(1));
  const ready = v.not().or(outReady);
  const accept = inValid.and(ready);
  v.next(mux(accept, lit(1, u(1)), mux(outReady, lit(0, u(1)), v)));
  const lanes: Expr[] = [];
  for (let k = 0; k < c.features; k++) {
    const code = inX.bits(k * w + w - 1, k * w);
    lanes.push(c.signed ? mux(code.bit(w - 1), lit(0, u(w)), code) : code);
  }
  const data = m.reg('data', u(c.features * w), { enable: accept });
  data.next(lanes.length === 1 ? (lanes[0] as Expr) : cat(...lanes.reverse()));
  inReady.set(ready);
  outValid.set(v);
  outY.set(data);
  return m;
}
