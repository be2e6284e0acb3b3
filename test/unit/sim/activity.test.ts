// Evaluation skips the chunks of generated code whose inputs (input ports, register outputs,
// memories, values of earlier chunks) did not change since they last ran. With small chunks a
// design has many of them; every observable value must equal the model that runs everything.
import { expect } from 'chai';
import { compile, type Simulator } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

/** Two counters (one enabled by `en`), a wide accumulator, a memory written and read. */
function design(): ReturnType<typeof netlist> {
  const k = new Kit('act');
  const en = k.input('en', 1);
  const x = k.input('x', 70);
  const wa = k.input('wa', 3);
  const we = k.input('we', 1);
  const ra = k.input('ra', 3);
  const c1 = k.reg('c1', 8, 0n);
  k.next(c1, k.cell('add', 8, [c1, k.lit(1n, 8)]));
  const c2 = k.reg('c2', 12, 5n, en);
  k.next(c2, k.cell('add', 12, [c2, k.lit(3n, 12)]));
  const acc = k.reg('acc', 70, null, en);
  k.next(acc, k.cell('xor', 70, [k.cell('add', 70, [acc, x]), k.cell('zext', 70, [c2])]));
  const [rd] = k.mem('m', 70, 6, [ra], [{ addr: wa, data: acc, en: we }]);
  const idle = k.cell('mul', 70, [rd as number, k.cell('zext', 70, [c2])]);
  k.output('c1_o', c1);
  k.output('c2_o', c2);
  k.output('acc_o', acc);
  k.output('rd_o', rd as number);
  k.output('idle_o', idle);
  k.output('eq_o', k.cell('eq', 1, [idle, acc]));
  return netlist(k.def());
}

const OUTS = ['c1_o', 'c2_o', 'acc_o', 'rd_o', 'idle_o', 'eq_o'];

describe('sim: activity (chunks skipped while their inputs are unchanged)', () => {
  it('small chunks skip evaluation and agree with the model that runs every chunk', () => {
    const a = compile(design(), { chunkSize: 1 });
    const b = compile(design());
    expect(a.source).to.match(/if \(D\[\d+\] === 1\)/);
    expect(b.source).to.not.match(/if \(D\[\d+\] === 1\)/);
    let x = 99;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const both = (f: (s: Simulator) => void): void => [a, b].forEach(f);
    for (let t = 0; t < 400; t++) {
      const r = rnd();
      // Long stretches with unchanged inputs, so most chunks sleep.
      if (t % 37 < 5) {
        both((s) => s.poke('en', r & 1));
        both((s) => s.poke('x', BigInt(r) * 0x1234567n));
        both((s) => s.poke('wa', (r >>> 3) & 7));
        both((s) => s.poke('we', (r >>> 6) & 1));
      }
      if (t % 11 === 0) both((s) => s.poke('ra', (r >>> 9) & 7));
      if (t === 150) both((s) => s.reset(2));
      if (t === 220) both((s) => s.pokeMem('m', 2, 12345n));
      if (t === 300) both((s) => s.clearState());
      expect(OUTS.map((p) => a.peek(p)), `cycle ${t}`).to.deep.equal(OUTS.map((p) => b.peek(p)));
      both((s) => s.step(1));
    }
  });
});
