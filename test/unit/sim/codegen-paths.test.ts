// Code paths of the model generator (src/sim/codegen.ts) that the other specs' designs never
// reach: values against the reference interpreter cycle by cycle, and the generated source's
// chunks, forms and header (docs/mutants/src/sim/codegen.ts.part2.yaml names the mutants these
// tests kill).
import { expect } from 'chai';
import { ACTIVITY_MIN_CHUNKS, compile, generateSource, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng } from './random-netlist.js';
import { bigCone, coneAgrees } from './cone.js';
import { Kit, netlist } from './kit.js';
import type { Netlist } from '../../../src/hdl/index.js';

/** Random inputs for `cycles` cycles after a reset: every output equals the reference's. */
function agree(nl: Netlist, opts: CompileOptions, seed: number, cycles: number): string {
  const sim = compile(nl, { signals: false, ...opts });
  const ref = new NetlistInterpreter(nl);
  const top = nl.modules[nl.modules.length - 1];
  if (!top) throw new Error('no top');
  const r = new Rng(seed);
  sim.reset();
  ref.reset();
  for (let t = 0; t < cycles; t++) {
    for (const p of top.ports.filter((q) => q.dir === 'in')) {
      const v = r.bits(p.width);
      sim.poke(p.name, v);
      ref.poke(p.name, v);
    }
    for (const p of top.ports.filter((q) => q.dir === 'out'))
      expect(sim.peek(p.name), `${p.name} at cycle ${t} (${JSON.stringify(opts)})`).to.equal(ref.peek(p.name));
    sim.step();
    ref.step();
  }
  return sim.source;
}

const FORMS: CompileOptions[] = [
  { activity: false },
  { activity: true, chunkSize: 2 },
  { activity: false, inPlace: false },
  { activity: true, chunkSize: 2, inPlace: false },
  { activity: false, chunkSize: 1, plainTokens: 5 },
];

/**
 * Dynamic part-selects `src[amt +: 40]` at bit 64 of a 256-bit shift (words [2, 4) of it live):
 * of an input (read from storage), of a value computed in the same function (a local: T) and of
 * a constant.
 */
function partSelects(): Netlist {
  const m = new Kit('parts');
  const a = m.input('a', 256);
  const b = m.input('b', 256);
  const amt = m.input('amt', 8);
  const c = m.lit(0x0123456789abcdef_fedcba9876543210_0f1e2d3c4b5a6978_8796a5b4c3d2e1f0n, 256);
  const x = m.cell('xor', 256, [a, b]);
  for (const [name, src] of [['stored', a], ['local', x], ['const', c]] as const) {
    const sh = m.cell('shrUV', 256, [src, amt]);
    m.output(name, m.cell('slice', 40, [sh], { lo: 64 }));
  }
  return netlist(m.def(false));
}

/**
 * Mux chains on an index compared with constants (optimize.ts makes them tables): one whose
 * entries all equal its default, one of a single entry, one of two entries read by a 4-bit index
 * (which passes the table's end) and one of four by a 2-bit index (which cannot).
 */
function tables(): Netlist {
  const m = new Kit('tables');
  const i = m.input('i', 4);
  const j = m.input('j', 2);
  const pick = (ix: number, w: number, entries: [number, number][], dflt: number): number =>
    entries.reduce(
      (rest, [k, v]) => m.cell('mux', 8, [m.cell('eq', 1, [ix, m.lit(BigInt(k), w)]), m.lit(BigInt(v), 8), rest]),
      m.lit(BigInt(dflt), 8),
    );
  m.output('same', pick(i, 4, [[3, 5]], 5));
  m.output('one', pick(i, 4, [[0, 7]], 9));
  m.output('two', pick(i, 4, [[0, 3], [1, 7]], 9));
  m.output('full', pick(j, 2, [[0, 1], [1, 2], [2, 3], [3, 4]], 6));
  return netlist(m.def(false));
}

/**
 * Rom reads: narrow and wide (40 and 96 bits, rows of words) by a narrow index that passes the
 * end, a narrow one by a 40-bit index (a word operand), and a hand-built rom without a table
 * (reads 0); a narrow memory read by the 40-bit index.
 */
function roms(): Netlist {
  const m = new Kit('roms');
  const i = m.input('i', 3);
  // A 40-bit index that is small or past 2^32 (bit 39 and bits 0..2 of an input).
  const iw = m.cell('and', 40, [m.input('iw', 40), m.lit((1n << 39n) | 7n, 40)]);
  const rows = [0x12n, 0xa5n, 0xffn, 0x3cn, 0x01n];
  const wide = [0x12_3456789an, 0xff_fffffffen, 0x80_00000001n];
  const wider = [(1n << 95n) | 0x1234n, 0xdeadbeef_00000000_cafef00dn];
  m.output('narrow', m.cell('rom', 8, [i], { table: rows }));
  m.output('wide', m.cell('rom', 40, [i], { table: wide }));
  m.output('wider', m.cell('rom', 96, [i], { table: wider }));
  m.output('byWide', m.cell('rom', 8, [iw], { table: rows }));
  m.output('empty', m.cell('rom', 8, [i]));
  // A memory read by the 40-bit index (written at i when we).
  const [rd] = m.mem('mem', 8, 5, [iw], [{ addr: i, data: m.input('wd', 8), en: m.input('we', 1) }]);
  m.output('memByWide', rd as number);
  return netlist(m.def());
}

/**
 * Enabled registers of 8, 64 and 320 bits (one, two and ten words), each `q <= q + x` (read
 * before its update: in place) and `p <= x` (read after its update by `p ^ q`), and an
 * unenabled counter.
 */
function enabledRegs(): Netlist {
  const m = new Kit('regs');
  const en = m.input('en', 1);
  const cnt = m.reg('cnt', 8, 0n);
  m.next(cnt, m.cell('add', 8, [cnt, m.lit(1n, 8)]));
  m.output('cnt', cnt);
  for (const w of [8, 64, 320]) {
    const x = m.input(`x${w}`, w);
    const q = m.reg(`q${w}`, w, 0n, en);
    m.next(q, m.cell('add', w, [q, x]));
    const p = m.reg(`p${w}`, w, null, en);
    m.next(p, x);
    m.output(`q${w}`, q);
    m.output(`pq${w}`, m.cell('xor', w, [p, q]));
  }
  return netlist(m.def());
}

/** `n` narrow items in a chain (each one cost unit): y = ((a + b) ^ b) + b ... */
function chain(n: number): Netlist {
  const m = new Kit('chain');
  const a = m.input('a', 8);
  const b = m.input('b', 8);
  let v = a;
  for (let i = 0; i < n; i++) v = m.cell(i % 2 === 0 ? 'add' : 'xor', 8, [v, b]);
  m.output('y', v);
  return netlist(m.def(false));
}

const functions = (src: string): number => src.match(/^function e\d+\(\)/gm)?.length ?? 0;

/** Inputs of 20, 40, 288 and 300 bits, each registered and added to its register. */
function wideInputs(): Netlist {
  const m = new Kit('ins');
  for (const w of [20, 40, 288, 300]) {
    const x = m.input(`x${w}`, w);
    const q = m.reg(`q${w}`, w, 0n);
    m.next(q, x);
    m.output(`q${w}`, q);
    m.output(`s${w}`, m.cell('add', w, [x, q]));
  }
  return netlist(m.def());
}

describe('sim: code generator paths', () => {
  it('a cone over CONE_TOKENS_MAX split into functions called under its enable, the plain form one chunk', () => {
    const nl = bigCone(120);
    const r = new Rng(3);
    for (const opts of [{ plainTokens: 1e9 }, { plainTokens: 1e9, activity: false }]) {
      const sim = compile(nl, { signals: false, calibrationWindow: 1, ...opts });
      coneAgrees(nl, sim, r, 20);
      // The plain form runs its one chunk every evaluation (no change flags); the cone is one
      // function of its own (parts of plainTokens), called only when `en` is set.
      const plain = generateSource(nl, { signals: false, ...opts }).source;
      expect(plain).to.match(/^function e0\(\)/m);
      expect(plain).not.to.match(/^function e1\(\)/m);
      expect(plain).not.to.match(/D\[0\] === 1/);
      expect(plain.match(/^function g\d+_\d+\(\)/gm)).to.have.length(1);
      expect(plain).to.match(/if \(v\d+\) \{ g\d+_0\(\); \} else \{ RWX\[0\] = RW\[0\]; RWX\[1\] = RW\[1\]; \}/);
    }
  });

  it('a split cone reads an outside value computed in its own chunk from storage (every cut of the plain form)', () => {
    // v is read by acc's cone (split: coneTokens 0) and by output o2's logic, so it is outside the
    // cone and, read in its own chunk only, would stay a local there: the cone's function must
    // find it stored. The plain form cut at budgets of 8 to 240 tokens and the tracked form in
    // chunks of 1 to 30 statements put v and acc's item in one chunk: the first, the second (17
    // of the 60 cuts) or a later one.
    const k = new Kit('split_local');
    const x = k.input('x', 8);
    const en = k.input('en', 1);
    k.output('o1', k.cell('xor', 8, [k.cell('add', 8, [x, k.lit(1n, 8)]), k.lit(0x5an, 8)]));
    // Logic before v (outputs p0..p3) fills the first chunk at the smaller budgets; v comes
    // after a chain of adds.
    for (let j = 0; j < 4; j++)
      k.output(`p${j}`, k.cell('xor', 8, [k.cell('add', 8, [x, k.lit(BigInt(j + 2), 8)]), k.lit(0x33n, 8)]));
    let c = x;
    for (let j = 0; j < 4; j++) c = k.cell('add', 8, [c, k.lit(BigInt(2 * j + 1), 8)]);
    const v = k.cell('mul', 8, [c, k.lit(3n, 8)]);
    k.output('o2', k.cell('xor', 8, [v, k.lit(0x11n, 8)]));
    const acc = k.reg('acc', 8, 0n, en);
    k.next(acc, k.cell('add', 8, [acc, k.cell('xor', 8, [v, k.lit(7n, 8)])]));
    k.output('acc_o', acc);
    const nl = netlist(k.def(false));
    const opts: CompileOptions[] = [];
    for (let budget = 8; budget <= 240; budget += 8) opts.push({ activity: false, plainTokens: budget });
    for (let size = 1; size <= 30; size++) opts.push({ activity: true, chunkSize: size });
    for (const [i, o] of opts.entries()) {
      const src = agree(nl, { ...o, coneTokens: 0 }, i, 12);
      expect(src, JSON.stringify(o)).to.match(/^function g\d+_0\(\)/m);
    }
  });

  it("runWords masks each input's top word above its width (the skipping form's input copies)", () => {
    const nl = wideInputs();
    const widths = [20, 40, 288, 300];
    for (const opts of [{ activity: true, chunkSize: 2 }, { activity: false }]) {
      const sim = compile(nl, { signals: false, ...opts });
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(23);
      sim.reset();
      ref.reset();
      const words = new Uint32Array(1 + sim.wordCount('in'));
      for (let t = 0; t < 20; t++) {
        // Every word random, the bits above each port's width too.
        for (let i = 1; i < words.length; i++) words[i] = r.int(2 ** 32);
        let k = 1;
        for (const w of widths) {
          let v = 0n;
          for (let j = 0; j < Math.ceil(w / 32); j++) v |= BigInt(words[k + j] as number) << BigInt(32 * j);
          ref.poke(`x${w}`, BigInt.asUintN(w, v));
          k += Math.ceil(w / 32);
        }
        sim.runWords(words, 1);
        ref.step();
        for (const w of widths)
          for (const o of [`q${w}`, `s${w}`]) expect(sim.peek(o), `${o} at cycle ${t}`).to.equal(ref.peek(o));
      }
    }
  });

  it('chunks: chunkSize items a chunk, the two forms from ACTIVITY_MIN_CHUNKS chunks, the options', () => {
    const nl = chain(24);
    const one = functions(generateSource(nl, { signals: false, activity: true, chunkSize: 1 }).source);
    expect(one).to.be.greaterThan(16);
    for (let k = 1; k <= 6; k++) {
      // A chunk takes items while they fit in chunkSize (each costs 1 here).
      const tracked = generateSource(nl, { signals: false, activity: true, chunkSize: k }).source;
      expect(functions(tracked), `chunkSize ${k}`).to.equal(Math.ceil(one / k));
      expect(tracked.split('\n')[0]).to.equal('"use strict";');
      expect(tracked.split('\n')[1]).to.match(/^\/\/ mxgen native simulator model of chain: \d+ slots, .*; chunks run when their inputs changed$/);
      // activity undefined: two forms from ACTIVITY_MIN_CHUNKS tracked chunks on.
      const both = generateSource(nl, { signals: false, chunkSize: k });
      expect(both.trackedSource !== undefined, `chunkSize ${k}`).to.equal(functions(tracked) >= ACTIVITY_MIN_CHUNKS);
      if (both.trackedSource !== undefined) {
        expect(both.trackedSource).to.match(/\n\/\/# sourceURL=mxgen-sim\/chain\.tracked\.js\n$/);
        expect(both.source).to.match(/\n\/\/# sourceURL=mxgen-sim\/chain\.js\n$/);
        expect(both.source.split('\n')[1]).to.match(/^\/\/ mxgen native simulator model of chain: .*, 0 memories$/);
      }
      // activity false: one plain form however many chunks.
      const plain = generateSource(nl, { signals: false, activity: false, chunkSize: k });
      expect(plain.trackedSource).to.equal(undefined);
      expect(plain.source).not.to.match(/D\[0\] === 1/);
    }
    // The threshold is met exactly (ACTIVITY_MIN_CHUNKS chunks) by one of the sizes above.
    expect([1, 2, 3, 4, 5, 6].some((k) => Math.ceil(one / k) === ACTIVITY_MIN_CHUNKS)).to.equal(true);
    // activity true on a design of one chunk: still the tracked form.
    expect(generateSource(chain(2), { signals: false, activity: true }).source).to.match(/if \(D\[0\] === 1\)/);
  });

  it('enabled registers, also evaluated twice in a cycle with the enable dropped', () => {
    const nl = enabledRegs();
    for (const opts of FORMS) {
      agree(nl, opts, 17, 40);
      // peek (en = 1), poke en = 0, peek again, edge: the second evaluation keeps every register.
      const sim = compile(nl, { signals: false, ...opts });
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(19);
      sim.reset();
      ref.reset();
      for (let t = 0; t < 12; t++) {
        for (const w of [8, 64, 320]) {
          const v = r.bits(w);
          sim.poke(`x${w}`, v);
          ref.poke(`x${w}`, v);
        }
        sim.poke('en', 1);
        ref.poke('en', 1n);
        for (const o of ['q8', 'q64', 'q320']) expect(sim.peek(o)).to.equal(ref.peek(o));
        sim.poke('en', t % 3 === 0 ? 1 : 0);
        ref.poke('en', BigInt(t % 3 === 0 ? 1 : 0));
        for (const o of ['cnt', 'q8', 'pq8', 'q64', 'pq64', 'q320', 'pq320'])
          expect(sim.peek(o), `${o} at cycle ${t} (${JSON.stringify(opts)})`).to.equal(ref.peek(o));
        sim.step();
        ref.step();
      }
    }
  });

  it('rom reads: narrow, wide, by a wide index, without a table; a memory read by a wide address', () => {
    for (const opts of FORMS) agree(roms(), opts, 13, 60);
  });

  it('table reads: all default, one entry, an index past the end, an index that cannot pass it', () => {
    for (const opts of FORMS) agree(tables(), opts, 11, 80);
  });

  it('a partial shift of a stored, a local and a constant source, its words above word 0', () => {
    const nl = partSelects();
    for (const opts of FORMS) {
      const src = agree(nl, opts, 7, 60);
      // The constant's words are literals in T (its top word 0x01234567), not a read of storage.
      expect(src).to.match(/T\[7\] = 19088743;\n\s*xW\(T, 0, 8, /);
    }
  });
});
