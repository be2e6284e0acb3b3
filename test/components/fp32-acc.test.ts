// fp32-acc: every registered example through the generic component sweep (10^4 random beats with
// stalls vs the sequential binary32 sum of numerics, every ordered pair of chosen values as a
// two-value sum, one Verilator build, lint in Verilator, Icarus and Yosys, determinism), plus
// hand-checked sums.
import { expect } from 'chai';
import {
  fp32AccKind,
  parseConfig,
  type AnyComponentKind,
  type Beat,
  type Fp32AccConfig,
} from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';
import { lintAll } from '../support/lint-set.js';

sweepComponentKind(fp32AccKind as unknown as AnyComponentKind, { transactions: 10_000 });

function sums(raw: unknown, values: number[][]): bigint[] {
  const cfg = parseConfig(fp32AccKind as unknown as AnyComponentKind, raw) as Fp32AccConfig;
  const sim = compile(elaborate(fp32AccKind.generate(cfg)));
  const beats: Beat[] = values.flatMap((vs) =>
    vs.map((v, i) => ({ value: BigInt(v), last: i === vs.length - 1 ? 1n : 0n })),
  );
  const r = runStream(sim, beats, {
    inFields: ['value', 'last'],
    outFields: ['value'],
    expectedOutBeats: values.length,
  });
  const got = r.outBeats.map((b) => b['value'] ?? -1n);
  expect(got).to.deep.equal(fp32AccKind.reference(cfg, beats).map((b) => b['value']));
  return got;
}

describe('fp32-acc: lint beyond Verilator', () => {
  it('every example is clean in verilator --lint-only -Wall, Icarus -g2012 and Yosys check', async () => {
    const kind = fp32AccKind as unknown as AnyComponentKind;
    const designs = kind.examples.map((ex) => ({
      name: ex.name,
      sv: emitSv(elaborate(kind.generate(parseConfig(kind, ex.config)))),
    }));
    expect(await lintAll(designs)).to.deep.equal([]);
  });
});

describe('fp32-acc: hand-checked sums', () => {
  for (const stages of [1, 2])
    it(`stages ${stages}: order, rounding, zeros and specials`, () => {
      expect(
        sums({ stages }, [
          [0x3f800000, 0x40000000, 0x40400000], // 1 + 2 + 3 = 6
          [0x4b800000, 0x3f800000, 0x3f800000], // 2^24 + 1 + 1 = 2^24 (two ties to even)
          [0x3f800000, 0x3f800000, 0x4b800000], // 1 + 1 + 2^24 = 2^24 + 2 (order matters)
          [0x80000000, 0x80000000], // -0 + -0 from +0: +0
          [0x3f800000, 0xbf800000], // 1 - 1 = +0
          [0x7f7fffff, 0x7f7fffff, 0xff7fffff], // overflow to +Inf stays Inf
          [0x7f800000, 0xff800000, 0x3f800000], // Inf - Inf = NaN, stays NaN
          [0xffc00123], // a NaN input gives the canonical NaN
          [0x00000001, 0x00000001, 0x807fffff], // subnormals: 2 - (2^23 - 1) ulps
        ]),
      ).to.deep.equal([
        0x40c00000n,
        0x4b800000n,
        0x4b800001n,
        0n,
        0n,
        0x7f800000n,
        0x7fc00000n,
        0x7fc00000n,
        0x807ffffdn,
      ]);
    });
});
