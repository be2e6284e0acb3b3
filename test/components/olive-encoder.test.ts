// olive-encoder: every registered example through the generic sweep (10^4 random beats with
// ties, σ over the whole s8 range, subnormals, NaN/±Inf vs numerics.oliveEncode, one Verilator
// build, lint, determinism), plus the worked pairs of formats.md 6.5 (σ = 1).
import { expect } from 'chai';
import {
  oliveEncoderKind,
  parseConfig,
  type AnyComponentKind,
  type OliveEncoderConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { parseBinary32 } from '../../src/numerics/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

const kind = oliveEncoderKind as unknown as AnyComponentKind;
sweepComponentKind(kind, { transactions: 10_000 });

function encodePairs(pairs: [string, string][], sigmaExp = 0): bigint[] {
  const cfg = parseConfig(kind, { pairs: 1 }) as OliveEncoderConfig;
  const sim = compile(elaborate(oliveEncoderKind.generate(cfg)));
  const beats = pairs.map(([a, b]) => ({
    values: BigInt(parseBinary32(a)) | (BigInt(parseBinary32(b)) << 32n),
    sigma_exp: BigInt.asUintN(8, BigInt(sigmaExp)),
  }));
  const r = runStream(sim, beats, {
    inFields: ['values', 'sigma_exp'],
    outFields: ['codes'],
    expectedOutBeats: beats.length,
    stallProbability: 0.3,
  });
  return r.outBeats.map((b) => b['codes'] ?? -1n);
}

describe('olive-encoder: formats.md 6.5 worked pairs (σ = 1)', () => {
  it('encodes (3.2, -50), (5.6, -2.4), (100, 20), (9.5, 1), (-13, 40) to D8, E6, 87, 17, 48', () => {
    const got = encodePairs([
      ['3.2', '-50.0'],
      ['5.6', '-2.4'],
      ['100.0', '20.0'],
      ['9.5', '1.0'],
      ['-13.0', '40.0'],
    ]);
    expect(got).to.deep.equal([0xd8n, 0xe6n, 0x87n, 0x17n, 0x48n]);
  });
  it('divides by σ = 2^e exactly: (3.2·8, -50·8) with e = 3 is again 0xD8', () => {
    expect(encodePairs([['25.6', '-400.0']], 3)).to.deep.equal([0xd8n]);
  });
  it('maps NaN to 0 and ±Inf to ±96 (hardware choice; the golden encoder rejects them)', () => {
    // (NaN, -Inf): c0 = identifier 1000 (victim), c1 = -96 = 1.11.1 = 0xF → 0xF8.
    expect(encodePairs([['NaN', '-Inf']])).to.deep.equal([0xf8n]);
  });
});
