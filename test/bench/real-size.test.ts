// The real-size bench module (scripts/bench/real-size.ts) at a tiny size: a small bundled design
// instead of the GPT-2 FFN, 2 000 replayed cycles, and a 256 → 512 layer instead of 4096 → 11008.
// Speed itself is never asserted; the records must be well formed and the layer must finish.
import { expect } from 'chai';
import { run } from '../../scripts/bench/real-size.js';

describe('bench: real-size', () => {
  it('records generation, SV size, golden-model time, throughput, native vs Verilator, and a one-token layer run', async () => {
    const [d, l] = await run({
      designs: ['mlp-int8'],
      cycles: 2000,
      layer: [256, 512],
      layerTimeoutS: 300,
    });
    expect(d?.name).to.equal('real-size.mlp-int8');
    for (const k of [
      'genMs',
      'svBytes',
      'goldenCpuMs',
      'cyclesPerToken',
      'utilization',
      'nativeCps',
      'verilatorCps',
      'peakRssMB',
    ])
      expect(d?.[k], k).to.be.a('number').and.to.be.greaterThan(0);
    expect(l?.name).to.equal('real-size.layer-256x512-w4a8');
    expect(l?.finished, String(l?.error)).to.equal(true);
    expect(l?.cycles).to.be.a('number').and.to.be.greaterThan(0);
  });
});
