// A saturating int8 multiply-accumulate with a per-mode gain table: the generator of the
// example in docs/emit.md (`mxgen generate docs/examples/sat-mac.ts` writes the same SV).
import { romLookup, satSigned } from '../../src/components/arith/int-math.js';
import { ModuleBuilder, mux, s, u } from '../../src/hdl/index.js';

export default function satMac(): ModuleBuilder {
  const m = new ModuleBuilder('sat_mac');
  const a = m.input('a', s(8));
  const b = m.input('b', s(8));
  const mode = m.input('mode', u(2));
  const valid = m.input('valid', u(1));
  const clear = m.input('clear', u(1));
  // The gain of each mode: a constant table (printed as a case).
  const gain = romLookup(mode, [1n, 2n, 4n, 7n], 3).named('gain');
  const prod = a.mul(b).named('prod');
  const scaled = prod.mul(gain.toSigned()).named('scaled');
  const acc = m.reg('acc', s(20), { enable: valid.or(clear) });
  const sum = mux(clear, scaled.extend(21), acc.add(scaled)).named('sum');
  acc.next(satSigned(sum, 20));
  m.output('y', s(20)).set(acc);
  return m;
}
