// Coverage of the olive-encoder stimulus (randomBeat): the generated values hit every region of
// formats.md 6.4 / 6.6 (every normal integer and .5 tie, the normal/outlier tie, every outlier
// magnitude and every tie between neighbouring outliers, saturation, equal-|q| outlier pairs,
// ±0, subnormal x, NaN, ±Inf, σ exponents over the s8 range), and the codes the hardware
// produces from them — checked against numerics.oliveEncode in the native simulator, then
// replayed in one Verilator build — cover all 253 reachable olive4 pair bytes, and ≥ 90 % of the
// 65 533 reachable olive8 pair codes (all 508 outlier pairs, every normal code in both slots).
// Reachable sets come from 6.4 / 6.6: two normals (never the identifier), or the identifier next
// to an outlier code with a nonzero magnitude.
import { expect } from 'chai';
import {
  makeRng,
  oliveEncoderKind,
  parseConfig,
  type AnyComponentKind,
  type Beat,
  type OliveEncoderConfig,
} from '../../src/components/index.js';
import { compare, finite, fromBinary32Bits, oliveEncode } from '../../src/numerics/index.js';
import {
  randomBeats,
  replayInVerilator,
  runNative,
  type NativeRun,
} from '../support/component-harness.js';

const kind = oliveEncoderKind as unknown as AnyComponentKind;
const N = 10_000;
const OLIVE4 = parseConfig(kind, { variant: 'olive4', pairs: 1 }) as OliveEncoderConfig;
const OLIVE8 = parseConfig(kind, { variant: 'olive8', pairs: 32 }) as OliveEncoderConfig;

function grid(variant: 'olive4' | 'olive8'): { bits: number; max: number; outliers: number[] } {
  const [bits, M] = variant === 'olive4' ? [4, 1] : [8, 5];
  const outliers: number[] = [];
  for (let e = 0; e < 4; e++)
    for (let m = e === 0 ? 1 : 0; m < 1 << M; m++) outliers.push(((1 << M) + m) << (e + 2));
  return { bits, max: (1 << (bits - 1)) - 1, outliers };
}

/** Every pair code an encoder can emit (6.4 / 6.6), as c0 | c1 << bits. */
function reachable(variant: 'olive4' | 'olive8'): Set<number> {
  const { bits } = grid(variant);
  const id = 1 << (bits - 1);
  const out = new Set<number>();
  for (let c0 = 0; c0 < 1 << bits; c0++)
    for (let c1 = 0; c1 < 1 << bits; c1++) {
      const normals = c0 !== id && c1 !== id;
      const outlier = (c0 === id) !== (c1 === id) && ((c0 === id ? c1 : c0) & (id - 1)) !== 0;
      if (normals || outlier) out.add(c0 | (c1 << bits));
    }
  return out;
}

function pairCodes(cfg: OliveEncoderConfig, beats: readonly Beat[]): number[] {
  const w = cfg.variant === 'olive4' ? 8 : 16;
  const mask = (1n << BigInt(w)) - 1n;
  return beats.flatMap((b) =>
    Array.from({ length: cfg.pairs }, (_, j) =>
      Number(((b['codes'] ?? 0n) >> BigInt(w * j)) & mask),
    ),
  );
}

/** Region counts of the input values of `beats` (y = x / 2^e, exact). */
function regions(cfg: OliveEncoderConfig, beats: readonly Beat[]): Map<string, number> {
  const { bits, max, outliers } = grid(cfg.variant);
  const id = 1 << (bits - 1);
  const top = outliers[outliers.length - 1] as number;
  const count = new Map<string, number>();
  const hit = (k: string): void => void count.set(k, (count.get(k) ?? 0) + 1);
  for (const b of beats) {
    const e = Number(BigInt.asIntN(8, b['sigma_exp'] ?? 0n));
    if (e < -100) hit('sigma<-100');
    if (e > 100) hit('sigma>100');
    if (e >= -10 && e <= 10) hit(`sigma=${e}`);
    const words = Array.from({ length: 2 * cfg.pairs }, (_, i) =>
      Number(((b['values'] ?? 0n) >> BigInt(32 * i)) & 0xffffffffn),
    );
    const qs = words.map((w) => {
      if ((w & 0x7fffffff) === 0) hit(w === 0 ? '+0' : '-0');
      else if ((w & 0x7f800000) === 0) hit('subnormal x');
      const x = fromBinary32Bits(w);
      if (x.kind !== 'finite') {
        hit(x.kind);
        return undefined;
      }
      // 2|y| as an exact value; an integer → which grid point or midpoint it is.
      const twoY = finite(false, x.sig, x.exp - e + 1);
      if (compare(twoY, finite(false, BigInt(2 * top), 0)) === 1) hit('saturation');
      const n = twoY.exp >= 0 ? Number(twoY.sig << BigInt(twoY.exp)) : undefined;
      if (n !== undefined && n % 2 === 0 && n / 2 <= max) hit(`normal ${n / 2}`);
      if (n !== undefined && n % 2 === 1 && n < 2 * max) hit(`tie ${n / 2}`);
      if (n === max + (outliers[0] as number)) hit(`tie ${n / 2} normal/outlier`);
      outliers.forEach((o, i) => {
        if (n === 2 * o) hit(`outlier ${o}`);
        if (i > 0 && n === (outliers[i - 1] as number) + o) hit(`tie ${n / 2} outliers`);
      });
      // The element's own quantization: encode it next to +0 (an outlier leaves c1 = id).
      const bytes = oliveEncode(
        [{ binary32: w }, { binary32: 0 }],
        finite(false, 1n, e),
        cfg.variant,
      );
      const c1 = cfg.variant === 'olive4' ? (bytes[0] ?? 0) >> 4 : (bytes[1] ?? 0);
      const c0 = cfg.variant === 'olive4' ? (bytes[0] ?? 0) & 15 : (bytes[0] ?? 0);
      return c1 === id ? c0 & (id - 1) : undefined; // the outlier's magnitude code
    });
    for (let j = 0; j < cfg.pairs; j++) {
      const [a, c] = [qs[2 * j], qs[2 * j + 1]];
      if (a !== undefined && c !== undefined)
        hit(a === c ? 'two outliers, equal |q|' : 'two outliers');
    }
  }
  return count;
}

/** The region names every stimulus must hit. */
function requiredRegions(variant: 'olive4' | 'olive8'): string[] {
  const { max, outliers } = grid(variant);
  const r = ['+0', '-0', 'subnormal x', 'nan', 'inf', 'saturation', 'sigma<-100', 'sigma>100'];
  r.push(
    'two outliers',
    'two outliers, equal |q|',
    `tie ${(max + (outliers[0] as number)) / 2} normal/outlier`,
  );
  for (let e = -10; e <= 10; e++) r.push(`sigma=${e}`);
  for (let q = 0; q <= max; q++) r.push(`normal ${q}`);
  for (let q = 0; q < max; q++) r.push(`tie ${q + 0.5}`);
  outliers.forEach((o, i) => {
    r.push(`outlier ${o}`);
    if (i > 0) r.push(`tie ${((outliers[i - 1] as number) + o) / 2} outliers`);
  });
  return r;
}

describe('olive-encoder stimulus coverage (native sim + Verilator)', function () {
  this.timeout(10 * 60_000);
  const runs: NativeRun[] = [];

  it(`olive4: ${N} random beats hit every region and give all 253 reachable pair bytes`, () => {
    const beats = randomBeats(kind, OLIVE4, N, 4004);
    const run = runNative(kind, OLIVE4, 'olive4-p1 coverage', beats, { seed: 4004 });
    runs.push(run);
    const got = regions(OLIVE4, beats);
    const missing = requiredRegions('olive4').filter((k) => !got.has(k));
    expect(missing, 'regions never hit').to.deep.equal([]);
    // 6.4's outlier ties: 14, 20, 28, 40, 56, 80 (checked by name as well).
    for (const t of [14, 20, 28, 40, 56, 80]) expect(got.get(`tie ${t} outliers`)).to.be.above(0);
    const codes = new Set(pairCodes(OLIVE4, run.outBeats));
    const want = reachable('olive4');
    expect(want.size).to.equal(253); // 15·15 normal pairs + 2·14 outlier pairs
    expect([...codes].sort((a, b) => a - b)).to.deep.equal([...want].sort((a, b) => a - b));
  });

  it(`olive8 (32 pairs per beat): ${N} beats cover ≥ 90 % of the 65 533 reachable pair codes`, () => {
    const beats = randomBeats(kind, OLIVE8, N, 8008);
    const run = runNative(kind, OLIVE8, 'olive8-p32 coverage', beats, { seed: 8008 });
    runs.push(run);
    const got = regions(OLIVE8, beats.slice(0, 2000));
    const missing = requiredRegions('olive8').filter((k) => !got.has(k));
    expect(missing, 'regions never hit (first 2000 beats)').to.deep.equal([]);
    const codes = new Set(pairCodes(OLIVE8, run.outBeats));
    const want = reachable('olive8');
    expect(want.size).to.equal(65_533); // 255² normal pairs + 2·254 outlier pairs
    expect(
      [...codes].filter((c) => !want.has(c)),
      'unreachable codes',
    ).to.deep.equal([]);
    expect(codes.size).to.be.at.least(Math.ceil(0.9 * 65_533)); // measured: 59 624 (91.0 %)
    const outlierPairs = [...codes].filter((c) => (c & 0xff) === 0x80 || c >> 8 === 0x80);
    expect(outlierPairs).to.have.length(508);
    for (const slot of [0, 8]) {
      const normals = new Set([...codes].map((c) => (c >> slot) & 0xff).filter((c) => c !== 0x80));
      expect(normals.size, `normal codes in slot ${slot / 8}`).to.equal(255);
    }
  });

  it('both coverage runs in one Verilator build equal the native sim every cycle', async () => {
    expect(runs).to.have.length(2);
    const rep = await replayInVerilator(
      runs.map((r, i) => ({ name: `c${i}`, netlist: r.netlist })),
      [runs],
    );
    expect(rep.beats).to.equal(2 * N);
    expect(rep.compared).to.be.greaterThan(0);
  });

  it('the olive4 coverage does not depend on the seed: 3 more seeds give all 253 bytes', () => {
    for (const seed of [1, 2, 3]) {
      const rng = makeRng(seed);
      const beats = Array.from({ length: N }, () => kind.randomBeat(OLIVE4, rng));
      expect(
        new Set(pairCodes(OLIVE4, kind.reference(OLIVE4, beats))).size,
        `seed ${seed}`,
      ).to.equal(253);
    }
  });
});
