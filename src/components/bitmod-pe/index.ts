// bitmod-pe: a BitMoD-style bit-serial PE (docs/blockdialect.md). One beat is one slice of a
// weight group: `lanes` 4-bit weight codes of the group's datatype (in_mode: 0 INT4, 1 BitMoD FP3,
// 2 BitMoD FP4, 3 INT3; in_variant: the BitMoD variant, 00 ER+ 01 ER- 10 EA+ 11 EA-) and `lanes`
// int8 activations. Each weight is decoded to a signed integer in its format's LSB units (FP4:
// half units, so ±16 for EA ±8) and its magnitude is consumed one bit per cycle, LSB first:
// acc += Σ_i (bit_j |w_i| ? ±a_i : 0) << j, for 4 (INT4), 3 (FP3, INT3) or 5 (FP4) cycles per
// beat, so the datatype of the group sets the throughput. in_last closes the group's sum.
// Oracle: numerics.decodeFixed on the BitMoD / INT grids. Latency: 1 cycle after the last bit.
import { z } from 'zod';
import { cat, type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { bitmodFormat, BITMOD_VARIANTS, decodeFixed } from '../../numerics/index.js';
import { adderTree, fitSigned, romLookup, signedWidthOf } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind, type Derived } from '../registry.js';

export const bitmodPeSchema = z
  .object({
    lanes: z
      .number({ invalid_type_error: 'lanes must be a number' })
      .int('lanes must be an integer')
      .min(1, 'lanes must be at least 1')
      .max(32, 'lanes must be at most 32')
      .default(8),
    maxBeats: z
      .number({ invalid_type_error: 'maxBeats must be a number' })
      .int('maxBeats must be an integer')
      .min(1, 'maxBeats must be at least 1')
      .max(1 << 20, 'maxBeats must be at most 2^20')
      .default(256),
  })
  .strict();
export type BitmodPeConfig = z.output<typeof bitmodPeSchema>;

/** Cycles per beat (magnitude bits) of each mode. */
export const BITMOD_PE_BITS = [4, 3, 5, 3] as const;

/** Signed weight value of (mode, variant, code) in LSB units (code bits above the format ignored). */
export function bitmodPeWeight(mode: number, variant: number, code: number): bigint {
  if (mode === 0) {
    const r = decodeFixed('int4', code & 15);
    return r.kind === 'finite' ? r.sig : 0n;
  }
  if (mode === 3) {
    const r = decodeFixed('int3', code & 7);
    return r.kind === 'finite' ? r.sig : 0n;
  }
  const base = mode === 1 ? 'fp3' : 'fp4';
  const f = bitmodFormat(base, BITMOD_VARIANTS[variant] ?? 'er+');
  const r = decodeFixed(f, code & (mode === 1 ? 7 : 15));
  return r.kind === 'finite' ? r.sig : 0n;
}

export interface BitmodPeDerived extends Derived {
  readonly accBits: number;
}

export function deriveBitmodPe(c: BitmodPeConfig): BitmodPeDerived {
  const lim = 2048n * BigInt(c.lanes) * BigInt(c.maxBeats);
  return { latencyCycles: 1, accBits: signedWidthOf(-lim, lim) };
}

export const bitmodPeName = (c: BitmodPeConfig): string =>
  `bitmod_pe_l${c.lanes}_acc${deriveBitmodPe(c).accBits}`;

export function generateBitmodPe(c: BitmodPeConfig): ModuleBuilder {
  const W = deriveBitmodPe(c).accBits;
  const m = new ModuleBuilder(bitmodPeName(c), { config: { lanes: c.lanes, accBits: W } });
  const inValid = m.input('in_valid', u(1));
  const mode = m.input('in_mode', u(2));
  const variant = m.input('in_variant', u(2));
  const w = m.input('in_w', u(4 * c.lanes));
  const a = m.input('in_a', u(8 * c.lanes));
  const inLast = m.input('in_last', u(1));
  const outReady = m.input('out_ready', u(1));

  // Control: `busy` while bits remain; a beat is taken when idle and the output is free.
  const busy = m.reg('busy', u(1), { init: 0 });
  const bit = m.reg('bit', u(3), { init: 0 });
  const nbits = m.reg('nbits', u(3), { init: 0 });
  const last = m.reg('last', u(1), { init: 0 });
  const outValid = m.reg('out_valid_r', u(1), { init: 0 });
  const ready = m.wire('ready', u(1)).set(busy.not().and(outValid.not().or(outReady)));
  const fire = inValid.and(ready);

  // Decode: ROM {mode, variant, code} → signed value (s6: -16 … 16), latched as sign + magnitude.
  const rom: bigint[] = [];
  for (let md = 0; md < 4; md++)
    for (let v = 0; v < 4; v++) for (let cd = 0; cd < 16; cd++) rom.push(bitmodPeWeight(md, v, cd));
  const mags: Expr[] = [];
  const negs: Expr[] = [];
  const acts: Expr[] = [];
  for (let i = 0; i < c.lanes; i++) {
    const val = romLookup(cat(mode, variant, w.bits(4 * i + 3, 4 * i)), rom, 6).asSigned();
    const neg = val.bit(5);
    const mag = mux(neg, val.neg().trunc(6), val).asUnsigned().trunc(5);
    mags.push(m.reg(`mag${i}`, u(5), { init: 0 }).next(mag, fire));
    negs.push(m.reg(`neg${i}`, u(1), { init: 0 }).next(neg, fire));
    acts.push(m.reg(`act${i}`, s(8), { init: 0 }).next(a.bits(8 * i + 7, 8 * i).asSigned(), fire));
  }
  const modeBits = romLookup(
    mode,
    BITMOD_PE_BITS.map((b) => BigInt(b)),
    3,
  );
  nbits.next(modeBits, fire);
  last.next(inLast, fire);

  // One magnitude bit per cycle: partial = Σ (bit ? ±a : 0), shifted by the bit index.
  const terms = mags.map((mg, i) => {
    const ai = acts[i] as Expr;
    const signed = mux(negs[i] as Expr, ai.neg(), ai.extend(9));
    return mux(mg.shrBy(bit).bit(0), signed, lit(0, s(9)));
  });
  const partial = adderTree(terms);
  const acc = m.reg('acc', s(W), { init: 0 });
  const accNext = m.wire('acc_next', s(W)).set(acc.addWrap(fitSigned(partial.shlBy(bit), W)));
  const final = m.wire('final_bit', u(1)).set(busy.and(bit.add(1).eq(nbits)));
  const closing = final.and(last);
  acc.next(mux(closing, lit(0, s(W)), accNext), busy);
  bit.next(mux(fire, lit(0, u(3)), mux(busy, bit.add(1).trunc(3), bit)));
  busy.next(mux(fire, lit(1, u(1)), mux(final, lit(0, u(1)), busy)));
  const result = m.reg('result', s(W), { init: 0 }).next(accNext, closing);
  outValid.next(mux(closing, lit(1, u(1)), outValid.and(outReady.not())));
  m.output('in_ready', u(1)).set(ready);
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_acc', u(W)).set(result.asUnsigned());
  return m;
}

export function bitmodPeReference(c: BitmodPeConfig, beats: readonly Beat[]): Beat[] {
  const W = deriveBitmodPe(c).accBits;
  const out: Beat[] = [];
  let acc = 0n;
  for (const b of beats) {
    const md = Number(b.mode ?? 0n);
    const v = Number(b.variant ?? 0n);
    for (let i = 0; i < c.lanes; i++) {
      const code = Number(((b.w ?? 0n) >> BigInt(4 * i)) & 15n);
      const act = BigInt.asIntN(8, ((b.a ?? 0n) >> BigInt(8 * i)) & 0xffn);
      acc += bitmodPeWeight(md, v, code) * act;
    }
    if ((b.last ?? 0n) === 1n) {
      out.push({ acc: BigInt.asUintN(W, acc) });
      acc = 0n;
    }
  }
  return out;
}

export const bitmodPeKind: ComponentKind<BitmodPeConfig> = {
  kind: 'bitmod-pe',
  description:
    'BitMoD bit-serial PE: INT4/INT3 or BitMoD FP3/FP4 weights (per group), int8 activations',
  schema: bitmodPeSchema,
  examples: [
    { name: 'l8', config: bitmodPeSchema.parse({}) },
    { name: 'l1', config: bitmodPeSchema.parse({ lanes: 1, maxBeats: 4 }) },
  ],
  moduleName: bitmodPeName,
  derive: deriveBitmodPe,
  generate: generateBitmodPe,
  stream: (c) => ({
    in: [
      { name: 'mode', width: 2 },
      { name: 'variant', width: 2 },
      { name: 'w', width: 4 * c.lanes },
      { name: 'a', width: 8 * c.lanes },
      { name: 'last', width: 1 },
    ],
    out: [{ name: 'acc', width: deriveBitmodPe(c).accBits }],
  }),
  randomBeat: (c, rng) => ({
    mode: rng.bits(2),
    variant: rng.bits(2),
    w: rng.bits(4 * c.lanes),
    a: rng.chance(0.1) ? ((1n << BigInt(8 * c.lanes)) / 255n) * 0x80n : rng.bits(8 * c.lanes),
    last: rng.chance(0.3) ? 1n : 0n,
  }),
  *exhaustiveBeats(c) {
    if (c.lanes !== 1) return;
    for (let mode = 0n; mode < 4n; mode++)
      for (let variant = 0n; variant < 4n; variant++)
        for (let w = 0n; w < 16n; w++)
          for (let a = 0n; a < 256n; a++) yield { mode, variant, w, a, last: 1n };
  },
  reference: bitmodPeReference,
  contract: (c) =>
    `One beat: in_mode (0 INT4, 1 BitMoD FP3, 2 BitMoD FP4, 3 INT3), in_variant (BitMoD 00 ER+, 01 ER-, 10 EA+, 11 EA-; ignored by INT modes), ` +
    `${c.lanes} 4-bit weight codes in_w (FP3/INT3 use the low 3 bits) and ${c.lanes} int8 activations in_a, in_last. ` +
    'Weights are integers in their format’s LSB units (FP3: 1, FP4: 0.5, so FP4 ±8 is ±16); the beat takes 4/3/5/3 cycles ' +
    `(one weight-magnitude bit per cycle). out_acc = Σ w·a since the last closing beat, ${deriveBitmodPe(c).accBits}-bit two’s complement, ` +
    `exact for ${c.maxBeats} beats. Latency 1 cycle after the closing beat’s last bit.`,
};

registerComponent(bitmodPeKind);
