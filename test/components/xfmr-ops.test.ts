// The transformer-op units (softmax, layernorm, rmsnorm, gelu, silu, mul, matmul): every registered example
// passes Verilator -Wall, Icarus -g2012 and Yosys `proc; check -assert` with zero warnings, and
// hand-computed rows give the expected codes in the native simulator (values worked out in
// test/unit/numerics/int-ops.test.ts).
import { expect } from 'chai';
import {
  getComponent,
  packSignedCodes,
  parseConfig,
  unpackSignedCodes,
  unpackUnsignedCodes,
  type Beat,
} from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { lintAll } from '../support/lint-set.js';

const KINDS = ['softmax', 'layernorm', 'rmsnorm', 'gelu', 'silu', 'mul', 'matmul'];

function runOne(kindName: string, raw: unknown, beat: Beat): Beat {
  const kind = getComponent(kindName);
  const cfg = parseConfig(kind, raw);
  const f = kind.stream(cfg);
  const r = runStream(compile(elaborate(kind.generate(cfg))), [beat], {
    inFields: f.in.map((x) => x.name),
    outFields: f.out.map((x) => x.name),
    expectedOutBeats: 1,
  });
  return r.outBeats[0] ?? {};
}

describe('transformer-op units', function () {
  this.timeout(10 * 60_000);
  it('every registered example passes Verilator -Wall, Icarus and Yosys check', async () => {
    const designs = KINDS.flatMap((k) => {
      const kind = getComponent(k);
      return kind.examples.map((ex) => ({
        name: `${k}-${ex.name}`,
        sv: emitSv(elaborate(kind.generate(parseConfig(kind, ex.config)))),
      }));
    });
    expect(designs.length).to.equal(19);
    expect(await lintAll(designs)).to.deep.equal([]);
  });
  it('softmax of [16, 0] at 2^-4 is [187, 69] (u8 at 2^-8)', () => {
    const y = runOne('softmax', { n: 2 }, { x: packSignedCodes([16, 0], 8) });
    expect(unpackUnsignedCodes(y['p'] ?? 0n, 8, 2)).to.deep.equal([187, 69]);
  });
  it('layernorm / rmsnorm of [3, 1, -1, -3] (eps 1, γ 1) are [39, 13, -13, -39] at 2^-5', () => {
    const cfg = { n: 4, inScaleExp: 0, epsExp: 0 };
    const beat = {
      x: packSignedCodes([3, 1, -1, -3], 8),
      gamma: packSignedCodes([64, 64, 64, 64], 8),
    };
    const ln = runOne('layernorm', cfg, { ...beat, beta: 0n });
    expect(unpackSignedCodes(ln['y'] ?? 0n, 8, 4)).to.deep.equal([39, 13, -13, -39]);
    const rms = runOne('rmsnorm', cfg, beat);
    expect(unpackSignedCodes(rms['y'] ?? 0n, 8, 4)).to.deep.equal([39, 13, -13, -39]);
  });
  it('gelu-erf(2) = 63 at 2^-5, silu(1) = 94 at 2^-7, mul 7·(-9) = -8', () => {
    const g = runOne('gelu', { n: 1, inScaleExp: -5 }, { x: packSignedCodes([64], 8) });
    expect(unpackSignedCodes(g['y'] ?? 0n, 8, 1)).to.deep.equal([63]);
    const s = runOne('silu', { n: 1, inScaleExp: 0, outScaleExp: -7 }, { x: 1n });
    expect(unpackSignedCodes(s['y'] ?? 0n, 8, 1)).to.deep.equal([94]);
    const m = runOne('mul', { n: 1, outScaleExp: -5 }, { a: 7n, b: packSignedCodes([-9], 8) });
    expect(unpackSignedCodes(m['y'] ?? 0n, 8, 1)).to.deep.equal([-8]);
  });
  it('matmul [[1, 2], [3, 4]]·[[5, 6], [7, 8]] at 2^2 is [[5, 6], [11, 12]]; transposed [[17, 23], [39, 53]]', () => {
    const beat = { a: packSignedCodes([1, 2, 3, 4], 8), b: packSignedCodes([5, 6, 7, 8], 8) };
    const cfg = { k: 2, aScaleExp: 0, bScaleExp: 0 };
    const y = runOne('matmul', { ...cfg, outScaleExp: 2 }, beat);
    expect(unpackSignedCodes(y['y'] ?? 0n, 8, 4)).to.deep.equal([5, 6, 11, 12]);
    const t = runOne('matmul', { ...cfg, outScaleExp: 0, transposeB: true }, beat);
    expect(unpackSignedCodes(t['y'] ?? 0n, 8, 4)).to.deep.equal([17, 23, 39, 53]);
  });
});
