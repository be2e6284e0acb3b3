// The wide-value paths of the real-size designs (docs/sim.md "Real-size designs (sim-wide)"):
// long collectors shifted by a loop (`siW`) and dynamic part-selects that store only the words
// their slices read, against the reference interpreter cycle by cycle.
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng } from './random-netlist.js';
import { bigCone, coneAgrees } from './cone.js';
import { Kit, netlist } from './kit.js';
import type { Netlist } from '../../../src/hdl/index.js';

/**
 * `y <= {x, y[w-1:k]}` while `en` (an output vector collected k bits at a time), read whole and
 * through a dynamic part-select `y[sel*32 +: 40]`; a second register shifts in a wider
 * expression (x + 1) to put a cone under the enable.
 */
function collector(w: number, k: number): Netlist {
  const m = new Kit('collect');
  const x = m.input('x', k);
  const en = m.input('en', 1);
  const sel = m.input('sel', 6);
  const y = m.reg('y', w, 0n, en);
  m.next(y, m.cell('concat', w, [x, m.cell('slice', w - k, [y], { lo: k })]));
  const z = m.reg('z', w, null, en);
  const x1 = m.cell('add', k, [x, m.lit(1n, k)]);
  m.next(z, m.cell('concat', w, [x1, m.cell('slice', w - k, [z], { lo: k })]));
  m.output('y', y);
  m.output('z_top', m.cell('slice', 64, [z], { lo: w - 64 }));
  const at = m.cell('shl', 12, [m.cell('zext', 12, [sel])], { amount: 5 });
  const sh = m.cell('shrUV', w, [y, at]);
  m.output('part', m.cell('slice', 40, [sh], { lo: 0 }));
  return netlist(m.def());
}

function agree(nl: Netlist, seed: number, cycles: number, activity?: boolean, extra: CompileOptions = {}): string {
  // The tracked form in chunks of 2 statements: values cross chunks through storage.
  const sim = compile(nl, { signals: false, ...(activity === undefined ? {} : { activity, chunkSize: 2 }), ...extra });
  const ref = new NetlistInterpreter(nl);
  const r = new Rng(seed);
  const k = Number(nl.modules[0]?.ports.find((p) => p.name === 'x')?.width);
  sim.reset();
  ref.reset();
  for (let t = 0; t < cycles; t++) {
    const x = r.bits(k);
    const en = BigInt(r.int(4) === 0 ? 0 : 1);
    const sel = BigInt(r.int(64));
    for (const [p, v] of [['x', x], ['en', en], ['sel', sel]] as const) {
      sim.poke(p, v);
      ref.poke(p, v);
    }
    for (const p of ['y', 'z_top', 'part'])
      expect(sim.peek(p), `${p} at cycle ${t}`).to.equal(ref.peek(p));
    // A second evaluation in the same cycle with the enable dropped (peek, poke, peek).
    if (t % 7 === 3) {
      sim.poke('en', 0);
      ref.poke('en', 0n);
      expect(sim.peek('y')).to.equal(ref.peek('y'));
    }
    sim.step();
    ref.step();
  }
  return sim.source;
}

/**
 * Every output of `nl` against the reference interpreter for `cycles` random cycles (every input
 * random, the enables mostly 1), in both forms (the tracked one in chunks of 2 statements).
 */
function agreeAll(nl: Netlist, seed: number, cycles: number): string {
  const top = nl.modules[nl.modules.length - 1];
  const ins = top?.ports.filter((p) => p.dir === 'in') ?? [];
  const outs = top?.ports.filter((p) => p.dir === 'out') ?? [];
  let src = '';
  for (const activity of [false, true]) {
    const sim = compile(nl, { signals: false, activity, chunkSize: 2 });
    const ref = new NetlistInterpreter(nl);
    const r = new Rng(seed);
    sim.reset();
    ref.reset();
    for (let t = 0; t < cycles; t++) {
      for (const p of ins) {
        const v = p.width === 1 ? BigInt(r.int(4) === 0 ? 0 : 1) : r.bits(p.width);
        sim.poke(p.name, v);
        ref.poke(p.name, v);
      }
      for (const p of outs) expect(sim.peek(p.name), `${p.name} at cycle ${t} (activity ${activity})`).to.equal(ref.peek(p.name));
      sim.step();
      ref.step();
    }
    if (!activity) src = sim.source;
  }
  return src;
}

/**
 * Long enabled registers whose next value looks like a collector's `{x, y[w-1:k]}` but is not
 * one, so shiftInOf must refuse them: the slice of another value, a slice at the wrong offset
 * (`{x, y[w-k-1:0]}`), a wide `x` (64 bits), a next value that is no cell (a memory read) and a
 * concatenation of one operand.
 */
function nearCollectors(w: number): Netlist {
  const m = new Kit('near');
  const x = m.input('x', 8);
  const x64 = m.input('x64', 64);
  const v = m.input('v', w);
  const en = m.input('en', 1);
  const ra = m.input('ra', 1);
  const other = m.reg('other', w, 0n, en);
  m.next(other, m.cell('concat', w, [x, m.cell('slice', w - 8, [v], { lo: 8 })]));
  const low = m.reg('low', w, 0n, en);
  m.next(low, m.cell('concat', w, [x, m.cell('slice', w - 8, [low], { lo: 0 })]));
  const wide = m.reg('wide', w, 0n, en);
  m.next(wide, m.cell('concat', w, [x64, m.cell('slice', w - 64, [wide], { lo: 64 })]));
  const [rd] = m.mem('m', w, 2, [ra], [{ addr: ra, data: v, en }]);
  const fromMem = m.reg('from_mem', w, 0n, en);
  m.next(fromMem, rd as number);
  const one = m.reg('one', w, 0n, en);
  m.next(one, m.cell('concat', w, [m.cell('not', w, [v])]));
  for (const [name, net] of [['other', other], ['low', low], ['wide', wide], ['from_mem', fromMem], ['one', one]] as const)
    m.output(name, net);
  return netlist(m.def());
}

/**
 * Wide dynamic shifts that some reader other than a slice reads in full, beside a slice of word 0
 * (partialShifts must compute them whole): a compare, a register's next value, a balanced mux
 * tree and a priority chain over bits 40..43 (a table and an encoder on the shift itself), a
 * memory address (beyond the end unless the upper words are 0); and a narrow (32-bit) shift read
 * by a slice.
 */
function nearPartials(): Netlist {
  const m = new Kit('nearp');
  const x = m.input('x', 128);
  const x32 = m.input('x32', 32);
  const amt = m.input('amt', 7);
  const sh = (v: number, w: number, lo: number): number =>
    m.cell('shrUV', w, [v, m.cell('add', 7, [amt, m.lit(BigInt(lo), 7)])]);
  const bit = (v: number, b: number): number => m.cell('slice', 1, [v], { lo: b });
  const low = (v: number, name: string): void => void m.output(name, m.cell('slice', 8, [v], { lo: 0 }));
  const s1 = sh(x, 128, 1);
  low(s1, 'l1');
  // Below 2^64 about when the shift is at least 64 (an amount of 0..127).
  const big = m.lit(1n << 64n, 128);
  m.output('lt', m.cell('ltU', 1, [s1, big]));
  m.output('lt7', m.cell('ltU', 1, [sh(x, 128, 7), big])); // no slice reads this one at all
  const s2 = sh(x, 128, 2);
  low(s2, 'l2');
  const r = m.reg('r', 128, 0n);
  m.next(r, s2);
  m.output('r', r);
  const s3 = sh(x, 128, 3);
  low(s3, 'l3');
  let level = Array.from({ length: 16 }, (_, i) => m.lit(BigInt(1000 + i * i), 12));
  for (let b = 0; b < 4; b++) {
    const next: number[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(m.cell('mux', 12, [bit(s3, 40 + b), level[i + 1] as number, level[i] as number]));
    level = next;
  }
  m.output('tree', level[0] as number);
  const s4 = sh(x, 128, 4);
  low(s4, 'l4');
  let chain = m.lit(31n, 8);
  for (const b of [40, 41, 42, 43]) chain = m.cell('mux', 8, [bit(s4, b), m.lit(BigInt(b), 8), chain]);
  m.output('chain', chain);
  low(sh(x32, 32, 5), 'l5');
  const s6 = sh(x, 128, 6);
  low(s6, 'l6');
  const [rd] = m.mem('m', 8, 4, [s6], [{ addr: m.input('wa', 2), data: m.input('wd', 8), en: m.input('we', 1) }]);
  m.output('rd', rd as number);
  return netlist(m.def());
}

describe('sim: wide paths of the real-size designs', () => {
  it('a register cone over CONE_TOKENS_MAX is split into functions, all called under its enable', () => {
    const nl = bigCone(120);
    const r = new Rng(3);
    for (const activity of [false, true]) {
      const sim = compile(nl, { signals: false, activity });
      coneAgrees(nl, sim, r, 30);
      // Not one function under `if (en)`, and not evaluated every cycle: the products are cut
      // over several functions, called one after the other only when `en` is set.
      const parts = sim.source.match(/^function g\d+_\d+\(\)/gm)?.length ?? 0;
      expect(parts).to.be.greaterThan(2);
      const calls = Array.from({ length: parts }, (_, k) => `g\\d+_${k}\\(\\);`).join(' ');
      expect(sim.source).to.match(new RegExp(`if \\(v\\d+\\) \\{ ${calls}[^\\n]* \\} else \\{`));
    }
  });

  for (const [w, k] of [
    [512, 8],
    [520, 4],
    [1000, 13],
    [1024, 32],
    [1056, 1],
    [3072, 8],
  ] as const)
    it(`a ${w}-bit collector shifting in ${k} bits is one siW loop, cycle-exact`, () => {
      const nl = collector(w, k);
      const src = agree(nl, w + k, 80);
      expect(src).to.match(/siW\(\d+, \d+, \d+, \d+, /);
      agree(nl, w * k, 60, true);
    });

  it('a collector whose cone is split (coneTokens 0): its siW write in the part of x, or alone in part 0', () => {
    const nl = collector(520, 4);
    for (const activity of [false, true]) {
      const src = agree(nl, 5, 120, activity, { coneTokens: 0, plainTokens: 1 });
      // y's cone is only its slice and concatenation (part 0 is its write), z's is x + 1.
      const parts = src.split(/^(?=function )/m).filter((f) => /^function g\d+_\d+\(\)/.test(f));
      expect(parts).to.have.length(2);
      for (const f of parts) expect(f).to.contain('siW(');
    }
  });

  it('a next value that only resembles a collector (other slice, offset, wide x, no cell, one operand) is no siW loop', () => {
    expect(agreeAll(nearCollectors(512), 9, 12)).not.to.match(/siW\(\d/);
  });

  it('a shift that another reader reads whole (compare, register, table, encoder, address) is computed whole', () => {
    const src = agreeAll(nearPartials(), 4, 40);
    expect(src).to.match(/K\d+\[/); // the tree and the chain read the shift through tables
  });

  it('a collector under 16 words keeps straight-line words', () => {
    expect(agree(collector(480, 8), 5, 40)).not.to.match(/siW\(\d/);
  });
});
