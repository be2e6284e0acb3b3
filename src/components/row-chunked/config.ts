// Configs of the chunked row units: the one-row-per-beat softmax / norm configs with `n` up to
// the golden definition's limit and `chunk`, the features per beat (the lanes of hardware).
import { z } from 'zod';
import { normConstants, SOFTMAX_RECIP_BITS, type IntNormParams } from '../../numerics/index.js';
import type { NormKind } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { NORM_DEFAULTS, normName, normSchema } from '../norm/config.js';
import { SOFTMAX_DEFAULTS, softmaxName, softmaxSchema } from '../softmax/config.js';
import { ROW_MACHINE_LATENCY, rowBeats } from './machine.js';

/** Most lanes (features per beat) of a chunked row unit. */
export const ROW_CHUNK_MAX = 64;
/** The chunk a row op gets when its design node names none (docs/ir.md "Row ops"). */
export const ROW_CHUNK_DEFAULT = 64;

const chunk = z
  .number({ invalid_type_error: 'chunk must be a number' })
  .int('chunk must be an integer')
  .min(1, 'chunk must be at least 1')
  .max(ROW_CHUNK_MAX, `chunk must be at most ${ROW_CHUNK_MAX}`);

const rowN = (max: number) =>
  z
    .number({ invalid_type_error: 'n must be a number' })
    .int('n must be an integer')
    .min(1, 'n must be at least 1')
    .max(max, `n must be at most ${max}`);

/** Most features of a chunked softmax row (the golden's chunk limit is 2^20). */
export const SOFTMAX_CHUNKED_MAX_N = 65536;
/** Most features of a chunked norm row (numerics intNorm takes n ≤ 4096). */
export const NORM_CHUNKED_MAX_N = 4096;

export const softmaxChunkedSchema = softmaxSchema
  .extend({ n: rowN(SOFTMAX_CHUNKED_MAX_N).default(40), chunk: chunk.default(16) })
  .strict();
export type SoftmaxChunkedConfig = z.infer<typeof softmaxChunkedSchema>;
export const SOFTMAX_CHUNKED_DEFAULTS: SoftmaxChunkedConfig = Object.freeze({
  ...SOFTMAX_DEFAULTS,
  n: 40,
  chunk: 16,
});

export const normChunkedSchema = normSchema
  .extend({ n: rowN(NORM_CHUNKED_MAX_N).default(40), chunk: chunk.default(16) })
  .strict();
export type NormChunkedConfig = z.infer<typeof normChunkedSchema>;
export const NORM_CHUNKED_DEFAULTS: NormChunkedConfig = Object.freeze({
  ...NORM_DEFAULTS,
  n: 40,
  chunk: 16,
});

export const normChunkedParams = (kind: NormKind, c: NormChunkedConfig): IntNormParams => {
  const { chunk: _chunk, ...rest } = c;
  return { kind, ...rest };
};

function rowDerived(n: number, ch: number) {
  const R = rowBeats(n, ch);
  return {
    // from the row's last input beat to its first output beat
    latencyCycles: ROW_MACHINE_LATENCY,
    beatsPerRow: R,
    // IN: R beats, CALC: 1, OUT: R + 1 (the first read, then one beat per cycle)
    cyclesPerRow: 2 * R + 2,
  };
}

export function deriveSoftmaxChunked(c: SoftmaxChunkedConfig): Derived {
  return Object.freeze({
    ...rowDerived(c.n, c.chunk),
    rowBufferBits: rowBeats(c.n, c.chunk) * c.chunk * c.inBits,
    sumBits: (BigInt(c.n) << 15n).toString(2).length,
    recipBits: SOFTMAX_RECIP_BITS - 15 + 1,
  });
}

export function deriveNormChunked(kind: NormKind, c: NormChunkedConfig): Derived {
  const k = normConstants(normChunkedParams(kind, c));
  const per = c.inBits + c.gammaBits + (kind === 'layernorm' ? c.betaBits : 0);
  return Object.freeze({
    ...rowDerived(c.n, c.chunk),
    rowBufferBits: rowBeats(c.n, c.chunk) * c.chunk * per,
    k: k.k,
    dBits: k.dMax.toString(2).length,
  });
}

/** `softmax_chunked_n…_c<chunk>`: the one-row unit's name with the kind's prefix. */
export const softmaxChunkedName = (c: SoftmaxChunkedConfig): string =>
  `${softmaxName(c).replace(/^softmax_/, 'softmax_chunked_')}_c${c.chunk}`;

export const normChunkedName = (kind: NormKind, c: NormChunkedConfig): string =>
  `${normName(kind, c).replace(`${kind}_`, `${kind}_chunked_`)}_c${c.chunk}`;
