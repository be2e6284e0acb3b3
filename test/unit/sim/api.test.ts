// Simulator API details: pokeFast handles, rst as a poke, MXGEN_SIM_DUMP, errors naming the fix.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '../../../src/sim/index.js';
import { Kit, netlist, oneCell } from './kit.js';

describe('sim: API', () => {
  it('pokeFast stores the value modulo 2^w (negative numbers as two’s complement)', () => {
    const sim = compile(oneCell('add', 8, [8, 8]));
    const a = sim.inputHandle('a');
    const b = sim.inputHandle('b');
    sim.pokeFast(a, -1); // 0xff
    sim.pokeFast(b, 0x102); // 0x02
    expect(sim.peek('y')).to.equal(1n); // 0xff + 0x02 = 0x101 -> 0x01
    const w32 = compile(oneCell('xor', 32, [32, 32]));
    w32.pokeFast(w32.inputHandle('a'), 0xffffffff);
    w32.pokeFast(w32.inputHandle('b'), 1);
    expect(w32.peek('y')).to.equal(0xfffffffen);
    expect(() => compile(oneCell('add', 40, [40, 40])).inputHandle('a')).to.throw(/at most 32 bits/);
  });

  it('poke("rst", 1) holds reset across steps until poked back', () => {
    const k = new Kit('c');
    const q = k.reg('q', 4, 9n);
    k.next(q, k.cell('add', 4, [q, k.lit(1n, 4)]));
    k.output('o', q);
    const sim = compile(netlist(k.def()));
    sim.step(3); // 0 -> 3
    sim.poke('rst', 1);
    sim.step(2);
    expect(sim.peek('o')).to.equal(9n);
    sim.poke('rst', 0);
    sim.step(2);
    expect(sim.peek('o')).to.equal(11n);
    expect(sim.cycle).to.equal(7);
  });

  it('MXGEN_SIM_DUMP writes the generated source as <top>.js', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-dump-'));
    const old = process.env.MXGEN_SIM_DUMP;
    try {
      process.env.MXGEN_SIM_DUMP = dir;
      const sim = compile(oneCell('add', 8, [8, 8]));
      const file = join(dir, 't_add.js');
      expect(existsSync(file)).to.equal(true);
      expect(readFileSync(file, 'utf8')).to.equal(sim.source);
    } finally {
      if (old === undefined) delete process.env.MXGEN_SIM_DUMP;
      else process.env.MXGEN_SIM_DUMP = old;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runWords replays harness stimulus words exactly as poke/peek/step (narrow, 64-bit and wide ports)', () => {
    const k = new Kit('rw');
    const a = k.input('a', 7);
    const b = k.input('b', 100);
    const c = k.input('c', 64);
    const acc = k.reg('acc', 100, 5n);
    k.next(acc, k.cell('xor', 100, [k.cell('add', 100, [acc, b]), k.cell('zext', 100, [a])]));
    const q = k.reg('q', 64, null);
    k.next(q, k.cell('sub', 64, [c, q]));
    k.output('acc_o', acc);
    k.output('mix', k.cell('add', 100, [b, k.cell('zext', 100, [q])]));
    k.output('a_o', a);
    const nl = netlist(k.def());
    const per = 1 + 1 + 4 + 2;
    const cycles = 50;
    const words = new Uint32Array(cycles * per);
    let x = 7;
    for (let i = 0; i < words.length; i++) words[i] = x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    for (let t = 0; t < cycles; t++) words[t * per] = t < 3 || t === 20 ? 1 : 0; // rst
    const ref = compile(nl);
    const toBig = (w: Uint32Array, at: number, n: number, width: number): bigint => {
      let v = 0n;
      for (let j = n - 1; j >= 0; j--) v = (v << 32n) | BigInt(w[at + j] ?? 0);
      return BigInt.asUintN(width, v);
    };
    let want: bigint[] = [];
    for (let t = 0; t < cycles; t++) {
      const at = t * per;
      ref.poke('rst', BigInt((words[at] ?? 0) & 1));
      ref.poke('a', toBig(words, at + 1, 1, 7));
      ref.poke('b', toBig(words, at + 2, 4, 100));
      ref.poke('c', toBig(words, at + 6, 2, 64));
      want = ['acc_o', 'mix', 'a_o'].map((p) => ref.peek(p));
      ref.step(1);
    }
    const sim = compile(nl);
    expect(sim.wordCount('in')).to.equal(per - 1);
    const last = new Uint32Array(sim.wordCount('out'));
    sim.runWords(words.subarray(0, 17 * per), 17);
    sim.runWords(words.subarray(17 * per), cycles - 17, last);
    expect([toBig(last, 0, 4, 100), toBig(last, 4, 4, 100), toBig(last, 8, 1, 7)]).to.deep.equal(want);
    expect(sim.peek('acc_o')).to.equal(ref.peek('acc_o'));
    expect(sim.cycle).to.equal(cycles);
    sim.clearState();
    sim.runWords(words, cycles, last);
    expect([toBig(last, 0, 4, 100), toBig(last, 4, 4, 100), toBig(last, 8, 1, 7)]).to.deep.equal(want);
    expect(() => sim.runWords(words, cycles + 1)).to.throw(/words per cycle/);
  });

  it('lists ports and signals and rejects unknown names with the list', () => {
    const sim = compile(oneCell('add', 8, [8, 8]));
    expect(sim.ports.map((p) => `${p.dir} ${p.name} ${p.width}`)).to.deep.equal([
      'in a 8',
      'in b 8',
      'out y 8',
    ]);
    expect(() => sim.peek('z')).to.throw(/has no port z/);
    expect(() => sim.step(1.5)).to.throw(/non-negative integer/);
  });

  it('signals: false keeps registers, inputs and constants readable by name and drops the rest', () => {
    // q <= q + inc; a named product of q and a constant-folded name beside it.
    const k = new Kit('sig');
    const inc = k.input('inc', 8);
    const q = k.reg('q', 8, 0n);
    k.next(q, k.cell('add', 8, [q, inc]));
    k.wire('twice', k.cell('add', 8, [q, q]));
    k.wire('zero', k.cell('and', 8, [q, k.lit(0n, 8)]));
    k.output('y', q);
    const nl = netlist(k.def());
    const full = compile(nl);
    const lean = compile(nl, { signals: false });
    for (const sim of [full, lean]) {
      sim.poke('inc', 3);
      sim.step(5);
    }
    expect(full.peekSignal('twice')).to.equal(30n);
    expect(lean.peekSignal('q')).to.equal(15n);
    expect(lean.peekSignal('zero')).to.equal(0n);
    expect(lean.signals.map((x) => x.name)).to.not.include('twice');
    expect(() => lean.peekSignal('twice'))
      .to.throw(/no signal twice/)
      .with.property('hint')
      .that.matches(/signals: false/);
  });
});

describe('sim: runVectors', () => {
  it('gives the same outputs as poke, peek and step, cycle by cycle', () => {
    const k = new Kit('acc');
    const en = k.input('en', 1);
    const x = k.input('x', 8);
    const q = k.reg('q', 8, 0n, en);
    k.next(q, k.cell('add', 8, [q, x]));
    k.output('o', q);
    k.output('s', k.cell('add', 8, [q, x]));
    const nl = netlist(k.def());
    const a = compile(nl);
    const b = compile(nl);
    a.reset();
    b.reset();
    // inputs per cycle: en, x (x = 300 is stored modulo 256 = 44)
    const rows = [
      [1, 5],
      [0, 7],
      [1, 300],
      [1, 255],
    ];
    const out = new Uint32Array(rows.length * 2);
    a.runVectors(Uint32Array.from(rows.flat()), rows.length, out);
    const want: number[] = [];
    for (const [e, v] of rows) {
      b.poke('en', e as number);
      b.poke('x', (v as number) % 256);
      want.push(Number(b.peek('o')), Number(b.peek('s')));
      b.step();
    }
    // by hand: q 0 -> 5 -> 5 -> 49 -> 48 (49 + 255 = 304 mod 256); s = q + x mod 256
    expect(want).to.deep.equal([0, 5, 5, 12, 5, 49, 49, 48]);
    expect([...out]).to.deep.equal(want);
    expect(a.peek('o')).to.equal(b.peek('o'));
    expect(() => a.runVectors(new Uint32Array(3), 2)).to.throw(/2 input words per cycle/);
  });
});
