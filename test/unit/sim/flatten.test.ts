// Flattening (src/sim/flatten.ts): hierarchical names of slots, registers, memories and signals,
// aliases resolved to the one driver, and the errors a malformed netlist gets (message, loc,
// hint). Expected names and messages are written out by hand from the rules in flatten.ts.
import { expect } from 'chai';
import type { ModuleDef, Net, Netlist } from '../../../src/hdl/index.js';
import { flatten, type FlatDesign, type Slot } from '../../../src/sim/index.js';
import { thrown } from '../../support/mxgen-error.js';
import { Kit, netlist } from './kit.js';

/** leaf: q (reg, init 1), y = q + a (named `y`), an unnamed temporary with hint `tmp`, regfile m. */
function leaf(): ModuleDef {
  const k = new Kit('leaf');
  const a = k.input('a', 4);
  const q = k.reg('q', 4, 1n);
  const t = k.cell('add', 4, [q, a]);
  k.next(q, t);
  const [rd] = k.mem('m', 4, 2, [k.cell('slice', 1, [a], { lo: 0 })], [{ addr: k.lit(0n, 1), data: a, en: k.lit(1n, 1) }]);
  k.output('y', k.cell('xor', 4, [t, rd as number]));
  const def = k.def(true);
  // The sum is a temporary with a hint; the xor is unnamed without one.
  const nets = def.nets.map((n, i): Net => (i === t ? { ...n, hint: 'tmp' } : n));
  return { ...def, nets };
}

function twoLevels(): Netlist {
  const l = leaf();
  const mid = new Kit('mid');
  const ma = mid.input('a', 4);
  const o1 = mid.inst('u_l', l, { a: ma });
  mid.output('y', mid.wire('w', o1.y as number));
  const m = mid.def(true);
  const top = new Kit('top');
  const ta = top.input('a', 4);
  const o2 = top.inst('u_m', m, { a: ta });
  const o3 = top.inst('u_n', m, { a: top.cell('not', 4, [ta]) });
  top.output('p', o2.y as number);
  top.output('q', o3.y as number);
  return netlist(l, m, top.def(true));
}

/** Kit's private net(): a net with any driver (malformed on purpose). */
const rawNet = (k: Kit, width: number, driver: unknown, name: string): number =>
  (k as unknown as { net: (w: number, d: unknown, n: string) => number }).net(width, driver, name);

const slotOf = (d: FlatDesign, s: number): Slot => d.slots[s] as Slot;

describe('sim: flatten', () => {
  it('hierarchical names for slots, registers, memories, ports and signals; aliases go to the driver', () => {
    const d = flatten(twoLevels());
    expect(d.top).to.equal('top');
    expect(d.clocked).to.equal(true);
    expect(d.regs.map((r) => [r.name, r.init, slotOf(d, r.q).label, slotOf(d, r.d).label])).to.deep.equal([
      ['u_m.u_l.q', 1n, 'u_m.u_l.q', 'u_m.u_l.tmp'],
      ['u_n.u_l.q', 1n, 'u_n.u_l.q', 'u_n.u_l.tmp'],
    ]);
    expect(d.mems.map((m) => [m.name, m.width, m.depth, m.sram, m.reads.length, m.writes.length])).to.deep.equal([
      ['u_m.u_l.m', 4, 2, false, 1, 1],
      ['u_n.u_l.m', 4, 2, false, 1, 1],
    ]);
    // Ports resolve through the wire `w`, the instance outputs and the leaf's port net `y` to
    // the leaf's xor, an unnamed temporary (net 7 of leaf: a, q, the sum, a[0], 0, 1, rd, xor).
    expect(d.ports.map((p) => [p.name, p.dir, p.width, slotOf(d, p.slot).label])).to.deep.equal([
      ['a', 'in', 4, 'a'],
      ['p', 'out', 4, 'u_m.u_l._t7'],
      ['q', 'out', 4, 'u_n.u_l._t7'],
    ]);
    const sig = (n: string) => d.signals.find((s) => s.name === n);
    expect(sig('u_m.w')).to.deep.include({ scope: ['u_m'], leaf: 'w', width: 4 });
    expect(slotOf(d, sig('u_m.w')?.slot ?? -1).label).to.equal('u_m.u_l._t7');
    expect(sig('u_n.u_l.q')).to.deep.include({ scope: ['u_n', 'u_l'], leaf: 'q' });
    // The leaf's input `a` of u_n is the top's `not a`, an unnamed temporary of the top.
    const na = slotOf(d, sig('u_n.u_l.a')?.slot ?? -1);
    expect(na.def).to.deep.include({ kind: 'cell', op: 'not' });
    expect(na.label).to.match(/^_t\d+$/);
    // Each name once, the top's nets first in net order (a, the instance outputs, ...).
    const names = d.signals.map((s) => s.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names.slice(0, 3)).to.deep.equal(['a', 'u_m_y', 'u_n_y']);
    // The memory's read slot reads the leaf's a[0] and its write port data is the leaf's a.
    const m0 = d.mems[0];
    expect(slotOf(d, m0?.writes[0]?.data ?? -1).label).to.equal('a');
    expect(slotOf(d, m0?.reads[0]?.addr ?? -1).def).to.deep.include({ kind: 'cell', op: 'slice', lo: 0 });
  });

  it('an SRAM read port becomes a register without reset reading a combinational mem[addr] slot', () => {
    const k = new Kit('s');
    const a = k.input('a', 2);
    const en = k.input('en', 1);
    const rd = rawNet(k, 4, { kind: 'memRead', mem: 0, port: 0 }, 'w_rd');
    k.mems.push({ name: 'w', kind: 'sram', width: 4, depth: 4, init: 'w.hex', readPorts: [{ addr: a, data: rd, en }], writePorts: [], loc: undefined } as never);
    k.output('y', rd);
    const d = flatten(netlist(k.def(true)));
    expect(d.mems[0]).to.deep.include({ name: 'w', sram: true, init: 'w.hex' });
    const r = d.regs[0];
    expect(r).to.deep.include({ name: 'w_rdata', width: 4, init: null });
    expect(slotOf(d, r?.q ?? -1).label).to.equal('w_rd');
    expect(slotOf(d, r?.d ?? -1).def).to.deep.equal({ kind: 'memRead', mem: 0, addr: d.ports[0]?.slot });
    expect(slotOf(d, r?.en ?? -1).label).to.equal('en');
    expect(d.mems[0]?.reads).to.deep.equal([{ addr: d.ports[0]?.slot, data: r?.d }]);
    // The read data net is the register's q (its index, no address); the mem[addr] slot is named.
    expect(slotOf(d, r?.q ?? -1).def).to.deep.equal({ kind: 'reg', reg: 0 });
    expect(slotOf(d, r?.d ?? -1).label).to.equal('w_rdata');
    // An SRAM without a read port (nothing reads it) gets no read register.
    const n = new Kit('s0');
    n.output('y', n.input('a', 2));
    n.mems.push({ name: 'w', kind: 'sram', width: 4, depth: 4, readPorts: [], writePorts: [], loc: undefined } as never);
    const d0 = flatten(netlist(n.def(true)));
    expect([d0.mems.length, d0.regs.length, d0.slots.length]).to.deep.equal([1, 0, 1]);
  });

  it('slot definitions: a register q has its index, a constant no args, a cell at slot 0 its args; a memory without init has no init key', () => {
    const k = new Kit('defs');
    const n0 = rawNet(k, 4, { kind: 'cell', cell: { op: 'not', args: [1] } }, 'n0');
    const a = k.input('a', 4);
    const five = k.lit(5n, 4);
    const q1 = k.reg('q1', 4, 0n);
    const q2 = k.reg('q2', 4, null);
    k.next(q1, k.cell('add', 4, [q1, five]));
    k.next(q2, q1);
    k.mem('m', 4, 2, [k.cell('slice', 1, [a], { lo: 0 })], []);
    k.output('y', k.cell('xor', 4, [n0, q2]));
    // A second net named like the first (`n0`): one signal.
    rawNet(k, 4, { kind: 'wire', src: n0 }, 'n0');
    const d = flatten(netlist(k.def(true)));
    const sig = (n: string): number => d.signals.find((x) => x.name === n)?.slot ?? -1;
    expect(slotOf(d, 0).def).to.deep.equal({ kind: 'cell', op: 'not', args: [sig('a')], lo: undefined, amount: undefined });
    expect(slotOf(d, sig('q1')).def).to.deep.equal({ kind: 'reg', reg: 0 });
    expect(slotOf(d, sig('q2')).def).to.deep.equal({ kind: 'reg', reg: 1 });
    expect(d.slots.find((x) => x.def.kind === 'const')?.def).to.deep.equal({ kind: 'const', value: 5n });
    expect('init' in (d.mems[0] ?? {})).to.equal(false);
    expect(d.signals.filter((x) => x.name === 'n0').length).to.equal(1);
  });

  it('malformed references: missing register, memory, port, instance, net; an input read as an output', () => {
    const at = (name: string, build: (k: Kit) => void): ReturnType<typeof thrown> => {
      const k = new Kit(name);
      build(k);
      return thrown(() => flatten(netlist(k.def(true))));
    };
    const reg = at('r', (k) => k.output('y', rawNet(k, 4, { kind: 'reg', reg: 7 }, 'rq')));
    expect([reg.kind, reg.message, reg.loc]).to.deep.equal(['driver', 'net rq is the output of register 7, which does not exist', 'kit/r.ts:1:1']);
    const mem = at('m', (k) => k.output('y', rawNet(k, 4, { kind: 'memRead', mem: 5, port: 0 }, 'rd')));
    expect([mem.kind, mem.message, mem.loc]).to.deep.equal(['driver', 'net rd reads memory 5 port 0, which does not exist', 'kit/m.ts:1:1']);
    const inst = at('i', (k) => k.output('y', rawNet(k, 4, { kind: 'inst', inst: 5, port: 'o' }, 'io')));
    expect([inst.kind, inst.message]).to.deep.equal(['driver', 'net io reads output o of instance 5, which does not exist']);
    // A net past the module's nets (a port's net 99).
    const top = new Kit('t');
    top.output('y', top.input('a', 4));
    const def = top.def(false);
    const far = { ...def, ports: [...def.ports, { name: 'z', dir: 'out', width: 4, signed: false, net: 99 }] } as ModuleDef;
    expect(thrown(() => flatten({ top: 't', modules: [far] })).message).to.equal('module t refers to net 99, which does not exist');
    // A child's input net naming a port it does not have; reading a child's input as an output.
    const c = new Kit('c');
    c.output('o', c.input('i', 4));
    rawNet(c, 4, { kind: 'input', port: 9 }, 'ghost');
    const cdef = c.def(false);
    const child = { ...cdef, ports: [...cdef.ports, { name: 'g', dir: 'out', width: 4, signed: false, net: 2 }] } as ModuleDef;
    const p = new Kit('p');
    const o = p.inst('u_c', child, { i: p.input('a', 4) });
    p.output('y', o.g as number);
    const ghost = thrown(() => flatten(netlist(child, p.def(false))));
    expect([ghost.kind, ghost.message]).to.deep.equal(['driver', 'input 9 of instance u_c is not connected']);
    const q = new Kit('q');
    q.inst('u_c', cdef, { i: q.input('a', 4) });
    q.output('y', rawNet(q, 4, { kind: 'inst', inst: 0, port: 'i' }, 'ri'));
    expect(thrown(() => flatten(netlist(cdef, q.def(false)))).message).to.equal('net ri reads output i of instance 0, which does not exist');
    // A top input net naming a port the top does not have: an input slot of no name.
    const x = new Kit('x');
    x.output('y', rawNet(x, 4, { kind: 'input', port: 9 }, 'in9'));
    const dx = flatten(netlist(x.def(false)));
    expect(dx.slots[0]?.def).to.deep.equal({ kind: 'input', port: '' });
  });

  it('malformed netlists: each error names the module, net or instance', () => {
    const k = new Kit('t');
    const a = k.input('a', 4);
    k.output('y', a);
    const good = k.def(false);
    const missing = thrown(() => flatten({ top: 'nope', modules: [good] }));
    expect([missing.kind, missing.message]).to.deep.equal(['driver', 'module the netlist top instantiates nope, which the netlist lacks']);
    const inst = { ...good, name: 'top', instances: [{ name: 'u', module: 'ghost', inputs: [], loc: undefined }] };
    expect(thrown(() => flatten({ top: 'top', modules: [inst] })).message).to.equal('module top instantiates ghost, which the netlist lacks');
    // A wire to a net that does not exist.
    const badWire = { ...good, nets: [...good.nets, { width: 4, signed: false, name: 'z', driver: { kind: 'wire', src: 99 }, loc: 'f.ts:3:1' }] } as ModuleDef;
    const bw = thrown(() => flatten({ top: 't', modules: [badWire] }));
    expect([bw.kind, bw.message]).to.deep.equal(['driver', 'module t refers to net 99, which does not exist']);
    // An unconnected instance input.
    const c = new Kit('c');
    c.output('o', c.input('i', 4));
    const child = c.def(false);
    const p = new Kit('p');
    const o = p.inst('u_c', child, {});
    p.output('y', o.o as number);
    const un = thrown(() => flatten(netlist(child, p.def(false))));
    expect([un.kind, un.message, un.hint]).to.deep.equal(['driver', 'input i of instance u_c is not connected', 'connect every input port of an instance exactly once']);
    // A net reading an output the instance does not have.
    const q = new Kit('q');
    const qa = q.input('a', 4);
    q.inst('u_c', child, { i: qa });
    q.output('y', rawNet(q, 4, { kind: 'inst', inst: 0, port: 'nope' }, 'r'));
    const io = thrown(() => flatten(netlist(child, q.def(false))));
    expect([io.kind, io.message, io.loc]).to.deep.equal(['driver', 'net r reads output nope of instance 0, which does not exist', 'kit/q.ts:3:1']);
    // A driver kind the simulator does not know.
    const x = new Kit('x');
    x.output('y', rawNet(x, 4, { kind: 'bogus' }, 'b'));
    const bd = thrown(() => flatten(netlist(x.def(false))));
    expect([bd.kind, bd.message, bd.loc]).to.deep.equal(['driver', 'net b has no driver the simulator understands', 'kit/x.ts:1:1']);
  });

  it('a ring of wires is a combinational loop naming each net once, from where it closes', () => {
    const k = new Kit('ring');
    k.input('a', 4);
    // z1 <- z2 <- z3 <- z2: the output reads z1, whose aliases close a loop at z2.
    const z1 = rawNet(k, 4, { kind: 'wire', src: 2 }, 'z1');
    rawNet(k, 4, { kind: 'wire', src: 3 }, 'z2');
    rawNet(k, 4, { kind: 'wire', src: 2 }, 'z3');
    k.output('y', z1);
    const e = thrown(() => flatten(netlist(k.def(false))));
    expect([e.kind, e.message, e.loc]).to.deep.equal(['comb-loop', 'combinational loop through 2 signals: z2 -> z3 -> z2', 'kit/ring.ts:3:1']);
    expect(e.notes).to.deep.equal(['z2 at kit/ring.ts:3:1', 'z3 at kit/ring.ts:4:1']);
  });

  it('a ring inside an instance, reached from a parent net of the same index, starts in the instance', () => {
    // cring: z1 (net 0) <- z2 (net 1) <- z3 (net 2) <- z2; y reads z1. The parent's net 1 is
    // u_c's output y: the path from the parent's output passes parent net 1 before the ring
    // closes at the instance's net 1, so the loop is found by scope and net, not net alone.
    const c = new Kit('cring');
    const z1 = rawNet(c, 4, { kind: 'wire', src: 1 }, 'z1');
    rawNet(c, 4, { kind: 'wire', src: 2 }, 'z2');
    rawNet(c, 4, { kind: 'wire', src: 1 }, 'z3');
    c.output('y', z1);
    const cdef = c.def(false);
    const p = new Kit('pring');
    p.input('a', 4);
    const o = p.inst('u_c', cdef, {});
    expect(o.y).to.equal(1);
    p.output('y', o.y as number);
    const e = thrown(() => flatten(netlist(cdef, p.def(false))));
    expect([e.kind, e.message]).to.deep.equal(['comb-loop', 'combinational loop through 2 signals: u_c.z2 -> u_c.z3 -> u_c.z2']);
  });
});
