// rope: rotary position embedding of the token's q|k|v codes, between the q|k|v linear and the
// kv_attention of an `attention` with `rope:` (design.ts, decision 38). Each q and k head has its
// pairs (2i, 2i+1) rotated by pos·base^(-2i/head_dim), pos = the token's index in its sequence
// (restarting after `seq_len` tokens, like the KV cache); v is only requantized. Golden: numerics
// intRope with the component's tables; hardware: the registered `rope` (its own position counter).
import { type RopeConfig, type RopeState, ropeStep } from '../../components/index.js';
import { attentionHeadDim, qkvOperand, stateOf } from './attention.js';
import { ROW_UNCHUNKED_ANY } from './chunk.js';
import type { RowOpDef } from './types.js';

export const ropeOp: RowOpDef = {
  op: 'rope',
  designOp: 'attention',
  operandFields: ['input'],
  params: [],
  fields: {},
  outFeatures(attrs, [f = 1]) {
    const d = attentionHeadDim(attrs, f);
    return typeof d === 'string' ? d : f;
  },
  outSigned: true,
  inExpRange: [-32, 32],
  // one token per beat at any size: the rope component's own limits apply (heads ≤ 64, headDim ≤ 256)
  maxFeatures: ROW_UNCHUNKED_ANY,
  component(s) {
    const { x, d } = qkvOperand(s, 'rope');
    const cfg: RopeConfig = {
      heads: Number(s.attrs.heads),
      kvHeads: Number(s.attrs.kv_heads),
      headDim: d,
      seqLen: Number(s.attrs.seq_len),
      base: Number(s.attrs.base),
      fracBits: Number(s.attrs.frac_bits),
      inBits: x.bits,
      inScaleExp: x.exp,
      outBits: s.out.bits,
      outScaleExp: s.out.exp,
      stages: 1,
    };
    return { kind: 'rope', config: cfg as unknown as Record<string, string | number> };
  },
  golden(c, [x = []], _params, seq) {
    return ropeStep(
      c.config as unknown as RopeConfig,
      stateOf<RopeState>(seq, () => ({ pos: 0 })),
      x,
    );
  },
  fp64(attrs, [x = []], _params, seq) {
    const st = stateOf<RopeState>(seq, () => ({ pos: 0 }));
    const pos = st.pos;
    st.pos = (pos + 1) % Number(attrs.seq_len);
    const h = Number(attrs.heads);
    const kvh = Number(attrs.kv_heads);
    const d = x.length / (h + 2 * kvh);
    const base = Number(attrs.base);
    return x.map((v, j) => {
      if (j >= (h + kvh) * d) return v;
      const a = pos * Math.pow(base, (-2 * Math.floor((j % d) / 2)) / d);
      const pair = j % 2 === 0 ? (x[j + 1] ?? 0) : (x[j - 1] ?? 0);
      return j % 2 === 0
        ? v * Math.cos(a) - pair * Math.sin(a)
        : pair * Math.sin(a) + v * Math.cos(a);
    });
  },
};
