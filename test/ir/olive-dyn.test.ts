// olive4_dyn, the OliVe format with a per-token σ: the golden cast against hand calculations
// (σ = 2^(X − 128), X the E8M0 code of mx-scale over the token with E2M1's emax 2 and the floor
// policy, so amax/σ ∈ [8, 16)), the property over random tokens, and the design-file errors for
// its misuse (docs/ir.md).
import { expect } from 'chai';
import fc from 'fast-check';
import { MxgenError } from '../../src/hdl/index.js';
import {
  compileGraph,
  designToGraph,
  OLIVE_DYN_OFFSET,
  quantizeOliveDyn,
  quantizeTo,
} from '../../src/ir/index.js';
import { fromNumber } from '../../src/numerics/index.js';

const RUNS = 200 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1') || 1);

function errorOf(fn: () => unknown): MxgenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MxgenError) return e;
    throw e;
  }
  throw new Error('expected an MxgenError');
}

describe('ir: golden olive4_dyn cast (per-token σ from mx-scale)', () => {
  it('a hand-computed token: amax 13 → X = 128, σ = 1; codes 0xE6 0x81 0x30 0x0E', () => {
    // amax = 13: floor(log2 13) = 3, E2M1 emax = 2, floor policy: X − 127 = 3 − 2 = 1, X = 128;
    // σ = 2^(X − 128) = 1, so y = value. Pairs (element 2j in the low nibble, formats.md 6):
    // (6, −2): normals 0110, 1110 → 0xE6. (13, 1): 13 > 9.5 is an outlier, nearest magnitude 12
    // (abfloat code 0001); its partner is the victim (identifier 1000) → 0x81.
    // (0.5, 3): RNE(0.5) = 0, 3 → 0011 → 0x30. (−1.75, 0): RNE(−1.75) = −2 → 1110, 0 → 0x0E.
    const vals = [6, -2, 13, 1, 0.5, 3, -1.75, 0];
    const q = quantizeOliveDyn(vals.map(fromNumber), 'olive4');
    expect(q.scales).to.deep.equal([128]);
    expect([...q.codes]).to.deep.equal([0xe6, 0x81, 0x30, 0x0e]);
    expect(
      q.values.map((v) =>
        v.kind === 'finite' ? (v.neg ? -1 : 1) * Number(v.sig) * 2 ** v.exp : NaN,
      ),
    ).to.deep.equal([6, -2, 12, 0, 0, 3, -2, 0]);
  });
  it('the same token times 2^-10: X = 118 (σ = 2^-10), the same codes', () => {
    // floor(log2(13·2^-10)) = −7: X = −7 − 2 + 127 = 118, σ = 2^(118 − 128) = 2^-10.
    const q = quantizeTo(
      [6, -2, 13, 1, 0.5, 3, -1.75, 0].map((v) => fromNumber(v * 2 ** -10)),
      { kind: 'olive-dyn', name: 'olive4_dyn', variant: 'olive4' },
    );
    expect(q.scales).to.deep.equal([118]);
    expect([...q.codes]).to.deep.equal([0xe6, 0x81, 0x30, 0x0e]);
  });
  it('an all-zero token: X = 0 (mx-scale of a zero block), σ = 2^-128, codes 0', () => {
    const q = quantizeOliveDyn([0, 0].map(fromNumber), 'olive4');
    expect(q.scales).to.deep.equal([0]);
    expect([...q.codes]).to.deep.equal([0]);
  });
  it('random tokens: amax/σ ∈ [8, 16) with σ = 2^(X − 127 + offset)', () => {
    expect(OLIVE_DYN_OFFSET).to.equal(-1);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), { minLength: 2, maxLength: 64 }),
        fc.integer({ min: -60, max: 60 }),
        (ints, e) => {
          const vals = ints.map((i) => i * 2 ** e);
          const amax = Math.max(...vals.map(Math.abs));
          fc.pre(amax > 0);
          const x = quantizeOliveDyn(vals.map(fromNumber), 'olive4').scales[0] ?? -1;
          const r = amax / 2 ** (x - 128);
          expect(r).to.be.at.least(8).and.below(16);
        },
      ),
      { seed: 8, numRuns: RUNS },
    );
  });
});

describe('ir: olive4_dyn design-file errors', () => {
  const base = (): {
    design: string;
    seed: number;
    macs: number;
    tokens: number;
    graph: Record<string, unknown>[];
    precision: {
      weights: string;
      activations: string;
      input: string;
      tensors: Record<string, string>;
    };
  } => ({
    design: 'd',
    seed: 1,
    macs: 8,
    tokens: 2,
    graph: [
      { op: 'input', name: 'x', features: 8 },
      { op: 'linear', name: 'fc1', input: 'x', features: 8 },
      { op: 'linear', name: 'fc2', input: 'fc1', features: 4 },
    ],
    precision: {
      weights: 'olive4',
      activations: 'int8',
      input: 'int8',
      tensors: { fc1: 'olive4_dyn' },
    },
  });
  const unsupported = 'unsupported precision pair: ';
  const cases: [string, (d: ReturnType<typeof base>) => void, string][] = [
    [
      'as a weight format',
      (d) => (d.precision.tensors['fc2.weight'] = 'olive4_dyn'),
      "f.yaml: graph[2].weights: olive4_dyn has a per-token σ computed on chip from a linear's outputs, so it cannot be the format of a weight fc2.weight",
    ],
    [
      'as the graph input',
      (d) => (d.precision.input = 'olive4_dyn'),
      "f.yaml: graph[0]: olive4_dyn has a per-token σ computed on chip from a linear's outputs, so it cannot be the format of a graph input x",
    ],
    [
      'into a linear with bias',
      (d) => (d.graph[2] = { ...d.graph[2], bias: true }),
      `f.yaml: graph[2]: ${unsupported}a bias needs a statically scaled input, and fc1 is olive4_dyn (a per-token scale)`,
    ],
    [
      'into an OliVe output',
      (d) => (d.precision.tensors['fc2'] = 'olive4_dyn'),
      `f.yaml: graph[2]: ${unsupported}output olive4_dyn(σ=2^(X-128) per token) from olive4_dyn input (a per-token σ)`,
    ],
    [
      'on an odd number of features',
      (d) => (d.graph[1] = { ...d.graph[1], features: 7 }),
      `f.yaml: graph[1]: ${unsupported}output olive4_dyn needs an even number ≤ 64 of features (one block)`,
    ],
    [
      'on more than 64 features',
      (d) => (d.graph[1] = { ...d.graph[1], features: 66 }),
      `f.yaml: graph[1]: ${unsupported}output olive4_dyn needs an even number ≤ 64 of features (one block)`,
    ],
    [
      'times int8 weights',
      (d) => (d.precision.tensors['fc2.weight'] = 'int8'),
      `f.yaml: graph[2]: ${unsupported}olive4_dyn activations need olive4/olive8 weights and an even K`,
    ],
  ];
  for (const [name, edit, message] of cases)
    it(`${name}: ${message}`, () => {
      const d = base();
      edit(d);
      const e = errorOf(() => compileGraph(designToGraph(d, 'f.yaml')));
      expect(e.kind).to.equal('config');
      expect(e.message).to.equal(message);
    });
});
