// blockdialect tensors in the IR (docs/blockdialect.md, docs/ir.md): the quantizer picks the
// documented rule by role (activations online, weights offline), a stream's scale word is
// X | dialect << 8, and a blockdialect × blockdialect layer is placed on dialect-mac lanes behind
// a dialect-quantize cast.
import { expect } from 'chai';
import { readDesignFile } from '../../src/flow/design-file.js';
import { simulateNative } from '../../src/flow/flow.js';
import { compileGraph, formatOf, quantizeDialect } from '../../src/ir/index.js';
import { fromNumber } from '../../src/numerics/index.js';

const HAND = [6.5, 5.25, 5, 1, -0.3, 2.2, -4.6, 0];

describe('ir: blockdialect tensors', () => {
  it('online: the hand-worked block of docs/blockdialect.md (dialect 4, codes 7 6 6 2 9 4 E 0)', () => {
    const q = quantizeDialect(HAND.map(fromNumber), 'online');
    expect(q.scales).to.deep.equal([127, 4]);
    expect(q.codes).to.deep.equal([0x7, 0x6, 0x6, 0x2, 0x9, 0x4, 0xe, 0x0]);
    expect(
      q.values.map((v) =>
        v.kind === 'finite' ? Number(v.sig) * 2 ** v.exp * (v.neg ? -1 : 1) : NaN,
      ),
    ).to.deep.equal([6.5, 5, 5, 1, -0.5, 2, -5, 0]);
  });

  it('offline: the least-squared-error dialect (only dialect 9 holds 5.5 and 3.5 exactly)', () => {
    // s = 0; dialect 9 = 5.5 3.5 3 2 1.5 1 0.5 0 represents every value (error 0); every other
    // dialect misses 5.5 or 3.5.
    const q = quantizeDialect([5.5, 3.5, 3, -2, 1.5, 1, 0.5, 0].map(fromNumber), 'offline');
    expect(q.scales).to.deep.equal([127, 9]);
    expect(q.codes).to.deep.equal([0x7, 0x6, 0x5, 0xc, 0x3, 0x2, 0x1, 0x0]);
  });

  it('blocks of 32: two scale bytes per block, a short tail padded with +0', () => {
    const xs = Array.from({ length: 40 }, (_, i) => fromNumber(((i * 7) % 13) - 6));
    const q = quantizeDialect(xs, 'online');
    expect(q.codes).to.have.length(40);
    expect(q.scales).to.have.length(4);
  });

  it('ffn-blockdialect: weights offline, the cast online, dialect-mac lanes', () => {
    const c = compileGraph(readDesignFile('templates/designs/ffn-blockdialect.yaml'));
    const g = c.graph;
    const node = (n: string) => g.nodes.find((x) => x.name === n);
    expect(formatOf(node('up.weight') ?? g.nodes[0]!)).to.deep.include({ rule: 'offline' });
    expect(formatOf(node('xq') ?? g.nodes[0]!)).to.deep.include({ rule: 'online' });
    const up = node('up')?.unit;
    expect(up?.kind === 'linear-unit' && up.component?.kind).to.equal('dialect-mac');
    const xq = node('xq')?.unit;
    expect(xq?.kind === 'cast-unit' && xq.outDialect).to.equal(true);
  });

  it('the bundled ffn-blockdialect is bit-exact in the native simulator (20 tensors, stalls)', () => {
    const c = compileGraph(readDesignFile('templates/designs/ffn-blockdialect.yaml'));
    const r = simulateNative(c, 20, 0.2, 0.2);
    expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
    expect(r.native.beatsCompared).to.equal(80);
  });
});
