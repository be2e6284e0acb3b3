// Bad design files each get one documented one-line error (docs/ir.md, "Errors"), and passes run
// out of order name the pass that provides what is missing.
import { expect } from 'chai';
import { MxgenError } from '../../src/hdl/index.js';
import { readDesignFile } from '../../src/flow/design-file.js';
import {
  compileGraph,
  inferPass,
  LANE_TABLE,
  lowerPass,
  runPasses,
  PASSES,
  SUPPORTED_PAIRS,
  graphJson,
} from '../../src/ir/index.js';

const F = 'test/ir/fixtures';

function errorOf(fn: () => unknown): MxgenError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MxgenError) return e;
    throw e;
  }
  throw new Error('expected an MxgenError');
}

describe('ir: bad design files', () => {
  const cases: [string, string][] = [
    [
      'unknown-op',
      `${F}/unknown-op.yaml: graph[1].op: unknown op "conv"; expected one of input, linear, matmul, relu, add, cast, layernorm, rmsnorm, gelu, silu, softmax, mul, hadamard, attention`,
    ],
    ['unknown-format', `${F}/unknown-format.yaml: precision.weights: unknown format "int9"`],
    [
      'shape-mismatch',
      `${F}/shape-mismatch.yaml: graph[2]: shape mismatch: add of x [4, 8] and fc1 [4, 4] needs equal shapes`,
    ],
    [
      'missing-field',
      `${F}/missing-field.yaml: graph[1].features: missing field (expected number)`,
    ],
    [
      'unsupported-pair',
      `${F}/unsupported-pair.yaml: graph[1]: unsupported precision pair: output mxfp8_e4m3 needs an MX input and MX weights, no bias, and K and N of at most 32 or multiples of 32`,
    ],
    [
      'relu-override',
      `${F}/relu-override.yaml: precision.tensors.act1: a relu keeps its input's format (fc1 is int8), so int4 cannot apply; remove the override or add a cast after act1`,
    ],
    [
      'add-float',
      `${F}/add-float.yaml: graph[2]: unsupported precision pair: add output s is blockdialect with 40 features; the add unit writes one DialectFP4 block (at most 32)`,
    ],
    [
      'add-mixed-mx',
      `${F}/add-mixed-mx.yaml: graph[2]: unsupported precision pair: add output s is mixed_i4g8x8_i8g4x8(2^-13·2^d per group) and operand c has run-time scales; the add unit writes a mixed tensor from operands at static exponents (int, float element, nvfp4, olive4/olive8) — cast c first`,
    ],
    [
      'unused-branch',
      `${F}/unused-branch.yaml: graph[1]: fc1 is computed but never read; remove it or make it the output`,
    ],
    [
      'fork-mx',
      `${F}/fork-mx.yaml: graph[0]: input x (mxfp8_e4m3) carries a per-token scale and cannot be forked yet; read it once`,
    ],
    [
      'dialect-pair',
      `${F}/dialect-pair.yaml: graph[1]: unsupported precision pair: blockdialect(online) × int4·2^-6 with 32 input features: dialect-mac lanes take blockdialect activations × blockdialect weights, one 32-element block (K ≤ 32), no bias`,
    ],
    [
      'dialect-wide',
      `${F}/dialect-wide.yaml: graph[1]: unsupported precision pair: cast to blockdialect needs at most 32 features (one DialectFP4 block)`,
    ],
  ];
  for (const [name, message] of cases)
    it(`${name}: ${message}`, () => {
      const e = errorOf(() => compileGraph(readDesignFile(`${F}/${name}.yaml`)));
      expect(e.kind).to.equal('config');
      expect(e.message).to.equal(message);
      expect(e.message).to.not.include('\n');
    });

  it('unknown formats list the known ones in the hint; unsupported pairs list the supported', () => {
    const f = errorOf(() => readDesignFile(`${F}/unknown-format.yaml`));
    expect(f.hint).to.include('olive4').and.include('mxfp8_e4m3').and.include('int8');
    const p = errorOf(() => compileGraph(readDesignFile(`${F}/unsupported-pair.yaml`)));
    // One clause per accepting row of the lane table (src/ir/lower-linear.ts LANE_TABLE).
    expect(p.hint).to.equal(`supported: ${SUPPORTED_PAIRS}`);
    for (const row of LANE_TABLE.filter((r) => r.pairs))
      expect(p.hint).to.include(`${row.pairs ?? ''} → ${row.lanes}`);
  });

  it('a missing file is an io error naming the path', () => {
    const e = errorOf(() => readDesignFile(`${F}/nope.yaml`));
    expect(e.kind).to.equal('io');
    expect(e.message).to.equal(`cannot read design file ${F}/nope.yaml: ENOENT`);
  });
});

describe('ir: pass order', () => {
  it('lower before quantize names quantize', () => {
    const g = readDesignFile('templates/designs/default.yaml');
    const e = errorOf(() => runPasses(g, [inferPass, lowerPass], PASSES));
    expect(e.message).to.equal(
      'pass lower needs quantized, which pass quantize provides; run quantize before lower',
    );
  });

  it('dumps the graph as JSON after every pass, and the dump parses back', () => {
    const g = readDesignFile('templates/designs/default.yaml');
    const dumps: [string, string][] = [];
    compileGraph(g, (p, j) => dumps.push([p, j]));
    expect(dumps.map((d) => d[0])).to.deep.equal([
      'infer',
      'quantize',
      'parallelize',
      'lower',
      'emit',
    ]);
    const afterLower = JSON.parse(dumps[3]?.[1] ?? '') as {
      nodes: { name: string; unit?: { kind: string } }[];
    };
    expect(afterLower.nodes.find((n) => n.name === 'fc1')?.unit?.kind).to.equal('linear-unit');
    const afterInfer = JSON.parse(dumps[0]?.[1] ?? '') as { facts: string[] };
    expect(afterInfer.facts).to.deep.equal(['shapes', 'formats']);
  });

  it('writes typed arrays (weight codes) as plain arrays on one line, other values indented', () => {
    const g = readDesignFile('templates/designs/default.yaml');
    const text = graphJson({
      ...g,
      nodes: [
        ...g.nodes,
        { codes: new Uint8Array([1, 255, 0]), wide: new Uint16Array([65535, 7]) },
      ] as unknown as typeof g.nodes,
    });
    expect(text).to.include('"codes": [1,255,0]');
    expect(text).to.include('"wide": [65535,7]');
    const back = JSON.parse(text) as { name: string; nodes: Record<string, unknown>[] };
    expect(back.nodes.at(-1)).to.deep.equal({ codes: [1, 255, 0], wide: [65535, 7] });
    expect(back.name).to.equal(g.name);
    expect(text).to.include(`{\n  "name": ${JSON.stringify(g.name)},\n`);
  });
});
