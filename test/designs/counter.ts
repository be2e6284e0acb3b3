// counter: an 8-bit up-counter with enable and synchronous reset to 0; `wrap` is 1 in the cycle
// the count is 255 and enabled.
import { ModuleBuilder, u } from '../../src/hdl/index.js';

export function counter(): ModuleBuilder {
  const m = new ModuleBuilder('counter', { config: { width: 8 } });
  const en = m.input('en', u(1));
  const count = m.reg('count', u(8), { init: 0 });
  count.next(count.addWrap(1), en);
  m.output('value', u(8)).set(count);
  m.output('wrap', u(1)).set(en.and(count.eq(255)));
  return m;
}
