// The run-time choice between a model's two forms (src/sim/adaptive.ts) under a fake clock: the
// decisions of the documented algorithm (header of adaptive.ts) for given per-cycle costs.
// Traces: one entry per window, the form that ran it (T tracked, P plain) and its cycles.
// Derived by hand from the algorithm as documented, window = 4 cycles: a block is the chosen
// form's rest (untimed, 1 window, doubling after each counted pair up to 64), its reference
// window (timed), 2 windows of the other form (untimed warm-up) and its probe window (timed).
// 4 pairs are not counted (warm-up); from the 4th counted pair on the forms switch when the
// median of the latest 9 counted probe / reference ratios is below 0.97 (the ratios are inverted
// at a switch: they then compare the new chosen form with the old one).
import { expect } from 'chai';
import { CALIBRATION_WINDOW, FormChooser, cpuNow } from '../../../src/sim/adaptive.js';

function drive(cost: (tracked: boolean, cycle: number) => number, cycles: number, window = 4): string {
  let t = 0;
  let form = true;
  const c = new FormChooser((on) => (form = on), window, () => t);
  const trace: string[] = [];
  for (let done = 0; done < cycles; ) {
    const n = c.next();
    trace.push(`${form ? 'T' : 'P'}${n}`);
    t += n * cost(form, done);
    done += n;
  }
  return trace.join(' ');
}

const BLOCK1 = 'T4 T4 P8 P4';
const WARM = [BLOCK1, BLOCK1, BLOCK1, BLOCK1].join(' ');
/** Counted pairs 1-4 with tracked chosen (the rest doubles after each). */
const GROW = 'T4 T4 P8 P4 T8 T4 P8 P4 T16 T4 P8 P4 T32 T4 P8 P4';

describe('sim: adaptive form choice (fake clock)', () => {
  it('plain twice as fast: switches to plain at the 4th counted pair, then probes tracked once a block', () => {
    expect(drive((tr) => (tr ? 2 : 1), 700)).to.equal(
      `${WARM} ${GROW} P64 P4 T8 T4 P128 P4 T8 T4 P256 P4 T8 T4`,
    );
  });

  it('tracked faster, or both equal: stays tracked', () => {
    const stay = `${WARM} ${GROW} T64 T4 P8 P4 T128 T4 P8 P4`;
    expect(drive((tr) => (tr ? 1 : 2), 428)).to.equal(stay);
    expect(drive(() => 1, 428)).to.equal(stay);
  });

  it('the margin: 2 % faster does not switch, 4 % faster does', () => {
    expect(drive((tr) => (tr ? 100 : 98), 428)).to.equal(`${WARM} ${GROW} T64 T4 P8 P4 T128 T4 P8 P4`);
    expect(drive((tr) => (tr ? 100 : 96), 428)).to.equal(`${WARM} ${GROW} P64 P4 T8 T4 P128 P4 T8 T4`);
  });

  it('the rest grows to 64 windows', () => {
    const t = drive(() => 1, 3000);
    expect(t).to.include(`${GROW} T64 T4 P8 P4 T128 T4 P8 P4 T256 T4 P8 P4 T256 T4 P8 P4`);
    expect(t.split(' ').filter((x) => Number(x.slice(1)) > 256)).to.have.length(0);
  });

  it('a window 100x slow (V8 compiling, another process) is one vote: no switch', () => {
    let probes = 0;
    const cost = (tr: boolean): number => (tr ? 1 : 2);
    let t = 0;
    let form = true;
    const c = new FormChooser((on) => (form = on), 4, () => t);
    const trace: string[] = [];
    for (let done = 0; done < 3000; ) {
      const n = c.next();
      trace.push(`${form ? 'T' : 'P'}${n}`);
      // every 3rd reference window of the tracked form (its 4-cycle timed window) 100x slow
      const slow = form && n === 4 && trace.at(-2)?.startsWith('T') === true && ++probes % 3 === 0;
      t += n * cost(form) * (slow ? 100 : 1);
      done += n;
    }
    expect(trace.filter((x) => x.startsWith('P') && x !== 'P8' && x !== 'P4')).to.have.length(0);
  });

  it('a phase change (plain slower from cycle 1000): back to tracked after 5 pairs (the median of 9)', () => {
    const tr = drive((t, c) => (t ? 2 : c < 1000 ? 1 : 3), 4000).split(' ');
    // Plain chosen at the 8th pair (as above), then blocks P<rest> P4 T8 T4.
    expect(tr.slice(0, 36).join(' ')).to.equal(`${WARM} ${GROW} P64 P4 T8 T4`);
    // The block that crosses cycle 1000 (its rest started before: reference and probe after) and
    // the 4 after it are plain: 5 pairs with tracked faster (2 / 3) replace 5 of the ring's 9
    // (4 inverted 1 / 0.5 and 4 plain-faster 2 / 1), and the median flips at the 5th.
    let done = 0;
    let k = 0;
    for (; done < 1000; k++) done += Number((tr[k] as string).slice(1));
    const blocks: string[] = [];
    for (let j = k - 1; j < tr.length; j += 4) blocks.push(tr.slice(j, j + 4).join(' '));
    expect(blocks.slice(0, 7)).to.deep.equal([
      ...Array(5).fill('P256 P4 T8 T4'),
      'T256 T4 P8 P4',
      'T256 T4 P8 P4',
    ]);
  });

  it('the default window is CALIBRATION_WINDOW (256 cycles)', () => {
    let t = 0;
    const c = new FormChooser(() => {}, undefined, () => t++);
    expect(CALIBRATION_WINDOW).to.equal(256);
    expect([c.next(), c.next(), c.next(), c.next()]).to.deep.equal([256, 256, 512, 256]);
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
