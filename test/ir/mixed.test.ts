// Mixed precision inside a tensor in the IR (decision 34, docs/ir.md): format maps in `precision:`
// (Atom's outliers or explicit ranges) with power-of-two group scales, their one-line errors, and
// mixed × mixed layers on mixed-lane lanes (the bundled ffn-atom).
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDesignFile } from '../../src/flow/design-file.js';
import { simulateNative } from '../../src/flow/flow.js';
import { elaborate, ModuleBuilder, MxgenError, s, u } from '../../src/hdl/index.js';
import { mixedQuantizeStage } from '../../src/ir/hw-mixed-quant.js';
import { compile, type Simulator } from '../../src/sim/index.js';
import { compileGraph, formatOf, quantizeMixed } from '../../src/ir/index.js';
import { fromNumber } from '../../src/numerics/index.js';

const num = (v: { kind: string; sig?: bigint; exp?: number; neg?: boolean }): number =>
  v.kind === 'finite' ? Number(v.sig) * 2 ** (v.exp ?? 0) * (v.neg ? -1 : 1) : NaN;

const MAP = [
  { start: 0, end: 4, bits: 4, groupSize: 4 },
  { start: 4, end: 6, bits: 8, groupSize: 2 },
];

function design(dir: string, name: string, input: string, weight = input, k = 32): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `design: ${name}`,
      'seed: 5',
      'macs: 16',
      'tokens: 2',
      'graph:',
      `  - { op: input, name: x, features: ${k} }`,
      '  - { op: linear, name: fc, input: x, features: 8 }',
      'precision:',
      '  weights: int4',
      '  activations: int8',
      `  input: ${input}`,
      '  tensors:',
      `    fc.weight: ${weight}`,
      '',
    ].join('\n'),
  );
  return file;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(MxgenError);
    const m = (e as Error).message;
    expect(m).to.not.include('\n');
    return m;
  }
  return expect.fail('no error');
}

describe('ir: mixed precision inside a tensor (format maps)', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-mixed-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a hand-worked vector: smallest d with RNE(amax·2^-(base+d)) ≤ qmax per group', () => {
    // base 2^-2. Group 0 (int4, qmax 7): amax 2.9 → d = 0 gives 12 > 7, d = 1 gives 6: scale
    // 2^-1, codes RNE(2.6, -1.2, 0.4, 5.8) = 3 -1 0 6. Group 1 (int8): amax 40 → d = 1 (160 > 127,
    // 80 ≤ 127), codes 80 -6.
    const q = quantizeMixed([1.3, -0.6, 0.2, 2.9, 40, -3].map(fromNumber), MAP, -2);
    expect(q.scales).to.deep.equal([1, 1]);
    expect(q.codes).to.deep.equal([3, 0xff, 0, 6, 80, 0xfa]);
    expect(q.values.map(num)).to.deep.equal([1.5, -0.5, 0, 3, 40, -3]);
  });

  it('ties round to even; d saturates at 15 and the codes then clamp at ±qmax', () => {
    // 0.75 / 2^-1 = 1.5 → 2; 0.25 / 2^-1 = 0.5 → 0 (amax 3.5 → d = 0 at base 2^-1: 7 ≤ 7)
    const t = quantizeMixed([0.75, 0.25, -3.5, 0, 1, 1].map(fromNumber), MAP, -1);
    expect(t.scales).to.deep.equal([0, 0]);
    expect(t.values.map(num).slice(0, 4)).to.deep.equal([1, 0, -3.5, 0]);
    const s = quantizeMixed([2.9, 0, 0, 0, 0, 0].map(fromNumber), MAP, -20);
    expect(s.scales).to.deep.equal([15, 0]);
    expect(s.codes[0]).to.equal(7);
    expect(num(s.values[0]!)).to.equal(7 * 2 ** -5);
  });

  it('ffn-atom: the Atom map on the cast and the weights, mixed-lane lanes, bit-exact natively', () => {
    const c = compileGraph(readDesignFile('templates/designs/ffn-atom.yaml'));
    const g = c.graph;
    const xq = g.nodes.find((n) => n.name === 'xq')!;
    expect(formatOf(xq)).to.deep.include({
      kind: 'mixed',
      map: [
        { start: 0, end: 24, bits: 4, groupSize: 8 },
        { start: 24, end: 32, bits: 8, groupSize: 8 },
      ],
    });
    const q = xq.unit;
    expect(q?.kind === 'cast-unit' && q.outMixed !== undefined).to.equal(true);
    const up = g.nodes.find((n) => n.name === 'up')?.unit;
    expect(up?.kind === 'linear-unit' && up.component?.kind).to.equal('mixed-lane');
    for (const storage of ['embedded', 'memory'] as const) {
      const r = simulateNative(
        compileGraph({
          ...readDesignFile('templates/designs/ffn-atom.yaml'),
          weightsStorage: storage,
        }),
        8,
        0.2,
        0.2,
      );
      expect(r.native.beatsCompared).to.equal(32);
      expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
    }
  });

  it('activations that arrive in the map codes (a graph input with a map) are bit-exact', () => {
    const atom = '{ outliers: 8, group: 8 }';
    const r = simulateNative(
      compileGraph(readDesignFile(design(dir, 'arrive', atom))),
      4,
      0.2,
      0.2,
    );
    expect(r.native.beatsCompared).to.equal(8);
    expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
  });

  it('explicit ranges with 2-, 4- and 8-bit groups are bit-exact', () => {
    const m =
      '{ ranges: [{ start: 0, end: 16, bits: 2, group: 16 }, { start: 16, end: 24, bits: 4, group: 4 }, { start: 24, end: 28, bits: 8, group: 2 }] }';
    const c = compileGraph(readDesignFile(design(dir, 'slim', m, m, 28)));
    const r = simulateNative(c, 4, 0.2, 0.2);
    expect(r.native.beatsCompared).to.equal(8);
    expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
  });

  it('a map that does not cover the tensor: one line naming the field', () => {
    const short = '{ ranges: [{ start: 0, end: 24, bits: 4, group: 8 }] }';
    expect(errorOf(() => compileGraph(readDesignFile(design(dir, 'short', short))))).to.match(
      /precision\.input: ranges covers channels 0\.\.23 but the tensor has 32 channels/,
    );
    const gap =
      '{ ranges: [{ start: 0, end: 8, bits: 4, group: 8 }, { start: 10, end: 32, bits: 8, group: 2 }] }';
    expect(errorOf(() => readDesignFile(design(dir, 'gap', gap)))).to.match(
      /precision\.input: ranges\[1\]\.start is 10: the map leaves a gap or overlap at channel 8/,
    );
    const overlap =
      '{ ranges: [{ start: 0, end: 16, bits: 4, group: 8 }, { start: 8, end: 32, bits: 8, group: 8 }] }';
    expect(errorOf(() => readDesignFile(design(dir, 'over', overlap)))).to.match(
      /ranges\[1\]\.start is 8: the map leaves a gap or overlap at channel 16/,
    );
    expect(errorOf(() => readDesignFile(design(dir, 'typo', '{ outlier: 8, group: 8 }')))).to.match(
      /precision\.input: expected a format name, a format map \{ outliers, group \}/,
    );
    const late = '{ ranges: [{ start: 4, end: 32, bits: 4, group: 4 }] }';
    expect(errorOf(() => readDesignFile(design(dir, 'late', late)))).to.match(
      /ranges\[0\]\.start is 4: the map must start at channel 0/,
    );
    expect(
      errorOf(() =>
        compileGraph(readDesignFile(design(dir, 'many', '{ outliers: 40, group: 8 }'))),
      ),
    ).to.match(/precision\.input: outliers 40 is more than the 32 channels of x/);
    // the weight's map is checked against its own channels (K = 16 here, the map wants 32)
    const w32 = '{ ranges: [{ start: 0, end: 32, bits: 4, group: 8 }] }';
    const w16 = '{ ranges: [{ start: 0, end: 16, bits: 4, group: 8 }] }';
    expect(errorOf(() => compileGraph(readDesignFile(design(dir, 'wk', w16, w32, 16))))).to.match(
      /precision\.tensors\.fc\.weight: ranges covers channels 0\.\.31 but the tensor has 16 channels/,
    );
  });

  it('maps the lanes cannot take are rejected naming the layer', () => {
    const odd =
      '{ ranges: [{ start: 0, end: 24, bits: 3, group: 8 }, { start: 24, end: 32, bits: 8, group: 8 }] }';
    expect(errorOf(() => compileGraph(readDesignFile(design(dir, 'odd', odd))))).to.match(
      /graph\[1\]: unsupported precision pair: format map .* on mixed-lane lanes: bits must be 2, 4 or 8/,
    );
    const other = '{ outliers: 8, group: 4 }';
    expect(
      errorOf(() =>
        compileGraph(readDesignFile(design(dir, 'diff', '{ outliers: 8, group: 8 }', other))),
      ),
    ).to.match(/same format map/);
  });
});

/** The quantizer stage as a module: 12 signed 9-bit totals at 2^accExp → bytes and d bytes. */
function quantSim(accExp: number, base: number): Simulator {
  const m = new ModuleBuilder(`mq_${accExp + 40}_${base + 40}`);
  const ts = Array.from({ length: 12 }, (_, i) => m.input(`t${i}`, s(9)));
  const q = mixedQuantizeStage(m, ts, accExp, QMAP, base);
  m.output('codes', u(96)).set(q.codes);
  m.output('exps', u(q.exps.width)).set(q.exps);
  return compile(elaborate(m));
}

/** int4 groups of 4 on 0..8, then one int8 group of 4 (12 channels, 3 groups). */
const QMAP = [
  { start: 0, end: 8, bits: 4, groupSize: 4 },
  { start: 8, end: 12, bits: 8, groupSize: 4 },
];

describe('ir: the on-chip mixed quantizer (hw-mixed-quant.ts) against quantizeMixed', () => {
  // base − accExp from −12 (left shifts, d saturating at 15) to +3 (every d rounds)
  for (const [accExp, base] of [
    [-7, -19],
    [-7, -12],
    [0, 0],
    [-3, 0],
    [2, -3],
  ] as const)
    it(`accExp ${accExp}, base ${base}: every code and d equal the golden (ties, zeros, ±256)`, () => {
      const sim = quantSim(accExp, base);
      const edge = fc.constantFrom(0, 1, -1, 7, -7, 8, 12, -12, 255, -256, 127, -128, 28, 60);
      fc.assert(
        fc.property(
          fc.array(fc.oneof(fc.integer({ min: -256, max: 255 }), edge), {
            minLength: 12,
            maxLength: 12,
          }),
          (xs) => {
            xs.forEach((x, i) => sim.poke(`t${i}`, BigInt.asUintN(9, BigInt(x))));
            const g = quantizeMixed(
              xs.map((x) => fromNumber(x * 2 ** accExp)),
              QMAP,
              base,
            );
            expect(sim.peek('exps')).to.equal(packBytes(g.scales));
            expect(sim.peek('codes')).to.equal(packBytes(g.codes));
          },
        ),
        { numRuns: 400, seed: 20 },
      );
    });
});

function packBytes(v: readonly number[]): bigint {
  return v.reduceRight((a, b) => (a << 8n) | BigInt(b), 0n);
}
