// The simplification before code generation (src/sim/optimize.ts) keeps every port value: each
// case is compared with the reference interpreter on every input value, and the generated model
// is checked to have taken the shortcut (fewer evaluated slots, a table).
import { expect } from 'chai';
import { compile } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import type { Netlist } from '../../../src/hdl/index.js';

/** Every value of the 4-bit input `x` (and `y`, when present) gives the interpreter's outputs. */
function agreesOnAllInputs(nl: Netlist, signals: boolean): void {
  const sim = compile(nl, { signals });
  const ref = new NetlistInterpreter(nl);
  const top = nl.modules[nl.modules.length - 1];
  const ins = top?.ports.filter((p) => p.dir === 'in') ?? [];
  const outs = top?.ports.filter((p) => p.dir === 'out') ?? [];
  const n = 2 ** ins.reduce((a, p) => a + p.width, 0);
  for (let v = 0; v < n; v++) {
    let rest = v;
    for (const p of ins) {
      const x = BigInt(rest % 2 ** p.width);
      rest = Math.floor(rest / 2 ** p.width);
      sim.poke(p.name, x);
      ref.poke(p.name, x);
    }
    for (const p of outs) expect(sim.peek(p.name), `${p.name} at input ${v}`).to.equal(ref.peek(p.name));
  }
}

const evaluated = (source: string): number => Number(/(\d+) combinational/.exec(source)?.[1] ?? -1);

describe('sim: simplification before code generation', () => {
  it('a mux chain selecting constants by one index becomes a table (repeated key: outer wins)', () => {
    const k = new Kit('rom');
    const x = k.input('x', 4);
    let v = k.lit(9n, 8); // default
    for (const [key, val] of [
      [3n, 30n],
      [5n, 50n],
      [3n, 31n], // outer duplicate of 3: wins
      [15n, 150n],
    ] as const)
      v = k.cell('mux', 8, [k.cell('eq', 1, [k.lit(key, 4), x]), k.lit(val, 8), v]);
    k.output('y', v);
    const nl = netlist(k.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    expect(compile(nl).source).to.match(/^const K\d+ = new Uint32Array\(\[9, 9, 9, 31, 9, 50/m);
  });

  it('a mux chain selecting constants by consecutive bits becomes a priority encoder (Math.clz32)', () => {
    // Leading-zero count of x[9:1] (highest bit first), trailing-zero count of x[7:0] (lowest
    // first), and a chain with a gap at bit 4 (its part before the gap becomes an encoder, and
    // with the bits after the gap a table on x[9:0]: bitTableOf).
    const k = new Kit('prio');
    const x = k.input('x', 10);
    const bit = (v: number, b: number): number => k.cell('slice', 1, [v], { lo: b });
    let lz = k.lit(9n, 5);
    for (let b = 1; b <= 9; b++) lz = k.cell('mux', 5, [bit(x, b), k.lit(BigInt(9 - b), 5), lz]);
    let tz = k.lit(8n, 4);
    for (let b = 7; b >= 0; b--) tz = k.cell('mux', 4, [bit(x, b), k.lit(BigInt(b), 4), tz]);
    let gap = k.lit(31n, 8);
    for (const b of [0, 1, 2, 3, 5, 6, 7, 8, 9]) gap = k.cell('mux', 8, [bit(x, b), k.lit(BigInt(b * 7), 8), gap]);
    k.output('lz', lz);
    k.output('tz', tz);
    k.output('gap', gap);
    const nl = netlist(k.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    const src = compile(nl, { signals: false }).source;
    expect(src.match(/Math\.clz32/g)).to.have.length(2);
    expect(src).to.match(/& -v\d+_x\)/);
    expect(src).to.match(/K\d+\[\(v\d+ & 1023\)\]/);
  });

  it('a tree of muxes on the bits of a field becomes one table indexed by the field', () => {
    // lut: a full tree on x[8:1] with random leaves (an activation LUT); sat: x[7] ? 127 : a
    // tree on x[6:0] whose lower levels are priority-encoder chains (saturation branches); wide:
    // a tree on all 11 bits of x, wider than BIT_TABLE_MAX, so only its subtrees become tables.
    const k = new Kit('bits');
    const x = k.input('x', 11);
    const bit = (b: number): number => k.cell('slice', 1, [x], { lo: b });
    let seed = 7;
    const rnd = (m: number): bigint => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return BigInt(seed % m);
    };
    const tree = (lo: number, hi: number, w: number, leaf: () => number): number => {
      if (hi < lo) return leaf();
      return k.cell('mux', w, [bit(hi), tree(lo, hi - 1, w, leaf), tree(lo, hi - 1, w, leaf)]);
    };
    k.output('lut', tree(1, 8, 8, () => k.lit(rnd(256), 8)));
    let chain = k.lit(rnd(128), 7);
    for (let b = 0; b < 3; b++) chain = k.cell('mux', 7, [bit(b), k.lit(127n, 7), chain]);
    const low = tree(3, 6, 7, () => (rnd(3) === 0n ? chain : k.lit(rnd(128), 7)));
    k.output('sat', k.cell('mux', 7, [bit(7), k.lit(127n, 7), low]));
    k.output('wide', tree(0, 10, 3, () => k.lit(rnd(8), 3)));
    const nl = netlist(k.def(false));
    // Every value of x[8:0] and x[10:9] = 0..3 by a stride (the interpreter is slow on 3 000 muxes).
    const sim = compile(nl, { signals: false });
    const ref = new NetlistInterpreter(nl);
    for (let v = 0; v < 2048; v += v < 512 ? 1 : 37) {
      sim.poke('x', v);
      ref.poke('x', v);
      for (const p of ['lut', 'sat', 'wide']) expect(sim.peek(p), `${p} at ${v}`).to.equal(ref.peek(p));
    }
    const src = sim.source;
    expect(src).to.match(/K\d+\[\(\(v\d+ >>> 1\) & 255\)\]/); // lut: x[8:1]
    expect(src).to.match(/K\d+\[\(v\d+ & 255\)\]/); // sat: x[7:0]
    expect(src).to.match(/K\d+\[\(v\d+ & 1023\)\]/); // wide: x[9:0], then a mux on x[10]
    expect(src).to.match(/\? v\d+ : v\d+\)/);
  });

  it('constants propagate into an instance: the logic of the unused mode is dropped', () => {
    // child: y = mode ? a * b : a + b; the top ties mode to 0 in one instance.
    const c = new Kit('child');
    const mode = c.input('mode', 1);
    const a = c.input('a', 4);
    const b = c.input('b', 4);
    c.output('y', c.cell('mux', 8, [mode, c.cell('mul', 8, [c.cell('zext', 8, [a]), c.cell('zext', 8, [b])]), c.cell('add', 8, [c.cell('zext', 8, [a]), c.cell('zext', 8, [b])])]));
    const child = c.def(false);
    const t = new Kit('top');
    const ta = t.input('a', 4);
    const tb = t.input('b', 4);
    const o = t.inst('u', child, { mode: t.lit(0n, 1), a: ta, b: tb });
    t.output('y', o.y as number);
    const nl = netlist(child, t.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    const lean = compile(nl, { signals: false }).source;
    expect(lean).to.not.match(/Math\.imul/);
    // zext a, zext b, add and the port's copy of it (of 7: the mux, the product and its extensions go).
    expect(evaluated(lean)).to.equal(4);
  });

  it('common subexpressions across instances are computed once', () => {
    // Two instances of one child read the same inputs: the second one's logic is the first's.
    const c = new Kit('child');
    const a = c.input('a', 4);
    const b = c.input('b', 4);
    c.output('y', c.cell('add', 8, [c.cell('mul', 8, [c.cell('sext', 8, [a]), c.cell('sext', 8, [b])]), c.lit(3n, 8)]));
    const child = c.def(false);
    const t = new Kit('top');
    const x = t.input('x', 4);
    const y = t.input('y', 4);
    const o1 = t.inst('u1', child, { a: x, b: y });
    const o2 = t.inst('u2', child, { a: x, b: y });
    const o3 = t.inst('u3', child, { a: y, b: x });
    t.output('p', o1.y as number);
    t.output('q', o2.y as number);
    t.output('r', t.cell('xor', 8, [o2.y as number, o3.y as number]));
    const nl = netlist(child, t.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    const lean = compile(nl, { signals: false }).source;
    // u1: two sexts, the product, the sum; u3: its product and sum (the sexts are u1's); u2
    // none; the xor and q's copy of u1.y.
    expect(lean.match(/Math\.imul/g)).to.have.length(2);
    expect(evaluated(lean)).to.equal(8);
  });

  it('identities forward their operand; slices see through concatenations', () => {
    const k = new Kit('ids');
    const x = k.input('x', 4);
    const y = k.input('y', 4);
    const ones = k.lit(15n, 4);
    const zero = k.lit(0n, 4);
    const c = k.cell('concat', 8, [x, y]);
    k.output('and1', k.cell('and', 4, [x, ones]));
    k.output('or0', k.cell('or', 4, [zero, y]));
    k.output('and0', k.cell('and', 4, [x, zero]));
    k.output('hi', k.cell('slice', 4, [c], { lo: 4 }));
    k.output('mid', k.cell('slice', 4, [c], { lo: 2 }));
    k.output('xx', k.cell('xor', 4, [x, x]));
    k.output('sh', k.cell('shrUV', 4, [x, k.lit(2n, 3)]));
    k.output('m', k.cell('mux', 4, [k.lit(1n, 1), x, y]));
    const nl = netlist(k.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
  });
});
