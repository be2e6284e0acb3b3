// Variable shifts of 3- and 4-word values (65..128 bits) as straight-line code (wide.ts
// `varShiftN`: source words picked by amount / 32, joined by amount % 32 without a case for 0),
// at every amount 0..w+3 and 2^32 - 1, and with a wide amount; operands whole, and a narrow
// mantissa zero-extended into the field (constant zero words dropped). Cycle by cycle against
// the reference interpreter (test/support/netlist-interp.ts), in both forms.
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

const OPS = ['shlV', 'shrUV', 'shrSV'] as const;

function design(w: number): ReturnType<typeof netlist> {
  const k = new Kit(`vs${w}`);
  const a = k.input('a', w);
  const b = k.input('b', 32);
  const m = k.input('m', 23);
  const bw = k.input('bw', 70);
  const zm = k.cell('zext', w, [m]);
  // The mantissa at the top of the field (words below it constant 0).
  const hm = k.cell('concat', w, [m, k.lit(0n, w - 23)]);
  for (const op of OPS) {
    k.output(`${op}_a`, k.cell(op, w, [a, b]));
    k.output(`${op}_m`, k.cell(op, w, [zm, b]));
    k.output(`${op}_h`, k.cell(op, w, [hm, b]));
    k.output(`${op}_w`, k.cell(op, w, [a, bw]));
  }
  return netlist(k.def(false));
}

const FORMS: readonly CompileOptions[] = [{}, { chunkSize: 1, activity: true, signals: false }];

describe('sim: 3- and 4-word variable shifts (65..128 bits) vs the reference interpreter', () => {
  for (const w of [65, 96, 100, 128])
    FORMS.forEach((opts, f) =>
      it(`width ${w}, form ${JSON.stringify(opts)}: every amount 0..${w + 3} and 2^32 - 1`, () => {
        const nl = design(w);
        const sim = compile(nl, opts);
        expect(sim.source).not.to.match(/(shlW|shrW)\(\d/);
        const ref = new NetlistInterpreter(nl);
        const r = new Rng(w * 10 + f);
        const ones = (1n << BigInt(w)) - 1n;
        const values = [ones, 1n << BigInt(w - 1), 0x1234_5678_9abc_def0_1357_9bdf_2468_ace0n & ones];
        const amounts = [...Array.from({ length: w + 4 }, (_, i) => i), 4294967295];
        let t = 0;
        for (const v of [...values, r.bits(w), r.bits(w)])
          for (const s of amounts) {
            const vals: Record<string, bigint> = {
              a: v,
              b: BigInt(s),
              m: r.bits(23) | (1n << 22n),
              // The wide amount: small, or with high bits set (shifts everything out).
              bw: t % 5 === 0 ? r.bits(70) : BigInt(s),
            };
            for (const [p, x] of Object.entries(vals)) {
              sim.poke(p, x);
              ref.poke(p, x);
            }
            for (const op of OPS)
              for (const suf of ['a', 'm', 'h', 'w']) {
                const o = `${op}_${suf}`;
                expect(sim.peek(o), `${o} of 0x${v.toString(16)} by ${s} (cycle ${t})`).to.equal(ref.peek(o));
              }
            sim.step();
            ref.step();
            t++;
          }
      }),
    );
});
