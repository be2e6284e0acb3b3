// Registers the mac-array component kind: schema, examples, naming, derive, generator, stream
// fields, stimulus and reference.
import { randomCode, packCodes } from '../arith/index.js';
import {
  registerComponent,
  type Beat,
  type ComponentKind,
  type StreamFields,
} from '../registry.js';
import type { Rng } from '../random.js';
import { deriveMacArray, macArrayName, macArraySchema, type MacArrayConfig } from './config.js';
import { generateMacArray } from './generate.js';
import { macArrayReference } from './reference.js';

export * from './config.js';
export { generateMacArray } from './generate.js';
export { macArrayReference } from './reference.js';

function streamOf(c: MacArrayConfig): StreamFields {
  const d = deriveMacArray(c);
  const ins = [
    ...(c.dataflow === 'ws' ? [{ name: 'load', width: 1 }] : []),
    { name: 'a', width: c.rows * d.aBits },
    { name: 'b', width: c.cols * d.bBits },
  ];
  const outs = [
    { name: 'acc', width: d.outElems * d.accWidthBits },
    ...(d.specials ? [{ name: 'special', width: d.outElems * 2 }] : []),
    ...(c.output === 'fp32' ? [{ name: 'fp32', width: d.outElems * 32 }] : []),
  ];
  return { in: ins, out: outs };
}

function randomBeat(c: MacArrayConfig, rng: Rng): Beat {
  const d = deriveMacArray(c);
  const a = packCodes(
    Array.from({ length: c.rows }, () => randomCode(c.aFormat, rng)),
    d.aBits,
  );
  const b = packCodes(
    Array.from({ length: c.cols }, () => randomCode(c.bFormat, rng)),
    d.bBits,
  );
  if (c.dataflow === 'os') return { a, b };
  return { load: rng.chance(0.25) ? 1n : 0n, a, b };
}

/** Every (A column, B row) beat when that space has at most 2^20 beats (output-stationary). */
function* exhaustiveBeats(c: MacArrayConfig): Iterable<Beat> {
  const d = deriveMacArray(c);
  const aw = c.rows * d.aBits;
  const bits = aw + c.cols * d.bBits;
  if (c.dataflow !== 'os' || bits > 20) return;
  const mask = (1n << BigInt(aw)) - 1n;
  for (let n = 0n; n < 1n << BigInt(bits); n++) yield { a: n & mask, b: n >> BigInt(aw) };
}

function contract(c: MacArrayConfig): string {
  const d = deriveMacArray(c);
  const beat =
    c.dataflow === 'os'
      ? `An input beat is one k-step: in_a holds column k of A (${c.rows} ${c.aFormat} codes, row i at bits [${d.aBits}i+${d.aBits - 1}:${d.aBits}i]) and in_b row k of B (${c.cols} ${c.bFormat} codes); every ${d.k} beats close a tile and give one output beat with element (i,j) = Σ_k A[i][k]·B[k][j] at index i·${c.cols}+j.`
      : `An input beat with in_load = 1 writes in_b (${c.cols} ${c.bFormat} codes) into weight row r, r = 0, 1, ..., ${c.rows - 1}, 0, ... counting load beats since reset (weights start at 0); a beat with in_load = 0 is an activation vector in_a (${c.rows} ${c.aFormat} codes) and gives one output beat with element j = Σ_i a[i]·W[i][j].`;
  return (
    `${beat} out_acc holds each exact sum as a ${d.accWidthBits}-bit two's complement integer in units of 2^${d.accLsbExp} ` +
    `(exact width for K = ${d.k}: ${d.exactAccWidthBits} bits; no rounding, no overflow). ` +
    (d.specials
      ? 'out_special gives 2 bits per element: 0 finite, 1 NaN (a NaN operand, Inf × 0, or +Inf and -Inf products), 2 +Inf, 3 -Inf; out_acc then holds the sum of the finite products. '
      : '') +
    (c.output === 'fp32'
      ? 'out_fp32 is each sum rounded once to binary32 (RNE, overflow to ±Inf, exact zero +0; NaN 0x7FC00000). '
      : '') +
    `Latency ${d.latencyCycles} cycles from the beat that completes an output to its first offer; the array stalls as a whole when out_ready is low.`
  );
}

export const macArrayKind: ComponentKind<MacArrayConfig> = {
  kind: 'mac-array',
  description: 'rows × cols systolic MAC array (output- or weight-stationary), exact accumulation',
  schema: macArraySchema,
  examples: [
    {
      name: 'os-4x4-e4m3-int4-k8',
      config: macArraySchema.parse({
        rows: 4,
        cols: 4,
        aFormat: 'fp8_e4m3',
        bFormat: 'int4',
        depth: 8,
      }),
    },
    {
      name: 'os-1x1-e4m3-e5m2-k1-fp32',
      config: macArraySchema.parse({
        rows: 1,
        cols: 1,
        aFormat: 'fp8_e4m3',
        bFormat: 'fp8_e5m2',
        depth: 1,
        output: 'fp32',
      }),
    },
    {
      name: 'ws-3x4-uint8-e2m3-fp32',
      config: macArraySchema.parse({
        rows: 3,
        cols: 4,
        dataflow: 'ws',
        aFormat: 'uint8',
        bFormat: 'fp6_e2m3',
        output: 'fp32',
      }),
    },
    // Integer pairs: signed × signed and unsigned × signed (formats.md 1.3's widest products).
    // 16 input bits each, so the sweep also runs every (a, b) beat: all 65 536 int8 × int8 and
    // uint4 pair × int8 products.
    {
      name: 'os-1x1-int8-int8-k3',
      config: macArraySchema.parse({
        rows: 1,
        cols: 1,
        aFormat: 'int8',
        bFormat: 'int8',
        depth: 3,
      }),
    },
    {
      name: 'os-2x1-uint4-int8-k5',
      config: macArraySchema.parse({
        rows: 2,
        cols: 1,
        aFormat: 'uint4',
        bFormat: 'int8',
        depth: 5,
      }),
    },
    {
      name: 'os-1x2-e3m2-e2m1-k2-fp32',
      config: macArraySchema.parse({
        rows: 1,
        cols: 2,
        aFormat: 'fp6_e3m2',
        bFormat: 'fp4_e2m1',
        depth: 2,
        output: 'fp32',
      }),
    },
  ],
  moduleName: macArrayName,
  derive: deriveMacArray,
  generate: generateMacArray,
  stream: streamOf,
  randomBeat,
  exhaustiveBeats,
  reference: macArrayReference,
  contract,
};

registerComponent(macArrayKind);
