// The numerics benchmark measures decode over every code of each format, not a 16-code subset.
import { expect } from 'chai';
import { BENCH_FORMATS, decodeCodes } from '../../../scripts/bench/numerics.js';

describe('scripts/bench/numerics.ts inputs', () => {
  it('decode is fed every code of each benchmarked format', () => {
    // a deterministic stream of 32-bit patterns (LCG) as the bench's inputs would be
    let a = 1;
    const xs: number[] = [];
    for (let i = 0; i < 20_000; i++) xs.push((a = (Math.imul(a, 1664525) + 1013904223) >>> 0));
    // fp8_e4m3 and int8 have 256 codes, fp4_e2m1 16
    const want: Record<string, number> = { fp8_e4m3: 256, fp4_e2m1: 16, int8: 256 };
    for (const f of BENCH_FORMATS) expect(new Set(decodeCodes(f, xs)).size, f).to.equal(want[f]);
  });
});
