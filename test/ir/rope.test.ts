// RoPE in the `attention` op (`rope: { base, frac_bits }`, decision 38): it inserts `<name>_rope`
// between the q|k|v linear and the KV cache; the golden model rotates q and k by the token's
// position in its sequence (position 0 is the identity) and leaves v; the native simulator equals
// the golden model under stalls; bad input is one line naming the op and the field.
import { expect } from 'chai';
import {
  compileGraph,
  ConstCache,
  designToGraph,
  goldenToken,
  type SeqState,
  tokenInputs,
  toNumber,
} from '../../src/ir/index.js';
import { nativeAndVerilator } from '../support/design-checks.js';
import { thrown } from '../support/mxgen-error.js';

type Op = Record<string, unknown>;
const design = (attn: Op, precision: Op = {}): unknown => ({
  design: 't',
  seed: 7,
  macs: 32,
  tokens: 6,
  graph: [
    { op: 'input', name: 'x', features: 16 },
    { op: 'attention', name: 'attn', input: 'x', features: 16, heads: 4, kv_heads: 2, ...attn },
    { op: 'add', name: 'y', a: 'attn', b: 'x' },
  ],
  precision: { weights: 'int8', activations: 'int8', ...precision },
});
const compileObj = (d: unknown) => compileGraph(designToGraph(d, 'f.yaml'));

describe('ir rope: bad input gives one line naming the op and the field', () => {
  const cases: [string, unknown, string][] = [
    [
      'a base below 2',
      design({ rope: { base: 1 } }),
      'f.yaml: graph[1].rope.base: rope base must be at least 2',
    ],
    [
      'a table precision past 20 bits',
      design({ rope: { frac_bits: 24 } }),
      'f.yaml: graph[1].rope.frac_bits: rope frac_bits (cos/sin table precision) must be 2..20',
    ],
    [
      'an unknown rope field',
      design({ rope: { theta: 10000 } }),
      'f.yaml: graph[1].rope: unknown field "theta"',
    ],
    [
      'an odd head size',
      design({ heads: 16, kv_heads: 16, rope: {} }),
      'f.yaml: graph[1].rope: attention attn: RoPE rotates pairs of features; head_dim 1 is odd',
    ],
    [
      'an unsigned rope output',
      design({ rope: {} }, { tensors: { attn_rope: 'uint8' } }),
      'f.yaml: precision.tensors.attn_rope: unsupported format: attention output attn_rope is uint8·2^-6; attention takes signed int2..int8',
    ],
  ];
  for (const [name, d, message] of cases)
    it(name, () => {
      const e = thrown(() => compileObj(d));
      expect(e.kind).to.equal('config');
      expect(e.message).to.equal(message);
      expect(e.message).not.to.include('\n');
    });
});

describe('ir rope: q and k rotated by position before the KV cache', () => {
  it('expands into attn_qkv, attn_rope (a rope unit of the q|k|v width), attn_core, attn', () => {
    const c = compileObj(design({ rope: { base: 10000 } }));
    const nodes = c.graph.nodes
      .filter((n) => n.op !== 'const')
      .map((n) => [n.name, n.op, n.type?.shape]);
    expect(nodes).to.deep.equal([
      ['x', 'input', [6, 16]],
      ['attn_qkv', 'linear', [6, 32]],
      ['attn_rope', 'rope', [6, 32]],
      ['attn_core', 'kv_attention', [6, 16]],
      ['attn', 'linear', [6, 16]],
      ['y', 'add', [6, 16]],
    ]);
    const unit = c.graph.nodes.find((n) => n.name === 'attn_rope')?.unit;
    expect(unit && 'component' in unit ? unit.component?.kind : undefined).to.equal('rope');
  });

  it('golden: position 0 keeps q|k|v (one rounding), position 1 rotates q and k, never v', () => {
    const c = compileObj(design({ rope: {} }));
    const g = c.graph;
    const consts = new ConstCache(g);
    const seq: SeqState = new Map();
    for (const t of [0, 1, 2]) {
      const env = goldenToken(g, tokenInputs(g, 2, t).quantized, consts, seq);
      const qkv = (env.get('attn_qkv')?.values ?? []).map(toNumber);
      const rope = (env.get('attn_rope')?.values ?? []).map(toNumber);
      const lsb = Math.min(...rope.filter((v) => v !== 0).map(Math.abs));
      const moved = rope.map((v, i) => Math.abs(v - (qkv[i] ?? 0)) > lsb);
      // q: 4 heads of 4, k: 2 heads of 4, then v: 2 heads of 4
      expect(moved.slice(24).some(Boolean), `v at token ${t}`).to.equal(false);
      expect(moved.slice(0, 24).some(Boolean), `q|k at token ${t}`).to.equal(t > 0);
    }
  });

  for (const kv of ['int8', 'int4'])
    it(`native = golden under stalls, then Verilator every cycle: 3 sequences of 6 tokens (${kv} KV)`, async function () {
      this.timeout(10 * 60_000);
      const c = compileObj(design({ kv_format: kv, rope: { base: 100, frac_bits: 10 } }));
      expect(await nativeAndVerilator(c, 3)).to.equal(18);
    });
});
