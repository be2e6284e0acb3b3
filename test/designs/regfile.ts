// regfile: 8 words of 16 bits, two combinational read ports and two write ports (port 1 wins on
// the same address), cleared by reset. `regfile_odd`: 5 words read through a 4-bit address, so
// addresses 5..15 read 0 and writes there are dropped.
import { ModuleBuilder, u } from '../../src/hdl/index.js';

export function regfile(): ModuleBuilder {
  const m = new ModuleBuilder('regfile_8x16', { config: { depth: 8, width: 16 } });
  const rf = m.mem('rf', { width: 16, depth: 8 });
  m.output('rd0', u(16)).set(rf.read(m.input('ra0', u(3))));
  m.output('rd1', u(16)).set(rf.read(m.input('ra1', u(3))));
  rf.write(m.input('wa0', u(3)), m.input('wd0', u(16)), m.input('we0', u(1)));
  rf.write(m.input('wa1', u(3)), m.input('wd1', u(16)), m.input('we1', u(1)));
  return m;
}

export function regfileOdd(): ModuleBuilder {
  const m = new ModuleBuilder('regfile_odd_5x6');
  const rf = m.mem('words', { width: 6, depth: 5 });
  m.output('rd', u(6)).set(rf.read(m.input('ra', u(4))));
  rf.write(m.input('wa', u(4)), m.input('wd', u(6)), m.input('we', u(1)));
  return m;
}
