// Evaluation skips the chunks of generated code whose inputs (input ports, register outputs,
// memories, values of earlier chunks) did not change since they last ran. With small chunks a
// design has many of them; every observable value must equal the model that runs everything.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile, generateSource, type Simulator } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng } from './random-netlist.js';

/** Two counters (one enabled by `en`), a wide accumulator, a memory written and read. */
function design(): ReturnType<typeof netlist> {
  const k = new Kit('act');
  const en = k.input('en', 1);
  const x = k.input('x', 70);
  const wa = k.input('wa', 3);
  const we = k.input('we', 1);
  const ra = k.input('ra', 3);
  const c1 = k.reg('c1', 8, 0n);
  k.next(c1, k.cell('add', 8, [c1, k.lit(1n, 8)]));
  const c2 = k.reg('c2', 12, 5n, en);
  k.next(c2, k.cell('add', 12, [c2, k.lit(3n, 12)]));
  const acc = k.reg('acc', 70, null, en);
  k.next(acc, k.cell('xor', 70, [k.cell('add', 70, [acc, x]), k.cell('zext', 70, [c2])]));
  const [rd] = k.mem('m', 70, 6, [ra], [{ addr: wa, data: acc, en: we }]);
  const idle = k.cell('mul', 70, [rd as number, k.cell('zext', 70, [c2])]);
  k.output('c1_o', c1);
  k.output('c2_o', c2);
  k.output('acc_o', acc);
  k.output('rd_o', rd as number);
  k.output('idle_o', idle);
  k.output('eq_o', k.cell('eq', 1, [idle, acc]));
  return netlist(k.def());
}

const OUTS = ['c1_o', 'c2_o', 'acc_o', 'rd_o', 'idle_o', 'eq_o'];

/**
 * Enabled registers whose next value is computed under their enable (guardedCones): `hold`'s
 * cone reads a memory (its chunk wakes when the memory is written), `a`'s cone reads `e` twice
 * while `e` is also `b`'s enable (so `e` stays outside the cone), and `c`'s enable is a loose
 * one-bit value (`~ci`, tested `& 1`).
 */
function cones(): ReturnType<typeof netlist> {
  const k = new Kit('cones');
  const wa = k.input('wa', 2);
  const wd = k.input('wd', 8);
  const we = k.input('we', 1);
  const ra = k.input('ra', 2);
  const en = k.input('en', 1);
  const [rd] = k.mem('m', 8, 4, [ra], [{ addr: wa, data: wd, en: we }]);
  const hold = k.reg('hold', 8, 0n, en);
  k.next(hold, k.cell('add', 8, [rd as number, k.lit(1n, 8)]));
  const e = k.cell('xor', 1, [k.input('e1', 1), k.input('e2', 1)]);
  const a = k.reg('a', 8, 0n, k.input('ena', 1));
  k.next(a, k.cell('add', 8, [a, k.cell('add', 8, [k.cell('zext', 8, [e]), k.cell('zext', 8, [k.cell('not', 1, [e])])])]));
  const b = k.reg('b', 8, 0n, e);
  k.next(b, wd);
  const c = k.reg('c', 8, 0n, k.cell('not', 1, [k.input('ci', 1)]));
  k.next(c, k.cell('add', 8, [c, k.lit(3n, 8)]));
  for (const [name, net] of [['hold', hold], ['a', a], ['b', b], ['c', c]] as const) k.output(`${name}_o`, net);
  return netlist(k.def());
}

describe('sim: activity (chunks skipped while their inputs are unchanged)', () => {
  it('small chunks skip evaluation and agree with the model that runs every chunk', () => {
    const a = compile(design(), { chunkSize: 1, activity: true });
    const b = compile(design());
    // Both forms, switched every 1-2 cycles (the run-time choice between them).
    const c = compile(design(), { chunkSize: 1, calibrationWindow: 1 });
    const e = compile(design(), { chunkSize: 1, calibrationWindow: 2 });
    expect(a.source).to.match(/if \(D\[\d+\] === 1\)/);
    expect(b.source).to.not.match(/if \(D\[\d+\] === 1\)/);
    expect(c.source).to.not.match(/if \(D\[\d+\] === 1\)/);
    let x = 99;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const both = (f: (s: Simulator) => void): void => [a, b, c, e].forEach(f);
    for (let t = 0; t < 400; t++) {
      const r = rnd();
      // Long stretches with unchanged inputs, so most chunks sleep.
      if (t % 37 < 5) {
        both((s) => s.poke('en', r & 1));
        both((s) => s.poke('x', BigInt(r) * 0x1234567n));
        both((s) => s.poke('wa', (r >>> 3) & 7));
        both((s) => s.poke('we', (r >>> 6) & 1));
      }
      if (t % 11 === 0) both((s) => s.poke('ra', (r >>> 9) & 7));
      if (t === 150) both((s) => s.reset(2));
      if (t === 220) both((s) => s.pokeMem('m', 2, 12345n));
      if (t === 300) both((s) => s.clearState());
      const want = OUTS.map((p) => b.peek(p));
      for (const s of [a, c, e]) expect(OUTS.map((p) => s.peek(p)), `cycle ${t}`).to.deep.equal(want);
      both((s) => s.step(1));
    }
  });

  it('register cones: a memory write wakes a cone reading it; an enable read by a cone stays outside it', () => {
    const nl = cones();
    // And with every cone in functions of its own (coneTokens 0): called under the enable,
    // reading the memory and the outside values from storage (in one chunk, c's loose enable
    // is a local).
    for (const opts of [
      { chunkSize: 1, activity: true },
      { activity: false },
      { chunkSize: 1, activity: true, coneTokens: 0 },
      { activity: false, coneTokens: 0, plainTokens: 2 },
      { activity: false, coneTokens: 0 },
    ]) {
      const sim = compile(nl, { signals: false, ...opts });
      const ref = new NetlistInterpreter(nl);
      const r = new Rng(5);
      sim.reset();
      ref.reset();
      let last: Record<string, number> = {};
      for (let t = 0; t < 120; t++) {
        // The read address and the enable held for stretches: only the memory write changes.
        const v: Record<string, number> = {
          wa: r.int(4),
          wd: r.int(256),
          we: r.int(2),
          ra: Math.floor(t / 30),
          en: Number(t % 40 < 35),
          e1: r.int(2),
          e2: r.int(2),
          ena: r.int(2),
          ci: r.int(2),
        };
        // Only the inputs that change are poked (a poke wakes the readers of every input).
        for (const [p, x] of Object.entries(v)) {
          if (t > 0 && last[p] === x) continue;
          sim.poke(p, x);
          ref.poke(p, BigInt(x));
        }
        last = v;
        for (const p of ['hold_o', 'a_o', 'b_o', 'c_o']) expect(sim.peek(p), `${p} at cycle ${t} (${JSON.stringify(opts)})`).to.equal(ref.peek(p));
        sim.step();
        ref.step();
      }
    }
    // runWords wakes only the readers of the ports that changed: with the read address and the
    // enable held, only the memory write (commit) can wake the chunk of `hold`'s cone.
    const tracked = compile(nl, { signals: false, chunkSize: 1, activity: true });
    const plain = compile(nl, { signals: false, activity: false });
    const per = 1 + tracked.wordCount('in');
    const cycles = 80;
    const words = new Uint32Array(cycles * per);
    const r = new Rng(6);
    // Ports in order: wa, wd, we, ra, en, e1, e2, ena, ci (rst first).
    for (let c = 0; c < cycles; c++) words.set([Number(c < 2), r.int(4), r.int(256), r.int(2), 2, 1, 0, 0, 0, 0], c * per);
    const outs = [tracked, plain].map((s) => {
      const o = new Uint32Array(cycles * s.wordCount('out'));
      s.runWords(words, cycles, o, true);
      return [...o];
    });
    expect(outs[0]).to.deep.equal(outs[1]);
  });

  it('runWords, runVectors and step(n) cut into calibration windows give every cycle as one run', () => {
    const one = compile(design());
    const sims = [1, 3, 7].map((w) => compile(design(), { chunkSize: 1, calibrationWindow: w }));
    const per = 1 + one.wordCount('in');
    const cycles = 300;
    const words = new Uint32Array(cycles * per);
    let x = 7;
    for (let i = 0; i < words.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      // rst rarely, inputs held for stretches of 9 cycles.
      words[i] = i % per === 0 ? Number(x % 61 === 0) : Math.floor(i / per / 9) * 0x9e3779b1 + (i % per) * 77;
    }
    const outW = one.wordCount('out');
    const want = new Uint32Array(cycles * outW);
    one.runWords(words, cycles, want, true);
    for (const s of sims) {
      const got = new Uint32Array(cycles * outW);
      s.runWords(words, cycles, got, true);
      expect([...got]).to.deep.equal([...want]);
      const last = new Uint32Array(outW);
      s.clearState();
      s.runWords(words, cycles, last);
      expect([...last]).to.deep.equal([...want.subarray((cycles - 1) * outW)]);
      // step(n) over calibration windows, then runVectors (narrow ports only), as one model does.
      for (const m of [s, one]) {
        m.clearState();
        m.poke('en', 1);
        m.poke('x', 0x123456789n);
        m.step(37);
        m.runVectors(new Uint32Array(5 * 40).map((_, i) => (i * 2654435761) >>> 0), 40);
      }
      expect(OUTS.map((p) => s.peek(p))).to.deep.equal(OUTS.map((p) => one.peek(p)));
    }
  });
  it('single steps, pokes and peeks between cycle loops run the form the last loop chose, with its change flags', () => {
    // calibrationWindow 1 and no warm-up: the chooser switches forms on a fixed schedule for
    // its first 35 windows (1 plain, then blocks of 4 plain and 3, 4, 5, 6 tracked; timing decides
    // after that), so each model runs at most 34 cycles and the loops end on either form; what
    // follows them (step(), pokeFast, pokeMem, peek) must agree with the plain model.
    let one = compile(design());
    let s = compile(design(), { chunkSize: 1, calibrationWindow: 1 });
    const both = (f: (m: Simulator) => void): void => [s, one].forEach(f);
    const handles = (): number[] => [s, one].map((m) => m.inputHandle('en'));
    let hs = handles();
    const per = 1 + one.wordCount('in');
    let x = 5;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let t = 0; t < 400; t++) {
      const r = rnd();
      if (s.cycle > 28) {
        one = compile(design());
        s = compile(design(), { chunkSize: 1, calibrationWindow: 1 });
        hs = handles();
      }
      const op = (r >>> 20) % 10;
      if (op === 0) both((m) => m.step(1 + (r % 3)));
      else if (op === 2) [s, one].forEach((m, i) => m.pokeFast(hs[i] as number, r & 1));
      else if (op === 4) {
        both((m) => m.poke('x', BigInt(r) * 0x1234567n));
        both((m) => m.poke('ra', (r >>> 9) & 7));
      } else if (op === 5) {
        const v = new Uint32Array(4 * 3).map((_, i) => (i * 2654435761 + r) >>> 0);
        const n = 1 + (r % 3);
        const outs = [s, one].map((m) => {
          const o = new Uint32Array(4 * n);
          m.runVectors(v, n, o);
          return [...o];
        });
        expect(outs[0], `op ${t}`).to.deep.equal(outs[1]);
      } else if (op === 7) {
        const w = new Uint32Array(2 * per).map((_, i) => (i % per === 0 ? 0 : (i * 77 + r) >>> 0));
        const every = r % 2 === 0;
        const outs = [s, one].map((m) => {
          const o = new Uint32Array(m.wordCount('out') * (every ? 2 : 1));
          m.runWords(w, 2, o, every);
          return [...o];
        });
        expect(outs[0], `op ${t}`).to.deep.equal(outs[1]);
      } else if (op === 8) {
        // A peek settles the cycle (by the chosen form), the step commits what it evaluated
        // (c2 counts when en = 1), and a loop evaluates by the chosen form from there.
        [s, one].forEach((m, i) => m.pokeFast(hs[i] as number, r & 1));
        expect(s.peek('idle_o'), `op ${t}`).to.equal(one.peek('idle_o'));
        both((m) => m.step());
        both((m) => m.step(2));
      } else if (op === 9 && r % 4 === 0) both((m) => m.pokeMem('m', r % 6, BigInt(r)));
      else both((m) => m.step());
      if (r % 8 === 0) expect(OUTS.map((p) => s.peek(p)), `op ${t}`).to.deep.equal(OUTS.map((p) => one.peek(p)));
    }
  });
  it('generateSource: a model of two forms carries and dumps both (MXGEN_SIM_DUMP); one of one form has no trackedSource', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-dump-'));
    const before = process.env.MXGEN_SIM_DUMP;
    process.env.MXGEN_SIM_DUMP = dir;
    try {
      const two = generateSource(design(), { chunkSize: 1 });
      expect(two.trackedSource).to.be.a('string');
      expect(readFileSync(join(dir, 'act.js'), 'utf8')).to.equal(two.source);
      expect(readFileSync(join(dir, 'act.tracked.js'), 'utf8')).to.equal(two.trackedSource);
      rmSync(join(dir, 'act.tracked.js'));
      const one = generateSource(design());
      expect('trackedSource' in one).to.equal(false);
      expect(existsSync(join(dir, 'act.tracked.js'))).to.equal(false);
    } finally {
      if (before === undefined) delete process.env.MXGEN_SIM_DUMP;
      else process.env.MXGEN_SIM_DUMP = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('a runWords on the tracked form leaves the change flags of the inputs it wrote for the next single step', () => {
    // Fixed schedule (calibrationWindow 1, no warm-up): cycles 0-4 plain, 5-7 tracked. en = 0
    // until the runWords of cycle 6 sets it: the tracked form must then rerun c2's next value.
    const one = compile(design());
    const s = compile(design(), { chunkSize: 1, calibrationWindow: 1 });
    const per = 1 + one.wordCount('in');
    for (const m of [s, one]) {
      m.poke('en', 0);
      m.step(6);
      m.step();
      const w = new Uint32Array(per);
      w[1] = 1; // en
      m.runWords(w, 1);
      m.step();
    }
    expect(OUTS.map((p) => s.peek(p))).to.deep.equal(OUTS.map((p) => one.peek(p)));
  });
  it('a loop on the plain form after plain single steps runs every chunk (the plain form keeps no change flags)', () => {
    // Fixed schedule: cycles 0-4 plain, 5-7 tracked, 8-11 plain. c2 stands still (en = 0) on the
    // tracked cycles, then counts on the plain single step of cycle 9 and the loop of cycle 10.
    for (const loop of ['runVectors', 'runWords'] as const) {
      const one = compile(design());
      const s = compile(design(), { chunkSize: 1, calibrationWindow: 1 });
      const per = 1 + one.wordCount('in');
      for (const m of [s, one]) {
        m.poke('en', 0);
        m.step(9);
        m.poke('en', 1);
        m.step();
        if (loop === 'runVectors') m.runVectors(Uint32Array.of(1, 0, 0, 0), 1);
        else m.runWords(new Uint32Array(per).fill(1, 1, 2), 1);
      }
      expect(OUTS.map((p) => s.peek(p)), loop).to.deep.equal(OUTS.map((p) => one.peek(p)));
    }
  });
});
