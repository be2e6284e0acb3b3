// The simplification before code generation (src/sim/optimize.ts) keeps every port value: each
// case is compared with the reference interpreter on every input value, and the generated model
// is checked to have taken the shortcut (fewer evaluated slots, a table).
import { expect } from 'chai';
import { compile } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import type { Netlist } from '../../../src/hdl/index.js';
import { flatten, type Slot } from '../../../src/sim/flatten.js';
import { levelize } from '../../../src/sim/levelize.js';
import { PRIO_MIN, optimize } from '../../../src/sim/optimize.js';

/** Every value of the 4-bit input `x` (and `y`, when present) gives the interpreter's outputs. */
function agreesOnAllInputs(nl: Netlist, signals: boolean, opts: { activity?: boolean; chunkSize?: number } = {}): void {
  const sim = compile(nl, { signals, ...opts });
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

  it('a balanced mux tree selecting constants by bits of one value becomes one table (V3Table)', () => {
    // romLookup's shape: a tree over x[5:2] (lowest bit at the leaves), 16 distinct entries, a
    // subtree with equal leaves (a constant arm beside a table arm) and a one-bit priority chain
    // inside; a tree over x[3:0] of a wide value's upper word (bits 40..43 of a 48-bit input).
    const k = new Kit('tree');
    const x = k.input('x', 10);
    const w = k.input('w', 48);
    const bit = (v: number, b: number): number => k.cell('slice', 1, [v], { lo: b });
    const tree = (v: number, lo: number, n: number, leaf: (i: number) => bigint, width: number): number => {
      let level = Array.from({ length: 2 ** n }, (_, i) => k.lit(leaf(i), width));
      for (let b = 0; b < n; b++) {
        const next: number[] = [];
        for (let i = 0; i < level.length; i += 2) next.push(k.cell('mux', width, [bit(v, lo + b), level[i + 1] as number, level[i] as number]));
        level = next;
      }
      return level[0] as number;
    };
    // Entries 8..11 all 200: that subtree is a constant arm after folding.
    const t1 = tree(x, 2, 4, (i) => (i >= 8 && i < 12 ? 200n : BigInt((i * 37 + 11) % 256)), 8);
    const t2 = tree(w, 40, 4, (i) => BigInt(1000 + i * i), 12);
    k.output('y', t1);
    k.output('z', t2);
    const nl = netlist(k.def(false));
    // Every x (10 bits); w through the 16 values of its bits 40..43 with other bits set.
    const sim = compile(nl, { signals: false });
    const ref = new NetlistInterpreter(nl);
    for (let v = 0; v < 1024; v++) {
      const wv = (BigInt(v & 15) << 40n) | 0x5a5a5a5a5an | (BigInt(v >> 4) << 44n);
      for (const s of [sim, ref]) {
        s.poke('x', BigInt(v));
        s.poke('w', wv & ((1n << 48n) - 1n));
      }
      expect(sim.peek('y'), `y at ${v}`).to.equal(ref.peek('y'));
      expect(sim.peek('z'), `z at ${v}`).to.equal(ref.peek('z'));
    }
    expect(sim.peek('y')).to.equal(BigInt((15 * 37 + 11) % 256)); // x = 1023: x[5:2] = 15
    const src = sim.source;
    // Two tables of 16 entries, no mux left, each read as one array access.
    expect(src.match(/^const K\d+ = new Uint32Array\(\[/gm)).to.have.length(2);
    expect(src).to.match(/new Uint32Array\(\[11, 48, 85, 122, 159, 196, 233, 14, 200, 200, 200, 200, /);
    expect(src).to.not.match(/\? \d+ : \d+\)/);
    expect(evaluated(src)).to.equal(2); // the two tables (the ports read them)
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

/**
 * The simplified definition of each output port's slot (optimize with signals false): `x`, `y`
 * the 4-bit inputs, a number a constant, `op(args)` a cell (`zext(x)`: the port keeps a copy of
 * the slot it forwards), and the count of slots still evaluated.
 */
function shape(nl: Netlist): { ports: Record<string, string>; evaluated: number } {
  const flat = flatten(nl);
  const { design, order } = optimize(flat, levelize(flat.slots), false);
  const desc = (s: number): string => {
    const d = (design.slots[s] as Slot).def;
    switch (d.kind) {
      case 'const':
        return String(d.value);
      case 'input':
        return d.port;
      case 'cell': {
        const p = d.lo !== undefined ? `[${d.lo}]` : d.amount !== undefined ? `[${d.amount}]` : '';
        return `${d.op}${p}(${d.args.map(desc).join(',')})`;
      }
      case 'reg':
        return `reg${d.reg}`;
      case 'memRead':
        return `mem(${desc(d.addr)})`;
      case 'table':
        return `table(${desc(d.index)};${d.values.join(',')};${d.dflt})`;
      case 'prio':
        return `prio(${desc(d.src)};${d.lo},${d.n},${d.up ? 'up' : 'down'};${d.values.join(',')};${d.dflt})`;
    }
  };
  return {
    ports: Object.fromEntries(design.ports.filter((p) => p.dir === 'out').map((p) => [p.name, desc(p.slot)])),
    evaluated: order.length,
  };
}

/** Rules of optimize.ts, one output each: y = f(x, y), the expected simplified definition. */
const RULES: readonly [string, (k: Kit, x: number, y: number) => number, string][] = [
  ['all constant: 3 + 4 folds', (k) => k.cell('add', 4, [k.lit(3n, 4), k.lit(4n, 4)]), '7'],
  ['x & 0', (k, x) => k.cell('and', 4, [x, k.lit(0n, 4)]), '0'],
  ['0 & x', (k, x) => k.cell('and', 4, [k.lit(0n, 4), x]), '0'],
  ['x * 0', (k, x) => k.cell('mul', 4, [x, k.lit(0n, 4)]), '0'],
  ['0 * x', (k, x) => k.cell('mul', 4, [k.lit(0n, 4), x]), '0'],
  ['x | 15', (k, x) => k.cell('or', 4, [x, k.lit(15n, 4)]), '15'],
  ['15 | x', (k, x) => k.cell('or', 4, [k.lit(15n, 4), x]), '15'],
  ['x | 7 stays', (k, x) => k.cell('or', 4, [x, k.lit(7n, 4)]), 'or(x,7)'],
  ['x & 15', (k, x) => k.cell('and', 4, [x, k.lit(15n, 4)]), 'zext(x)'],
  ['15 & x', (k, x) => k.cell('and', 4, [k.lit(15n, 4), x]), 'zext(x)'],
  ['x & 7 stays', (k, x) => k.cell('and', 4, [x, k.lit(7n, 4)]), 'and(x,7)'],
  ['x | 0', (k, x) => k.cell('or', 4, [x, k.lit(0n, 4)]), 'zext(x)'],
  ['0 | x', (k, x) => k.cell('or', 4, [k.lit(0n, 4), x]), 'zext(x)'],
  ['x ^ 0', (k, x) => k.cell('xor', 4, [x, k.lit(0n, 4)]), 'zext(x)'],
  ['0 + x', (k, x) => k.cell('add', 4, [k.lit(0n, 4), x]), 'zext(x)'],
  ['x + 1 stays', (k, x) => k.cell('add', 4, [x, k.lit(1n, 4)]), 'add(x,1)'],
  ['x * 1', (k, x) => k.cell('mul', 4, [x, k.lit(1n, 4)]), 'zext(x)'],
  ['1 * x', (k, x) => k.cell('mul', 4, [k.lit(1n, 4), x]), 'zext(x)'],
  ['x * 2 stays', (k, x) => k.cell('mul', 4, [x, k.lit(2n, 4)]), 'mul(x,2)'],
  ['x - 0', (k, x) => k.cell('sub', 4, [x, k.lit(0n, 4)]), 'zext(x)'],
  ['0 - x stays', (k, x) => k.cell('sub', 4, [k.lit(0n, 4), x]), 'sub(0,x)'],
  ['x & x', (k, x) => k.cell('and', 4, [x, x]), 'zext(x)'],
  ['x | x', (k, x) => k.cell('or', 4, [x, x]), 'zext(x)'],
  ['x & y stays', (k, x, y) => k.cell('and', 4, [x, y]), 'and(x,y)'],
  ['x == x', (k, x) => k.cell('eq', 1, [x, x]), '1'],
  ['x <=u x', (k, x) => k.cell('leU', 1, [x, x]), '1'],
  ['x <=s x', (k, x) => k.cell('leS', 1, [x, x]), '1'],
  ['x != x', (k, x) => k.cell('ne', 1, [x, x]), '0'],
  ['x <u x', (k, x) => k.cell('ltU', 1, [x, x]), '0'],
  ['x <s x', (k, x) => k.cell('ltS', 1, [x, x]), '0'],
  ['x ^ x', (k, x) => k.cell('xor', 4, [x, x]), '0'],
  ['x - x', (k, x) => k.cell('sub', 4, [x, x]), '0'],
  ['x == y stays', (k, x, y) => k.cell('eq', 1, [x, y]), 'eq(x,y)'],
  ['x <s y stays', (k, x, y) => k.cell('ltS', 1, [x, y]), 'ltS(x,y)'],
  ['zext to the same width', (k, x) => k.cell('zext', 4, [x]), 'zext(x)'],
  ['sext to the same width', (k, x) => k.cell('sext', 4, [x]), 'zext(x)'],
  ['sext wider stays', (k, x) => k.cell('sext', 6, [x]), 'sext(x)'],
  ['x << 0', (k, x) => k.cell('shl', 4, [x], { amount: 0 }), 'zext(x)'],
  ['x >>u 0', (k, x) => k.cell('shrU', 4, [x], { amount: 0 }), 'zext(x)'],
  ['x >>s 0', (k, x) => k.cell('shrS', 4, [x], { amount: 0 }), 'zext(x)'],
  ['x >>u 1 stays', (k, x) => k.cell('shrU', 4, [x], { amount: 1 }), 'shrU[1](x)'],
  ['x << (const 0)', (k, x) => k.cell('shlV', 4, [x, k.lit(0n, 3)]), 'zext(x)'],
  ['x << (const 2): constant shift', (k, x) => k.cell('shlV', 4, [x, k.lit(2n, 3)]), 'shl[2](x)'],
  ['x >>u (const 3)', (k, x) => k.cell('shrUV', 4, [x, k.lit(3n, 3)]), 'shrU[3](x)'],
  ['x >>s (const 1)', (k, x) => k.cell('shrSV', 4, [x, k.lit(1n, 3)]), 'shrS[1](x)'],
  ['x >>s (const 7): by the width', (k, x) => k.cell('shrSV', 4, [x, k.lit(7n, 3)]), 'shrS[4](x)'],
  ['x >>s (const 4): by the width', (k, x) => k.cell('shrSV', 4, [x, k.lit(4n, 3)]), 'shrS[4](x)'],
  ['x << y stays', (k, x, y) => k.cell('shlV', 4, [x, y]), 'shlV(x,y)'],
  ['mux on constant 1', (k, x, y) => k.cell('mux', 4, [k.lit(1n, 1), x, y]), 'zext(x)'],
  ['mux on constant 0', (k, x, y) => k.cell('mux', 4, [k.lit(0n, 1), x, y]), 'zext(y)'],
  ['mux of equal arms', (k, x) => k.cell('mux', 4, [k.cell('slice', 1, [x], { lo: 0 }), x, x]), 'zext(x)'],
  ['mux stays', (k, x, y) => k.cell('mux', 4, [k.cell('slice', 1, [x], { lo: 3 }), x, y]), 'mux(slice[3](x),x,y)'],
  ['slice of all bits', (k, x) => k.cell('slice', 4, [x], { lo: 0 }), 'zext(x)'],
  ['slice of a slice', (k, x) => k.cell('slice', 1, [k.cell('slice', 3, [x], { lo: 1 })], { lo: 1 }), 'slice[2](x)'],
  ['slice above a zext', (k, x) => k.cell('slice', 2, [k.cell('zext', 8, [x])], { lo: 5 }), '0'],
  ['slice at the top of a zext', (k, x) => k.cell('slice', 2, [k.cell('zext', 8, [x])], { lo: 4 }), '0'],
  ['slice inside a zext', (k, x) => k.cell('slice', 2, [k.cell('zext', 8, [x])], { lo: 2 }), 'slice[2](x)'],
  ['slice across a zext stays', (k, x) => k.cell('slice', 2, [k.cell('zext', 8, [x])], { lo: 3 }), 'slice[3](zext(x))'],
  ['slice of a concat: high part', (k, x, y) => k.cell('slice', 4, [k.cell('concat', 8, [x, y])], { lo: 4 }), 'zext(x)'],
  ['slice of a concat: low part', (k, x, y) => k.cell('slice', 2, [k.cell('concat', 8, [x, y])], { lo: 2 }), 'slice[2](y)'],
  ['slice of a concat: inside the high part', (k, x, y) => k.cell('slice', 1, [k.cell('concat', 8, [x, y])], { lo: 7 }), 'slice[3](x)'],
  ['slice across a concat stays', (k, x, y) => k.cell('slice', 2, [k.cell('concat', 8, [x, y])], { lo: 3 }), 'slice[3](concat(x,y))'],
];

describe('sim: simplification rules, one by one (shape and values)', () => {
  for (const [name, f, want] of RULES)
    it(`${name} → ${want}`, () => {
      const k = new Kit('r');
      const x = k.input('x', 4);
      const y = k.input('y', 4);
      k.output('o', f(k, x, y));
      const nl = netlist(k.def(false));
      expect(shape(nl).ports.o).to.equal(want);
      agreesOnAllInputs(nl, false);
    });
});

describe('sim: simplification of chains, registers and liveness (shape and values)', () => {
  /** A chain `x[b] ? C_b : rest` over the bits `bits` (outermost last), default 31. */
  const chain = (k: Kit, x: number, bits: readonly number[], w = 8): number => {
    let v = k.lit(31n, w);
    for (const b of bits) v = k.cell('mux', w, [k.cell('slice', 1, [x], { lo: b }), k.lit(BigInt(b + 1), w), v]);
    return v;
  };
  const one = (f: (k: Kit, x: number, y: number) => number, xw = 4): Netlist => {
    const k = new Kit('c');
    const x = k.input('x', xw);
    const y = k.input('y', 4);
    k.output('o', f(k, x, y));
    return netlist(k.def(false));
  };

  it('a chain of 3 bits stays muxes (PRIO_MIN = 4); of 4 it is an encoder, either direction', () => {
    expect(PRIO_MIN).to.equal(4);
    const three = one((k, x) => chain(k, x, [0, 1, 2]));
    expect(shape(three).ports.o).to.equal('mux(slice[2](x),3,mux(slice[1](x),2,mux(slice[0](x),1,31)))');
    agreesOnAllInputs(three, false);
    const up = one((k, x) => chain(k, x, [0, 1, 2, 3]));
    expect(shape(up).ports.o).to.equal('prio(x;0,4,up;1,2,3,4;31)');
    agreesOnAllInputs(up, false);
    const down = one((k, x) => chain(k, x, [3, 2, 1, 0]));
    expect(shape(down).ports.o).to.equal('prio(x;0,4,down;1,2,3,4;31)');
    agreesOnAllInputs(down, false);
    // A gap (bit 1 missing) restarts the encoder: only the 3 bits after it would join; the chain
    // is then a function of x[4:0] and becomes its table (bitTableOf, decision 51): by the
    // highest of bits 4, 3, 2, 0 set (5, 4, 3, 1), 31 when none is; bit 1 is ignored.
    const gap = one((k, x) => chain(k, x, [0, 2, 3, 4], 8), 6);
    const gapTable = [31, 1, 31, 1, 3, 3, 3, 3, ...Array<number>(8).fill(4), ...Array<number>(16).fill(5)];
    expect(shape(gap).ports.o).to.equal(`table(x;${gapTable.join(',')};0)`);
    agreesOnAllInputs(gap, false);
    // A turn (up, then down) ends the encoder: [0,1,2,3] up, then bit 5 does not join.
    const turn = one((k, x) => chain(k, x, [1, 2, 3, 4, 0], 8), 6);
    expect(shape(turn).ports.o).to.equal('mux(slice[0](x),1,prio(x;1,4,up;2,3,4,5;31))');
    agreesOnAllInputs(turn, false);
  });

  it('a table and an encoder read a value computed in another chunk: stored, and its change wakes them', () => {
    // The tracked form in chunks of one statement: the index (x + y) and the encoder's source
    // (x ^ y) are computed in other chunks than the table and the encoder, so they reach them
    // through storage and wake their chunks (depsOfItem of a table and of an encoder).
    const k = new Kit('c');
    const x = k.input('x', 4);
    const y = k.input('y', 4);
    const sum = k.cell('add', 4, [x, y]);
    let v = k.lit(9n, 8);
    for (const [key, val] of [
      [3n, 30n],
      [5n, 50n],
      [15n, 150n],
    ] as const)
      v = k.cell('mux', 8, [k.cell('eq', 1, [k.lit(key, 4), sum]), k.lit(val, 8), v]);
    k.output('t', v);
    k.output('p', chain(k, k.cell('xor', 4, [x, y]), [0, 1, 2, 3]));
    const nl = netlist(k.def(false));
    expect(shape(nl).ports).to.deep.equal({ t: 'table(add(x,y);9,9,9,30,9,50,9,9,9,9,9,9,9,9,9,150;9)', p: 'prio(xor(x,y);0,4,up;1,2,3,4;31)' });
    agreesOnAllInputs(nl, false, { activity: true, chunkSize: 1 });
  });

  it('an encoder is at most 32 bits long: the 33rd bit stays a mux', () => {
    const k = new Kit('p33');
    const x = k.input('x', 40);
    k.output('o', chain(k, x, Array.from({ length: 33 }, (_, b) => b), 8));
    const nl = netlist(k.def(false));
    expect(shape(nl).ports.o).to.match(/^mux\(slice\[32\]\(x\),33,prio\(x;0,32,up;1,2,/);
    const sim = compile(nl, { signals: false });
    for (const [v, want] of [
      [0n, 31n],
      [1n, 1n],
      [1n << 31n, 32n],
      [(1n << 32n) | 1n, 33n],
      [(1n << 39n) | (1n << 5n), 6n],
    ] as const) {
      sim.poke('x', v);
      expect(sim.peek('o'), `x = ${v}`).to.equal(want);
    }
  });

  it('a table needs narrow values (<= 32 bits) and an index of at most 12 bits', () => {
    const tbl = (iw: number, vw: number): Netlist =>
      one(
        (k, x) => {
          let v = k.lit(9n, vw);
          for (const key of [1n, 2n]) v = k.cell('mux', vw, [k.cell('eq', 1, [x, k.lit(key, iw)]), k.lit(key * 10n, vw), v]);
          return v;
        },
        iw,
      );
    expect(shape(tbl(4, 32)).ports.o).to.equal('table(x;9,10,20;9)');
    expect(shape(tbl(12, 8)).ports.o).to.equal('table(x;9,10,20;9)');
    expect(shape(tbl(13, 8)).ports.o).to.equal('mux(eq(x,2),20,mux(eq(x,1),10,9))');
    expect(shape(tbl(4, 33)).ports.o).to.equal('mux(eq(x,2),20,mux(eq(x,1),10,9))');
    for (const [iw, vw] of [
      [4, 32],
      [4, 33],
    ] as const)
      agreesOnAllInputs(tbl(iw, vw), false);
    // The key on either side of the ==; a second chain on another index does not extend it.
    const left = one((k, x) => k.cell('mux', 8, [k.cell('eq', 1, [k.lit(2n, 4), x]), k.lit(7n, 8), k.lit(1n, 8)]));
    expect(shape(left).ports.o).to.equal('table(x;1,1,7;1)');
    agreesOnAllInputs(left, false);
    const other = one((k, x, y) => {
      const inner = k.cell('mux', 8, [k.cell('eq', 1, [y, k.lit(1n, 4)]), k.lit(5n, 8), k.lit(0n, 8)]);
      return k.cell('mux', 8, [k.cell('eq', 1, [x, k.lit(2n, 4)]), k.lit(7n, 8), inner]);
    });
    expect(shape(other).ports.o).to.equal('mux(eq(x,2),7,table(y;0,5;0))');
    agreesOnAllInputs(other, false);
  });

  it('a register enable that is always 1 goes; logic read by nothing is not evaluated', () => {
    const k = new Kit('regs');
    const x = k.input('x', 4);
    const y = k.input('y', 4);
    const r1 = k.reg('r1', 4, 0n, k.cell('or', 1, [k.cell('slice', 1, [x], { lo: 0 }), k.lit(1n, 1)]));
    const r2 = k.reg('r2', 4, 0n, k.cell('slice', 1, [y], { lo: 0 }));
    k.next(r1, k.cell('add', 4, [x, y]));
    k.next(r2, k.cell('and', 4, [x, k.lit(15n, 4)]));
    k.cell('mul', 4, [x, y]); // read by nothing
    k.output('a', r1);
    k.output('b', r2);
    const nl = netlist(k.def(true));
    const flat = flatten(nl);
    const { design, order } = optimize(flat, levelize(flat.slots), false);
    expect(design.regs.map((r) => r.en === undefined)).to.deep.equal([true, false]);
    // r2's d forwards to x itself.
    expect(design.regs[1]?.d).to.equal(design.ports.find((p) => p.name === 'x')?.slot);
    // Evaluated: the add (r1.d) and y[0] (r2.en); not the or, the and, the product.
    expect(order.map((s) => (design.slots[s] as Slot).def).map((d) => (d.kind === 'cell' ? d.op : d.kind)).sort()).to.deep.equal(['add', 'slice']);
    const sim = compile(nl, { signals: false });
    sim.reset();
    sim.poke('x', 5n);
    sim.poke('y', 6n);
    sim.step();
    expect([sim.peek('a'), sim.peek('b')]).to.deep.equal([11n, 0n]);
    sim.poke('y', 7n);
    sim.step();
    expect([sim.peek('a'), sim.peek('b')]).to.deep.equal([12n, 5n]);
  });

  it('signals: a function keeps the named signals it accepts (and their logic); false keeps the stored ones', () => {
    const k = new Kit('sig');
    const x = k.input('x', 4);
    const y = k.input('y', 4);
    k.wire('s', k.cell('add', 4, [x, y]));
    k.wire('t', k.cell('mul', 4, [x, y]));
    k.wire('z', k.lit(3n, 4));
    k.output('o', k.cell('xor', 4, [x, y]));
    const nl = netlist(k.def(false));
    const flat = flatten(nl);
    const names = (sig: boolean | ((n: string) => boolean)): string[] =>
      optimize(flat, levelize(flat.slots), sig).design.signals.map((s) => s.name).sort();
    const count = (sig: boolean | ((n: string) => boolean)): number => optimize(flat, levelize(flat.slots), sig).order.length;
    expect(names(true)).to.include.members(['s', 't', 'z']);
    // signals defaults to true: every named signal stays
    expect(optimize(flat, levelize(flat.slots)).design.signals.map((s) => s.name).sort()).to.deep.equal(names(true));
    expect(names(false)).to.not.include.members(['s']);
    expect(names(false)).to.not.include.members(['t']);
    expect(names(false)).to.include('z');
    expect(names((n) => n === 't')).to.include('t');
    expect(names((n) => n === 't')).to.not.include('s');
    expect([count(true), count(false), count((n) => n === 't')]).to.deep.equal([3, 1, 2]);
    const sim = compile(nl, { signals: (n) => n === 't' });
    sim.poke('x', 3n);
    sim.poke('y', 7n);
    expect(sim.peekSignal('t')).to.equal(5n);
    expect(sim.peek('o')).to.equal(4n);
  });
});

// Last in the file: its reference-interpreter run over ~3 000 muxes is the file's slowest test,
// and a mutation run (docs/mutation.md) runs a mutant's covering tests in file order.
describe('sim: simplification of a large tree of muxes on the bits of a field', () => {
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
});

// Cases that a rewrite's guard must refuse (each checked on every input against the reference
// interpreter, with and without signals): a wrong guard gives a wrong value, not just other code.
describe('sim: simplification guards (wrong rewrites would change values)', () => {
  const bit = (k: Kit, v: number, b: number): number => k.cell('slice', 1, [v], { lo: b });
  const lit = (k: Kit, v: number | bigint, w: number): number => k.lit(BigInt(v), w);
  const check = (name: string, build: (k: Kit) => void): void => {
    it(name, () => {
      const k = new Kit('g');
      build(k);
      const nl = netlist(k.def(false));
      for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    });
  };

  check('two roms on the same index with different tables are not shared', (k) => {
    const x = k.input('x', 3);
    k.output('p', k.cell('rom', 4, [x], { table: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n] }));
    k.output('q', k.cell('rom', 4, [x], { table: [8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n] }));
  });
  check('a constant shift of a constant folds by its amount', (k) => {
    const x = k.input('x', 1);
    k.output('y', k.cell('shl', 8, [lit(k, 3, 8)], { amount: 2 }));
    k.output('z', k.cell('shrU', 8, [lit(k, 200, 8)], { amount: 3 }));
    k.output('e', x);
  });
  check('a mux on a constant select whose arm is a constant becomes that constant', (k) => {
    const x = k.input('x', 4);
    k.output('y', k.cell('add', 4, [k.cell('mux', 4, [lit(k, 1, 1), lit(k, 5, 4), x]), x]));
  });
  check('(x == 3) ? y : 7 with y not constant is no table', (k) => {
    const x = k.input('x', 2);
    const y = k.input('y', 4);
    k.output('o', k.cell('mux', 4, [k.cell('eq', 1, [x, lit(k, 3, 2)]), y, lit(k, 7, 4)]));
  });
  check('(x == 9) ? 7 : (a table on a field of x) is no extended table', (k) => {
    const x = k.input('x', 4);
    const b0 = bit(k, x, 0);
    const tb = k.cell('mux', 4, [bit(k, x, 1), k.cell('mux', 4, [b0, lit(k, 1, 4), lit(k, 2, 4)]), k.cell('mux', 4, [b0, lit(k, 3, 4), lit(k, 4, 4)])]);
    k.output('o', k.cell('mux', 4, [k.cell('eq', 1, [x, lit(k, 9, 4)]), lit(k, 7, 4), tb]));
  });
  check('a chain whose first select is a compare (not a bit) is no encoder', (k) => {
    const a = k.input('a', 4);
    const c = k.input('c', 4);
    let v = k.cell('mux', 3, [k.cell('eq', 1, [a, c]), lit(k, 1, 3), lit(k, 0, 3)]);
    for (const b of [1, 2, 3]) v = k.cell('mux', 3, [bit(k, a, b), lit(k, b + 1, 3), v]);
    k.output('o', v);
  });
  check('a chain of 40-bit constants stays muxes (an encoder holds narrow values)', (k) => {
    const x = k.input('x', 4);
    let v = lit(k, (1n << 39n) + 5n, 40);
    for (const b of [0, 1, 2, 3]) v = k.cell('mux', 40, [bit(k, x, b), lit(k, (1n << 38n) * BigInt(b + 1) + 7n, 40), v]);
    k.output('o', v);
  });
  check('an encoder on one value is not extended by bits of another', (k) => {
    const a = k.input('a', 4);
    const b = k.input('b', 2);
    let v = k.cell('mux', 3, [bit(k, b, 0), lit(k, 1, 3), lit(k, 0, 3)]);
    for (const i of [1, 2, 3]) v = k.cell('mux', 3, [bit(k, a, i), lit(k, i + 1, 3), v]);
    k.output('o', v);
  });
  check('a chain on bits 0, 2, 4, 6 is no encoder (the bits are not consecutive)', (k) => {
    const a = k.input('a', 8);
    let v = lit(k, 0, 3);
    for (const i of [0, 2, 4, 6]) v = k.cell('mux', 3, [bit(k, a, i), lit(k, i / 2 + 1, 3), v]);
    k.output('o', v);
  });
  check('a bit above an encoder going down is not merged into it (the priorities differ)', (k) => {
    // Bits 5, 4, 3, 2 from the inside out: an encoder on a[5:2] where the lowest set bit wins.
    // Bit 6 on top wins over all of them: one encoder where the highest wins would pick bit 3
    // for a = 0b1100, not bit 2.
    const a = k.input('a', 8);
    let v = lit(k, 0, 3);
    for (const i of [5, 4, 3, 2, 6]) v = k.cell('mux', 3, [bit(k, a, i), lit(k, i, 3), v]);
    k.output('o', v);
  });
  check('a field table takes no encoder or table on another value as a child', (k) => {
    const a = k.input('a', 3);
    const b = k.input('b', 2);
    const pb = k.cell('mux', 3, [bit(k, b, 1), lit(k, 1, 3), k.cell('mux', 3, [bit(k, b, 0), lit(k, 2, 3), lit(k, 3, 3)])]);
    k.output('p', k.cell('mux', 3, [bit(k, a, 2), pb, lit(k, 5, 3)]));
    const b0 = bit(k, b, 0);
    const tb = k.cell('mux', 3, [bit(k, b, 1), k.cell('mux', 3, [b0, lit(k, 1, 3), lit(k, 2, 3)]), k.cell('mux', 3, [b0, lit(k, 3, 3), lit(k, 4, 3)])]);
    k.output('t', k.cell('mux', 3, [bit(k, a, 2), tb, lit(k, 5, 3)]));
  });
  check('a field table takes no child table whose field reaches its own bit', (k) => {
    const a = k.input('a', 3);
    const a1 = bit(k, a, 1);
    const ta = k.cell('mux', 3, [bit(k, a, 2), k.cell('mux', 3, [a1, lit(k, 1, 3), lit(k, 2, 3)]), k.cell('mux', 3, [a1, lit(k, 3, 3), lit(k, 4, 3)])]);
    k.output('o', k.cell('mux', 3, [bit(k, a, 1), ta, lit(k, 5, 3)]));
  });
  check('a bit select between a non-constant and a constant stays a mux', (k) => {
    const a = k.input('a', 2);
    const x = k.input('x', 3);
    k.output('o', k.cell('mux', 3, [bit(k, a, 0), x, lit(k, 5, 3)]));
  });
  check("an encoder on a computed value keeps that value's logic alive", (k) => {
    const a = k.input('a', 4);
    const c = k.input('c', 4);
    const s = k.cell('xor', 4, [a, c]);
    let v = lit(k, 0, 3);
    for (const i of [0, 1, 2, 3]) v = k.cell('mux', 3, [bit(k, s, i), lit(k, i + 1, 3), v]);
    k.output('o', v);
  });
});

describe('sim: common subexpressions are keyed by every operand', () => {
  it('add(slot 1, slot 23) and add(slot 12, slot 3) are different cells', () => {
    // Slots are the nets in order here: inputs i0..i23 are slots 0..23.
    const k = new Kit('cse');
    const ins = Array.from({ length: 24 }, (_, i) => k.input(`i${i}`, 4));
    const at = (i: number): number => ins[i] as number;
    k.output('p', k.cell('add', 4, [at(1), at(23)]));
    k.output('q', k.cell('add', 4, [at(12), at(3)]));
    const sim = compile(netlist(k.def(false)));
    sim.poke('i1', 1n);
    sim.poke('i23', 2n);
    sim.poke('i12', 4n);
    sim.poke('i3', 8n);
    expect([sim.peek('p'), sim.peek('q')]).to.deep.equal([3n, 12n]);
  });
});

describe('sim: a constant operand of a common subexpression is keyed by its width and value', () => {
  it('0 - x from two literals 0 is computed once; 1 - x is another cell', () => {
    // Two lanes that each negate the same element with a literal 0 of their own (mx-blocks'
    // dot units), a third with a 1.
    const k = new Kit('cse_const');
    const x = k.input('x', 4);
    const neg = (c: bigint): number => k.cell('sub', 4, [k.lit(c, 4), x]);
    k.output('p', neg(0n));
    k.output('q', neg(0n));
    k.output('r', neg(1n));
    const nl = netlist(k.def(false));
    for (const signals of [true, false]) agreesOnAllInputs(nl, signals);
    const lean = compile(nl, { signals: false }).source;
    expect(lean.match(/\(0 - v\d+\)/g)).to.have.length(1);
    expect(lean.match(/\(1 - v\d+\)/g)).to.have.length(1);
  });
});

describe('sim: signals: false keeps the named signals held in storage anyway', () => {
  it('a register and a named value that is also a port stay readable; other logic does not', () => {
    const k = new Kit('st');
    const a = k.input('a', 4);
    const r = k.reg('r', 4, 0n);
    k.next(r, a);
    const mid = k.cell('xor', 4, [a, r], { name: 'mid' });
    k.output('y', k.cell('add', 4, [mid, r], { name: 'sum' }));
    const sim = compile(netlist(k.def()), { signals: false });
    sim.poke('a', 5n);
    sim.step();
    sim.poke('a', 3n);
    expect(sim.peekSignal('r')).to.equal(5n);
    // mid = 3 ^ 5 = 6, sum = 6 + 5 = 11
    expect(sim.peekSignal('sum')).to.equal(11n);
    expect(sim.peek('y')).to.equal(11n);
    expect(() => sim.peekSignal('mid')).to.throw(/has no signal mid/);
  });
});
