// The run-time choice between a model's two forms (src/sim/adaptive.ts) under a fake clock: the
// decisions of the documented algorithm (header of adaptive.ts) for given per-cycle costs.
// Traces: one entry per step, the form that ran it (T tracked, P plain) and its cycles (window 4).
// Derived by hand from the algorithm as documented (with groups of one window but in the test of
// the default group): each form first runs alone, every window timed (tracked, then plain), until `warmMs` of clock passed since it began and no window was
// 3 % faster than its best before for `warmMs` or half the time from its start to its last such
// gain, whichever is longer (or maxWarmMs passed); the form with the faster best window is chosen
// (tracked unless plain's is below 0.97 times it). Then blocks: 3 untimed windows of the other
// form (12 cycles), 1 timed (the probe, 4), 3 untimed of the chosen form and 1 timed (the
// reference), then the rest of the block the chosen one (blocks of 9 windows, doubled after each
// pair, at most 128: rests of 1, 10, 28, 64, 120, 120, ... windows). Each pair gives
// tracked's time over plain's; from the 3rd pair on the forms switch when the median of the last
// 8 such ratios is above 1 / 0.97 (tracked chosen) or below 0.97 (plain chosen); a switch at the
// end of a reference makes that block's rest run the newly chosen form.
import { expect } from 'chai';
import {
  CALIBRATION_WINDOW,
  FormChooser,
  MAX_BLOCK,
  MAX_WARM_MS,
  PROBE_WINDOWS,
  RECENT,
  WARM_GROUP,
  WARM_MS,
  cpuNow,
  median,
} from '../../../src/sim/adaptive.js';

function drive(
  cost: (tracked: boolean, cycle: number, inForm: number) => number,
  cycles: number,
  warmMs = 8,
  start = { t: 0, form: true },
  maxWarmMs?: number,
  group = 1,
): string {
  let t = start.t;
  let form = start.form;
  const ran = { T: 0, P: 0 };
  const c = new FormChooser((on) => (form = on), 4, () => t, warmMs, maxWarmMs, group);
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

/** Cycles of the untimed rest of the k-th block (from 1): blocks of 9, 18, 36, 72, 128, 128, ... windows. */
const rest = (k: number): number => 4 * (Math.min(MAX_BLOCK, 9 * 2 ** (k - 1)) - 8);

/** Blocks from..to with one form chosen throughout (T: tracked). */
const blocks = (chosen: 'T' | 'P', from: number, to: number): string => {
  const o = chosen === 'T' ? 'P' : 'T';
  return Array.from({ length: to - from + 1 }, (_, i) => `${o}12 ${o}4 ${chosen}12 ${chosen}4 ${chosen}${rest(from + i)}`).join(' ');
};
const stayBlocks = (from: number, to: number): string => blocks('T', from, to);

describe('sim: adaptive form choice (fake clock)', () => {
  it('warm-up: each form alone until warmMs passed with no gain in the last warmMs; equal forms: tracked', () => {
    // Cost 1 per cycle, warmMs 8: the first window is a gain (4), the forms end at 12 cycles.
    const want = `T4 T4 T4 P4 P4 P4 ${stayBlocks(1, 4)}`;
    expect(drive(() => 1, total(want))).to.equal(want);
    // A short run stays tracked.
    expect(drive(() => 1, 8)).to.equal('T4 T4');
    expect(PROBE_WINDOWS).to.equal(4);
  });

  it('warm-up starts at the first next(): tracked on, timed from the clock then (not from 0)', () => {
    // A clock already at 1000 and the plain form set: the same trace as from 0 with tracked set.
    expect(drive(() => 1, 24, 8, { t: 1000, form: false })).to.equal('T4 T4 T4 P4 P4 P4');
  });

  it('a form still getting faster (V8 compiling it) stays in its warm-up until it stops', () => {
    // Tracked's k-th window costs 10 - k per cycle for k < 9, then 1: every window is a gain
    // up to the 10th (cost 1 after 2), which ends at 4 * (10 + 9 + ... + 2) + 4 = 220; then it
    // needs max(warmMs, 220 / 2) = 110 without a gain: 28 more windows of 4. Plain costs 2.
    const cost = (tr: boolean, _c: number, inForm: number): number => (tr ? Math.max(1, 10 - (inForm >> 2)) : 2);
    const want = `${'T4 '.repeat(38)}P4 P4 ${stayBlocks(1, 3)}`;
    expect(drive(cost, total(want))).to.equal(want);
    // The same costs judged after a fixed 40 of clock would have taken tracked for the slower.
    // A window of exactly 0.97 times the best (97 after 100; 0.97 * 100 is 97 in doubles) is no
    // gain: tracked's warm-up ends after it (97 >= max(8, 100 / 2) since the last gain).
    expect(0.97 * 100).to.equal(97);
    const exact = (tr: boolean, _c: number, inForm: number): number => (tr ? (inForm < 4 ? 25 : 24.25) : 2);
    expect(drive(exact, 16)).to.equal('T4 T4 P4 P4');
  });

  it('the warm-up ends after maxWarmMs even while the form still gets faster', () => {
    // Every tracked window 5 % faster than the one before, forever; maxWarmMs 50: two windows
    // (40, then 38: 78 >= 50), then plain (2 per cycle, two windows) and the choice.
    const cost = (tr: boolean, _c: number, inForm: number): number => (tr ? 10 * 0.95 ** (inForm >> 2) : 2);
    expect(drive(cost, 16, 8, { t: 0, form: true }, 50)).to.equal('T4 T4 P4 P4');
    // Reaching maxWarmMs exactly ends it too: windows of 40 and 20 (both gains), 60 = maxWarmMs.
    const halving = (tr: boolean, _c: number, inForm: number): number => (tr ? 10 / 2 ** (inForm >> 2) : 2);
    expect(drive(halving, 16, 8, { t: 0, form: true }, 60)).to.equal('T4 T4 P4 P4');
  });

  it('the warm-up measures groups of WARM_GROUP (16) windows: their mean, not the fastest window', () => {
    // Tracked's even windows take 1 (an idle phase) from the start; its odd ones 30, 20, 10 in
    // groups 0, 1, 2 (V8 compiling), then 2. The fastest window is 1 from the first group on;
    // only the group means show the gains: 15.5, 10.5, 5.5, 1.5 (group 3 ends at 248 + 168 +
    // 88 + 24 = 528), then max(8, 528 / 2) = 264 without a gain: 11 more groups of 24.
    // Plain costs 2 per cycle: a gain at its first group (128), then one more group.
    const cost = (tr: boolean, _c: number, inForm: number): number => {
      if (!tr) return 2;
      const k = inForm >> 2;
      return (k % 2 === 0 ? 1 : ([30, 20, 10][k >> 4] ?? 2)) / 4;
    };
    const want = `${'T4 '.repeat(16 * 15)}${'P4 '.repeat(32)}${stayBlocks(1, 1)}`;
    expect(drive(cost, total(want), 8, { t: 0, form: true }, undefined, 16)).to.equal(want);
    expect(WARM_GROUP).to.equal(16);
  });

  it('settled: false while the forms warm up, true once the choice is made', () => {
    let t = 0;
    const c = new FormChooser(() => {}, 4, () => t, 8, undefined, 1);
    const seen: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      seen.push(c.settled);
      c.next();
      t += 4;
    }
    // Windows: T T T (3 nexts), P P P (3 more), then the 7th next() chooses.
    expect(seen).to.deep.equal([false, false, false, false, false, false, false, true]);
  });

  it('after the warm-up the blocks start at once, even when a block is shorter than warmMs', () => {
    // warmMs 100 at cost 1: the last gain is the first window (4), so 26 windows of each form
    // alone (104 - 4 >= 100), then the first block (12 + 4 + 4 + 4 + 4 cycles, less than warmMs).
    const want = `${'T4 '.repeat(26)}${'P4 '.repeat(26)}${stayBlocks(1, 2)}`;
    expect(drive(() => 1, total(want), 100)).to.equal(want);
  });

  it('plain twice as fast: chosen at the end of the warm-up, tracked probed in every block', () => {
    const want = `T4 T4 P4 P4 P4 ${blocks('P', 1, 4)}`;
    expect(drive((tr) => (tr ? 2 : 1), total(want))).to.equal(want);
  });

  it('tracked faster: stays tracked', () => {
    const fast = `T4 T4 T4 P4 P4 ${stayBlocks(1, 7)}`;
    expect(drive((tr) => (tr ? 1 : 2), total(fast))).to.equal(fast);
  });

  it('the margin: 1.6 % faster does not switch, 3.1 % faster does', () => {
    // Costs exact in binary: tracked 2 per cycle, plain 1.96875 (0.984 of it) or 1.9375 (0.969);
    // plain's warm-up takes three windows of 7.75-7.875 (its last gain at the first, 8 after it).
    const stay = `T4 T4 P4 P4 P4 ${stayBlocks(1, 5)}`;
    expect(drive((tr) => (tr ? 2 : 1.96875), total(stay))).to.equal(stay);
    const go = `T4 T4 P4 P4 P4 ${blocks('P', 1, 5)}`;
    expect(drive((tr) => (tr ? 2 : 1.9375), total(go))).to.equal(go);
  });

  it('a phase change switches once the median of the ratios turns; that block\'s rest runs the new form', () => {
    // Tracked 1 per cycle until cycle 100, then 3; plain always 2. Tracked is chosen; the
    // references of blocks 1-2 (cycles 48..51, 84..87) give ratios 0.5, those of blocks 3-5
    // (from cycle 124 on) 1.5: the median of [0.5, 0.5, 1.5, 1.5, 1.5] is 1.5, so block 5's
    // reference switches and its rest already runs plain.
    const want = `T4 T4 T4 P4 P4 ${stayBlocks(1, 4)} P12 P4 T12 T4 P${rest(5)} ${blocks('P', 6, 6)}`;
    expect(drive((tr, c) => (tr ? (c < 100 ? 1 : 3) : 2), total(want))).to.equal(want);
  });

  it('the first switch comes at the FIRST_PAIRS-th (3rd) pair, not before, not after', () => {
    // Tracked 1 per cycle in its warm-up (cycles 0..11), 3 from the first block on; plain 2:
    // every pair says 1.5, and the 3rd one switches (block 3's rest runs plain).
    const want = `T4 T4 T4 P4 P4 ${stayBlocks(1, 2)} P12 P4 T12 T4 P${rest(3)} ${blocks('P', 4, 4)}`;
    expect(drive((tr, c) => (tr ? (c < 20 ? 1 : 3) : 2), total(want))).to.equal(want);
  });

  it('the median is of the last RECENT (8) ratios: older ones are forgotten, the 8th is kept', () => {
    // Tracked 1 per cycle (ratio 0.5) for blocks 1-10 (up to cycle 20 + 3612), then 3 (ratio
    // 1.5); plain 2. After pair 14 the last 8 are [0.5 x4, 1.5 x4]: median 1, no switch; pair
    // 15 makes it [0.5 x3, 1.5 x5]: median 1.5, switch. (The last 7 would switch at pair 14;
    // all the ratios at pair 21.)
    const want = `T4 T4 T4 P4 P4 ${stayBlocks(1, 14)} P12 P4 T12 T4 P${rest(15)} ${blocks('P', 16, 16)}`;
    const c0 = 20 + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].reduce((a, k) => a + 32 + rest(k), 0);
    expect(c0).to.equal(3632);
    expect(drive((tr, c) => (tr ? (c < c0 ? 1 : 3) : 2), total(want))).to.equal(want);
  });

  it('the margin at exact equality: a median of exactly 0.97 (or 1 / 0.97) does not switch', () => {
    // Plain chosen (tracked 200 per cycle in its warm-up, plain 100), then tracked 97: the
    // ratio 388 / 400 is the double 0.97 itself. Units of 2^40 make the 1 us offset vanish
    // (below half an ulp); warmMs 0: each form's warm-up is two windows.
    const u = 2 ** 40;
    expect([(388 * u + 1e-3) / (400 * u + 1e-3), 388 * u + 1e-3 === 388 * u]).to.deep.equal([0.97, true]);
    const plain = `T4 T4 P4 P4 ${blocks('P', 1, 4)}`;
    const cost = (tr: boolean, c: number): number => u * (tr ? (c < 16 ? 200 : 97) : 100);
    expect(drive(cost, total(plain), 0, { t: 0, form: true }, Infinity)).to.equal(plain);
    // Tracked chosen (both forms cB per cycle in the warm-up), then tracked cA: the ratio
    // (4 cA + 1e-3) / (4 cB + 1e-3) is the double m with m * 0.97 === 1 (found by search; costs
    // multiples of 2^-52 and a clock in [1, 2), so every window's time is exact).
    const cA = 6547034190724 * 2 ** -52;
    const cB = 6316846167797 * 2 ** -52;
    expect(((4 * cA + 1e-3) / (4 * cB + 1e-3)) * 0.97).to.equal(1);
    const tracked = `T4 T4 P4 P4 ${stayBlocks(1, 3)}`;
    expect(1 + total(tracked) * cA).to.be.below(2);
    expect(drive((tr, c) => (tr && c >= 16 ? cA : cB), total(tracked), 0, { t: 1, form: true })).to.equal(tracked);
  });

  it('the 1 us added to each window: 0 ms against 2^-10 ms is a ratio of ~2, 0 against 0 of 1', () => {
    // Tracked 2^-10 per window throughout, plain 1 per cycle in its warm-up (tracked chosen),
    // then 0: each pair gives (2^-10 + 1e-3) / 1e-3 = 1.98, so the 3rd pair switches to plain.
    const toPlain = `T4 T4 P4 P4 ${stayBlocks(1, 2)} P12 P4 T12 T4 P${rest(3)} ${blocks('P', 4, 4)}`;
    const cost = (tr: boolean, c: number): number => (tr ? 2 ** -12 : c < 16 ? 1 : 0);
    expect(drive(cost, total(toPlain), 0)).to.equal(toPlain);
    // Plain chosen (tracked 2, plain 1 in the warm-up), then both 0: ratio 1, plain stays.
    const stay = `T4 T4 P4 P4 ${blocks('P', 1, 4)}`;
    expect(drive((tr, c) => (c < 16 ? (tr ? 2 : 1) : 0), total(stay), 0)).to.equal(stay);
  });

  it('blocks double up to MAX_BLOCK (128) windows: 120 untimed windows of the chosen form after each pair', () => {
    expect([1, 2, 3, 4, 5, 6].map(rest)).to.deep.equal([4, 40, 112, 256, 480, 480]);
    const t = drive(() => 1, 30_000).split(' ');
    expect(t.slice(-5).join(' ')).to.equal('P12 P4 T12 T4 T480');
    expect(t.some((x) => Number(x.slice(1)) > 480)).to.equal(false);
    expect(t.filter((x) => x === 'T480').length).to.be.greaterThan(10);
    expect(MAX_BLOCK).to.equal(128);
  });

  it('a form slow only while V8 compiles it (its first 40 cycles 10x) is still chosen when faster', () => {
    // Plain costs 10 per cycle for its first 40 cycles, then 1; tracked always 2.
    const t = drive((tr, _c, inForm) => (tr ? 2 : inForm < 40 ? 10 : 1), 2000, 100).split(' ');
    expect(t.slice(-1)[0]?.startsWith('P')).to.equal(true);
    // Most cycles ran plain.
    expect(total(t.filter((x) => x.startsWith('P')).join(' '))).to.be.greaterThan(1000);
  });

  it('one slow window (the machine busy) does not flip the choice; a phase change does', () => {
    // Tracked 1 per cycle except block 2's reference (cycles 84..87) 10x slower: the median
    // of the ratios [0.5, 5, 0.5, ...] ignores it.
    const spike = drive((tr, c) => (tr ? (c >= 84 && c < 88 ? 10 : 1) : 2), 400).split(' ');
    expect(spike.filter((x) => x.startsWith('P')).every((x) => x === 'P12' || x === 'P4')).to.equal(true);
    // Plain faster until cycle 400, then slower: back to tracked within RECENT (8) pairs.
    const phase = drive((tr, c) => (tr ? 2 : c < 400 ? 1 : 3), 8000).split(' ');
    expect(phase.slice(0, 10).join(' ')).to.equal(`T4 T4 P4 P4 P4 ${blocks('P', 1, 1)}`);
    expect(phase.slice(-1)[0]?.startsWith('T')).to.equal(true);
    expect(RECENT).to.equal(8);
  });

  it('windows faster than the clock (0 ms) give ratio 1: no switch, no NaN; the median', () => {
    // warmMs 0: each form's warm-up ends after its first window.
    const want = `T4 P4 ${stayBlocks(1, 6)}`;
    expect(drive(() => 0, total(want), 0)).to.equal(want);
    expect([median([3]), median([4, 1]), median([5, 1, 3]), median([9, 1, 2, 8])]).to.deep.equal([3, 2.5, 3, 5]);
  });

  it('the defaults: 256-cycle windows, 300 ms of warm-up per form at least, 8 s at most', () => {
    let t = 0;
    const c = new FormChooser(() => {}, undefined, () => t++);
    expect(CALIBRATION_WINDOW).to.equal(256);
    expect(WARM_MS).to.equal(300);
    expect(MAX_WARM_MS).to.equal(8000);
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
