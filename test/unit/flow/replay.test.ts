// src/flow/replay.ts `replaySets`, the one Verilator replay of the flow and of the component
// harness (test/support/component-harness.ts): designs side by side in one build, a shorter
// recording idles after its end, and that idle tail is compared too; a difference that shows
// only in the tail is found.
import { expect } from 'chai';
import { emitSv } from '../../../src/emit/sv/index.js';
import { cycleMismatches, replaySets } from '../../../src/flow/replay.js';
import { elaborate, ModuleBuilder, mux, u } from '../../../src/hdl/index.js';
import { compile, runStream } from '../../../src/sim/index.js';

/** A pass-through stream plus a free-running cycle count `out_t`; `skew` adds 1 from cycle 40. */
function passThrough(name: string, skew = false): ModuleBuilder {
  const m = new ModuleBuilder(name);
  const v = m.input('in_valid', u(1));
  const x = m.input('in_x', u(8));
  const r = m.input('out_ready', u(1));
  m.output('in_ready', u(1)).set(r);
  m.output('out_valid', u(1)).set(v);
  m.output('out_y', u(8)).set(x);
  const t = m.reg('t', u(8), { init: 0 });
  t.next(t.addWrap(1));
  m.output('out_t', u(8)).set(skew ? mux(t.lt(40), t, t.addWrap(1)) : t);
  return m;
}

function record(name: string, beats: number) {
  const nl = elaborate(passThrough(name));
  const inBeats = Array.from({ length: beats }, (_, i) => ({ x: BigInt(i & 0xff) }));
  const run = runStream(compile(nl), inBeats, {
    inFields: ['x'],
    outFields: ['y'],
    expectedOutBeats: beats,
    idleProbability: 0,
    stallProbability: 0,
    seed: 1,
  });
  expect(run.outBeats.map((b) => b.y)).to.deep.equal(inBeats.map((b) => b.x));
  return { nl, run };
}

describe('flow: replaySets (one build, vector sets, idle tails compared)', function () {
  this.timeout(15 * 60_000);
  const a = record('replay_a', 10);
  const b = record('replay_b', 60);

  it('the shorter recording is compared over the whole set, its idle tail included', async () => {
    const [set] = await replaySets(
      [
        { netlist: a.nl, sv: emitSv(a.nl) },
        { netlist: b.nl, sv: emitSv(b.nl) },
      ],
      [[a.run, b.run]],
      { opt: 'O0' },
    );
    const [ra, rb] = set ?? [];
    if (!ra || !rb) throw new Error('no replay');
    expect(a.run.rows.length).to.be.lessThan(40);
    expect(ra.native.length).to.equal(b.run.rows.length);
    expect(ra.verilator.length).to.equal(b.run.rows.length);
    const ca = cycleMismatches(ra);
    expect(ca).to.deep.equal({
      compared: ra.outputs.length * (b.run.rows.length - ra.resetCycles),
      mismatches: 0,
    });
    expect(cycleMismatches(rb).mismatches).to.equal(0);
  });

  it('a difference only in the idle tail (cycle 40 on) is a mismatch', async () => {
    const skewed = elaborate(passThrough('replay_a', true));
    const [set] = await replaySets(
      [
        { netlist: a.nl, sv: emitSv(skewed) },
        { netlist: b.nl, sv: emitSv(b.nl) },
      ],
      [[a.run, b.run]],
      { opt: 'O0' },
    );
    const ra = set?.[0];
    if (!ra) throw new Error('no replay');
    const cm = cycleMismatches(ra);
    expect(cm.mismatches).to.equal(b.run.rows.length - ra.resetCycles - 40);
    expect(cm.first).to.equal('cycle 40 port out_t: native 0x28 verilator 0x29');
  });
});
