// fwht: a pipelined fast Walsh–Hadamard transform (QuaRot-style online rotation, docs/blockdialect.md):
// one beat carries n = 2^k signed w-bit integers; k butterfly stages (a + b, a - b), each
// followed by a register, give H_n·x exactly in w + k bits (bit growth one bit per stage). The
// 2^(-k/2) normalisation is folded into the following scale (numerics.hadamardFoldScale).
// Oracle: numerics.fwht. Latency: k cycles; the whole pipeline stalls on out_ready.
import { z } from 'zod';
import { cat, type Expr, ModuleBuilder, s, u } from '../../hdl/index.js';
import {
  fwht,
  hadamardLog2,
  hadamardNormExp,
  hadamardRequantize,
  NumericsError,
} from '../../numerics/index.js';
import { rneShr, satSigned } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';

export const fwhtSchema = z
  .object({
    n: z.number().int('n must be an integer').default(16),
    inBits: z
      .number()
      .int()
      .min(2, 'inBits must be at least 2')
      .max(32, 'inBits must be at most 32')
      .default(8),
    /** With an output stage: each result becomes sat(RNE(y·2^-outShift), outBits). */
    outBits: z
      .number()
      .int()
      .min(2, 'outBits must be at least 2')
      .max(40, 'outBits must be at most 40')
      .optional(),
    outShift: z
      .number()
      .int()
      .min(-32, 'outShift must be at least -32')
      .max(48, 'outShift must be at most 48')
      .default(0),
  })
  .strict()
  .superRefine((c, ctx) => {
    try {
      if (hadamardLog2(c.n, 'n') < 1)
        throw new NumericsError(`hadamard n ${c.n} must be at least 2`);
      if (c.n > 256) throw new NumericsError(`hadamard n ${c.n} must be at most 256`);
    } catch (e) {
      if (!(e instanceof NumericsError)) throw e;
      ctx.addIssue({ code: 'custom', path: ['n'], message: e.message });
    }
  });
export type FwhtConfig = z.output<typeof fwhtSchema>;

const kOf = (c: FwhtConfig): number => Math.round(Math.log2(c.n));
export const fwhtName = (c: FwhtConfig): string =>
  `fwht_n${c.n}_w${c.inBits}${c.outBits === undefined ? '' : `_o${c.outBits}s${c.outShift < 0 ? `m${-c.outShift}` : c.outShift}`}`;

/** Output element width: the exact w + k, or outBits with an output stage. */
const outWidth = (c: FwhtConfig): number => c.outBits ?? c.inBits + kOf(c);

export function generateFwht(c: FwhtConfig): ModuleBuilder {
  const k = kOf(c);
  const m = new ModuleBuilder(fwhtName(c), { config: c });
  const inValid = m.input('in_valid', u(1));
  const x = m.input('in_x', u(c.n * c.inBits));
  const outReady = m.input('out_ready', u(1));
  const valids = Array.from({ length: k }, (_, st) => m.reg(`v${st}`, u(1), { init: 0 }));
  const outValid = valids[k - 1] as Expr;
  const adv = m.wire('adv', u(1)).set(outValid.not().or(outReady));
  let cur: Expr[] = Array.from({ length: c.n }, (_, i) =>
    x.bits(c.inBits * (i + 1) - 1, c.inBits * i).asSigned(),
  );
  let valid: Expr = inValid.and(adv);
  for (let st = 0; st < k; st++) {
    const h = 1 << st;
    const w = c.inBits + st + 1;
    const next: Expr[] = new Array<Expr>(c.n);
    for (let i = 0; i < c.n; i += 2 * h)
      for (let j = i; j < i + h; j++) {
        const a = cur[j] as Expr;
        const b = cur[j + h] as Expr;
        next[j] = m.reg(`s${st}_${j}`, s(w), { init: 0 }).next(a.add(b), adv);
        next[j + h] = m.reg(`s${st}_${j + h}`, s(w), { init: 0 }).next(a.sub(b), adv);
      }
    (valids[st] as ReturnType<typeof m.reg>).next(valid, adv);
    valid = valids[st] as Expr;
    cur = next;
  }
  const ow = outWidth(c);
  // Output stage (combinational after the last register): RNE shift and saturation.
  const outs = c.outBits === undefined ? cur : cur.map((e) => satSigned(rneShr(e, c.outShift), ow));
  m.output('in_ready', u(1)).set(adv);
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_y', u(c.n * ow)).set(cat(...[...outs].reverse().map((e) => e.asUnsigned())));
  return m;
}

export function fwhtReference(c: FwhtConfig, beats: readonly Beat[]): Beat[] {
  const ow = outWidth(c);
  return beats.map((b) => {
    const xs = Array.from({ length: c.n }, (_, i) =>
      BigInt.asIntN(
        c.inBits,
        ((b.x ?? 0n) >> BigInt(c.inBits * i)) & ((1n << BigInt(c.inBits)) - 1n),
      ),
    );
    let y = 0n;
    const ys =
      c.outBits === undefined
        ? fwht(xs)
        : hadamardRequantize(xs, 0, c.outShift - hadamardNormExp(c.n), c.outBits);
    ys.forEach((v, i) => (y |= BigInt.asUintN(ow, v) << BigInt(ow * i)));
    return { y };
  });
}

export const fwhtKind: ComponentKind<FwhtConfig> = {
  kind: 'fwht',
  description:
    'pipelined integer fast Walsh–Hadamard transform (QuaRot online rotation), exact bit growth',
  schema: fwhtSchema,
  examples: [
    { name: 'n16-w8', config: fwhtSchema.parse({}) },
    { name: 'n2-w4', config: fwhtSchema.parse({ n: 2, inBits: 4 }) },
    { name: 'n64-w4', config: fwhtSchema.parse({ n: 64, inBits: 4 }) },
    { name: 'n32-w8-o4', config: fwhtSchema.parse({ n: 32, inBits: 8, outBits: 4, outShift: 7 }) },
    { name: 'n4-w3-o8', config: fwhtSchema.parse({ n: 4, inBits: 3, outBits: 8, outShift: -2 }) },
  ],
  moduleName: fwhtName,
  derive: (c) => ({ latencyCycles: kOf(c), outBits: c.inBits + kOf(c) }),
  generate: generateFwht,
  stream: (c) => ({
    in: [{ name: 'x', width: c.n * c.inBits }],
    out: [{ name: 'y', width: c.n * outWidth(c) }],
  }),
  randomBeat: (c, rng) => {
    const r = rng.int(8);
    const w = c.n * c.inBits;
    const minAll = Array.from(
      { length: c.n },
      (_, i) => 1n << BigInt(c.inBits * i + c.inBits - 1),
    ).reduce((a, b) => a | b);
    return { x: r === 0 ? minAll : r === 1 ? BigInt.asUintN(w, -1n) ^ minAll : rng.bits(w) };
  },
  *exhaustiveBeats(c) {
    if (c.n * c.inBits > 16 || (c.outBits !== undefined && c.n * c.inBits > 12)) return;
    for (let x = 0n; x < 1n << BigInt(c.n * c.inBits); x++) yield { x };
  },
  reference: fwhtReference,
  contract: (c) =>
    `One beat: ${c.n} two's complement ${c.inBits}-bit integers (element i at bits [${c.inBits}i+${c.inBits - 1}:${c.inBits}i]). ` +
    (c.outBits === undefined
      ? `out_y: H_${c.n}·x with H[i][j] = (-1)^popcount(i&j), ${c.inBits + kOf(c)}-bit elements, exact (no normalisation: fold 2^(-${kOf(c)}/2) into the next scale). `
      : `out_y: sat(RNE(H_${c.n}·x · 2^-${c.outShift}), ${c.outBits} bits) per element (H[i][j] = (-1)^popcount(i&j)). `) +
    `Latency ${kOf(c)} cycles.`,
};

registerComponent(fwhtKind);
