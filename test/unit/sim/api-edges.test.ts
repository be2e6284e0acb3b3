// Simulator API edges (src/sim/simulator.ts): value conversion at the range ends, word packing,
// handles, memories, observers, step/reset counts, runWords/runVectors buffers, and every usage
// error with its message and hint. Expected values are worked out by hand in the comments.
import { expect } from 'chai';
import { compile, fromWords, toBits, toWords, type CycleObserver } from '../../../src/sim/index.js';
import { thrown } from '../../support/mxgen-error.js';
import { Kit, netlist } from './kit.js';

/** q counts +1 per cycle from init 2 (4 bits); o = q; k = constant 5; w = {a, a} (40 bits); n = a. */
function counter(): ReturnType<typeof netlist> {
  const k = new Kit('ctr');
  const a = k.input('a', 20);
  const q = k.reg('q', 4, 2n);
  k.next(q, k.cell('add', 4, [q, k.lit(1n, 4)]));
  k.output('o', q);
  k.output('k', k.lit(5n, 4));
  k.output('w', k.cell('concat', 40, [a, a]));
  k.output('n', k.cell('slice', 4, [a], { lo: 0 }));
  return netlist(k.def(true));
}

/** A 4-word register file m (8 bits, write port wa/wd/we, read port ra) and a 40-bit one mw. */
function regfile(): ReturnType<typeof netlist> {
  const k = new Kit('rf');
  const ra = k.input('ra', 2);
  const wa = k.input('wa', 2);
  const wd = k.input('wd', 8);
  const we = k.input('we', 1);
  const [rd] = k.mem('m', 8, 4, [ra], [{ addr: wa, data: wd, en: we }]);
  const [rw] = k.mem('mw', 40, 4, [ra], []);
  k.output('rd', rd as number);
  k.output('rw', rw as number);
  return netlist(k.def(true));
}

describe('sim: API edges', () => {
  it('toBits: [-2^(w-1), 2^w) accepted, two’s complement out; beyond, and unsafe numbers, refused', () => {
    expect(toBits(-8, 4, 'p')).to.equal(8n);
    expect(toBits(-1n, 4, 'p')).to.equal(15n);
    expect(toBits(15, 4, 'p')).to.equal(15n);
    expect(toBits(2 ** 53 - 1, 60, 'p')).to.equal(2n ** 53n - 1n);
    const hi = thrown(() => toBits(16, 4, 'p'));
    expect([hi.kind, hi.message, hi.hint]).to.deep.equal(['usage', 'value 16 does not fit p (4 bits)', 'use a value in [-8, 15]']);
    expect(thrown(() => toBits(-9, 4, 'p')).message).to.equal('value -9 does not fit p (4 bits)');
    const big = thrown(() => toBits(2 ** 53, 60, 'p'));
    expect([big.message, big.hint]).to.deep.equal(['value 9007199254740992 for p is not a safe integer', 'pass a bigint for values beyond 2^53']);
    expect(thrown(() => toBits(1.5, 4, 'p')).message).to.equal('value 1.5 for p is not a safe integer');
  });

  it('toWords / fromWords: least significant word first, at an offset', () => {
    const a = new Uint32Array(5);
    toWords(a, 1, 3, 0x1_00000002_00000003n);
    expect([...a]).to.deep.equal([0, 3, 2, 1, 0]);
    expect(fromWords(a, 1, 3)).to.equal(0x1_00000002_00000003n);
    expect(fromWords(a, 1, 2)).to.equal(0x2_00000003n);
    expect(fromWords(a, 2, 1)).to.equal(2n);
  });

  it('peek, peekSigned, peek("rst"), handles on a constant, a register and a narrow output', () => {
    const sim = compile(counter());
    sim.poke('a', 0xabcde);
    expect(sim.peek('w')).to.equal(0xabcde_abcden & ((1n << 40n) - 1n));
    expect(sim.peek('n')).to.equal(0xen);
    expect(sim.peekSigned('n')).to.equal(-2n);
    expect(sim.peekSigned('k')).to.equal(5n);
    expect(sim.peek('rst')).to.equal(0n);
    sim.poke('rst', 1);
    expect(sim.peek('rst')).to.equal(1n);
    expect(sim.resetting).to.equal(1);
    sim.step();
    sim.poke('rst', 0);
    const hk = sim.outputHandle('k');
    const ho = sim.outputHandle('o');
    const hn = sim.outputHandle('n');
    expect([hk, ho, hn]).to.deep.equal([0, 1, 2]);
    expect([sim.peekFast(hk), sim.peekFast(ho), sim.peekFast(hn)]).to.deep.equal([5, 2, 14]);
    sim.step(3);
    expect([sim.peekFast(hk), sim.peekFast(ho)]).to.deep.equal([5, 5]);
    const wide = thrown(() => sim.outputHandle('w'));
    expect([wide.kind, wide.message, wide.hint]).to.deep.equal(['name', 'ctr has no port w of at most 32 bits', 'use peek for wider ports']);
    expect(thrown(() => sim.outputHandle('zz')).message).to.equal('ctr has no port zz of at most 32 bits');
    const bad = thrown(() => sim.peekFast(3));
    expect([bad.kind, bad.message, bad.hint]).to.deep.equal(['usage', 'output handle 3 does not exist', 'get handles from outputHandle(port)']);
  });

  it('input handles and poke errors name the port and list the inputs', () => {
    const t = new Kit('t_add');
    const ta = t.input('a', 8);
    const tb = t.input('b', 40);
    t.output('y', t.cell('add', 8, [ta, t.cell('slice', 8, [tb], { lo: 0 })]));
    const sim = compile(netlist(t.def(false)));
    expect(sim.inputHandle('a')).to.equal(0);
    const w = thrown(() => sim.inputHandle('b'));
    expect([w.kind, w.message, w.hint]).to.deep.equal(['name', 't_add has no input port b of at most 32 bits', 'use poke for wider ports']);
    for (const h of [1, -1, 5]) {
      const e = thrown(() => sim.pokeFast(h, 0));
      expect([e.kind, e.message, e.hint]).to.deep.equal(['usage', `input handle ${h} does not exist`, 'get handles from inputHandle(port)']);
    }
    const out = thrown(() => sim.poke('y', 1));
    expect([out.kind, out.message, out.hint]).to.deep.equal(['name', 't_add has no input port y', 'inputs: a, b']);
    const k = new Kit('none');
    k.output('y', k.lit(1n, 1));
    expect(thrown(() => compile(netlist(k.def(false))).poke('x', 1)).hint).to.equal('inputs: none');
    expect(thrown(() => compile(netlist(k.def(false))).peek('x')).hint).to.equal('ports: y');
    // A number that does not fit takes the checked path and is refused with the port's name.
    expect(thrown(() => sim.poke('a', 256)).message).to.equal('value 256 does not fit a (8 bits)');
    sim.poke('a', -1);
    sim.poke('b', 2n ** 40n - 1n);
    expect(sim.peek('y')).to.equal(0xfen);
  });

  it('step(0) does nothing; step(n) after a peek commits the evaluated cycle once; reset(n) counts n cycles', () => {
    const sim = compile(counter());
    sim.step(0);
    expect([sim.cycle, sim.peek('o')]).to.deep.equal([0, 0n]);
    sim.reset(3);
    expect([sim.cycle, sim.peek('o'), sim.resetting]).to.deep.equal([3, 2n, 0]);
    sim.step(4); // not dirty after the peek: 2 -> 6
    expect([sim.cycle, sim.peek('o')]).to.deep.equal([7, 6n]);
    sim.step(1);
    sim.step(2);
    expect([sim.cycle, sim.peek('o')]).to.deep.equal([10, 9n]);
    for (const n of [-1, 1.5, Number.NaN]) expect(thrown(() => sim.step(n)).message).to.equal(`step count must be a non-negative integer; got ${n}`);
  });

  it('observers sample every cycle with its number until removed; removing an unknown one keeps the rest', () => {
    const sim = compile(counter());
    const seen: string[] = [];
    const obs = (tag: string): CycleObserver => ({ sample: (c) => seen.push(`${tag}${c}:${sim.peek('o')}`) });
    const a = obs('a');
    const b = obs('b');
    sim.addObserver(a);
    sim.addObserver(b);
    sim.reset(1);
    sim.step(2);
    sim.removeObserver(obs('x'));
    sim.removeObserver(a);
    sim.step(1);
    sim.removeObserver(b);
    sim.step(1);
    expect(seen).to.deep.equal(['a0:0', 'b0:0', 'a1:2', 'b1:2', 'a2:3', 'b2:3', 'b3:4']);
    sim.addObserver(a);
    const v = thrown(() => sim.runVectors(new Uint32Array(1), 1));
    expect([v.message, v.hint]).to.deep.equal(['runVectors does not feed observers such as VcdWriter', 'use poke and step while recording']);
    const w = thrown(() => sim.runWords(new Uint32Array(2), 1));
    expect([w.message, w.hint]).to.deep.equal(['runWords does not feed observers such as VcdWriter', 'use poke and step while recording']);
  });

  it('runWords: every cycle’s outputs with every, the last cycle’s without; rst from the last word; buffer errors', () => {
    const sim = compile(counter());
    // Per cycle: rst, a (20 bits: one word). Outputs per cycle: o, k, w (2 words), n = 5 words.
    expect([sim.wordCount('in'), sim.wordCount('out')]).to.deep.equal([1, 5]);
    const words = Uint32Array.from([1, 7, 0, 0x12345, 0, 3, 1, 9]);
    const every = new Uint32Array(20);
    sim.runWords(words, 4, every, true);
    // Cycle 0 in reset (q = 0 before the edge), then q = 2, 3, 4 (cycle 3 is in reset again).
    expect([...every]).to.deep.equal([
      ...[0, 5, 7 | (7 << 20), 7 >>> 12, 7],
      ...[2, 5, (0x12345 | (0x12345 << 20)) >>> 0, 0x12345 >>> 12, 5],
      ...[3, 5, 3 | (3 << 20), 0, 3],
      ...[4, 5, 9 | (9 << 20), 9 >>> 12, 9],
    ]);
    expect([sim.cycle, sim.resetting, sim.peek('o')]).to.deep.equal([4, 1, 2n]);
    const last = new Uint32Array(5);
    sim.runWords(Uint32Array.from([0, 1, 0, 2]), 2, last);
    expect([...last]).to.deep.equal([3, 5, 2 | (2 << 20), 0, 2]);
    expect([sim.cycle, sim.resetting]).to.deep.equal([6, 0]);
    sim.runWords(new Uint32Array(0), 0);
    expect(sim.cycle).to.equal(6);
    const room = thrown(() => sim.runWords(words, 4, new Uint32Array(19), true));
    expect([room.kind, room.message]).to.deep.equal(['usage', 'runWords needs room for 20 output words; got 19']);
    expect(thrown(() => sim.runWords(words, 4, undefined, true)).message).to.equal('runWords needs room for 20 output words; got 0');
    expect(thrown(() => sim.runWords(words, 1, new Uint32Array(4))).message).to.equal('runWords needs room for 5 output words; got 4');
    expect(thrown(() => sim.runWords(words, 5)).message).to.equal('runWords needs 2 words per cycle for 5 cycles; got 8');
    expect(thrown(() => sim.runWords(words, -1)).message).to.equal('runWords needs 2 words per cycle for -1 cycles; got 8');
    expect(thrown(() => sim.runWords(words, 0.5)).message).to.equal('runWords needs 2 words per cycle for 0.5 cycles; got 8');
  });

  it('runVectors: one word per narrow input, narrow outputs per cycle; buffer errors', () => {
    const sim = compile(counter());
    sim.reset(1);
    const out = new Uint32Array(9);
    // Narrow outputs: o, k, n (w is wide); inputs: a.
    sim.runVectors(Uint32Array.from([0x10, 0x21, 0x32]), 3, out);
    expect([...out]).to.deep.equal([2, 5, 0, 3, 5, 1, 4, 5, 2]);
    expect(sim.cycle).to.equal(4);
    expect(thrown(() => sim.runVectors(new Uint32Array(3), 3, new Uint32Array(8))).message).to.equal('runVectors needs room for 3 output words per cycle; got 8');
    expect(thrown(() => sim.runVectors(new Uint32Array(3), -1)).message).to.equal('runVectors needs 1 input words per cycle for -1 cycles; got 3');
  });

  it('memories: peekMem/pokeMem (narrow and 40-bit words), address and name errors, clearState', () => {
    const sim = compile(regfile());
    sim.pokeMem('m', 3, 0xab);
    sim.pokeMem('m', 0, -1);
    sim.pokeMem('mw', 2, 0xff_00000001n);
    expect([sim.peekMem('m', 3), sim.peekMem('m', 0), sim.peekMem('mw', 2), sim.peekMem('mw', 1)]).to.deep.equal([0xabn, 0xffn, 0xff_00000001n, 0n]);
    sim.poke('ra', 2);
    expect(sim.peek('rw')).to.equal(0xff_00000001n);
    sim.poke('ra', 3);
    expect(sim.peek('rd')).to.equal(0xabn);
    for (const addr of [4, -1, 1.5]) {
      const e = thrown(() => sim.peekMem('m', addr));
      expect([e.kind, e.message]).to.deep.equal(['usage', `address ${addr} is outside memory m (depth 4)`]);
    }
    const n = thrown(() => sim.pokeMem('q', 0, 1));
    expect([n.kind, n.message, n.hint]).to.deep.equal(['name', 'rf has no memory q', 'memories: m, mw']);
    expect(thrown(() => sim.pokeMem('m', 1, 256)).message).to.equal('value 256 does not fit m[1] (8 bits)');
    sim.poke('wa', 1);
    sim.poke('wd', 0x5a);
    sim.poke('we', 1);
    sim.step();
    expect(sim.peekMem('m', 1)).to.equal(0x5an);
    sim.clearState();
    expect([sim.peekMem('m', 1), sim.peekMem('m', 3), sim.peekMem('mw', 2), sim.peek('rd')]).to.deep.equal([0n, 0n, 0n, 0n]);
  });

  it('loadMem: the image must match the memory’s width and depth, words must fit', () => {
    const sim = compile(regfile());
    sim.loadMem('mw', { width: 40, words: [1n, 2n ** 40n - 1n, 3n, 4n] });
    expect(sim.peekMem('mw', 1)).to.equal(2n ** 40n - 1n);
    sim.poke('ra', 1);
    expect(sim.peek('rw')).to.equal(2n ** 40n - 1n);
    const shape = thrown(() => sim.loadMem('m', { width: 8, words: [1n, 2n, 3n] }));
    expect([shape.kind, shape.message, shape.hint]).to.deep.equal([
      'usage',
      'the image: 3 words of 8 bits; memory m has depth 4 and width 8',
      'generate the image for this memory shape',
    ]);
    expect(thrown(() => sim.loadMem('m', { width: 7, words: [1n, 2n, 3n, 4n] })).message).to.equal(
      'the image: 4 words of 7 bits; memory m has depth 4 and width 8',
    );
    expect(thrown(() => sim.loadMem('m', { width: 8, words: [1n, 256n, 3n, 4n] })).message).to.equal('the image: word 1 (256) does not fit 8 bits');
    expect(thrown(() => sim.loadMem('m', { width: 8, words: [1n, -1n, 3n, 4n] })).message).to.equal('the image: word 1 (-1) does not fit 8 bits');
    // A word that is no bigint (a JavaScript caller's number) is refused, not truncated to 1.
    const notBig = { width: 8, words: [1n, 1.5, 3n, 4n] as unknown as bigint[] };
    expect(thrown(() => sim.loadMem('m', notBig)).message).to.equal('the image: word 1 (1.5) does not fit 8 bits');
    const none = thrown(() => sim.loadMem('x', { width: 8, words: [] }));
    expect([none.kind, none.message, none.hint]).to.deep.equal(['name', 'rf has no memory x', 'memories: m, mw']);
  });
});

/** o = q + 1 (q counts +1 per cycle from 0, 4 bits): a combinational output of the state. */
function incr(): ReturnType<typeof netlist> {
  const k = new Kit('inc');
  const a = k.input('a', 32);
  const q = k.reg('q', 4, 0n);
  k.next(q, k.cell('add', 4, [q, k.lit(1n, 4)]));
  k.output('o', k.cell('add', 4, [q, k.lit(1n, 4)]));
  k.output('y', a);
  return netlist(k.def(true));
}

describe('sim: API edges (each cycle loop and memory write leaves the logic to settle again)', () => {
  it('the first peek evaluates; peeks after runVectors, runWords, step(n), pokeMem and loadMem see the new state', () => {
    const sim = compile(incr());
    expect(sim.peek('o')).to.equal(1n); // q = 0 at construction: not a stale 0 from storage
    sim.runVectors(Uint32Array.from([0, 0]), 2);
    expect(sim.peek('o')).to.equal(3n);
    sim.runVectors(new Uint32Array(0), 0); // zero cycles are allowed
    sim.runWords(Uint32Array.from([0, 0, 0, 0, 0, 0]), 3);
    expect(sim.peek('o')).to.equal(6n);
    sim.step(3);
    expect([sim.cycle, sim.peek('o')]).to.deep.equal([8, 9n]);
    // step(0) after a peek commits nothing.
    sim.step(0);
    expect([sim.cycle, sim.peek('o')]).to.deep.equal([8, 9n]);
    const rf = compile(regfile());
    rf.poke('ra', 3);
    expect(rf.peek('rd')).to.equal(0n);
    rf.pokeMem('m', 3, 0x12);
    expect(rf.peek('rd')).to.equal(0x12n);
    rf.loadMem('m', { width: 8, words: [0n, 2n, 3n, 4n] }); // 0 fits (the lower bound is 0 itself)
    expect(rf.peek('rd')).to.equal(4n);
  });

  it('runWords(…, 0) keeps rst; a 32-bit input refuses 2^32 and 1.5 on the fast path too', () => {
    const sim = compile(incr());
    sim.runWords(Uint32Array.from([1, 0]), 1);
    expect(sim.resetting).to.equal(1);
    sim.runWords(new Uint32Array(0), 0);
    expect(sim.resetting).to.equal(1);
    const big = thrown(() => sim.poke('a', 2 ** 32));
    expect([big.kind, big.message]).to.deep.equal(['usage', 'value 4294967296 does not fit a (32 bits)']);
    expect(thrown(() => sim.poke('a', 1.5)).message).to.equal('value 1.5 for a is not a safe integer');
    sim.poke('a', -1);
    expect(sim.peek('y')).to.equal(0xffffffffn);
    sim.poke('a', 0xffffffff);
    expect(sim.peek('y')).to.equal(0xffffffffn);
  });

  it('rst on a design without an rst port: poke, peek, peekSigned and its range', () => {
    const t = new Kit('t_comb');
    t.output('y', t.input('a', 8));
    const sim = compile(netlist(t.def(false)));
    sim.poke('rst', 1);
    expect([sim.peek('rst'), sim.peekSigned('rst'), sim.resetting]).to.deep.equal([1n, -1n, 1]);
    const e = thrown(() => sim.poke('rst', 2));
    expect([e.kind, e.message]).to.deep.equal(['usage', 'value 2 does not fit rst (1 bits)']);
    const p = thrown(() => sim.peekSigned('zz'));
    expect([p.kind, p.message]).to.deep.equal(['name', 't_comb has no port zz']);
  });

  it('rst as a real input port: poke and peek reach the port, not the simulator’s own reset', () => {
    const t = new Kit('t_rst');
    t.output('y', t.input('rst', 1));
    const sim = compile(netlist(t.def(false)));
    // A bigint takes the checked path (the fast path is for numbers): it writes the port.
    sim.poke('rst', 1n);
    expect([sim.peek('rst'), sim.peek('y'), sim.resetting]).to.deep.equal([1n, 1n, 0]);
    sim.poke('rst', 0n);
    expect([sim.peek('rst'), sim.peek('y'), sim.resetting]).to.deep.equal([0n, 0n, 0]);
    const e = thrown(() => sim.poke('rst', 2n));
    expect([e.kind, e.message]).to.deep.equal(['usage', 'value 2 does not fit rst (1 bits)']);
  });

  it('error kinds and hints: unknown port, signal and memory; usage errors of the cycle loops, step and images', () => {
    const sim = compile(counter());
    const np = new Kit('np'); // no ports at all
    np.next(np.reg('q', 4, 0n), np.lit(1n, 4));
    expect(thrown(() => compile(netlist(np.def(true))).peek('x')).hint).to.equal('ports: none');
    const port = thrown(() => sim.peek('zz'));
    expect([port.kind, port.message, port.hint]).to.deep.equal(['name', 'ctr has no port zz', 'ports: a, o, k, w, n']);
    expect(thrown(() => sim.peekSignal('zz')).kind).to.equal('name');
    const mem = thrown(() => sim.peekMem('x', 0));
    expect([mem.kind, mem.hint]).to.deep.equal(['name', 'memories: none']);
    expect(thrown(() => sim.loadMem('x', { width: 1, words: [] })).hint).to.equal('memories: none');
    expect(thrown(() => sim.runVectors(new Uint32Array(0), 1)).kind).to.equal('usage');
    expect(thrown(() => sim.runVectors(new Uint32Array(1), 1, new Uint32Array(0))).kind).to.equal('usage');
    expect(thrown(() => sim.runWords(new Uint32Array(0), 1)).kind).to.equal('usage');
    expect(thrown(() => sim.step(-1)).kind).to.equal('usage');
    expect(thrown(() => toBits(0.5, 4, 'p')).kind).to.equal('usage');
    const rf = compile(regfile());
    expect(thrown(() => rf.loadMem('m', { width: 8, words: [1n, 256n, 3n, 4n] })).kind).to.equal('usage');
    sim.addObserver({ sample: () => undefined });
    expect(thrown(() => sim.runVectors(new Uint32Array(1), 1)).kind).to.equal('usage');
    expect(thrown(() => sim.runWords(new Uint32Array(2), 1)).kind).to.equal('usage');
  });
});
