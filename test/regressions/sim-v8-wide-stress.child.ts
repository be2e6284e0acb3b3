// Child process of sim-v8-wide-stress.test.ts: random designs made mostly of 33..64-bit muxes,
// shifts (constant and variable), compares, add/sub/mul, extensions, slices, reductions, wide
// registers with enable and a wide memory, each simulated long enough for V8's optimizing
// compiler (Turbofan) to compile the generated code, and compared with the reference interpreter
// on every cycle. Prints `designs D cycles C wrong W` (W = mismatching output samples). A V8
// abort such as "Phi of kRepTagged (UnsignedBigInt64) cannot be changed to kRepWord64" kills this
// process, which the parent reports. argv: first seed, number of designs, cycles per design.
import type { CellOp } from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';
import { NetlistInterpreter } from '../support/netlist-interp.js';
import { Kit, netlist } from '../unit/sim/kit.js';
import { Rng } from '../unit/sim/random-netlist.js';

const WEIGHTED: readonly CellOp[] = [
  ...Array<CellOp>(6).fill('mux'),
  ...Array<CellOp>(2).fill('shrU'),
  ...Array<CellOp>(2).fill('shrS'),
  'shl',
  'shlV',
  'shrUV',
  'shrSV',
  ...Array<CellOp>(2).fill('sub'),
  'add',
  'mul',
  'eq',
  'ne',
  'ltU',
  'ltS',
  'leU',
  'leS',
  'sext',
  'zext',
  'slice',
  'concat',
  'not',
  'and',
  'or',
  'xor',
  'xorR',
  'andR',
  'orR',
  'const',
];

/** A random design whose values are mostly 33..64 bits wide. */
function wideDesign(seed: number): Kit {
  const r = new Rng(seed);
  const k = new Kit(`wide_${seed}`);
  const wide = (): number => 33 + r.int(32);
  const pool: number[] = [];
  // Prefer recent nets so chains (mux -> shift -> mux -> compare) form.
  const pick = (): number =>
    r.int(2) ? (pool[pool.length - 1 - r.int(Math.min(6, pool.length))] as number) : r.pick(pool);
  const fit = (net: number, w: number): number => {
    const wa = k.widthOf(net);
    if (wa === w) return net;
    if (wa < w) return k.cell(r.int(2) ? 'sext' : 'zext', w, [net]);
    return k.cell('slice', w, [net], { lo: r.int(wa - w + 1) });
  };
  const bit = (): number => {
    const a = pick();
    return k.cell('slice', 1, [a], { lo: r.int(k.widthOf(a)) });
  };
  for (let i = 0; i < 3; i++) pool.push(k.input(`in${i}`, wide()));
  pool.push(k.input('n6', 6), k.input('n32', 32), k.input('sel', 1));
  const regs: number[] = [];
  for (let i = 0; i < 2; i++) {
    const q = k.reg(`r${i}`, wide(), r.int(2) ? 0n : null, i === 0 ? k.input('en0', 1) : undefined);
    regs.push(q);
    pool.push(q);
  }
  // |x| of a signed value, then a bit of it: the pattern that first crashed.
  const x = pick();
  const w0 = k.widthOf(x);
  const negx = k.cell('sub', w0, [k.lit(0n, w0), x]);
  pool.push(k.cell('mux', w0, [k.cell('slice', 1, [x], { lo: w0 - 1 }), negx, x]));
  pool.push(k.cell('shrU', w0, [pool[pool.length - 1] as number], { amount: 3 }));
  for (let i = 0; i < 34; i++) {
    const op = r.pick(WEIGHTED);
    const w = r.int(6) === 0 ? r.pick([1, 8, 32]) : wide();
    let out: number;
    switch (op) {
      case 'mux':
        out = k.cell('mux', w, [
          r.int(3) ? bit() : fit(pick(), 1),
          fit(pick(), w),
          r.int(4) ? fit(pick(), w) : k.lit(r.bits(w), w),
        ]);
        break;
      case 'shl':
      case 'shrU':
      case 'shrS':
        out = k.cell(op, w, [fit(pick(), w)], { amount: r.pick([1, 3, w - 1, w, r.int(w)]) });
        break;
      case 'shlV':
      case 'shrUV':
      case 'shrSV': {
        const n = r.int(3) ? fit(pick(), r.pick([6, 7])) : pick();
        out = k.cell(op, w, [fit(pick(), w), n]);
        break;
      }
      case 'eq':
      case 'ne':
      case 'ltU':
      case 'ltS':
      case 'leU':
      case 'leS': {
        const cw = wide();
        out = k.cell(op, 1, [fit(pick(), cw), fit(pick(), cw)]);
        break;
      }
      case 'sext':
      case 'zext': {
        const a = pick();
        out = k.cell(op, Math.min(64, k.widthOf(a) + r.int(20)), [a]);
        break;
      }
      case 'slice': {
        const a = pick();
        const lo = r.int(k.widthOf(a));
        out = k.cell('slice', 1 + r.int(k.widthOf(a) - lo), [a], { lo });
        break;
      }
      case 'concat': {
        const a = pick();
        const b = pick();
        out = k.cell('concat', k.widthOf(a) + k.widthOf(b), [a, b]);
        break;
      }
      case 'not':
        out = k.cell('not', w, [fit(pick(), w)]);
        break;
      case 'xorR':
      case 'andR':
      case 'orR':
        out = k.cell(op, 1, [pick()]);
        break;
      case 'const':
        out = k.lit(r.bits(w), w);
        break;
      default:
        out = k.cell(op, w, [fit(pick(), w), fit(pick(), w)]);
    }
    pool.push(out);
  }
  const mw = wide();
  const rd = k.mem(
    'm',
    mw,
    5,
    [fit(pick(), 3)],
    [{ addr: fit(pick(), 3), data: fit(pick(), mw), en: bit() }],
  );
  pool.push(...rd, k.cell('mux', mw, [bit(), rd[0] as number, fit(pick(), mw)]));
  for (const q of regs) k.next(q, fit(pick(), k.widthOf(q)));
  for (let i = 0; i < 6; i++) k.output(`out${i}`, pool[pool.length - 1 - i] as number);
  for (let i = 0; i < 4; i++) k.output(`any${i}`, r.pick(pool));
  return k;
}

const [first = 1, designs = 8, cycles = 6000] = process.argv.slice(2).map(Number);
let wrong = 0;
let ran = 0;
for (let seed = first; seed < first + designs; seed++) {
  const nl = netlist(wideDesign(seed).def());
  const sim = compile(nl);
  const ref = new NetlistInterpreter(nl);
  const r = new Rng(seed * 7919);
  const top = nl.modules[0];
  if (!top) throw new Error('no module');
  const ins = top.ports.filter((p) => p.dir === 'in');
  const outs = top.ports.filter((p) => p.dir === 'out');
  for (let t = 0; t < cycles; t++) {
    const rst = t === 0 || r.int(500) === 0 ? 1 : 0;
    sim.poke('rst', rst);
    ref.rst = BigInt(rst);
    for (const p of ins) {
      const v = r.bits(p.width);
      sim.poke(p.name, v);
      ref.poke(p.name, v);
    }
    for (const p of outs) {
      const got = sim.peek(p.name);
      const want = ref.peek(p.name);
      if (got !== want) {
        if (wrong < 5)
          console.error(
            `seed ${seed} cycle ${t} ${p.name}: native 0x${got.toString(16)}, reference 0x${want.toString(16)}`,
          );
        wrong++;
      }
    }
    sim.step();
    ref.step();
    ran++;
  }
}
console.log(`designs ${designs} cycles ${ran} wrong ${wrong}`);
