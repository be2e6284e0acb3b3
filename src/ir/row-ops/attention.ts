// kv_attention: one decode step per token over an on-chip KV cache, the core of the design op
// `attention` (design.ts expands it into a fused q|k|v linear, this op and the output linear).
// Input: the token's q|k|v codes (heads + 2·kv_heads heads of head_dim, signed int); output: the
// context (heads·head_dim, signed int). k and v are quantized to the cache format (`kv_bits`,
// the input's range) and appended; each sequence (input tensor) is `seq_len` tokens and starts
// with an empty cache. Golden: numerics kvQuantize + intAttention with the component's config
// (the same step the `kv-attention` reference runs); hardware: the registered `kv-attention`.
import {
  kvAttentionCycles,
  kvChannelScales,
  kvAttentionStep,
  type KvAttentionConfig,
  type KvCacheState,
} from '../../components/index.js';
import { internalError } from '../../hdl/index.js';
import { ROW_UNCHUNKED_ANY } from './chunk.js';
import type { RowOpDef, RowSpec, SeqBox } from './types.js';

/** Head size from the input features (heads + 2·kv_heads heads), or why it does not fit. */
export function attentionHeadDim(
  attrs: Readonly<Record<string, string | number>>,
  inFeatures: number,
): number | string {
  const h = Number(attrs.heads);
  const kv = Number(attrs.kv_heads);
  const d = inFeatures / (h + 2 * kv);
  if (!Number.isInteger(d))
    return `attention q|k|v has ${inFeatures} features, not a multiple of heads + 2·kv_heads = ${h + 2 * kv}`;
  return d;
}

interface RealCache {
  keys: number[][];
  values: number[][];
}

/** The op's per-sequence state, created empty at the sequence's first token. */
export function stateOf<T>(seq: SeqBox, empty: () => T): T {
  if (seq.state === undefined) seq.state = empty();
  return seq.state as T;
}

/** The q|k|v operand of a checked spec and its head size (kv_attention, rope). */
export function qkvOperand(s: RowSpec, op: string): { x: RowSpec['inputs'][number]; d: number } {
  const [x] = s.inputs;
  if (!x) throw internalError(`${op}: spec without input`);
  const d = attentionHeadDim(s.attrs, x.features);
  if (typeof d === 'string') throw internalError(d); // infer has checked the shapes
  return { x, d };
}

/** The attrs field `quantize` writes the calibrated KV channel shifts to (K's, then V's). */
export const KV_SCALES_ATTR = 'kv_scales';

export const kvAttentionOp: RowOpDef = {
  op: 'kv_attention',
  designOp: 'attention',
  operandFields: ['input'],
  params: [],
  fields: {},
  outFeatures(attrs, [f = 1]) {
    const d = attentionHeadDim(attrs, f);
    return typeof d === 'string' ? d : Number(attrs.heads) * d;
  },
  outSigned: true,
  inExpRange: [-32, 32],
  // one token per beat at any size: the kv-attention component's own limits apply (heads ≤ 64,
  // headDim ≤ 256); its lanes grow with heads·headDim (not chunked yet)
  maxFeatures: ROW_UNCHUNKED_ANY,
  component(s) {
    const { x, d } = qkvOperand(s, 'kv_attention');
    const cfg: KvAttentionConfig = {
      heads: Number(s.attrs.heads),
      kvHeads: Number(s.attrs.kv_heads),
      headDim: d,
      capacity: Number(s.attrs.kv_capacity),
      seqLen: Number(s.attrs.seq_len),
      inBits: x.bits,
      inScaleExp: x.exp,
      kvFormat: (s.attrs.kv_kind ?? 'int') as KvAttentionConfig['kvFormat'],
      kvBits: Number(s.attrs.kv_bits),
      scoreBits: Number(s.attrs.score_bits),
      scoreScaleExp: Number(s.attrs.score_exp),
      probBits: Number(s.attrs.prob_bits),
      outBits: s.out.bits,
      outScaleExp: s.out.exp,
    };
    return { kind: 'kv-attention', config: cfg as unknown as Record<string, string | number> };
  },
  // the per-channel KV formats: one shift field per K (and V) channel, calibrated (decision 44)
  calibratedParams(s) {
    const cfg = kvAttentionOp.component(s).config as unknown as KvAttentionConfig;
    const cs = kvChannelScales(cfg);
    if (cs.k + cs.v === 0) return [];
    const raw = s.attrs[KV_SCALES_ATTR];
    const codes = typeof raw === 'string' && raw !== '' ? raw.split(',').map(Number) : [];
    if (codes.length !== cs.k + cs.v)
      throw internalError(
        `kv_attention: ${codes.length} calibrated KV channel scales; ${cs.k + cs.v} wanted (quantize sets them)`,
      );
    return [{ tensor: `${s.out.tensor}.kv_scales`, bits: cs.bits, codes }];
  },
  golden(c, [x = []], [scales = []], seq) {
    const st = stateOf<KvCacheState>(seq, () => ({ keys: [], values: [] }));
    return kvAttentionStep(c.config as unknown as KvAttentionConfig, st, x, scales);
  },
  fp64(attrs, [x = []], _params, seq) {
    const h = Number(attrs.heads);
    const kvh = Number(attrs.kv_heads);
    const d = x.length / (h + 2 * kvh);
    const st = stateOf<RealCache>(seq, () => ({ keys: [], values: [] }));
    if (st.keys.length === Number(attrs.seq_len)) {
      st.keys = [];
      st.values = [];
    }
    st.keys.push(x.slice(h * d, (h + kvh) * d));
    st.values.push(x.slice((h + kvh) * d));
    const out: number[] = [];
    for (let q = 0; q < h; q++) {
      const g = Math.floor(q / (h / kvh));
      const s = st.keys.map(
        (k) =>
          x.slice(q * d, (q + 1) * d).reduce((a, v, i) => a + v * (k[g * d + i] ?? 0), 0) /
          Math.sqrt(d),
      );
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, v) => a + v, 0);
      for (let i = 0; i < d; i++)
        out.push(e.reduce((a, w, j) => a + (w / sum) * (st.values[j]?.[g * d + i] ?? 0), 0));
    }
    return out;
  },
  cyclesPerToken: (c) => kvAttentionCycles(Number(c.config.seqLen) - 1),
};
