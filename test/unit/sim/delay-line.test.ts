// Delay lines (r1 <= r0, r2 <= r1, ...: registers no combinational slot reads) are scheduled
// readers first, so they are updated in place (codegen.ts `schedule`) instead of through RX and
// the edge's copy; cycle by cycle against the reference interpreter (test/support/netlist-interp.ts)
// in both forms, with pokes after peeks (re-evaluations) and reset.
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

function design(): ReturnType<typeof netlist> {
  const k = new Kit('delay');
  const din = k.input('din', 12);
  const en = k.input('en', 1);
  const w = k.input('w', 40);
  // Narrow line of 6 (the fourth enabled), then a wide line of 3 (40 bits, 2 words).
  const line: number[] = [];
  let prev = din;
  for (let i = 0; i < 6; i++) {
    const r = k.reg(`n${i}`, 12, BigInt(i), i === 3 ? en : undefined);
    k.next(r, prev);
    line.push(r);
    prev = r;
  }
  let wprev = w;
  for (let i = 0; i < 3; i++) {
    const r = k.reg(`w${i}`, 40, null, i === 1 ? en : undefined);
    k.next(r, wprev);
    wprev = r;
  }
  k.output('tail', prev);
  k.output('wtail', k.cell('add', 40, [wprev, k.cell('zext', 40, [line[2] as number])]));
  return netlist(k.def(true));
}

const FORMS: readonly CompileOptions[] = [
  {},
  { chunkSize: 1, activity: true },
  { chunkSize: 2, activity: false, signals: false },
  { chunkSize: 1, calibrationWindow: 1 },
];

describe('sim: delay lines updated in place vs the reference interpreter', () => {
  it('the edge copies only the registers read at the edge (the output of the narrow line)', () => {
    const src = compile(design(), { signals: false, activity: false }).source;
    // n5 drives the output port (sampled after the evaluation): the one narrow copy left.
    expect(src.match(/\bR\[\d+\] = RX\[\d+\];/g) ?? []).to.have.length(1);
    expect(src).not.to.match(/RW\.set|RW\[\d+\] = RWX/);
  });
  FORMS.forEach((opts, f) =>
    it(`form ${JSON.stringify(opts)}: 40 cycles agree`, () => {
      const nl = design();
      const sim = compile(nl, opts);
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(900 + f);
      for (let t = 0; t < 40; t++) {
        const rst = t === 0 || t === 25 ? 1 : 0;
        sim.poke('rst', rst);
        ref.rst = BigInt(rst);
        for (let pass = 0; pass < (t % 4 === 1 ? 2 : 1); pass++) {
          const vals: Record<string, bigint> = { din: r.bits(12), en: r.bits(1), w: r.bits(40) };
          for (const [p, v] of Object.entries(vals)) {
            sim.poke(p, v);
            ref.poke(p, v);
          }
          for (const o of ['tail', 'wtail']) expect(sim.peek(o), `cycle ${t}, ${o}`).to.equal(ref.peek(o));
        }
        sim.step();
        ref.step();
      }
    }),
  );
});
