// The `hadamard` op (issue 20): a design-file op on the row-op path whose golden model is
// numerics.hadamardRequantize and whose unit is the registered `fwht` with its output stage.
// Checks: the golden token equals an independent evaluation (±1 matrix built here, the
// calibrated scales read from the graph); a feature count that is not a power of two is one
// line naming the op and field; the bundled ffn-quarot runs bit-exact in the native simulator.
import { expect } from 'chai';
import { MxgenError } from '../../src/hdl/index.js';
import { simulateNative } from '../../src/flow/flow.js';
import { readDesignFile } from '../../src/flow/design-file.js';
import { compileGraph, designToGraph, designVectors, nodeByName } from '../../src/ir/index.js';
import { getFormat } from '../../src/numerics/index.js';

const design = (features: number): unknown => ({
  design: 't',
  seed: 5,
  macs: 16,
  tokens: 2,
  graph: [
    { op: 'input', name: 'x', features },
    { op: 'hadamard', name: 'rot', input: 'x' },
  ],
  precision: { weights: 'int8', activations: 'int8', tensors: { rot: 'int4' } },
});

describe('ir: hadamard op', () => {
  it('a feature count that is not a power of two is one line naming the op and field', () => {
    let err: unknown;
    try {
      compileGraph(designToGraph(design(12), 'f.yaml'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(MxgenError);
    expect((err as MxgenError).message).to.equal(
      'f.yaml: graph[1].input: shape mismatch: hadamard over 12 features: hadamard size 12 is not a power of two (1, 2, 4, … 2^30)',
    );
  });

  it('golden tokens equal sat(RNE(H·x·2^(ex - 2 - ey))) computed here from the ±1 matrix', () => {
    const c = compileGraph(designToGraph(design(16), 'f.yaml'));
    const g = c.graph;
    const fx = nodeByName(g, 'x')?.type?.format;
    const fy = nodeByName(g, 'rot')?.type?.format;
    if (fx?.kind !== 'element' || fy?.kind !== 'element')
      throw new Error('element formats expected');
    const ex = getFormat(fx.name).lsbExp + fx.scaleExp;
    const ey = getFormat(fy.name).lsbExp + fy.scaleExp;
    const v = designVectors(g, 6);
    const lanes = (word: bigint | undefined, w: number): bigint[] =>
      Array.from({ length: 16 }, (_, i) =>
        BigInt.asIntN(w, ((word ?? 0n) >> BigInt(w * i)) & ((1n << BigInt(w)) - 1n)),
      );
    let checked = 0;
    v.inBeats.forEach((beat, t) => {
      const x = lanes(beat.x, 8);
      const want = x.map((_, i) => {
        let acc = 0n;
        x.forEach((xj, jj) => {
          let p = i & jj;
          let par = 0;
          for (; p; p >>= 1) par ^= p & 1;
          acc += par ? -xj : xj;
        });
        // value acc·2^(ex - 2) at 2^ey: shift d = ey - ex + 2, RNE, saturate to int4
        const d = BigInt(ey - ex + 2);
        let q = d <= 0n ? acc << -d : acc >> d;
        if (d > 0n) {
          const rem = acc - (q << d);
          const h = 1n << (d - 1n);
          if (rem > h || (rem === h && (q & 1n) === 1n)) q += 1n;
        }
        return q > 7n ? 7n : q < -8n ? -8n : q;
      });
      expect(lanes(v.outBeats[t]?.y, 4), `token ${t}`).to.deep.equal(want);
      checked++;
    });
    expect(checked).to.equal(12);
  });

  it('the bundled ffn-quarot is bit-exact in the native simulator (20 tensors, stalls)', () => {
    const c = compileGraph(readDesignFile('templates/designs/ffn-quarot.yaml'));
    const r = simulateNative(c, 20, 0.2, 0.2);
    expect(r.native.mismatches).to.equal(0);
    expect(r.native.beatsCompared).to.equal(80);
  });
});
