// mx-quantize with format nvfp4 (formats.md 9.2, g = 2^tensorScaleExp): hand-calculated blocks
// (expected codes worked out in the comments from the 9.2 rule, not from the code), the scale
// thresholds of the generator, and a directed sweep over every E4M3 scale code 1..0x7E for
// three tensor scales (block max exactly 6g·v_c, on each scale midpoint and one ulp either side,
// elements on every E2M1 midpoint, grid value and one ulp off) in the native simulator against
// numerics.nvfp4Quantize, then replayed in one Verilator build. The random sweep of the
// registered nvfp4 examples runs in mx-quantize.test.ts.
import { expect } from 'chai';
import {
  mxQuantizeKind,
  nvfp4ScaleThresholds,
  parseConfig,
  type AnyComponentKind,
  type Beat,
  type MxQuantizeConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import {
  add,
  decode,
  finite,
  type FiniteExact,
  mul,
  parseBinary32,
  toBinary32Bits,
} from '../../src/numerics/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { replayInVerilator, runNative, type NativeRun } from '../support/component-harness.js';

const kind = mxQuantizeKind as unknown as AnyComponentKind;
const cfgOf = (raw: object): MxQuantizeConfig => parseConfig(kind, raw) as MxQuantizeConfig;

function pack(words: readonly number[]): bigint {
  let v = 0n;
  for (let i = 15; i >= 0; i--) v = (v << 32n) | BigInt(words[i] ?? 0);
  return v;
}

/** Runs blocks of binary32 text (padded with +0 to 16) through the native simulator. */
function quantize(values: string[][], tensorScaleExp = 0): { scale: number; codes: number[] }[] {
  const cfg = cfgOf({ format: 'nvfp4', tensorScaleExp });
  const sim = compile(elaborate(mxQuantizeKind.generate(cfg)));
  const r = runStream(
    sim,
    values.map((b) => ({ values: pack(b.map(parseBinary32)) })),
    {
      inFields: ['values'],
      outFields: ['scale', 'elems'],
      expectedOutBeats: values.length,
      stallProbability: 0.3,
    },
  );
  return r.outBeats.map((o, n) => ({
    scale: Number(o['scale'] ?? -1n),
    codes: Array.from({ length: (values[n] ?? []).length + 1 }, (_, i) =>
      Number(((o['elems'] ?? 0n) >> BigInt(4 * i)) & 15n),
    ),
  }));
}

describe('mx-quantize nvfp4: hand-calculated blocks (formats.md 9.2)', () => {
  it('g = 1, amax 6: s = 1.0 (0x38); ties 0.25, 0.75, 1.25, 5 go to even codes; -0 kept', () => {
    // y = V: 6 → 6 (7); 3 → 3 (5); -1.5 (B); 0.75 → 1 (2); 0.25 → 0 (0); -0 (8); 1.25 → 1 (2);
    // 5 → 4 (6); the padded tail is +0.
    const [r] = quantize([['6', '3', '-1.5', '0.75', '0.25', '-0', '1.25', '5']]);
    expect(r).to.deep.equal({ scale: 0x38, codes: [7, 5, 0xb, 2, 0, 8, 2, 6, 0] });
  });
  it('amax 18: s = 3 = 1.5·2^1 (0x44), elements divided by 3 exactly', () => {
    // y = V/3: 6 (7); 7.5/3 = 2.5 → 2 (4); -10.5/3 = -3.5 → -4 (E); 15/3 = 5 → 4 (6);
    // 2.25/3 = 0.75 → 1 (2); 0.75/3 = 0.25 → 0 (0); -(0.75 + 2^-24)/3 just beyond -0.25 → -0.5 (9).
    const [r] = quantize([['18', '7.5', '-10.5', '15', '2.25', '0.75', '0xBF400001']]);
    expect(r).to.deep.equal({ scale: 0x44, codes: [7, 4, 0xe, 6, 2, 0, 9, 0] });
  });
  it('scale ties go to the even E4M3 code; amax/d > 6 saturates to 6', () => {
    // 6.375/6 = 1.0625, midway 1.0 (0x38) / 1.125 (0x39) → 0x38; y = ±6.375 → ±6 (7, F).
    // 7.125/6 = 1.1875, midway 1.125 (0x39) / 1.25 (0x3A) → 0x3A; y = 7.125/1.25 = 5.7 → 6 (7);
    // 3.125/1.25 = 2.5 → 2 (4); 4.375/1.25 = 3.5 → 4 (6).
    const r = quantize([
      ['6.375', '-6.375'],
      ['7.125', '3.125', '4.375'],
    ]);
    expect(r).to.deep.equal([
      { scale: 0x38, codes: [7, 0xf, 0] },
      { scale: 0x3a, codes: [7, 4, 6, 0] },
    ]);
  });
  it('scale saturation: 2784/6 = 464 ties to 448 (0x7E), 6000/6 = 1000 saturates', () => {
    // y = 2784/448 = 6.21 → 6 (7); 2240/448 = 5 → 4 (6); 6000/448 = 13.4 → 6 (7).
    const r = quantize([['2784', '2240'], ['6000']]);
    expect(r).to.deep.equal([
      { scale: 0x7e, codes: [7, 6, 0] },
      { scale: 0x7e, codes: [7, 0] },
    ]);
  });
  it('scale underflow: amax/6 = 2^-10 ties to 0 → every element +0; one ulp more → 2^-9', () => {
    // 0x3BC00000 = 3·2^-9, /6 = 2^-10: midway 0 / 2^-9 → 0x00, elements +0 (even the negative).
    // 0x3BC00001 /6 > 2^-10 → 0x01 (2^-9); y = (3·2^-9 + 2^-31)/2^-9 → 3 (5, D); 0.001·512 =
    // 0.512 → 0.5 (1).
    const r = quantize([
      ['0xBBC00000', '0.001'],
      ['0xBBC00001', '0.001'],
    ]);
    expect(r).to.deep.equal([
      { scale: 0, codes: [0, 0, 0] },
      { scale: 1, codes: [0xd, 1, 0] },
    ]);
  });
  it('NaN or ±Inf anywhere: s = 0x7F, elements 0; all-zero block: s = 0, elements +0', () => {
    const r = quantize([
      ['1', 'NaN'],
      ['-Inf', '1'],
      ['0', '-0'],
    ]);
    expect(r).to.deep.equal([
      { scale: 0x7f, codes: [0, 0, 0] },
      { scale: 0x7f, codes: [0, 0, 0] },
      { scale: 0, codes: [0, 0, 0] },
    ]);
  });
  it('g = 2^-3: amax 2.25 / (6/8) = 3 (0x44); y = V / 0.375', () => {
    // 2.25/0.375 = 6 (7); -0.3125/0.375 = -0.833 → -1 (A).
    const [r] = quantize([['2.25', '-0.3125']], -3);
    expect(r).to.deep.equal({ scale: 0x44, codes: [7, 0xa, 0] });
  });
  it('subnormal inputs with g = 2^-140 (itself subnormal): s = 1.0, exact element ties', () => {
    // 0x00000C00 = 3·2^-139: /(6·2^-140) = 1 → 0x38; y = V/2^-140: 6 (7); 0x100 = 2^-141 → 0.5
    // (1); 0x80000180 = -1.5·2^-141 → -0.75 ties to -1 (A). With g = 1 the same block underflows.
    expect(quantize([['0x00000C00', '0x00000100', '0x80000180']], -140)).to.deep.equal([
      { scale: 0x38, codes: [7, 1, 0xa, 0] },
    ]);
    expect(quantize([['0x00000C00', '0x00000100', '0x80000180']], 0)).to.deep.equal([
      { scale: 0, codes: [0, 0, 0, 0] },
    ]);
  });
  it('scale thresholds U_c: tie at an even code stays (U = T + 1 ulp), at an odd code goes up', () => {
    const u = nvfp4ScaleThresholds(0);
    expect(u).to.have.length(126);
    // c = 0: T = 3·(0 + 2^-9) = 0x3BC00000, c even → U = 0x3BC00001.
    expect(u[0]).to.equal(0x3bc00001);
    // c = 125: T = 3·(416 + 448) = 2592 = 0x45220000, c odd → U = T.
    expect(u[125]).to.equal(0x45220000);
    // g = 2^127, c = 125: T = 3·2^127·864 is above the binary32 max: never reached (Inf pattern).
    expect(nvfp4ScaleThresholds(127)[125]).to.equal(0x7f800000);
  });
  it('rejects bad configs with the field named', () => {
    expect(() => cfgOf({ format: 'nvfp4', k: 32 })).to.throw(
      /mx-quantize\.k: k must be at most 16/,
    );
    expect(() => cfgOf({ format: 'nvfp4', policy: 'ceil' })).to.throw(/policy applies/);
    expect(() => cfgOf({ format: 'mxint8', tensorScaleExp: 1 })).to.throw(/nvfp4 only/);
    expect(() => cfgOf({ format: 'nvfp4', tensorScaleExp: 128 })).to.throw(/at most 127/);
    expect(cfgOf({ format: 'nvfp4' }).k).to.equal(16);
    expect(cfgOf({ format: 'mxint8' }).k).to.equal(32);
  });
});

// ---- directed sweep over every scale code ----

const b32 = (x: FiniteExact): number => toBinary32Bits(x) >>> 0;
const e4m3 = (c: number): FiniteExact => decode('fp8_e4m3', c) as FiniteExact;
const MID_X4 = [1, 3, 5, 7, 10, 14, 20];
const GRID_X4 = [0, 2, 4, 6, 8, 12, 16, 24];

/** Blocks around scale code c with g = 2^G (values rounded to binary32 when not exact). */
function directedBlocks(c: number, G: number): number[][] {
  const gd = mul(finite(false, 1n, G), e4m3(c)) as FiniteExact;
  const at = (m: number): number => b32(mul(gd, finite(false, BigInt(m), -2)) as FiniteExact);
  const top = at(24); // 6g·v_c: s = c
  const neg = (w: number): number => (w | 0x80000000) >>> 0;
  const mids = MID_X4.map(at);
  const grid = GRID_X4.map(at);
  const blocks = [
    [top, ...mids, ...mids.map(neg), 0x80000000],
    [neg(top), ...grid, ...grid.slice(1).map(neg)],
    [top, ...mids.map((w) => w + 1), ...mids.map((w) => neg(Math.max(w - 1, 0))), 0],
  ];
  // The scale midpoint below v_c, exactly and one ulp either side, as the block maximum: the other
  // 15 elements are the midpoints and grid values below it (zeros when fewer), so the block's
  // amax / 6g lies exactly between the E4M3 scale codes c - 1 and c.
  const tie = b32(mul(finite(false, 3n, G), add(e4m3(c - 1), e4m3(c))) as FiniteExact);
  for (const t of [Math.max(tie - 1, 0), tie, tie + 1]) {
    const below = [...mids, ...grid].filter((w) => w < t).slice(0, 15);
    blocks.push([t, ...below, ...new Array<number>(15 - below.length).fill(0)]);
  }
  return blocks;
}

describe('mx-quantize nvfp4: every scale code, every element midpoint (native + Verilator)', function () {
  this.timeout(10 * 60_000);
  const runs: NativeRun[] = [];
  for (const G of [0, -140, 120]) {
    it(`g = 2^${G}: 126 scale codes × 6 blocks equal numerics.nvfp4Quantize in the native sim`, () => {
      const cfg = cfgOf({ format: 'nvfp4', tensorScaleExp: G });
      const beats: Beat[] = [];
      for (let c = 1; c <= 0x7e; c++)
        for (const b of directedBlocks(c, G))
          // Blocks whose max overflowed binary32 are Inf blocks (s = 0x7F): still valid stimulus.
          beats.push({ values: pack(b) });
      const run = runNative(kind, cfg, `nvfp4 g=2^${G} directed`, beats, {
        seed: 77 + G,
        idleProbability: 0.2,
        stallProbability: 0.2,
      });
      expect(run.outBeats).to.have.length(126 * 6);
      if (G === 0) {
        // Exact binary32 here: the blocks at the scale midpoint take the even one of the codes
        // c - 1 and c, one ulp below takes c - 1, one ulp above takes c (for every code c).
        const scales = run.outBeats.map((b) => Number(b['scale']));
        for (let c = 1; c <= 0x7e; c++) {
          const [below, at, above] = scales.slice(6 * (c - 1) + 3, 6 * (c - 1) + 6);
          expect([below, at, above], `scale code ${c}`).to.deep.equal([
            c - 1,
            (c - 1) % 2 === 0 ? c - 1 : c,
            c,
          ]);
        }
      }
      runs.push(run);
    });
  }
  it('the same stimulus in one Verilator build equals the native sim every cycle', async () => {
    expect(runs).to.have.length(3);
    const rep = await replayInVerilator(
      runs.map((r, i) => ({ name: `d${i}`, netlist: r.netlist })),
      [runs],
    );
    expect(rep.beats).to.equal(3 * 126 * 6);
    expect(rep.compared).to.be.greaterThan(0);
  });
});
