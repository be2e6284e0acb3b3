// The wide-value paths of the real-size designs (docs/sim.md "Real-size designs (sim-wide)"):
// long collectors shifted by a loop (`siW`) and dynamic part-selects that store only the words
// their slices read, against the reference interpreter cycle by cycle.
import { expect } from 'chai';
import { compile } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng } from './random-netlist.js';
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

function agree(nl: Netlist, seed: number, cycles: number, activity?: boolean): string {
  // The tracked form in chunks of 2 statements: values cross chunks through storage.
  const sim = compile(nl, { signals: false, ...(activity === undefined ? {} : { activity, chunkSize: 2 }) });
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

/** An enabled 64-bit register whose next value is a sum of `n` products of 64-bit values. */
function bigCone(n: number): Netlist {
  const m = new Kit('cone');
  const x = m.input('x', 64);
  const y = m.input('y', 64);
  const en = m.input('en', 1);
  const acc = m.reg('acc', 64, 0n, en);
  let sum = acc;
  for (let i = 0; i < n; i++) {
    const c = m.lit(BigInt(i) * 0x9e3779b97f4a7c15n % 2n ** 64n, 64);
    const p = m.cell('mul', 64, [m.cell('xor', 64, [x, c]), m.cell('add', 64, [y, c])]);
    sum = m.cell('add', 64, [sum, p]);
  }
  m.next(acc, sum);
  m.output('acc', acc);
  return netlist(m.def());
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

describe('sim: wide paths of the real-size designs', () => {
  it('a register cone over CONE_TOKENS_MAX is evaluated as ordinary items, cut into functions', () => {
    const nl = bigCone(120);
    const r = new Rng(3);
    for (const activity of [false, true]) {
      const sim = compile(nl, { signals: false, activity });
      const ref = new NetlistInterpreter(nl);
      sim.reset();
      ref.reset();
      for (let t = 0; t < 30; t++) {
        for (const [p, v] of [['x', r.bits(64)], ['y', r.bits(64)], ['en', BigInt(r.int(3) === 0 ? 0 : 1)]] as const) {
          sim.poke(p, v);
          ref.poke(p, v);
        }
        expect(sim.peek('acc'), `cycle ${t}`).to.equal(ref.peek('acc'));
        sim.step();
        ref.step();
      }
      // Not one function under `if (en)`: the products are cut over several functions.
      expect(sim.source.match(/^function e\d+\(\)/gm)?.length ?? 0).to.be.greaterThan(2);
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

  it('a next value that only resembles a collector (other slice, offset, wide x, no cell, one operand) is no siW loop', () => {
    expect(agreeAll(nearCollectors(512), 9, 12)).not.to.match(/siW\(\d/);
  });

  it('a collector under 16 words keeps straight-line words', () => {
    expect(agree(collector(480, 8), 5, 40)).not.to.match(/siW\(\d/);
  });
});
