// elaborate(): the normalized netlist (extensions, swapped comparisons, neg, shr), registers,
// memories and instances with the cycle contract, deep freezing and determinism.
import { expect } from 'chai';
import {
  type Cell,
  configDigest,
  elaborate,
  memoGenerator,
  type ModuleDef,
  ModuleBuilder,
  type Netlist,
  s,
  u,
} from '../../../src/hdl/index.js';
import { netlistProblems } from '../../support/check-netlist.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';

const cells = (m: ModuleDef): Cell[] =>
  m.nets.flatMap((n) => (n.driver.kind === 'cell' ? [n.driver.cell] : []));
const top = (nl: Netlist): ModuleDef => nl.modules[nl.modules.length - 1] as ModuleDef;

function oneOp(body: (m: ModuleBuilder) => void): ModuleDef {
  const m = new ModuleBuilder('norm');
  body(m);
  const nl = elaborate(m);
  expect(netlistProblems(nl)).to.deep.equal([]);
  return top(nl);
}

describe('hdl elaborate: normalization', () => {
  it('extends each operand of add to the op width by its own sign', () => {
    const d = oneOp((m) => m.output('o', s(7)).set(m.input('a', s(4)).add(m.input('b', s(6)))));
    expect(cells(d).map((c) => c.op)).to.deep.equal(['sext', 'sext', 'add']);
    const z = oneOp((m) => m.output('o', u(7)).set(m.input('a', u(4)).add(m.input('b', u(6)))));
    expect(cells(z).map((c) => c.op)).to.deep.equal(['zext', 'zext', 'add']);
  });
  it('gt becomes ltU with swapped operands; ge becomes leS swapped', () => {
    const d = oneOp((m) => m.output('o', u(1)).set(m.input('a', u(4)).gt(m.input('b', u(4)))));
    const lt = cells(d)[0] as Cell;
    expect(lt.op).to.equal('ltU');
    const net = (n: string): number | undefined => d.ports.find((p) => p.name === n)?.net;
    expect(lt.args).to.deep.equal([net('b'), net('a')]); // a > b is b < a
    const g = oneOp((m) => m.output('o', u(1)).set(m.input('a', s(4)).ge(m.input('b', s(4)))));
    expect(cells(g).map((c) => c.op)).to.deep.equal(['leS']);
  });
  it('neg becomes sub(0, x); constant shr becomes shrS then slice', () => {
    const n = oneOp((m) => m.output('o', s(5)).set(m.input('a', s(4)).neg()));
    expect(cells(n).map((c) => c.op)).to.deep.equal(['const', 'sext', 'sub']);
    const r = oneOp((m) => m.output('o', s(6)).set(m.input('a', s(8)).shr(2)));
    expect(cells(r).map((c) => [c.op, c.amount ?? c.lo])).to.deep.equal([
      ['shrS', 2],
      ['slice', 0],
    ]);
  });
  it('nets are in creation order: cell operands come before the cell', () => {
    const d = oneOp((m) => {
      const a = m.input('a', u(8));
      m.output('o', u(18)).set(a.mul(a).add(a).shl(1));
    });
    d.nets.forEach((n, i) => {
      if (n.driver.kind === 'cell') for (const x of n.driver.cell.args) expect(x).to.be.lessThan(i);
    });
  });
});

describe('hdl elaborate: registers, memories, instances', () => {
  it('a register resets to init, loads when enabled, holds otherwise', () => {
    const m = new ModuleBuilder('counter');
    const en = m.input('en', u(1));
    const c = m.reg('count', u(4), { init: 5, enable: en });
    c.next(c.addWrap(1));
    m.output('q', u(4)).set(c);
    const sim = new NetlistInterpreter(elaborate(m));
    sim.reset(); // reset: count = 5
    expect(sim.peek('q')).to.equal(5n);
    sim.poke('en', 1);
    sim.step();
    sim.step(); // 5 + 2 = 7
    expect(sim.peek('q')).to.equal(7n);
    sim.poke('en', 0);
    sim.step(); // held
    expect(sim.peek('q')).to.equal(7n);
    expect(top(elaborate(m)).regs[0]?.init).to.equal(5n);
  });
  it('a register without reset has init null', () => {
    const m = new ModuleBuilder('noreset');
    const r = m.reg('r', s(3), { init: null }).next(m.input('d', s(3)));
    m.output('q', s(3)).set(r);
    expect(top(elaborate(m)).regs[0]?.init).to.equal(null);
  });
  it('a memory reads combinationally, writes on the edge, later ports win, reset clears', () => {
    const m = new ModuleBuilder('rf');
    const mem = m.mem('words', { width: 8, depth: 3 });
    const wa = m.input('wa', u(2));
    mem.write(wa, m.input('d0', u(8)), m.input('we0', u(1)));
    mem.write(wa, m.input('d1', u(8)), m.input('we1', u(1)));
    m.output('q', u(8)).set(mem.read(m.input('ra', u(2))));
    const nl = elaborate(m);
    expect(netlistProblems(nl)).to.deep.equal([]);
    expect(top(nl).clocked).to.equal(true);
    const sim = new NetlistInterpreter(nl);
    sim.poke('wa', 1);
    sim.poke('d0', 11);
    sim.poke('d1', 22);
    sim.poke('we0', 1);
    sim.poke('we1', 1);
    sim.poke('ra', 1);
    expect(sim.peek('q')).to.equal(0n); // not written before the edge
    sim.step();
    expect(sim.peek('q')).to.equal(22n); // port 1 wins
    sim.poke('wa', 3); // out of range: ignored
    sim.step();
    sim.poke('ra', 3);
    expect(sim.peek('q')).to.equal(0n); // address >= depth reads 0
    sim.poke('ra', 1);
    sim.reset();
    expect(sim.peek('q')).to.equal(0n);
  });
  it('the same builder instantiated twice is one ModuleDef; inputs follow child port order', () => {
    const pe = new ModuleBuilder('pe');
    const a = pe.input('a', u(4));
    const b = pe.input('b', u(4));
    pe.output('y', u(8)).set(pe.reg('p', u(8)).next(a.mul(b)));
    const m = new ModuleBuilder('pair', { config: { n: 2 } });
    const x = m.input('x', u(4));
    const p0 = m.instance(pe, 'p0').connect({ b: x, a: x });
    const p1 = m.instance(pe, 'p1');
    p1.in('a').set(x);
    p1.in('b').set(p0.out('y').trunc(4));
    m.output('o', u(8)).set(p1.out('y'));
    const nl = elaborate(m);
    expect(netlistProblems(nl)).to.deep.equal([]);
    expect(nl.modules.map((d) => d.name)).to.deep.equal(['pe', 'pair']);
    const d = top(nl);
    expect(d.instances.map((i) => [i.name, i.module, i.inputs.map((c) => c.port)])).to.deep.equal([
      ['p0', 'pe', ['a', 'b']],
      ['p1', 'pe', ['a', 'b']],
    ]);
    expect(d.clocked).to.equal(true);
    expect(d.configDigest).to.equal(configDigest({ n: 2 }));
    const sim = new NetlistInterpreter(nl);
    sim.poke('x', 3);
    sim.step(); // p0.p = 9
    sim.step(); // p1.p = 3 * (9 mod 16) = 27
    expect(sim.peek('o')).to.equal(27n);
  });
});

describe('hdl elaborate: frozen and deterministic', () => {
  const design = (): ModuleBuilder => {
    const m = new ModuleBuilder('det', { config: { b: 1n, a: [1, 2] } });
    const a = m.input('a', s(8));
    const r = m.reg('acc', s(17), { init: -1 });
    r.next(r.trunc(16).add(a.mul(a)).trunc(17));
    m.output('o', s(17)).set(r);
    return m;
  };
  const json = (nl: Netlist): string =>
    JSON.stringify(nl, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

  it('is deep-frozen', () => {
    const nl = elaborate(design());
    const d = top(nl);
    expect(Object.isFrozen(nl) && Object.isFrozen(nl.modules) && Object.isFrozen(d.nets)).to.equal(
      true,
    );
    expect(Object.isFrozen(d.nets[0]?.driver)).to.equal(true);
    expect(() => (d.nets as unknown as unknown[]).push(1)).to.throw(TypeError);
  });
  it('elaborating twice, or building twice, gives identical netlists and JSON', () => {
    const b = design();
    const [n1, n2] = [elaborate(b), elaborate(b)];
    expect(n1).to.deep.equal(n2);
    expect(json(n1)).to.equal(json(n2));
    expect(json(elaborate(design()))).to.equal(json(n1));
  });
  it('memoGenerator returns one builder per config, so instances share one module', () => {
    const gen = memoGenerator((c: { w: number }) => {
      const m = new ModuleBuilder(`buf_${c.w}`);
      m.output('y', u(c.w)).set(m.input('a', u(c.w)));
      return m;
    });
    expect(gen({ w: 3 })).to.equal(gen({ w: 3 }));
    expect(gen({ w: 3 })).to.not.equal(gen({ w: 4 }));
    const m = new ModuleBuilder('memo_top');
    const i = m.instance(gen({ w: 3 }), 'b0').connect('a', m.input('a', u(3)));
    m.output('o', u(3)).set(
      m
        .instance(gen({ w: 3 }), 'b1')
        .connect('a', i.out('y'))
        .out('y'),
    );
    expect(elaborate(m).modules.map((d) => d.name)).to.deep.equal(['buf_3', 'memo_top']);
  });
  it('configDigest is stable across key order and distinguishes values', () => {
    expect(configDigest({ a: 1, b: [1n, 'x'] })).to.equal(configDigest({ b: [1n, 'x'], a: 1 }));
    expect(configDigest({ a: 1 })).to.not.equal(configDigest({ a: 2 }));
    expect(configDigest({ a: 1 })).to.match(/^[0-9a-f]{8}$/);
  });
});
