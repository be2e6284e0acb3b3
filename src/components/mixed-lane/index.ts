// mixed-lane: a lane whose precision changes with the channel range (docs/blockdialect.md, "mixed
// precision inside a tensor"): Atom's INT8 outlier channels next to INT4 groups, or per-group
// 2/3/4-bit weights. It reuses the scalable-pe (BitFusion bricks) unchanged: a beat carries the
// next 1 (8-bit brick), 4 (4-bit) or 16 (2-bit) signed element pairs of a row in its 32-bit words
// (a 3-bit code in a 4-bit brick, 5..7-bit codes in an 8-bit one, sign-extended); the
// lane's beat counter looks up, from the format map (a constant ROM), the brick mode of the beat
// and whether it closes a group. One output beat per group: the exact Σ q_a·q_b of the group, to
// be multiplied by σ_a·σ_b outside. Oracle: numerics.mixedDot per group (σ = 1). Latency 2.
import { z } from 'zod';
import {
  addrWidth,
  connectStream,
  type Expr,
  lit,
  ModuleBuilder,
  mux,
  streamOut,
  u,
} from '../../hdl/index.js';
import { checkFormatMap, mixedDot, NumericsError, type MixedGroup } from '../../numerics/index.js';
import { romLookup } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind, type Derived } from '../registry.js';
import { generateScalablePe, scalablePeSchema } from '../scalable-pe/index.js';

const rangeSchema = z
  .object({
    start: z.number().int(),
    end: z.number().int(),
    bits: z
      .number({ invalid_type_error: 'bits must be an integer 2..8' })
      .int('bits must be an integer 2..8')
      .min(2, 'bits must be an integer 2..8')
      .max(8, 'bits must be an integer 2..8'),
    groupSize: z.number().int(),
  })
  .strict();

export const mixedLaneSchema = z
  .object({
    channels: z
      .number()
      .int()
      .min(1)
      .max(1 << 16),
    map: z.array(rangeSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    try {
      checkFormatMap(c.map, c.channels);
    } catch (e) {
      if (!(e instanceof NumericsError)) throw e;
      ctx.addIssue({ code: 'custom', path: ['map'], message: e.message });
      return;
    }
    c.map.forEach((r, i) => {
      const per = PER_BEAT[brickBits(r.bits)];
      if ((r.end - r.start) % r.groupSize !== 0 || r.groupSize % per !== 0)
        ctx.addIssue({
          code: 'custom',
          path: ['map', i, 'groupSize'],
          message: `groupSize ${r.groupSize} must divide the range (${r.end - r.start} channels) and be a multiple of ${per} (${r.bits}-bit elements per beat, in ${brickBits(r.bits)}-bit bricks)`,
        });
    });
  });
export type MixedLaneConfig = z.output<typeof mixedLaneSchema>;

/** Elements per beat and scalable-pe mode code of each width. */
const PER_BEAT: Readonly<Record<number, number>> = { 2: 16, 4: 4, 8: 1 };
const MODE: Readonly<Record<number, number>> = { 2: 4, 4: 2, 8: 0 };

/**
 * The scalable-pe brick width that carries `bits`-bit codes: 2, 4 or 8. A 3-bit code travels
 * sign-extended in a 4-bit brick, 5..7-bit codes in an 8-bit one (the product is the same; the
 * beat holds fewer elements than the width alone would allow).
 */
export function brickBits(bits: number): 2 | 4 | 8 {
  return bits <= 2 ? 2 : bits <= 4 ? 4 : 8;
}

/**
 * The beats of one row in order: the brick width of its elements (`brickBits` of the range's
 * bits) and whether the beat closes its group.
 */
export function mixedLaneSchedule(c: MixedLaneConfig): { bits: number; last: boolean }[] {
  const out: { bits: number; last: boolean }[] = [];
  for (const r of c.map) {
    const brick = brickBits(r.bits);
    const per = PER_BEAT[brick] ?? 1;
    for (let g = r.start; g < r.end; g += r.groupSize)
      for (let e = 0; e < r.groupSize; e += per)
        out.push({ bits: brick, last: e + per >= r.groupSize });
  }
  return out;
}

function peConfig(c: MixedLaneConfig) {
  const maxBeats = Math.max(...c.map.map((r) => r.groupSize / (PER_BEAT[brickBits(r.bits)] ?? 1)));
  return scalablePeSchema.parse({ maxBeats });
}

export const mixedLaneName = (c: MixedLaneConfig): string =>
  `mixed_lane_c${c.channels}_${c.map.map((r) => `${r.bits}b${r.end - r.start}g${r.groupSize}`).join('_')}`;

function accBits(c: MixedLaneConfig): number {
  return Number(
    generateScalablePe(peConfig(c)).ports.find((p) => p.name === 'out_acc')?.shape.width,
  );
}

export function generateMixedLane(c: MixedLaneConfig): ModuleBuilder {
  const sched = mixedLaneSchedule(c);
  const W = accBits(c);
  const m = new ModuleBuilder(mixedLaneName(c), { config: c });
  const inValid = m.input('in_valid', u(1));
  const a = m.input('in_a', u(32));
  const b = m.input('in_b', u(32));
  const outReady = m.input('out_ready', u(1));
  const aw = addrWidth(sched.length);
  const beat = m.reg('beat', u(aw), { init: 0 });
  const rom = Array.from({ length: 2 ** aw }, (_, i) => {
    const s = sched[i];
    return s ? BigInt(MODE[s.bits] ?? 0) | (s.last ? 8n : 0n) : 0n;
  });
  const entry = romLookup(beat, rom, 4);
  const pe = m.instance(generateScalablePe(peConfig(c)), 'pe');
  const ready = connectStream(pe, {
    valid: inValid,
    payload: {
      mode: entry.bits(2, 0),
      sa: lit(1, u(1)),
      sb: lit(1, u(1)),
      a,
      b,
      last: entry.bit(3),
    },
  });
  const out = streamOut(pe, ['acc'], outReady);
  const fire = inValid.and(ready);
  const wrap = beat.eq(sched.length - 1);
  beat.next(mux(wrap, lit(0, u(aw)), beat.add(1).trunc(aw)), fire);
  m.output('in_ready', u(1)).set(ready);
  m.output('out_valid', u(1)).set(out.valid);
  m.output('out_acc', u(W)).set(out.payload.acc as Expr);
  return m;
}

/** Per group, the exact integer Σ q_a·q_b via numerics.mixedDot with unit scales. */
export function mixedLaneReference(c: MixedLaneConfig, beats: readonly Beat[]): Beat[] {
  const sched = mixedLaneSchedule(c);
  const W = accBits(c);
  const out: Beat[] = [];
  let qa: number[] = [];
  let qb: number[] = [];
  beats.forEach((bt, i) => {
    const s = sched[i % sched.length] ?? { bits: 8, last: true };
    const per = PER_BEAT[s.bits] ?? 1;
    for (let e = 0; e < per; e++) {
      const pick = (v: bigint | undefined): number =>
        Number(
          BigInt.asIntN(s.bits, ((v ?? 0n) >> BigInt(s.bits * e)) & ((1n << BigInt(s.bits)) - 1n)),
        );
      qa.push(pick(bt.a));
      qb.push(pick(bt.b));
    }
    if (s.last) {
      const g = (codes: number[]): MixedGroup => ({
        start: 0,
        bits: s.bits,
        scale: 0x3f800000,
        codes,
      });
      const r = mixedDot([g(qa)], [g(qb)]);
      const v = r.kind === 'finite' ? (r.neg ? -1n : 1n) * (r.sig << BigInt(r.exp)) : 0n;
      out.push({ acc: BigInt.asUintN(W, v) });
      qa = [];
      qb = [];
    }
  });
  return out;
}

const ATOM = mixedLaneSchema.parse({
  channels: 64,
  map: [
    { start: 0, end: 48, bits: 4, groupSize: 16 },
    { start: 48, end: 64, bits: 8, groupSize: 16 },
  ],
});
/** Per-group 2/3/4-bit weights (the 3-bit group rides in 4-bit bricks). */
const SLIM3 = mixedLaneSchema.parse({
  channels: 64,
  map: [
    { start: 0, end: 16, bits: 3, groupSize: 16 },
    { start: 16, end: 32, bits: 2, groupSize: 16 },
    { start: 32, end: 64, bits: 4, groupSize: 16 },
  ],
});
const SLIM = mixedLaneSchema.parse({
  channels: 96,
  map: [
    { start: 0, end: 32, bits: 2, groupSize: 32 },
    { start: 32, end: 64, bits: 4, groupSize: 32 },
    { start: 64, end: 96, bits: 2, groupSize: 32 },
  ],
});

export const mixedLaneKind: ComponentKind<MixedLaneConfig> = {
  kind: 'mixed-lane',
  description:
    'mixed-precision lane: per channel range/group 2..8-bit operands on the scalable PE (Atom, SliM-LLM)',
  schema: mixedLaneSchema,
  examples: [
    { name: 'atom-c64-o16', config: ATOM },
    { name: 'slim-c96', config: SLIM },
    { name: 'slim3-c64', config: SLIM3 },
  ],
  moduleName: mixedLaneName,
  derive: (c): Derived => ({
    latencyCycles: 2,
    accBits: accBits(c),
    beatsPerRow: mixedLaneSchedule(c).length,
  }),
  generate: generateMixedLane,
  stream: (c) => ({
    in: [
      { name: 'a', width: 32 },
      { name: 'b', width: 32 },
    ],
    out: [{ name: 'acc', width: accBits(c) }],
  }),
  randomBeat: (_c, rng) => ({ a: rng.chance(0.1) ? 0x80808080n : rng.bits(32), b: rng.bits(32) }),
  reference: mixedLaneReference,
  contract: (c) =>
    `Rows of ${c.channels} channels arrive as ${mixedLaneSchedule(c).length} beats; each beat's 32-bit in_a / in_b hold the next ` +
    '16 (2-bit bricks), 4 (4-bit bricks: 3- and 4-bit codes) or 1 (8-bit brick, low byte: 5- to 8-bit codes) signed element ' +
    'pairs of the row as the format map says, each sign-extended to its brick (element e at bits ' +
    `[w·e+w-1 : w·e]). One out_acc per group (${accBits(c)}-bit two's complement): Σ q_a·q_b of its elements, exact. ` +
    'The lane counts beats from reset; the group scales σ_a·σ_b are applied outside. Latency 2 cycles (the scalable-pe).',
};

registerComponent(mixedLaneKind);
