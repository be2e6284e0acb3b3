// The precision-pair → lanes table (src/ir/lower-linear.ts LANE_TABLE), row by row: for every
// accepting row, a one-layer design of a pair that row takes is decided by that row (and by no
// earlier one), is built by the layer unit the row names, and its unit is bit-exact against the golden model in the native simulator.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDesignFile } from '../../src/flow/design-file.js';
import { simulateNative } from '../../src/flow/flow.js';
import {
  compileGraph,
  ConstCache,
  formatOf,
  LANE_TABLE,
  laneRowOf,
  linearUnitOf,
  pairOf,
  type LinearNode,
} from '../../src/ir/index.js';

interface Example {
  readonly activations: string;
  readonly weights: string;
  readonly out?: string;
  readonly k: number;
  readonly n: number;
  readonly bias?: boolean;
  readonly storage?: string;
  readonly pe?: string;
}

/** One pair per accepting row (keyed by the row's `lanes`). */
const EXAMPLES: Record<string, Example> = {
  'mx-dot blocks (fp32-blockwise)': {
    activations: 'mxfp8_e4m3',
    weights: 'mxfp4_e2m1',
    out: 'int8',
    k: 64,
    n: 8,
  },
  'mx-dot + mx-quantize': {
    activations: 'mxfp8_e4m3',
    weights: 'mxfp6_e2m3',
    out: 'mxfp8_e4m3',
    k: 16,
    n: 8,
  },
  'dialect-mac': {
    activations: 'blockdialect',
    weights: 'blockdialect',
    out: 'int8',
    k: 24,
    n: 8,
    storage: 'memory',
  },
  'mixed-lane': {
    activations:
      '{ ranges: [{ start: 0, end: 16, bits: 4, group: 8 }, { start: 16, end: 24, bits: 8, group: 4 }] }',
    weights:
      '{ ranges: [{ start: 0, end: 16, bits: 4, group: 8 }, { start: 16, end: 24, bits: 8, group: 4 }] }',
    out: 'int8',
    k: 24,
    n: 8,
    storage: 'embedded',
  },
  'olive-pe': {
    activations: 'int8',
    weights: 'olive4',
    k: 16,
    n: 8,
    bias: true,
    storage: 'embedded',
  },
  vector: { activations: 'int8', weights: 'int4', k: 16, n: 8, bias: true, storage: 'memory' },
  'scalable-pe': {
    activations: 'int8',
    weights: 'int4',
    k: 16,
    n: 8,
    bias: true,
    storage: 'embedded',
  },
  'mac-array': {
    activations: 'fp8_e4m3',
    weights: 'fp6_e2m3',
    out: 'int8',
    k: 8,
    n: 8,
    storage: 'embedded',
  },
  'mx-dot': {
    activations: 'mxfp8_e4m3',
    weights: 'mxfp4_e2m1',
    out: 'int8',
    k: 16,
    n: 8,
    storage: 'embedded',
  },
  "the unit's own multipliers (embedded weights)": {
    activations: 'fp8_e4m3',
    weights: 'olive4',
    out: 'int8',
    k: 8,
    n: 8,
    storage: 'embedded',
  },
};

function design(dir: string, name: string, e: Example): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `design: lane_${name}`,
      'seed: 3',
      'macs: 16',
      'tokens: 2',
      ...(e.storage ? [`weights_storage: ${e.storage}`] : []),
      'graph:',
      `  - { op: input, name: x, features: ${e.k} }`,
      `  - { op: linear, name: fc, input: x, features: ${e.n}${e.bias ? ', bias: true' : ''}${e.pe ? `, pe: ${e.pe}` : ''} }`,
      'outputs: [fc]',
      'precision:',
      `  weights: ${e.weights}`,
      `  activations: ${e.activations}`,
      ...(e.out ? ['  tensors:', `    fc: ${e.out}`] : []),
      '',
    ].join('\n'),
  );
  return file;
}

describe('ir: the precision-pair → lanes table, row by row', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-lanes-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has an example for every accepting row, and every row is in the supported-pairs message', () => {
    const accepting = LANE_TABLE.filter((r) => r.pairs).map((r) => r.lanes);
    expect(Object.keys(EXAMPLES).sort()).to.deep.equal([...accepting].sort());
  });

  LANE_TABLE.forEach((row, i) => {
    if (!row.pairs) return;
    const e = EXAMPLES[row.lanes];
    it(`row ${i} (${row.lanes}): ${e ? `${e.activations} × ${e.weights}` : 'no example'} is decided here and bit-exact`, () => {
      if (!e) expect.fail(`no example for row ${row.lanes}`);
      const c = compileGraph(readDesignFile(design(dir, `r${i}`, e)));
      const g = c.graph;
      const fc = g.nodes.find((x) => x.name === 'fc') as LinearNode;
      const decided = laneRowOf(pairOf(g, fc, new ConstCache(g), formatOf(fc)));
      expect(decided.lanes).to.equal(row.lanes);
      // The row names the layer unit (src/ir/units/<unit>) that builds its config.
      expect(fc.unit?.kind).to.equal('linear-unit');
      if (fc.unit?.kind === 'linear-unit') expect(linearUnitOf(fc.unit).name).to.equal(row.unit);
      const r = simulateNative(c, 2, 0.2, 0.2);
      expect(r.native.beatsCompared).to.be.greaterThan(0);
      expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
    });
  });
});
