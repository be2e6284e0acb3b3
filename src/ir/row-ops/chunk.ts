// The chunk of a row op (docs/ir.md "Row ops"): features per beat into its component. A token of
// at most `chunk` features goes to the one-row-per-beat component as one beat (the unit as
// before); a longer one is fed in ceil(features / chunk) beats, to the chunked component
// (softmax, norms: `*-chunked`, the row held in an SRAM buffer) or to the element-wise component
// built `chunk` lanes wide (gelu, silu, mul). Hardware then grows with the chunk, not the row.
import { z } from 'zod';
import { ROW_CHUNK_DEFAULT, ROW_CHUNK_MAX } from '../../components/index.js';
import type { RowSpec } from './types.js';

/** Most features of an element-wise row op (gelu, silu, mul) in chunks. */
export const ROW_ELTWISE_MAX_FEATURES = 65536;

/** maxFeatures of the ops whose component bounds its own sizes (kv_attention, matmul). */
export const ROW_UNCHUNKED_ANY = 1 << 20;

/** The design-file field `chunk` of the ops that take rows longer than one beat. */
export const chunkField = {
  chunk: z.number().int().min(1).max(ROW_CHUNK_MAX).optional(),
};

/** The node's chunk: its `chunk` field, else ROW_CHUNK_DEFAULT. */
export const rowChunk = (s: RowSpec): number => Number(s.attrs.chunk ?? ROW_CHUNK_DEFAULT);

/** The chunk when the row is longer than one beat, else undefined (the one-row component). */
export function chunkOf(s: RowSpec): number | undefined {
  const c = rowChunk(s);
  return s.features > c ? c : undefined;
}
