// mx-scale: every registered example through the generic component sweep (native sim vs
// numerics.quantizeBlock with stalls, one Verilator build, lint, determinism), plus the scale
// of hand-computed blocks and every policy on boundary maxima.
import { expect } from 'chai';
import {
  mxScaleKind,
  parseConfig,
  type AnyComponentKind,
  type MxScaleConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(mxScaleKind as unknown as AnyComponentKind, { transactions: 10_000 });

function scaleOf(raw: unknown, words: number[]): bigint {
  const cfg = parseConfig(mxScaleKind as unknown as AnyComponentKind, raw) as MxScaleConfig;
  const sim = compile(elaborate(mxScaleKind.generate(cfg)));
  let v = 0n;
  for (let i = words.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i] as number);
  const r = runStream(sim, [{ values: v }], {
    inFields: ['values'],
    outFields: ['scale'],
    expectedOutBeats: 1,
  });
  return r.outBeats[0]?.['scale'] ?? -1n;
}

describe('mx-scale: hand-computed scales', () => {
  it('amax 7.0 for E2M1 gives s = 2 - 2 = 0, X = 0x7F (formats.md 8.3 B1)', () => {
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 2 }, [0x40e00000, 0x3e99999a])).to.equal(0x7fn);
  });
  it('amax 1000 for E4M3 gives s = 9 - 8 = 1, X = 0x80 (8.3 B2)', () => {
    expect(scaleOf({ format: 'mxfp8_e4m3', k: 2 }, [0x447a0000, 0x40400000])).to.equal(0x80n);
  });
  it('a NaN, +Inf or -Inf anywhere gives 0xFF; an all-zero block 0x00 (8.3 B4, B5)', () => {
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 2 }, [0x3f800000, 0xff800000])).to.equal(0xffn);
    expect(scaleOf({ format: 'mxint8', k: 2 }, [0x7fc00001, 0])).to.equal(0xffn);
    expect(scaleOf({ format: 'mxint8', k: 2 }, [0x80000000, 0])).to.equal(0n);
  });
  it('subnormal maxima clamp to s = -127, X = 0x00 (8.3 B6: 2^-140 gives s = -142)', () => {
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 2 }, [0x200, 0x100])).to.equal(0n);
  });
  it('ceil adds one unless amax is a power of two; even rounds 1.1111·2^E up for E2M1', () => {
    // 3.0 = 1.1·2^1: floor s = 1 - 2 = -1 (0x7E); ceil s = 2 - 2 = 0 (0x7F).
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'ceil' }, [0x40400000])).to.equal(0x7fn);
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'ceil' }, [0x40000000])).to.equal(0x7en);
    // E2M1 M = 1: 1.11b·2^1 = 3.5 rounds (RNA, 2 bits) to 4 → s = 2 - 2 = 0; 3.0 stays at s = -1.
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'even' }, [0x40600000])).to.equal(0x7fn);
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'even' }, [0x40400000])).to.equal(0x7en);
  });
  it('rceil picks the smallest s with amax·2^-s ≤ max (E2M1 max 6)', () => {
    // amax 6.0: s0 = 2 - 2 = 0, 6 ≤ 6 → X = 0x7F; amax 6.5: 6.5 > 6 → s = 1, X = 0x80.
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'rceil' }, [0x40c00000])).to.equal(0x7fn);
    expect(scaleOf({ format: 'mxfp4_e2m1', k: 1, policy: 'rceil' }, [0x40d00000])).to.equal(0x80n);
  });
});
