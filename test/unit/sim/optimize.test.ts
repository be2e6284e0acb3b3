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
    // first), and a chain with a gap at bit 4 (only its part after the gap becomes an encoder).
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
    expect(src.match(/Math\.clz32/g)).to.have.length(3);
    expect(src).to.match(/& -v\d+_x\)/);
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
