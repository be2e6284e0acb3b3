// Every class of builder mistake gives the documented message, a hint, and the file:line of the
// call in this file (found by its `@L:` marker comment, not by the code under test).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  elaborate,
  findModule,
  InstanceHandle,
  lit,
  ModuleBuilder,
  MxgenError,
  MxgenErrors,
  mux,
  s,
  setSrcLocCapture,
  u,
} from '../../../src/hdl/index.js';

const FILE = fileURLToPath(import.meta.url);
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** `test/unit/hdl/errors.test.ts:<line>` of the line carrying `// @L:<marker>`. */
function at(marker: string): string {
  const i = LINES.findIndex((l) => l.trimEnd().endsWith(`// @L:${marker}`));
  if (i < 0) throw new Error(`no marker ${marker}`);
  return `${relative(process.cwd(), FILE)}:${i + 1}:`;
}

function thrown(f: () => unknown): MxgenError {
  try {
    f();
  } catch (e) {
    if (e instanceof MxgenError) return e;
    throw e;
  }
  throw new Error('expected an MxgenError');
}

function problems(m: ModuleBuilder): readonly MxgenError[] {
  const e = thrown(() => elaborate(m));
  expect(e).to.be.instanceOf(MxgenErrors);
  return (e as MxgenErrors).errors;
}

function only(m: ModuleBuilder): MxgenError {
  const es = problems(m);
  expect(es.map((e) => e.message)).to.have.length(1);
  return es[0] as MxgenError;
}

describe('hdl errors: message, hint and the caller line', () => {
  it('mixing signed and unsigned names both fixes for the unsigned operand, by side and shape', () => {
    const m = new ModuleBuilder('mix');
    const a = m.input('a', s(8));
    const b = m.input('b', u(4));
    const e = thrown(() => a.add(b)); // @L:mix
    expect(e.kind).to.equal('shape');
    expect(e.message).to.equal('cannot add s8 and u4: operands must share signedness');
    // u4 -> toSigned: value kept, one bit wider (s5); asSigned: same 4 bits read signed (s4).
    expect(e.hint).to.equal(
      'the right-hand operand (u4): .toSigned() keeps the value (s5); .asSigned() reinterprets the bits (s4)',
    );
    expect(e.loc).to.match(new RegExp(`^${at('mix')}\\d+$`));
    expect(e.format()).to.contain('error[shape]: cannot add s8 and u4');
    // Operands swapped, and variables named against their roles: the hint follows the side.
    const bb = m.input('bb', s(8));
    const aa = m.input('aa', u(8));
    expect(thrown(() => bb.add(aa)).hint).to.equal(
      'the right-hand operand (u8): .toSigned() keeps the value (s9); .asSigned() reinterprets the bits (s8)',
    );
    expect(thrown(() => aa.lt(bb)).hint).to.equal(
      'the left-hand operand (u8): .toSigned() keeps the value (s9); .asSigned() reinterprets the bits (s8)',
    );
    expect(thrown(() => mux(m.input('sel', u(1)), aa, bb)).hint).to.equal(
      'the first arm (u8): .toSigned() keeps the value (s9); .asSigned() reinterprets the bits (s8)',
    );
  });

  it('wrap and bitwise operators need identical shapes; the hint names each operand by side', () => {
    const m = new ModuleBuilder('ident');
    const a = m.input('a', u(8));
    const b = m.input('b', u(4));
    const e = thrown(() => a.addWrap(b)); // @L:ident
    expect(e.message).to.equal('cannot addWrap u8 and u4: operands must have identical shapes');
    expect(e.hint).to.equal(
      'widen the right-hand operand (u4) with .extend(8), or drop the top bits of the left-hand operand (u8) with .trunc(4)',
    );
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('ident')));
    expect(thrown(() => b.and(a)).hint).to.equal(
      'widen the left-hand operand (u4) with .extend(8), or drop the top bits of the right-hand operand (u8) with .trunc(4)',
    );
    expect(thrown(() => mux(m.input('sel', u(1)), b, a)).hint).to.equal(
      'widen the first arm (u4) with .extend(8), or drop the top bits of the second arm (u8) with .trunc(4)',
    );
  });

  it('a JS number that does not fit the other operand shape names the value and shape', () => {
    const m = new ModuleBuilder('fit');
    const a = m.input('a', u(8));
    const e = thrown(() => a.add(300)); // @L:fit
    expect(e.message).to.equal('add: the value 300 does not fit u8');
    expect(e.hint).to.contain('lit(v, shape)');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('fit')));
    expect(thrown(() => lit(-1, u(3))).message).to.equal('lit: the value -1 does not fit u3');
    const noShape = 8 as unknown as ReturnType<typeof u>;
    expect(thrown(() => lit(1, noShape)).message).to.equal(
      'lit(1, ...): the second argument must be a shape',
    );
  });

  it('widths outside 1..2^20 are rejected', () => {
    const e = thrown(() => u(0)); // @L:width
    expect(e.message).to.equal('u() width must be an integer in 1..1048576; got 0');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('width')));
    expect(thrown(() => s(1048577)).message).to.contain('got 1048577');
    expect(u(1048576).width).to.equal(1048576);
    const m = new ModuleBuilder('wide');
    const a = m.input('a', u(8));
    expect(a.shlBy(m.input('m', u(19))).width).to.equal(8 + 2 ** 19 - 1);
    const n = m.input('n', u(21));
    expect(thrown(() => a.shlBy(n)).message).to.contain('above the limit of 1048576');
  });

  it('bits() out of range and a non-u1 mux select are shape errors', () => {
    const m = new ModuleBuilder('rng');
    const a = m.input('a', u(8));
    expect(thrown(() => a.bits(8, 0)).message).to.equal('bits(8, 0) is out of range for u8');
    const e = thrown(() => mux(a, a, a)); // @L:mux
    expect(e.message).to.equal('mux: the select must be u1; got u8');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('mux')));
  });

  it('set() with a different shape is reported at the set call', () => {
    const m = new ModuleBuilder('setw');
    const a = m.input('a', u(8));
    m.output('o', u(9)).set(a); // @L:setw
    const e = only(m);
    expect(e.kind).to.equal('shape');
    expect(e.message).to.equal('cannot assign u8 to output o (u9): shapes must be identical');
    expect(e.hint).to.equal('e.extend(9) widens the value to u9');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('setw')));
  });

  it('an undriven output or wire is reported at its declaration', () => {
    const m = new ModuleBuilder('undriven');
    m.output('o', u(1)); // @L:undrivenOut
    m.wire('w', u(2)); // @L:undrivenWire
    const es = problems(m);
    expect(es.map((e) => e.message)).to.deep.equal([
      'output o of module undriven is never driven',
      'wire w of module undriven is never driven',
    ]);
    expect(es[0]?.loc).to.satisfy((l: string) => l.startsWith(at('undrivenOut')));
    expect(es[1]?.loc).to.satisfy((l: string) => l.startsWith(at('undrivenWire')));
    expect(es[1]?.hint).to.equal('call w.set(expr)');
  });

  it('a wire driven twice is reported at the second set, with the first as a note', () => {
    const m = new ModuleBuilder('twice');
    const a = m.input('a', u(2));
    const w = m.wire('w', u(2));
    w.set(a); // @L:first
    w.set(a); // @L:second
    m.output('o', u(2)).set(w);
    const e = only(m);
    expect(e.kind).to.equal('driver');
    expect(e.message).to.equal('wire w is driven more than once');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('second')));
    expect(e.notes[0]).to.satisfy((n: string) => n.startsWith(`first driven at ${at('first')}`));
  });

  it('a register without next, or with a next of another shape', () => {
    const m = new ModuleBuilder('regs');
    const a = m.input('a', s(4));
    m.reg('r', u(4)); // @L:noNext
    m.reg('q', s(5)).next(a); // @L:badNext
    const es = problems(m);
    const noNext = es.find((e) => e.message === 'reg r of module regs has no next value');
    expect(noNext?.loc).to.satisfy((l: string) => l.startsWith(at('noNext')));
    const bad = es.find((e) => e.kind === 'shape');
    expect(bad?.message).to.equal('cannot assign s4 to reg q (s5): shapes must be identical');
    expect(bad?.loc).to.satisfy((l: string) => l.startsWith(at('badNext')));
    expect(thrown(() => m.reg('big', u(2), { init: 4 })).message).to.equal(
      'reg big: the reset value 4 does not fit u2',
    );
  });

  it('a combinational loop lists each hop with its location', () => {
    const m = new ModuleBuilder('loop');
    const a = m.input('a', u(4));
    const w = m.wire('w', u(4)); // @L:loopWire
    const x = w.xor(a); // @L:loopXor
    w.set(x);
    m.output('o', u(4)).set(w);
    const e = only(m);
    expect(e.kind).to.equal('comb-loop');
    expect(e.message).to.equal('combinational loop in module loop: w -> xor -> w');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('loopWire')));
    expect(e.notes).to.have.length(2);
    expect(e.notes[0]).to.contain(`w (net 1, u4) at ${at('loopWire')}`);
    expect(e.notes[1]).to.contain(`xor (net 2, u4) at ${at('loopXor')}`);
  });

  it('a loop through a register is not combinational', () => {
    const m = new ModuleBuilder('counter');
    const r = m.reg('r', u(4));
    r.next(r.addWrap(1));
    m.output('o', u(4)).set(r);
    expect(elaborate(m).modules[0]?.regs).to.have.length(1);
  });

  it('a loop through an instance is found from the child combinational paths', () => {
    const child = new ModuleBuilder('passthru');
    child.output('y', u(2)).set(child.input('x', u(2)));
    const m = new ModuleBuilder('instloop');
    const i = m.instance(child, 'p');
    i.connect('x', i.out('y')); // @L:instLoop
    m.output('o', u(2)).set(i.out('y'));
    const e = only(m);
    expect(e.kind).to.equal('comb-loop');
    expect(e.message).to.equal('combinational loop in module instloop: p_y -> p_y');
  });

  it('a loop through a memory read address is combinational; through a write it is not', () => {
    const m = new ModuleBuilder('memloop');
    const rf = m.mem('rf', { width: 2, depth: 4 });
    const w = m.wire('addr', u(2));
    const q = rf.read(w);
    w.set(q);
    rf.write(q, q, 1);
    m.output('o', u(2)).set(q);
    const e = only(m);
    expect(e.message).to.equal('combinational loop in module memloop: addr -> rf_r0 -> addr');
  });

  it('duplicate names in one module are reported at the second declaration', () => {
    const m = new ModuleBuilder('dup');
    const a = m.input('a', u(1)); // @L:dupFirst
    m.wire('a', u(1)).set(a); // @L:dupSecond
    m.output('clk', u(1)).set(a);
    const es = problems(m);
    const dup = es.find((e) => e.message.includes('twice'));
    expect(dup?.message).to.equal('module dup declares a twice (input and wire)');
    expect(dup?.loc).to.satisfy((l: string) => l.startsWith(at('dupSecond')));
    expect(dup?.notes[0]).to.satisfy((n: string) =>
      n.startsWith(`first declared at ${at('dupFirst')}`),
    );
    expect(
      es.some((e) => e.message === 'output name clk is reserved for the implicit clock and reset'),
    ).to.equal(true);
  });

  it('an unconnected instance input is reported at the instance', () => {
    const child = new ModuleBuilder('adder');
    child.output('y', u(9)).set(child.input('a', u(8)).add(child.input('b', u(8))));
    const m = new ModuleBuilder('parent');
    const i = m.instance(child, 'add0'); // @L:inst
    i.connect('a', m.input('x', u(8)));
    m.output('o', u(9)).set(i.out('y'));
    const e = only(m);
    expect(e.message).to.equal('instance add0 of adder: input b (u8) is not connected');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('inst')));
  });

  it('an instance connection of another shape, and an unknown port name', () => {
    const child = new ModuleBuilder('inv');
    child.output('y', u(8)).set(child.input('a', u(8)).not());
    const m = new ModuleBuilder('top_inv');
    const i = m.instance(child, 'inv0');
    i.connect('a', m.input('x', u(7))); // @L:conn
    m.output('o', u(8)).set(i.out('y'));
    const e = only(m);
    expect(e.message).to.equal(
      'cannot assign u7 to input a of instance inv0 (u8): shapes must be identical',
    );
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('conn')));
    const bad = thrown(() => i.out('z')); // @L:port
    expect(bad.message).to.equal('instance inv0: inv has no output named z');
    expect(bad.hint).to.equal('its outputs are: y');
    expect(bad.loc).to.satisfy((l: string) => l.startsWith(at('port')));
  });

  it('two different modules with the same name are an error; identical ones are shared', () => {
    const make = (w: number): ModuleBuilder => {
      const c = new ModuleBuilder('same_name'); // @L:sameName
      c.output('y', u(w)).set(c.input('a', u(w)));
      return c;
    };
    const ok = new ModuleBuilder('ok_top');
    const i0 = ok.instance(make(4), 'i0');
    const i1 = ok.instance(make(4), 'i1');
    i0.connect('a', ok.input('a', u(4)));
    i1.connect('a', i0.out('y'));
    ok.output('o', u(4)).set(i1.out('y'));
    expect(elaborate(ok).modules.map((d) => d.name)).to.deep.equal(['same_name', 'ok_top']);

    const bad = new ModuleBuilder('bad_top');
    const j0 = bad.instance(make(4), 'j0');
    const j1 = bad.instance(make(5), 'j1');
    j0.connect('a', bad.input('a', u(4)));
    j1.connect('a', bad.input('b', u(5)));
    bad.output('o', u(4)).set(j0.out('y'));
    bad.output('p', u(5)).set(j1.out('y'));
    const e = only(bad);
    expect(e.kind).to.equal('name');
    expect(e.message).to.equal('two different modules are named same_name');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('sameName')));
    expect(e.notes[0]).to.satisfy((n: string) =>
      n.startsWith(`the other one was created at ${at('sameName')}`),
    );
  });

  it('values of one module cannot be used in another', () => {
    const m1 = new ModuleBuilder('m1');
    const m2 = new ModuleBuilder('m2');
    const a = m1.input('a', u(4));
    const b = m2.input('b', u(4));
    expect(thrown(() => a.add(b)).message).to.equal(
      'add: operands belong to different modules (m1 and m2)',
    );
    m2.output('o', u(4)).set(a); // @L:cross
    const e = only(m2);
    expect(e.message).to.equal('output o (module m2) is assigned a value of module m1');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('cross')));
  });

  it('memory writes check data and enable shapes', () => {
    const m = new ModuleBuilder('memerr');
    const mem = m.mem('rf', { width: 8, depth: 4 });
    mem.write(m.input('wa', u(2)), m.input('wd', u(7)), m.input('we', u(1))); // @L:memw
    m.output('q', u(8)).set(mem.read(m.input('ra', u(2))));
    const e = only(m);
    expect(e.message).to.equal(
      'cannot assign u7 to the data of mem rf write port 0 (u8): shapes must be identical',
    );
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('memw')));
    expect(thrown(() => mem.read(m.input('sa', s(2)))).message).to.equal(
      'mem rf: the read address must be unsigned; got s2',
    );
  });

  it('collects every problem of every module before throwing', () => {
    const child = new ModuleBuilder('bad_child');
    child.output('y', u(1));
    const m = new ModuleBuilder('bad_parent');
    m.instance(child, 'c');
    m.wire('w', u(1));
    m.reg('r', u(1));
    const es = problems(m);
    expect(es.map((e) => e.message)).to.deep.equal([
      'output y of module bad_child is never driven',
      'wire w of module bad_parent is never driven',
      'reg r of module bad_parent has no next value',
    ]);
    const all = thrown(() => elaborate(m));
    expect(all.message).to.equal('3 problems found');
    expect(
      all
        .format()
        .split('\n')
        .filter((l) => l.includes('error[driver]')),
    ).to.have.length(3);
  });

  it('an instance whose child is not a ModuleBuilder is a usage error at the instance', () => {
    // InstanceHandle is public and takes any { name, ports }; only m.instance() checks the child.
    const m = new ModuleBuilder('hand_made');
    m.instances.push(new InstanceHandle(m, { name: 'fake', ports: [] }, 'f0')); // @L:fakeInst
    const e = thrown(() => elaborate(m));
    expect(e.kind).to.equal('usage');
    expect(e.message).to.equal(
      'instance f0 of fake in module hand_made: the instantiated module is not a ModuleBuilder',
    );
    expect(e.hint).to.equal('create instances with hand_made.instance(childBuilder, name)');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('fakeInst')));
  });

  it('findModule of a name the netlist lacks names the modules it has, at the caller', () => {
    const c = new ModuleBuilder('leaf');
    c.output('y', u(1)).set(c.input('a', u(1)));
    const nl = elaborate(c);
    expect(findModule(nl, 'leaf').name).to.equal('leaf');
    const e = thrown(() => findModule(nl, 'leef')); // @L:findModule
    expect(e.kind).to.equal('name');
    expect(e.message).to.equal('the netlist of leaf has no module named leef');
    expect(e.hint).to.equal('its modules are: leaf');
    expect(e.loc).to.satisfy((l: string) => l.startsWith(at('findModule')));
  });

  it('MXGEN_SRCLOC=0 (setSrcLocCapture(false)) turns locations off', () => {
    setSrcLocCapture(false);
    try {
      const m = new ModuleBuilder('noloc');
      const e = thrown(() => m.input('a', s(8)).add(m.input('b', u(8))));
      expect(e.loc).to.equal(undefined);
      expect(e.format()).to.match(/^error\[shape\]: cannot add s8 and u8/);
    } finally {
      setSrcLocCapture(true);
    }
  });
});
