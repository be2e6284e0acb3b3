// Every benchmark module of `npm run bench` (scripts/bench/*.ts) runs once here at a tiny size,
// so that a change that breaks one fails the tests instead of the next bench run (the bench
// stopped on a cycle limit unnoticed once). Speed itself is never asserted: each module must
// finish and return well-formed records. sim-designs and real-size have their own files.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import type { BenchRecord } from '../../scripts/bench.js';
import { run as components } from '../../scripts/bench/components.js';
import { run as hdlElaborate } from '../../scripts/bench/hdl-elaborate.js';
import { run as ir } from '../../scripts/bench/ir.js';
import { run as numerics } from '../../scripts/bench/numerics.js';
import { run as runCli } from '../../scripts/bench/run-cli.js';
import { run as simNative } from '../../scripts/bench/sim-native.js';
import { run as simVsVerilator } from '../../scripts/bench/sim-vs-verilator.js';
import { listComponents } from '../../src/components/index.js';

/** Each record has a name and its numeric fields are finite (NaN would hide a broken timer). */
function wellFormed(recs: readonly BenchRecord[], keys: readonly string[]): void {
  expect(recs.length).to.be.greaterThan(0);
  for (const r of recs) {
    expect(r.name).to.be.a('string').and.not.equal('');
    for (const k of keys) expect(r[k], `${r.name}.${k}`).to.be.a('number').and.greaterThan(0);
  }
}

describe('bench: every module at a tiny size', () => {
  it('each scripts/bench module is run by a test in test/bench', () => {
    const tests = readdirSync('test/bench')
      .map((f) => readFileSync(`test/bench/${f}`, 'utf8'))
      .join('\n');
    for (const f of readdirSync('scripts/bench').filter((x) => x.endsWith('.ts')))
      expect(tests, f).to.include(`scripts/bench/${f.replace(/\.ts$/, '.js')}`);
  });

  it('components: generation of a 4×4 MAC array and every kind driven for 20 beats', async () => {
    const recs = await components({ arrays: [4], beats: 20 });
    wellFormed(recs.slice(0, 1), ['generateMs', 'nets', 'svLines']);
    const kinds = recs.slice(1).map((r) => r.kind);
    expect(kinds).to.deep.equal(listComponents().map((k) => k.kind));
    wellFormed(recs.slice(1), ['cycles', 'cyclesPerSecond', 'beatsPerSecond']);
  });

  it('hdl-elaborate: a 4×4 array three ways, source locations on and off', async () => {
    const recs = await hdlElaborate({ n: 4 });
    expect(recs.map((r) => r.name)).to.have.length(6);
    wellFormed(recs, ['nets', 'totalMs']);
  });

  it('ir: two bundled designs, 2 tensors each, run to the end within their cycle budget', async () => {
    const recs = await ir({ designs: ['default', 'fp8-olive8'], tensors: 2 });
    expect(recs.map((r) => r.name)).to.deep.equal(['ir.default', 'ir.fp8-olive8']);
    wellFormed(recs, ['passesMs', 'goldenTokensPerSecond', 'simCyclesPerSecond', 'cyclesPerToken']);
  });

  it('numerics: encode, decode and MX quantization on 64 values', async () => {
    const recs = await numerics({ values: 64, blocks: 2 });
    expect(recs.length).to.equal(9);
    wellFormed(recs, ['valuesPerSecond']);
  });

  it('run-cli: `mxgen run default` CPU time, this checkout as its own reference, once', async () => {
    const recs = await runCli({ designs: ['default'], repeats: 1, beforeRoot: '.', build: false });
    expect(recs.map((r) => r.name)).to.deep.equal(['run-cli.default']);
    expect(recs[0]?.ok).to.equal(true);
    wellFormed(recs, ['beforeCpuS', 'afterCpuS', 'speedup', 'afterWallS']);
  });

  it('sim-native: a 2×2 array, 200 cycles, no warm-up', async () => {
    const recs = await simNative({ sizes: [2], cycles: 200, warmupMs: 0 });
    wellFormed(recs, ['cyclesPerSec', 'cyclesPerSecVectors', 'cyclesPerSecTypedModel']);
  });

  it('sim-vs-verilator: a 2×2 array, 200 cycles, native = Verilator on the last cycle', async () => {
    const recs = await simVsVerilator({ sizes: [2], cycles: 200, warmupMs: 0 });
    wellFormed(recs, ['nativeCps', 'verilatorCps', 'ratio', 'outputsCompared']);
  });
});
