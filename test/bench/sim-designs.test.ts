// The sim-designs bench module (scripts/bench/sim-designs.ts) at a tiny size: one design, 2 000
// cycles, the O1 build only, no warm-up. It throws when native and Verilator disagree on the last
// cycle's outputs; here it must produce one well-formed record. Speed itself is never asserted.
import { expect } from 'chai';
import { one } from '../../scripts/bench/sim-designs.js';

describe('bench: sim-designs', () => {
  it('replays a recorded design run natively and in Verilator and records ratios', async () => {
    const r = await one('default', { cycles: 2000, opts: ['O1'], warmupMs: 0, tensors: 2 });
    expect(r.name).to.equal('sim-design.default');
    for (const k of ['nativeCps', 'verilatorCps', 'ratio', 'firstResultRatio', 'nativeStreamCps'])
      expect(r[k], k).to.be.a('number').and.to.be.greaterThan(0);
    expect(r.cycles).to.equal(2000);
    expect(r.nativeBeatsVsGolden).to.be.a('number').and.to.be.greaterThan(0);
    expect(r.nativeMismatches).to.equal(0);
    // 2 000 cycles take well under MIN_TIMED_MS: more timed runs than REPS (3), at most 40.
    expect(r.timedRuns).to.be.a('number').and.to.be.within(4, 40);
  });
});
