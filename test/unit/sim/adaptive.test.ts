// The run-time choice between a model's two forms (src/sim/adaptive.ts) under a fake clock: the
// decisions of the documented algorithm (header of adaptive.ts) for given per-cycle costs.
// Traces: one entry per step, the form that ran it (T tracked, P plain) and its cycles (window 4).
// Derived by hand from the algorithm as documented: each form first runs alone, untimed, until
// `warmMs` of clock passed since it began (tracked, then plain; the window that crosses it is the
// last); then blocks: 3 untimed windows of the other form (12 cycles), 1 timed (the probe, 4), 1
// untimed window of the chosen form and 1 timed (the reference), then `rest` windows of the
// chosen one, rest = k in the k-th block (block size 7 windows, one more after each pair,
// at most 64: rest at most 58 = 232 cycles). From the 5th pair on the forms switch when the
// other form's decayed sum (weight 0.95 per pair) is below 0.97 times the chosen one's; a switch
// at the end of a reference makes that block's rest run the newly chosen form.
import { expect } from 'chai';
import { CALIBRATION_WINDOW, FormChooser, PROBE_WINDOWS, WARM_MS, cpuNow } from '../../../src/sim/adaptive.js';

function drive(
  cost: (tracked: boolean, cycle: number, inForm: number) => number,
  cycles: number,
  warmMs = 8,
  start = { t: 0, form: true },
): string {
  let t = start.t;
  let form = start.form;
  const ran = { T: 0, P: 0 };
  const c = new FormChooser((on) => (form = on), 4, () => t, warmMs);
  const trace: string[] = [];
  for (let done = 0; done < cycles; ) {
    const n = c.next();
    const f = form ? 'T' : 'P';
    trace.push(`${f}${n}`);
    for (let i = 0; i < n; i++) t += cost(form, done + i, ran[f]++);
    done += n;
  }
  return trace.join(' ');
}

/** The cycles of a trace (to drive exactly that many). */
const total = (trace: string): number => trace.split(' ').reduce((a, x) => a + Number(x.slice(1)), 0);

/** Blocks 1..k with the tracked form chosen throughout. */
const stayBlocks = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `P12 P4 T4 T4 T${4 * (from + i)}`).join(' ');

describe('sim: adaptive form choice (fake clock)', () => {
  it('warm-up: tracked alone, then plain alone, each until warmMs passed; a short run stays tracked', () => {
    // Equal costs 1 per cycle, warmMs 8: two windows each.
    expect(drive(() => 1, 16)).to.equal('T4 T4 P4 P4');
    expect(drive(() => 1, 8)).to.equal('T4 T4');
    // Tracked 2 per cycle: one window of it reaches 8; plain needs two.
    expect(drive((tr) => (tr ? 2 : 1), 12)).to.equal('T4 P4 P4');
    expect(PROBE_WINDOWS).to.equal(4);
  });

  it('warm-up starts at the first next(): tracked on, timed from the clock then (not from 0)', () => {
    // A clock already at 1000 and the plain form set: the same trace as from 0 with tracked set.
    expect(drive(() => 1, 16, 8, { t: 1000, form: false })).to.equal('T4 T4 P4 P4');
  });

  it('after the warm-up the blocks start at once, even when a block is shorter than warmMs', () => {
    // warmMs 100 at cost 1: 25 windows of each form alone, then the first block (12 + 4 + 4 + 4
    // + 4 cycles, less than warmMs) with no further untimed window.
    const want = `${'T4 '.repeat(25)}${'P4 '.repeat(25)}${stayBlocks(1, 2)}`;
    expect(drive(() => 1, total(want), 100)).to.equal(want);
  });

  it('plain twice as fast: switches to plain at the 5th pair (its rest already plain), then probes tracked', () => {
    const want = `T4 P4 P4 ${stayBlocks(1, 4)} P12 P4 T4 T4 P20 T12 T4 P4 P4 P24 T12 T4 P4 P4 P28`;
    expect(drive((tr) => (tr ? 2 : 1), total(want))).to.equal(want);
  });

  it('tracked faster, or both equal: stays tracked', () => {
    const fast = `T4 T4 P4 ${stayBlocks(1, 7)}`;
    expect(drive((tr) => (tr ? 1 : 2), total(fast))).to.equal(fast);
    const equal = `T4 T4 P4 P4 ${stayBlocks(1, 7)}`;
    expect(drive(() => 1, total(equal))).to.equal(equal);
  });

  it('the margin: 2 % faster does not switch, 4 % faster does', () => {
    const stay = `T4 P4 P4 ${stayBlocks(1, 5)}`;
    expect(drive((tr) => (tr ? 2 : 1.96), total(stay))).to.equal(stay);
    const go = `T4 P4 P4 ${stayBlocks(1, 4)} P12 P4 T4 T4 P20`;
    expect(drive((tr) => (tr ? 2 : 1.92), total(go))).to.equal(go);
  });

  it('blocks grow to 64 windows: 58 untimed windows of the chosen form after each pair', () => {
    const t = drive(() => 1, 30_000).split(' ');
    expect(t.slice(-5).join(' ')).to.equal('P12 P4 T4 T4 T232');
    expect(t.some((x) => Number(x.slice(1)) > 232)).to.equal(false);
    expect(t.filter((x) => x === 'T232').length).to.be.greaterThan(10);
  });

  it('a form slow only while V8 compiles it (its first 40 cycles 10x) is still chosen when faster', () => {
    // Plain costs 10 per cycle for its first 40 cycles, then 1; tracked always 2. Timing one
    // window right after a switch, or before the form ran alone, would count the compile.
    const t = drive((tr, _c, inForm) => (tr ? 2 : inForm < 40 ? 10 : 1), 2000, 100).split(' ');
    expect(t.slice(-1)[0]?.startsWith('P')).to.equal(true);
    expect(t.filter((x) => x.startsWith('P')).length).to.be.greaterThan(t.length / 2);
  });

  it('a phase change (plain slower from cycle 400): back to tracked', () => {
    const t = drive((tr, c) => (tr ? 2 : c < 400 ? 1 : 3), 4000).split(' ');
    expect(t.slice(0, 28).join(' ')).to.equal(
      `T4 P4 P4 ${stayBlocks(1, 4)} P12 P4 T4 T4 P20`,
    );
    expect(t.slice(-1)[0]?.startsWith('T')).to.equal(true);
  });

  it('the defaults: 256-cycle windows, 150 ms of CPU per form before timing', () => {
    let t = 0;
    const c = new FormChooser(() => {}, undefined, () => t++);
    expect(CALIBRATION_WINDOW).to.equal(256);
    expect(WARM_MS).to.equal(150);
    expect([c.next(), c.next(), c.next()]).to.deep.equal([256, 256, 256]);
  });

  it('the clock is the process CPU time in ms (user + system)', () => {
    const a = process.cpuUsage();
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    const t = cpuNow();
    const b = process.cpuUsage();
    expect(x).to.be.greaterThan(0);
    expect(t).to.be.at.least((a.user + a.system) / 1000);
    expect(t).to.be.at.most((b.user + b.system) / 1000);
  });
});
