// The attention bench module (scripts/bench/attention.ts) at a tiny size: the gpt2 block at
// d_model 16 (one head of 16; FFN 64) decoding 4 tokens, 2 000 replayed cycles; and d_model 128
// (2 heads of 64; its layernorms and the 512-feature GELU are chunked row units), native only.
// Speed itself is never asserted; the records must be well formed. The d_model 768 figures are
// the bench's own (docs/ir.md "Row ops").
import { expect } from 'chai';
import { run } from '../../scripts/bench/attention.js';

describe('bench: attention (gpt2 block with a KV cache)', () => {
  it('records generation, cycles per decoded token, KV bits and native vs Verilator cycles/s', async () => {
    const [r] = await run({ dModel: 16, tokens: 4, cycles: 2000, verilator: true });
    expect(r?.name).to.equal('attention.gpt2-block-d16');
    expect(r?.finished, String(r?.error)).to.equal(true);
    for (const k of ['genMs', 'svBytes', 'cyclesPerToken', 'nativeCps', 'verilatorCps'])
      expect(r?.[k], k).to.be.a('number').and.to.be.greaterThan(0);
    expect(r?.attentionCyclesLastToken).to.equal(3 * 4 + 5);
    expect(r?.kvCacheBits).to.equal(2 * 4 * 16 * 8);
  });
  it('d_model 128 (layernorms and GELU as chunked row units) runs natively', async () => {
    const [r] = await run({ dModel: 128, tokens: 2, cycles: 2000, verilator: false });
    expect(r?.name).to.equal('attention.gpt2-block-d128');
    expect(r?.finished, String(r?.error)).to.equal(true);
    for (const k of ['genMs', 'svBytes', 'cyclesPerToken', 'nativeCps'])
      expect(r?.[k], k).to.be.a('number').and.to.be.greaterThan(0);
    expect(r?.verilatorCps).to.equal(null);
    expect(r?.nativeBeatsVsGolden, 'output beats vs golden').to.equal(2);
    expect(r?.nativeMismatches, 'native vs golden').to.equal(0);
  });
});
