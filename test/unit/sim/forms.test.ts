// The code generator's special forms (src/sim/codegen.ts) on one design, in every form the
// options give (chunk sizes, chunk skipping on and off, the run-time switch between forms, the
// plain form cut by tokens, named signals kept or not), against the reference interpreter
// (test/support/netlist-interp.ts): a dynamic part-select of a long vector (only the words its
// slices read are extracted), enabled registers whose exclusive cones run inside `if (en)`
// (narrow, and wide with more than 8 words: the wake check over words), a wide register of 10
// words without enable, and a wide memory written and read.
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

function design(): ReturnType<typeof netlist> {
  const k = new Kit('forms');
  const i = k.input('i', 3);
  const x = k.input('x', 256);
  const e = k.input('e', 1);
  const d = k.input('d', 40);
  // x[i*32 +: 32] and x[i*32 + 40 +: 48]: a shift read only through slices.
  const amt = k.cell('shl', 9, [k.cell('zext', 9, [i])], { amount: 5 });
  const s = k.cell('shrUV', 256, [x, amt]);
  k.output('part0', k.cell('slice', 32, [s], { lo: 0 }));
  k.output('part1', k.cell('slice', 48, [s], { lo: 40 }));
  // The same kind of shift, but also read whole (not partial).
  const s2 = k.cell('shrUV', 256, [x, k.cell('zext', 9, [i])]);
  k.output('whole', k.cell('xor', 256, [s2, x]));
  // Narrow guarded cone: r1 = x[15:0] * d[15:0] + 3 when e.
  const r1 = k.reg('r1', 16, 1n, e);
  k.next(r1, k.cell('add', 16, [k.cell('mul', 16, [k.cell('slice', 16, [x], { lo: 0 }), k.cell('slice', 16, [d], { lo: 0 })]), k.lit(3n, 16)]));
  // Wide guarded cone of 10 words: r2 = {d, x} ^ (r2 << 1) when e.
  const r2 = k.reg('r2', 300, null, e);
  const cat = k.cell('concat', 296, [d, x]);
  k.next(r2, k.cell('xor', 300, [k.cell('zext', 300, [cat]), k.cell('shl', 300, [r2], { amount: 1 })]));
  // Wide register of 10 words without enable: r3 = r3 + d.
  const r3 = k.reg('r3', 300, 7n);
  k.next(r3, k.cell('add', 300, [r3, k.cell('zext', 300, [d])]));
  // A wide memory written with d when e, read at i.
  const [rd] = k.mem('m', 40, 8, [i], [{ addr: k.cell('slice', 3, [d], { lo: 0 }), data: d, en: e }]);
  k.output('o1', r1);
  k.output('o2', r2);
  k.output('o3', r3);
  k.output('rd', rd as number);
  k.output('mix', k.cell('add', 40, [rd as number, k.cell('slice', 40, [r3], { lo: 260 })]));
  return netlist(k.def(true));
}

const FORMS: readonly CompileOptions[] = [
  {},
  { signals: false },
  { chunkSize: 1, activity: true },
  { chunkSize: 2, activity: true, signals: false },
  { chunkSize: 3, activity: false },
  { chunkSize: 1, calibrationWindow: 1 },
  { chunkSize: 2, calibrationWindow: 2, plainTokens: 40 },
  { chunkSize: 5, calibrationWindow: 3, plainTokens: 200, signals: false },
];

describe('sim: code generator forms vs the reference interpreter', () => {
  FORMS.forEach((opts, f) =>
    it(`form ${JSON.stringify(opts)}: 24 cycles agree on every output`, () => {
      const nl = design();
      const sim = compile(nl, opts);
      if (opts.activity === true) expect(sim.source).to.match(/if \(D\[\d+\] === 1\)/);
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(100 + f);
      const outs = ['part0', 'part1', 'whole', 'o1', 'o2', 'o3', 'rd', 'mix'];
      const words = new Uint32Array(1 + sim.wordCount('in'));
      for (let t = 0; t < 24; t++) {
        const rst = t < 1 || t === 13 ? 1 : 0;
        sim.poke('rst', rst);
        ref.rst = BigInt(rst);
        // e holds for runs of cycles (so skipped chunks and idle cones matter).
        const vals: Record<string, bigint> = { i: r.bits(3), x: r.bits(256), e: BigInt(t % 6 < 3 ? 1 : 0), d: r.bits(40) };
        for (const [p, v] of Object.entries(vals)) {
          sim.poke(p, v);
          ref.poke(p, v);
        }
        if (t % 5 === 4) continue; // inputs change again before the edge
        for (const o of outs) expect(sim.peek(o), `cycle ${t}, ${o}`).to.equal(ref.peek(o));
        if (t % 2 === 0) sim.step();
        else {
          // The same cycle as harness words: rst, i, x (8 words), e, d (2 words).
          words.set([rst, Number(vals.i)]);
          for (let j = 0; j < 8; j++) words[2 + j] = Number(BigInt.asUintN(32, (vals.x ?? 0n) >> BigInt(32 * j)));
          words[10] = Number(vals.e);
          words[11] = Number(BigInt.asUintN(32, vals.d ?? 0n));
          words[12] = Number((vals.d ?? 0n) >> 32n);
          sim.runWords(words, 1);
        }
        ref.step();
      }
    }),
  );
});
