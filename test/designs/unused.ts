// A design with an unused input and a partly used input: the emitter waives exactly those
// declarations (UNUSEDSIGNAL), nothing else.
import { ModuleBuilder, u } from '../../src/hdl/index.js';

export function unusedInputs(): ModuleBuilder {
  const m = new ModuleBuilder('unused_inputs');
  m.input('reserved', u(3));
  const x = m.input('x', u(8));
  m.output('mid', u(3)).set(x.bits(5, 3));
  m.output('low', u(1)).set(x.bit(0));
  return m;
}
