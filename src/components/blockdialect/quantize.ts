// dialect-quantize: the online DialectFP4 activation quantizer (docs/blockdialect.md, steps 1–6).
// One beat is one block of k binary32 values; the output is the E8M0 scale, the dialect id and
// the k 4-bit codes. Stage 1 (registered): block max of the magnitudes, X = max(e_max - 2, 0),
// each 5-bit intermediate q = min(31, RNE(sig / 2^(X + 21 - max(e, 1)))). Stage 2: the pair from
// the max rounded half up, the beneficial-range masks of that pair (a ROM of 32-bit masks),
// two popcounts, the dialect, and each element's index = the number of the dialect's midpoints
// ≤ q (ties to the larger magnitude). Oracle: numerics.dialectQuantizeActivation. Latency: 2.
import { z } from 'zod';
import { cat, type Expr, lit, ModuleBuilder, mux, u } from '../../hdl/index.js';
import {
  dialectBeneficial,
  DIALECT_HALF_UNITS,
  dialectQuantizeActivation,
} from '../../numerics/index.js';
import { maxTree, rneShr, romLookup } from '../arith/index.js';
import type { Rng } from '../random.js';
import { registerComponent, type Beat, type ComponentKind, type Derived } from '../registry.js';

export const dialectQuantizeSchema = z
  .object({
    k: z
      .number({ invalid_type_error: 'k must be a number' })
      .int('k must be an integer')
      .min(1, 'k must be at least 1')
      .max(64, 'k must be at most 64')
      .default(32),
  })
  .strict();
export type DialectQuantizeConfig = z.output<typeof dialectQuantizeSchema>;

export const dialectQuantizeName = (c: DialectQuantizeConfig): string => `dialect_quantize_k${c.k}`;

const deriveDialectQuantize = (_c: DialectQuantizeConfig): Derived => ({ latencyCycles: 2 });

/** Beneficial-range masks per pair (bit q set: q favours that dialect). */
function masks(which: 0 | 1): bigint[] {
  return Array.from({ length: 8 }, (_, p) => {
    let m = 0n;
    for (let q = 0; q < 32; q++) if (dialectBeneficial(p, q) === which) m |= 1n << BigInt(q);
    return m;
  });
}

/** The 7 midpoints (quarter units, 5 bits each) of every dialect, packed low first. */
const MIDPOINTS: readonly bigint[] = DIALECT_HALF_UNITS.map((t) => {
  let v = 0n;
  for (let i = 0; i < 7; i++) v |= BigInt((t[i] ?? 0) + (t[i + 1] ?? 0)) << BigInt(5 * i);
  return v;
});

/** Sum of single bits as an unsigned value. */
function popcount(bits: readonly Expr[], w: number): Expr {
  let acc = lit(0, u(w));
  for (const b of bits) acc = acc.add(b.extend(w)).trunc(w);
  return acc;
}

export function generateDialectQuantize(c: DialectQuantizeConfig): ModuleBuilder {
  const m = new ModuleBuilder(dialectQuantizeName(c), { config: c });
  const inValid = m.input('in_valid', u(1));
  const x = m.input('in_x', u(32 * c.k));
  const outReady = m.input('out_ready', u(1));
  const outValid = m.reg('out_valid_r', u(1), { init: 0 });
  const adv = m.wire('adv', u(1)).set(outValid.not().or(outReady));
  m.output('in_ready', u(1)).set(adv);
  const fire = inValid.and(adv);

  // Stage 1: magnitudes, specials, block max, shared exponent, intermediates.
  const els = Array.from({ length: c.k }, (_, i) => x.bits(32 * i + 31, 32 * i));
  const mags = els.map((e, i) => m.wire(`mag${i}`, u(31)).set(e.bits(30, 0)));
  const special = els.map((e) => e.bits(30, 23).eq(255)).reduce((a, b) => a.or(b));
  const amax = m.wire('amax', u(31)).set(maxTree(mags));
  const emax = amax.bits(30, 23);
  const X = m
    .wire('scale_x', u(8))
    .set(mux(emax.ge(2), emax.sub(2).trunc(8).asUnsigned(), lit(0, u(8))));
  const qs = els.map((e, i) => {
    const ef = e.bits(30, 23);
    const sig = cat(ef.ne(0), e.bits(22, 0)); // u24
    const efx = mux(ef.eq(0), lit(1, u(8)), ef);
    // d = X + 21 - efx - 19 = X + 2 - efx ∈ [0, 254]
    const d = X.extend(10).add(2).sub(efx.extend(10));
    let q: Expr = lit(0, u(6));
    for (let j = 5; j >= 0; j--) {
      const r = rneShr(sig, 19 + j); // ≤ 32
      q = mux(d.eq(j), r.width >= 6 ? r.trunc(6) : r.extend(6), q);
    }
    return m.wire(`q${i}`, u(5)).set(mux(q.gt(31), lit(31, u(5)), q.trunc(5)));
  });
  const s1Valid = m.reg('s1_valid', u(1), { init: 0 }).next(fire, adv);
  const s1q = qs.map((q, i) => m.reg(`s1_q${i}`, u(5), { init: 0 }).next(q, adv));
  const s1sign = els.map((e, i) => m.reg(`s1_s${i}`, u(1), { init: 0 }).next(e.bit(31), adv));
  const s1X = m.reg('s1_x', u(8), { init: 0 }).next(X, adv);
  const s1nan = m.reg('s1_nan', u(1), { init: 0 }).next(special, adv);
  const s1zero = m.reg('s1_zero', u(1), { init: 0 }).next(amax.eq(0), adv);

  // Stage 2: pair, beneficial counts, dialect, codes.
  const qmax = maxTree(s1q);
  const hr = qmax.extend(6).add(1).shr(1).trunc(5); // (qmax + 1) >> 1, 0..16
  const h = mux(hr.gt(15), lit(15, u(5)), mux(hr.lt(8), lit(8, u(5)), hr));
  const pair = m.wire('pair', u(3)).set(lit(15, u(5)).sub(h).trunc(3).asUnsigned());
  const maskA = romLookup(pair, masks(0), 32);
  const maskB = romLookup(pair, masks(1), 32);
  const w = Math.ceil(Math.log2(c.k + 1)) + 1;
  const na = popcount(
    s1q.map((q) => maskA.shrBy(q).bit(0)),
    w,
  );
  const nb = popcount(
    s1q.map((q) => maskB.shrBy(q).bit(0)),
    w,
  );
  const dialect = m.wire('dialect', u(4)).set(cat(pair, nb.gt(na)));
  const mids = romLookup(dialect, MIDPOINTS, 35);
  const codes = s1q.map((q, i) => {
    const ge = Array.from({ length: 7 }, (_, j) => q.ge(mids.bits(5 * j + 4, 5 * j)));
    const idx = popcount(ge, 3);
    return cat((s1sign[i] as Expr).and(idx.ne(0)), idx);
  });
  const bad = s1nan.or(s1zero);
  const scale = mux(s1nan, lit(0xff, u(8)), mux(s1zero, lit(0, u(8)), s1X));
  const step = adv.and(s1Valid);
  outValid.next(s1Valid, adv);
  const rScale = m.reg('r_scale', u(8), { init: 0 }).next(scale, step);
  const rDialect = m
    .reg('r_dialect', u(4), { init: 0 })
    .next(mux(bad, lit(0, u(4)), dialect), step);
  const packed = cat(...[...codes].reverse());
  const rCodes = m
    .reg('r_codes', u(4 * c.k), { init: 0 })
    .next(mux(bad, lit(0, u(4 * c.k)), packed), step);
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_scale', u(8)).set(rScale);
  m.output('out_dialect', u(4)).set(rDialect);
  m.output('out_codes', u(4 * c.k)).set(rCodes);
  return m;
}

export function dialectQuantizeReference(c: DialectQuantizeConfig, beats: readonly Beat[]): Beat[] {
  return beats.map((b) => {
    const v = b.x ?? 0n;
    const bits = Array.from({ length: c.k }, (_, i) => Number((v >> BigInt(32 * i)) & 0xffffffffn));
    const blk = dialectQuantizeActivation(bits, c.k);
    let codes = 0n;
    blk.codes.forEach((cd, i) => (codes |= BigInt(cd) << BigInt(4 * i)));
    return { scale: BigInt(blk.scale), dialect: BigInt(blk.dialect), codes };
  });
}

/** Blocks with a common exponent, outliers, zeros, subnormals, huge values and rare NaN/Inf. */
function randomBlock(c: DialectQuantizeConfig, rng: Rng): bigint {
  const r = rng.int(20);
  const base = r === 0 ? rng.int(4) : r === 1 ? 250 + rng.int(5) : 1 + rng.int(253);
  let v = 0n;
  for (let i = c.k - 1; i >= 0; i--) {
    let e: bigint;
    const t = rng.int(16);
    if (t === 0)
      e = rng.bits(1) << 31n; // ±0
    else if (t === 1 && r === 2)
      e = (rng.bits(1) << 31n) | (0xffn << 23n) | (rng.chance(0.5) ? rng.bits(23) : 0n);
    else {
      const ef = Math.max(0, Math.min(254, base - rng.int(t < 4 ? 12 : 4) + (t === 15 ? 3 : 0)));
      // few mantissa bits often, so intermediates hit exact quarter/half ties
      const frac = rng.chance(0.4) ? rng.bits(4) << 19n : rng.bits(23);
      e = (rng.bits(1) << 31n) | (BigInt(ef) << 23n) | frac;
    }
    v = (v << 32n) | e;
  }
  return v;
}

export const dialectQuantizeKind: ComponentKind<DialectQuantizeConfig> = {
  kind: 'dialect-quantize',
  description:
    'DialectFP4 online activation quantizer: shared exponent, two-stage dialect selection, 4-bit codes',
  schema: dialectQuantizeSchema,
  examples: [
    { name: 'k32', config: dialectQuantizeSchema.parse({}) },
    { name: 'k8', config: dialectQuantizeSchema.parse({ k: 8 }) },
    { name: 'k1', config: dialectQuantizeSchema.parse({ k: 1 }) },
  ],
  moduleName: dialectQuantizeName,
  derive: deriveDialectQuantize,
  generate: generateDialectQuantize,
  stream: (c) => ({
    in: [{ name: 'x', width: 32 * c.k }],
    out: [
      { name: 'scale', width: 8 },
      { name: 'dialect', width: 4 },
      { name: 'codes', width: 4 * c.k },
    ],
  }),
  randomBeat: (c, rng) => ({ x: randomBlock(c, rng) }),
  reference: dialectQuantizeReference,
  contract: (c) =>
    `One beat: ${c.k} binary32 values (element i at bits [32i+31:32i]). Output: out_scale (E8M0, s = X - 127 = ` +
    'clamp(floor(log2 amax) - 2, -127, 127)), out_dialect (0..15, the online two-stage rule) and the 4-bit codes ' +
    '(bit 3 sign, bits 2..0 index), exactly numerics.dialectQuantizeActivation: intermediates RNE to quarter units ' +
    'saturating at 7.75, max rounded half up to pick the pair, more elements in the beneficial range wins (tie: even id), ' +
    'elements to the nearest magnitude (ties larger). Any NaN/Inf: scale 0xFF, dialect 0, codes 0; all zero: 0, 0, 0. Latency 2 cycles.',
};

registerComponent(dialectQuantizeKind);
