// dialect-mac: the DialectFP4 MAC lane (BlockDialect, docs/blockdialect.md). One beat is one block
// pair: two dialect ids, two E8M0 scales and `lanes` 4-bit codes per operand; the lane offers the
// exact block dot product Σ h_a·h_b (half units), its exponent sa + sb - 2 and a NaN flag.
// Two published datapaths, bit-identical: `umul` decodes each code to a 4-bit unsigned half-unit
// magnitude, multiplies 4×4 unsigned and applies the XOR of the signs; `int4` splits a magnitude
// h = 2i + r into a signed INT4 integer part ±i and a residual bit r and computes
// h_a·h_b = 4·I_a·I_b + 2·(I_a·±r_b + I_b·±r_a) + ±r_a·r_b with an INT4 multiplier and residual
// logic. Oracle: numerics.dialectDot. Latency: 1 cycle.
import { z } from 'zod';
import { type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { DIALECT_HALF_UNITS, dialectDot, type DialectBlock } from '../../numerics/index.js';
import { adderTree, fitSigned, romLookup, signedWidthOf } from '../arith/index.js';
import type { Rng } from '../random.js';
import { registerComponent, type Beat, type ComponentKind, type Derived } from '../registry.js';

export const DIALECT_MAC_VARIANTS = ['umul', 'int4'] as const;

export const dialectMacSchema = z
  .object({
    variant: z
      .enum(DIALECT_MAC_VARIANTS, {
        errorMap: () => ({ message: `variant must be one of ${DIALECT_MAC_VARIANTS.join(', ')}` }),
      })
      .default('umul'),
    lanes: z
      .number({ invalid_type_error: 'lanes must be a number' })
      .int('lanes must be an integer')
      .min(1, 'lanes must be at least 1')
      .max(64, 'lanes must be at most 64')
      .default(32),
  })
  .strict();
export type DialectMacConfig = z.output<typeof dialectMacSchema>;

export interface DialectMacDerived extends Derived {
  readonly sumBits: number;
}

export function deriveDialectMac(c: DialectMacConfig): DialectMacDerived {
  const lim = 225n * BigInt(c.lanes);
  return { latencyCycles: 1, sumBits: signedWidthOf(-lim, lim) };
}

export const dialectMacName = (c: DialectMacConfig): string =>
  `dialect_mac_${c.variant}_l${c.lanes}`;

/**
 * The block's 8 magnitudes (4-bit half units) for its dialect id: one 16-entry ROM per index,
 * shared by every lane, so each element only needs an 8:1 multiplexer.
 */
export function dialectTable(m: ModuleBuilder, name: string, d: Expr): Expr[] {
  return Array.from({ length: 8 }, (_, i) =>
    m.wire(`${name}${i}`, u(4)).set(
      romLookup(
        d,
        DIALECT_HALF_UNITS.map((row) => BigInt(row[i] ?? 0)),
        4,
      ),
    ),
  );
}

/** `t[sel]` as a balanced multiplexer tree. */
function pick(t: readonly Expr[], sel: Expr): Expr {
  let level = [...t];
  for (let j = 0; j < sel.width; j++) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(mux(sel.bit(j), level[i + 1] as Expr, level[i] as Expr));
    level = next;
  }
  return level[0] as Expr;
}

/**
 * One DialectFP4 code as a signed value in half units (s6): ±t[code & 7], the sign in bit 3
 * (the magnitude of `product`, without the multiplier).
 */
export function dialectHalfUnitsExpr(t: readonly Expr[], code: Expr): Expr {
  const h = fitSigned(pick(t, code.bits(2, 0)), 6);
  return mux(code.bit(3), h.neg().trunc(6), h);
}

/** Signed product of one element pair in half units squared (s10). */
function product(c: DialectMacConfig, ta: Expr[], tb: Expr[], ca: Expr, cb: Expr): Expr {
  const ha = pick(ta, ca.bits(2, 0));
  const hb = pick(tb, cb.bits(2, 0));
  const sa = ca.bit(3);
  const sb = cb.bit(3);
  if (c.variant === 'umul') {
    const p = ha.mul(hb); // u8, ≤ 225
    const ps = fitSigned(p, 10);
    return mux(sa.xor(sb), ps.neg().trunc(10), ps);
  }
  // int4: I = ±(h >> 1) in s4, residual r = h & 1
  const ia = fitSigned(ha.bits(3, 1), 4);
  const ib = fitSigned(hb.bits(3, 1), 4);
  const Ia = mux(sa, ia.neg().trunc(4), ia);
  const Ib = mux(sb, ib.neg().trunc(4), ib);
  const ra = ha.bit(0);
  const rb = hb.bit(0);
  const prod = Ia.mul(Ib); // the INT4 multiplier, s8
  const z5 = lit(0, s(5));
  // residual cross terms: I_a·(±r_b) + I_b·(±r_a), each ±I or 0
  const xa = mux(rb, mux(sb, Ia.neg(), Ia.extend(5)), z5);
  const xb = mux(ra, mux(sa, Ib.neg(), Ib.extend(5)), z5);
  const one = mux(ra.and(rb), mux(sa.xor(sb), lit(-1, s(2)), lit(1, s(2))), lit(0, s(2)));
  const t = prod.shl(2).add(xa.add(xb).shl(1)).add(one);
  return fitSigned(t, 10);
}

export function generateDialectMac(c: DialectMacConfig): ModuleBuilder {
  const d = deriveDialectMac(c);
  const m = new ModuleBuilder(dialectMacName(c), { config: c });
  const inValid = m.input('in_valid', u(1));
  const da = m.input('in_da', u(4));
  const db = m.input('in_db', u(4));
  const xa = m.input('in_xa', u(8));
  const xb = m.input('in_xb', u(8));
  const a = m.input('in_a', u(4 * c.lanes));
  const b = m.input('in_b', u(4 * c.lanes));
  const outReady = m.input('out_ready', u(1));
  const ta = dialectTable(m, 'mag_a', da);
  const tb = dialectTable(m, 'mag_b', db);
  const terms: Expr[] = [];
  for (let i = 0; i < c.lanes; i++)
    terms.push(
      m
        .wire(`p${i}`, s(10))
        .set(product(c, ta, tb, a.bits(4 * i + 3, 4 * i), b.bits(4 * i + 3, 4 * i))),
    );
  const sum = m.wire('sum', s(d.sumBits)).set(adderTree(terms, d.sumBits));
  const nan = xa.eq(0xff).or(xb.eq(0xff));
  // exponent (xa - 127) + (xb - 127) - 2, s10: -256 … 252
  const exp = xa
    .extend(10)
    .add(xb.extend(10))
    .toSigned()
    .sub(lit(256, s(10)));
  const outValid = m.reg('out_valid_r', u(1), { init: 0 });
  const ready = m.wire('ready', u(1)).set(outValid.not().or(outReady));
  const fire = inValid.and(ready);
  const rSum = m
    .reg('r_sum', s(d.sumBits), { init: 0 })
    .next(mux(nan, lit(0, s(d.sumBits)), sum), fire);
  const rExp = m
    .reg('r_exp', s(10), { init: 0 })
    .next(mux(nan, lit(0, s(10)), fitSigned(exp, 10)), fire);
  const rNan = m.reg('r_nan', u(1), { init: 0 }).next(nan, fire);
  outValid.next(mux(fire, lit(1, u(1)), outValid.and(outReady.not())));
  m.output('in_ready', u(1)).set(ready);
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_sum', u(d.sumBits)).set(rSum.asUnsigned());
  m.output('out_exp', u(10)).set(rExp.asUnsigned());
  m.output('out_nan', u(1)).set(rNan);
  return m;
}

const codesOf = (v: bigint, n: number): number[] =>
  Array.from({ length: n }, (_, i) => Number((v >> BigInt(4 * i)) & 15n));

export function dialectMacReference(c: DialectMacConfig, beats: readonly Beat[]): Beat[] {
  const W = deriveDialectMac(c).sumBits;
  return beats.map((bt) => {
    const blk = (
      dd: bigint | undefined,
      x: bigint | undefined,
      v: bigint | undefined,
    ): DialectBlock => ({
      dialect: Number(dd ?? 0n),
      scale: Number(x ?? 0n),
      codes: codesOf(v ?? 0n, c.lanes),
    });
    const r = dialectDot(blk(bt.da, bt.xa, bt.a), blk(bt.db, bt.xb, bt.b));
    if (r.kind === 'nan') return { sum: 0n, exp: 0n, nan: 1n };
    return { sum: BigInt.asUintN(W, r.sum), exp: BigInt.asUintN(10, BigInt(r.exp)), nan: 0n };
  });
}

function randomScale(rng: Rng): bigint {
  const r = rng.int(10);
  return r === 0 ? 0xffn : r === 1 ? 0n : r === 2 ? 0xfen : rng.bits(8);
}

export const dialectMacKind: ComponentKind<DialectMacConfig> = {
  kind: 'dialect-mac',
  description:
    'DialectFP4 (BlockDialect) MAC lane: block dot product, 4-bit unsigned or INT4+residual multipliers',
  schema: dialectMacSchema,
  examples: [
    { name: 'umul-l32', config: dialectMacSchema.parse({}) },
    { name: 'int4-l32', config: dialectMacSchema.parse({ variant: 'int4' }) },
    { name: 'umul-l1', config: dialectMacSchema.parse({ lanes: 1 }) },
    { name: 'int4-l1', config: dialectMacSchema.parse({ variant: 'int4', lanes: 1 }) },
  ],
  moduleName: dialectMacName,
  derive: deriveDialectMac,
  generate: generateDialectMac,
  stream: (c) => ({
    in: [
      { name: 'da', width: 4 },
      { name: 'db', width: 4 },
      { name: 'xa', width: 8 },
      { name: 'xb', width: 8 },
      { name: 'a', width: 4 * c.lanes },
      { name: 'b', width: 4 * c.lanes },
    ],
    out: [
      { name: 'sum', width: deriveDialectMac(c).sumBits },
      { name: 'exp', width: 10 },
      { name: 'nan', width: 1 },
    ],
  }),
  randomBeat: (c, rng) => ({
    da: rng.bits(4),
    db: rng.bits(4),
    xa: randomScale(rng),
    xb: randomScale(rng),
    // extremes often: all codes 7 / F (largest magnitudes)
    a: rng.chance(0.1) ? BigInt.asUintN(4 * c.lanes, -1n) : rng.bits(4 * c.lanes),
    b: rng.chance(0.1) ? ((1n << BigInt(4 * c.lanes)) / 15n) * 7n : rng.bits(4 * c.lanes),
  }),
  *exhaustiveBeats(c) {
    // every code pair of every dialect pair on lane 0 (2^16 beats), lanes = 1 only
    if (c.lanes !== 1) return;
    for (let da = 0n; da < 16n; da++)
      for (let db = 0n; db < 16n; db++)
        for (let a = 0n; a < 16n; a++)
          for (let b = 0n; b < 16n; b++) yield { da, db, xa: 127n, xb: 127n, a, b };
  },
  reference: dialectMacReference,
  contract: (c) =>
    `One beat: dialect ids in_da / in_db (0..15), E8M0 scales in_xa / in_xb and ${c.lanes} 4-bit DialectFP4 codes per operand ` +
    `(element i at bits [4i+3:4i]; bit 3 = sign). out_sum = Σ h_a·h_b in half units (two's complement, ${deriveDialectMac(c).sumBits} bits, exact), ` +
    'out_exp = (xa - 127) + (xb - 127) - 2 (s10), so the block product is out_sum·2^out_exp; either scale 0xFF → out_nan = 1, sum and exp 0. ' +
    `Datapath: ${c.variant === 'umul' ? '4-bit unsigned multipliers and a sign XOR' : 'INT4 multipliers with residual-bit logic'}. Latency 1 cycle.`,
};

registerComponent(dialectMacKind);
