// The attention bench module (scripts/bench/attention.ts) at a tiny size: the gpt2 block at
// d_model 16 (one head of 16; FFN 64) decoding 4 tokens, 2 000 replayed cycles; and d_model 768
// recorded with the generator's one-line refusal while the row units stop at 64 features. Speed
// itself is never asserted; the records must be well formed.
import { expect } from 'chai';
import { run } from '../../scripts/bench/attention.js';

describe('bench: attention (gpt2 block with a KV cache)', () => {
  it('records generation, cycles per decoded token, KV bits and native vs Verilator cycles/s', async () => {
    const [r] = await run({ dModel: 16, tokens: 4, cycles: 2000 });
    expect(r?.name).to.equal('attention.gpt2-block-d16');
    expect(r?.finished, String(r?.error)).to.equal(true);
    for (const k of ['genMs', 'svBytes', 'cyclesPerToken', 'nativeCps', 'verilatorCps'])
      expect(r?.[k], k).to.be.a('number').and.to.be.greaterThan(0);
    expect(r?.attentionCyclesLastToken).to.equal(3 * 4 + 5);
    expect(r?.kvCacheBits).to.equal(2 * 4 * 16 * 8);
  });
  it('d_model 768 is refused in one line (the row units take at most 64 features)', async () => {
    const [r] = await run({ dModel: 768, tokens: 8, cycles: 2000 });
    expect(r?.finished).to.equal(false);
    expect(String(r?.error)).to.match(
      /^.*gpt2-block-d768\.yaml: graph\[1\]\.input: shape mismatch: layernorm over 768 features/,
    );
  });
});
