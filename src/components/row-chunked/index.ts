// Chunked row units (registered component kinds `softmax-chunked`, `layernorm-chunked`,
// `rmsnorm-chunked`): a row of any length n in beats of `chunk` features, the row held in an SRAM
// buffer between the statistics pass and the normalize pass (machine.ts). Oracle: numerics
// intSoftmax (online form, chunk = the lanes) and intNorm over the whole row; a row is
// ceil(n / chunk) input beats and as many output beats (padding lanes in: ignored; out: 0).
import { intNorm, intSoftmax, type NormKind } from '../../numerics/index.js';
import { packSignedCodes, randomCodeRow, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveNormChunked,
  deriveSoftmaxChunked,
  NORM_CHUNKED_DEFAULTS,
  normChunkedName,
  normChunkedParams,
  normChunkedSchema,
  SOFTMAX_CHUNKED_DEFAULTS,
  softmaxChunkedName,
  softmaxChunkedSchema,
  type NormChunkedConfig,
  type SoftmaxChunkedConfig,
} from './config.js';
import { rowBeats } from './machine.js';
import { generateNormChunked } from './norm.js';
import { generateSoftmaxChunked } from './softmax.js';
import { normStream, randomNormBeat } from '../norm/index.js';

export * from './config.js';
export { rowBeats, ROW_MACHINE_LATENCY } from './machine.js';
export { generateNormChunked } from './norm.js';
export { generateSoftmaxChunked } from './softmax.js';

/**
 * Whole rows from chunk beats: for every complete group of R beats, each field's first n codes
 * (a trailing incomplete row has no output yet).
 */
function rowsOf(
  beats: readonly Beat[],
  n: number,
  chunk: number,
  fields: readonly { readonly name: string; readonly bits: number }[],
): Record<string, number[]>[] {
  const R = rowBeats(n, chunk);
  const rows: Record<string, number[]>[] = [];
  for (let at = 0; at + R <= beats.length; at += R) {
    const row: Record<string, number[]> = {};
    for (const f of fields)
      row[f.name] = beats
        .slice(at, at + R)
        .flatMap((b) => unpackSignedCodes(b[f.name] ?? 0n, f.bits, chunk))
        .slice(0, n);
    rows.push(row);
  }
  return rows;
}

/** A row's output codes as R beats of `chunk` lanes (padding lanes 0). */
function beatsOf(codes: readonly number[], chunk: number, bits: number, field: string): Beat[] {
  const out: Beat[] = [];
  for (let at = 0; at < codes.length; at += chunk) {
    const lanes = codes.slice(at, at + chunk);
    while (lanes.length < chunk) lanes.push(0);
    out.push({ [field]: packSignedCodes(lanes, bits) });
  }
  return out;
}

export function referenceSoftmaxChunked(c: SoftmaxChunkedConfig, inBeats: readonly Beat[]): Beat[] {
  return rowsOf(inBeats, c.n, c.chunk, [{ name: 'x', bits: c.inBits }]).flatMap((r) =>
    beatsOf(intSoftmax(r['x'] ?? [], c), c.chunk, c.outBits, 'p'),
  );
}

export function referenceNormChunked(
  kind: NormKind,
  c: NormChunkedConfig,
  inBeats: readonly Beat[],
): Beat[] {
  const ln = kind === 'layernorm';
  const fields = [
    { name: 'x', bits: c.inBits },
    { name: 'gamma', bits: c.gammaBits },
    ...(ln ? [{ name: 'beta', bits: c.betaBits }] : []),
  ];
  return rowsOf(inBeats, c.n, c.chunk, fields).flatMap((r) =>
    beatsOf(
      intNorm(normChunkedParams(kind, c), r['x'] ?? [], r['gamma'] ?? [], r['beta'] ?? []),
      c.chunk,
      c.outBits,
      'y',
    ),
  );
}

const schedule = (n: number, chunk: number): string =>
  `${rowBeats(n, chunk)} beats of ${chunk} lanes per row in and out, the row in an SRAM buffer; ` +
  `first output beat 3 cycles after the last input beat, 2·${rowBeats(n, chunk)} + 2 cycles per row.`;

export const softmaxChunkedKind: ComponentKind<SoftmaxChunkedConfig> = {
  kind: 'softmax-chunked',
  description: 'integer softmax of a row of any length, chunk features per beat (online max/sum)',
  schema: softmaxChunkedSchema,
  examples: [
    { name: 'n40-c16-int8-u8', config: { ...SOFTMAX_CHUNKED_DEFAULTS } },
    {
      name: 'n7-c3-int6-u8f7',
      config: {
        ...SOFTMAX_CHUNKED_DEFAULTS,
        n: 7,
        chunk: 3,
        inBits: 6,
        inScaleExp: 0,
        outFracBits: 7,
      },
    },
    {
      name: 'n64-c8-int8-u16',
      config: {
        ...SOFTMAX_CHUNKED_DEFAULTS,
        n: 64,
        chunk: 8,
        inScaleExp: -3,
        outBits: 16,
        outFracBits: 16,
      },
    },
  ],
  moduleName: softmaxChunkedName,
  derive: deriveSoftmaxChunked,
  generate: generateSoftmaxChunked,
  stream: (c) => ({
    in: [{ name: 'x', width: c.inBits * c.chunk }],
    out: [{ name: 'p', width: c.outBits * c.chunk }],
  }),
  randomBeat: (c, rng) => ({
    x: packSignedCodes(randomCodeRow(rng, c.chunk, c.inBits), c.inBits),
  }),
  reference: referenceSoftmaxChunked,
  contract: (c) =>
    `p = intSoftmax(x, chunk ${c.chunk}) (docs/numerics.md, online form): ${c.n} int${c.inBits} codes ` +
    `at 2^${c.inScaleExp} → u${c.outBits} at 2^-${c.outFracBits}; running max, sum rescaled by the ` +
    `integer exp when the max grows, R = floor(2^46 / Σe), one RNE per output; ${schedule(c.n, c.chunk)}`,
};

function normChunkedKind(
  kind: NormKind,
  examples: ComponentKind<NormChunkedConfig>['examples'],
): ComponentKind<NormChunkedConfig> {
  const ln = kind === 'layernorm';
  return {
    kind: `${kind}-chunked`,
    description: `integer ${ln ? 'layer' : 'RMS'} norm of a row of any length, chunk features (with γ${ln ? ', β' : ''}) per beat`,
    schema: normChunkedSchema,
    examples,
    moduleName: (c) => normChunkedName(kind, c),
    derive: (c) => deriveNormChunked(kind, c),
    generate: (c) => generateNormChunked(kind, c),
    stream: (c) => normStream(kind, c, c.chunk),
    randomBeat: (c, rng) => randomNormBeat(kind, c, c.chunk, rng),
    reference: (c, beats) => referenceNormChunked(kind, c, beats),
    contract: (c) =>
      `y = intNorm(${kind}) (docs/numerics.md) over ${c.n} int${c.inBits} codes at 2^${c.inScaleExp}, ` +
      `γ int${c.gammaBits} at 2^${c.gammaScaleExp}` +
      (ln ? `, β int${c.betaBits} at 2^${c.betaScaleExp}` : '') +
      `, eps ${c.epsMantissa}·2^${c.epsExp} → int${c.outBits} at 2^${c.outScaleExp}; exact S1, S2 ` +
      `over the beats, r = floor(2^K·sqrt(M/D)) once per row, one RNE, saturation; ${schedule(c.n, c.chunk)}`,
  };
}

export const layernormChunkedKind = normChunkedKind('layernorm', [
  { name: 'n40-c16-int8', config: { ...NORM_CHUNKED_DEFAULTS } },
  {
    name: 'n7-c3-g6-b4-eps3',
    config: {
      ...NORM_CHUNKED_DEFAULTS,
      n: 7,
      chunk: 3,
      inScaleExp: 0,
      gammaBits: 6,
      gammaScaleExp: -4,
      betaBits: 4,
      betaScaleExp: -2,
      outScaleExp: -4,
      epsMantissa: 3,
      epsExp: 0,
    },
  },
]);

export const rmsnormChunkedKind = normChunkedKind('rmsnorm', [
  { name: 'n40-c16-int8', config: { ...NORM_CHUNKED_DEFAULTS } },
  {
    name: 'n33-c8-out12',
    config: {
      ...NORM_CHUNKED_DEFAULTS,
      n: 33,
      chunk: 8,
      inScaleExp: -6,
      outBits: 12,
      outScaleExp: -8,
      epsMantissa: 5,
      epsExp: -10,
    },
  },
]);

registerComponent(softmaxChunkedKind);
registerComponent(layernormChunkedKind);
registerComponent(rmsnormChunkedKind);
