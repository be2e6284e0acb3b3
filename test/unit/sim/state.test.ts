// Registers (enable, reset, init null, non-blocking swaps and chains), memories, hierarchy,
// combinational loops and determinism of the generated code, on hand-built netlists.
import { expect } from 'chai';
import { MxgenError } from '../../../src/hdl/index.js';
import { compile } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

function counter(width: number, init: bigint | null) {
  const k = new Kit('counter');
  const en = k.input('en', 1);
  const q = k.reg('count', width, init, en);
  k.next(q, k.cell('add', width, [q, k.lit(1n, width)]));
  k.output('value', q);
  return netlist(k.def());
}

describe('sim: registers', () => {
  it('a 4-bit counter counts while enabled, holds when not, and wraps 15 -> 0', () => {
    const sim = compile(counter(4, 0n));
    sim.poke('en', 1);
    sim.reset();
    const seen: bigint[] = [];
    for (let t = 0; t < 18; t++) {
      seen.push(sim.peek('value'));
      sim.step();
    }
    // after reset 0, then +1 per cycle mod 16
    expect(seen).to.deep.equal([...Array(18).keys()].map((i) => BigInt(i % 16)));
    sim.poke('en', 0);
    sim.step(5);
    expect(sim.peek('value')).to.equal(2n); // 18 mod 16, held
  });

  it('reset loads init regardless of enable; a register without init ignores rst', () => {
    const k = new Kit('two');
    const d = k.input('d', 8);
    const en = k.input('en', 1);
    const a = k.reg('with_init', 8, 0x5an, en);
    const b = k.reg('no_init', 8, null);
    k.next(a, d);
    k.next(b, d);
    k.output('a', a);
    k.output('b', b);
    const sim = compile(netlist(k.def()));
    // before any edge every register is 0
    expect(sim.peek('a')).to.equal(0n);
    expect(sim.peek('b')).to.equal(0n);
    sim.poke('d', 7);
    sim.poke('en', 0);
    sim.reset(2);
    expect(sim.peek('a')).to.equal(0x5an); // init, even with en = 0
    expect(sim.peek('b')).to.equal(7n); // took d during reset
    sim.poke('en', 1);
    sim.step();
    expect(sim.peek('a')).to.equal(7n);
  });

  it('registers update together: a swap and a shift chain (non-blocking)', () => {
    const k = new Kit('swap');
    const x = k.input('x', 8);
    const r0 = k.reg('r0', 8, 1n);
    const r1 = k.reg('r1', 8, 2n);
    k.next(r0, r1);
    k.next(r1, r0);
    const s0 = k.reg('s0', 8, 0n);
    const s1 = k.reg('s1', 8, 0n);
    const s2 = k.reg('s2', 8, 0n);
    k.next(s2, s1);
    k.next(s1, s0);
    k.next(s0, x);
    for (const [n, r] of Object.entries({ r0, r1, s0, s1, s2 })) k.output(`o_${n}`, r);
    const sim = compile(netlist(k.def()), { chunkSize: 1 });
    sim.reset();
    const rows: bigint[][] = [];
    for (let t = 0; t < 4; t++) {
      sim.poke('x', 10 + t);
      rows.push(['o_r0', 'o_r1', 'o_s0', 'o_s1', 'o_s2'].map((p) => sim.peek(p)));
      sim.step();
    }
    // r0/r1 swap every edge; x enters s0 one cycle later, s1 two, s2 three.
    expect(rows).to.deep.equal([
      [1n, 2n, 0n, 0n, 0n],
      [2n, 1n, 10n, 0n, 0n],
      [1n, 2n, 11n, 10n, 0n],
      [2n, 1n, 12n, 11n, 10n],
    ]);
  });
});

describe('sim: memories', () => {
  function regfile() {
    const k = new Kit('regfile');
    const wa = k.input('wa', 3);
    const wd = k.input('wd', 40);
    const we = k.input('we', 1);
    const wa2 = k.input('wa2', 3);
    const we2 = k.input('we2', 1);
    const ra = k.input('ra', 3);
    const [rd] = k.mem('rf', 40, 6, [ra], [
      { addr: wa, data: wd, en: we },
      { addr: wa2, data: k.cell('not', 40, [wd]), en: we2 },
    ]);
    k.output('rd', rd as number);
    return netlist(k.def());
  }

  it('reads combinationally, writes on the edge, reads 0 beyond depth, later port wins', () => {
    const sim = compile(regfile());
    sim.reset();
    sim.poke('we', 1);
    sim.poke('wa', 2);
    sim.poke('wd', 0x12_3456_789an);
    sim.poke('ra', 2);
    expect(sim.peek('rd')).to.equal(0n); // not written before the edge
    sim.step();
    expect(sim.peek('rd')).to.equal(0x12_3456_789an);
    expect(sim.peekMem('rf', 2)).to.equal(0x12_3456_789an);
    // address 7 >= depth 6: the write is ignored and the read gives 0
    sim.poke('wa', 7);
    sim.step();
    sim.poke('ra', 7);
    expect(sim.peek('rd')).to.equal(0n);
    // both ports write address 1: the second (data = ~wd) wins
    sim.poke('wa', 1);
    sim.poke('wa2', 1);
    sim.poke('we2', 1);
    sim.poke('wd', 1);
    sim.step();
    sim.poke('ra', 1);
    expect(sim.peek('rd')).to.equal((1n << 40n) - 2n); // ~1 in 40 bits
    // reset clears every word
    sim.poke('we', 0);
    sim.poke('we2', 0);
    sim.reset();
    sim.poke('ra', 2);
    expect(sim.peek('rd')).to.equal(0n);
  });
});

describe('sim: hierarchy', () => {
  it('flattens instances with hierarchical names and one state per instance', () => {
    const c = counter(8, 0n).modules[0];
    if (!c) throw new Error('no module');
    const k = new Kit('pair');
    const en = k.input('en', 1);
    const a = k.inst('u_a', c, { en });
    const b = k.inst('u_b', c, { en: k.cell('not', 1, [en]) });
    k.output('sum', k.cell('add', 8, [a.value as number, b.value as number]));
    const sim = compile(netlist(c, k.def()));
    sim.reset();
    sim.poke('en', 1);
    sim.step(3);
    sim.poke('en', 0);
    sim.step(2);
    expect(sim.peekSignal('u_a.count')).to.equal(3n);
    expect(sim.peekSignal('u_b.count')).to.equal(2n);
    expect(sim.peek('sum')).to.equal(5n);
    expect(sim.signals.map((s) => s.name)).to.include.members(['u_a.count', 'u_b.en', 'en']);
    expect(() => sim.peekSignal('u_c.count')).to.throw(/no signal u_c.count/);
  });
});

describe('sim: combinational loops', () => {
  it('is a comb-loop error naming each hop with its location', () => {
    const k = new Kit('loopy');
    const x = k.input('x', 4);
    const placeholder = k.lit(0n, 4);
    const a = k.cell('add', 4, [x, placeholder], { name: 'a' });
    const b = k.cell('not', 4, [a], { name: 'b' });
    k.output('y', b);
    // close the loop: a = x + b
    const def = k.def(false);
    const nets = def.nets.map((n, i) =>
      i === a && n.driver.kind === 'cell'
        ? { ...n, driver: { kind: 'cell' as const, cell: { ...n.driver.cell, args: [x, b] } } }
        : n,
    );
    let err: unknown;
    try {
      compile(netlist({ ...def, nets, ports: k.ports }));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(MxgenError);
    const e = err as MxgenError;
    expect(e.kind).to.equal('comb-loop');
    expect(e.message).to.match(/loop through 2 signals: (a -> b -> a|b -> a -> b)/);
    expect(e.notes.join('\n')).to.match(/a at kit\/loopy.ts:\d+:1/);
    expect(e.notes.join('\n')).to.match(/b at kit\/loopy.ts:\d+:1/);
  });
});

describe('sim: generated code', () => {
  it('is byte-identical for the same netlist and ends with the sourceURL line', () => {
    const a = compile(counter(40, 3n)).source;
    const b = compile(counter(40, 3n)).source;
    expect(a).to.equal(b);
    expect(a.trimEnd().split('\n').at(-1)).to.equal('//# sourceURL=mxgen-sim/counter.js');
  });

  it('gives the same results for every chunk size', () => {
    const runWith = (chunkSize: number): bigint[] => {
      const sim = compile(counter(33, 0n), { chunkSize });
      sim.poke('en', 1);
      sim.reset();
      sim.step(7);
      return [sim.peek('value')];
    };
    expect(runWith(1)).to.deep.equal([7n]);
    expect(runWith(1000)).to.deep.equal([7n]);
  });
});
