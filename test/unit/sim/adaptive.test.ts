// The run-time choice between a model's two forms (src/sim/adaptive.ts) under a fake clock: the
// decisions of the documented algorithm (header of adaptive.ts) for given per-cycle costs.
// Traces: one entry per window, the form that ran it (T tracked, P plain) and its cycles.
// Derived from the algorithm as documented, by hand for the first blocks: 4 probe/reference
// pairs of one window each are not counted (warm-up); from the 5th pair on each pair adds one
// untimed window to the block (block - 2 windows after the pair), capped at 32 windows (30 untimed);
// the forms may switch from the 9th pair on, when the other form's decayed sum (weight 0.95 per
// pair) is below 0.97 times the chosen one's. The phase-change trace was worked out with a
// separate model of those rules (not this code).
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

const WARM = 'P4 T4 P4 T4 P4 T4 P4 T4';
const GROW = 'P4 T4 T4 P4 T4 T8 P4 T4 T12 P4 T4 T16';

describe('sim: adaptive form choice (fake clock)', () => {
  it('plain twice as fast: switches to plain at the 9th pair, then probes tracked once a block', () => {
    expect(drive((tr) => (tr ? 2 : 1), 400)).to.equal(
      `${WARM} ${GROW} P4 T4 P20 T4 P4 P24 T4 P4 P28 T4 P4 P32 T4 P4 P36 T4 P4 P40 T4 P4 P44 T4 P4 P48`,
    );
  });

  it('tracked faster, or both equal: stays tracked', () => {
    const stay = `${WARM} ${GROW} P4 T4 T20 P4 T4 T24 P4 T4 T28`;
    expect(drive((tr) => (tr ? 1 : 2), 200)).to.equal(stay);
    expect(drive(() => 1, 200)).to.equal(stay);
  });

  it('the margin: 2 % faster does not switch, 4 % faster does', () => {
    expect(drive((tr) => (tr ? 100 : 98), 200)).to.equal(`${WARM} ${GROW} P4 T4 T20 P4 T4 T24 P4 T4 T28`);
    expect(drive((tr) => (tr ? 100 : 96), 200)).to.equal(`${WARM} ${GROW} P4 T4 P20 T4 P4 P24 T4 P4 P28`);
  });

  it('blocks grow to 32 windows: 30 untimed windows after each pair', () => {
    const t = drive(() => 1, 2300).split(' ');
    expect(t.slice(-12).join(' ')).to.equal('P4 T4 T116 P4 T4 T120 P4 T4 T120 P4 T4 T120');
    expect(t.filter((x) => x === 'T120')).to.have.length(3);
  });

  it('a phase change (plain slower from cycle 200): back to tracked after 13 more pairs (the decayed history)', () => {
    expect(drive((tr, c) => (tr ? 2 : c < 200 ? 1 : 3), 1200)).to.equal(
      `${WARM} ${GROW} P4 T4 P20 T4 P4 P24 T4 P4 P28 T4 P4 P32 T4 P4 P36 T4 P4 P40 T4 P4 P44 T4 P4 P48 ` +
        'T4 P4 T52 P4 T4 T56 P4 T4 T60 P4 T4 T64 P4 T4 T68 P4 T4 T72 P4 T4 T76 P4 T4 T80 P4 T4 T84 P4 T4 T88',
    );
  });

  it('the default window is CALIBRATION_WINDOW (256 cycles)', () => {
    let t = 0;
    const c = new FormChooser(() => {}, undefined, () => t++);
    expect(CALIBRATION_WINDOW).to.equal(256);
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
