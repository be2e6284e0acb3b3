// The `kv_format` field of the design op `attention` (docs/ir.md "Attention and the KV cache",
// decision 41): a format name (int2..int8, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1) or
// `{ format: intN, scale: per_token }`, → the kv-attention unit's kvFormat and element bits.
import { z } from 'zod';
import { getFormat, type KvCacheFormat } from '../numerics/index.js';

export const kvFormatSchema = z.union([z.string(), z.record(z.unknown())]).default('int8');
export type KvFormatField = z.infer<typeof kvFormatSchema>;
const scaledSchema = z.strictObject({ format: z.string(), scale: z.string() });

/** The cache format of a `kv_format` field, or the one-line reason (and hint) it is not supported. */
export function kvFormatOf(
  raw: KvFormatField,
  attn: string,
): { kind: KvCacheFormat; bits: number } | { error: string; hint: string } {
  const obj = typeof raw === 'string' ? undefined : scaledSchema.safeParse(raw);
  const shape = '{ format: int2..int8, scale: per_token }';
  if (obj && !obj.success)
    return { error: `expected a format name or ${shape}`, hint: 'see docs/ir.md "Attention"' };
  const field = obj?.success ? obj.data : (raw as string);
  if (typeof field !== 'string' && field.scale !== 'per_token' && field.scale !== 'per_channel')
    return {
      error: `scale must be per_token or per_channel; got ${field.scale}`,
      hint: 'per_channel is not built: use per_token',
    };
  const name = typeof field === 'string' ? field : field.format;
  const label = typeof field === 'string' ? name : `{ format: ${name}, scale: ${field.scale} }`;
  const intBits = (): number | undefined => {
    const m = /^int([2-8])$/.exec(name);
    return m ? getFormat(name).bits : undefined;
  };
  const unsupported = (why: string, hint: string) => ({
    error: `unsupported format: attention ${attn} KV cache ${label}; ${why}`,
    hint,
  });
  const choices = `the KV cache takes int2..int8, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1 or ${shape}`;
  if (typeof field !== 'string') {
    if (field.scale === 'per_channel')
      return unsupported(
        'per-channel scales are not built (a channel scale needs the keys of every token before the first is stored)',
        'use scale: per_token, or an MX format (a scale per 32 channels of each token)',
      );
    const b = intBits();
    return b === undefined
      ? unsupported(
          'a per-token scale applies to int2..int8 codes',
          'use { format: int4, scale: per_token }',
        )
      : { kind: 'int_per_token', bits: b };
  }
  const b = intBits();
  if (b !== undefined) return { kind: 'int', bits: b };
  if (name === 'fp8_e4m3' || name === 'mxfp8_e4m3') return { kind: name, bits: 8 };
  if (name === 'mxfp4_e2m1') return { kind: name, bits: 4 };
  return unsupported(choices, 'use int8, int4, fp8_e4m3, mxfp8_e4m3 or mxfp4_e2m1');
}
