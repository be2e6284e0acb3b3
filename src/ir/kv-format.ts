// The `kv_format` field of the design op `attention` (docs/ir.md "Attention and the KV cache",
// decisions 41 and 44): a format name (int2..int8, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1) or
// `{ format: intN, scale: per_token | per_channel, value_scale?: per_token | per_channel }`
// (value_scale defaults to scale; keys per channel and values per token is KIVI's split),
// → the kv-attention unit's kvFormat and element bits.
import { z } from 'zod';
import { getFormat } from '../numerics/index.js';
import type { KvAttentionFormat } from '../components/index.js';

export const kvFormatSchema = z.union([z.string(), z.record(z.unknown())]).default('int8');
export type KvFormatField = z.infer<typeof kvFormatSchema>;
const scaledSchema = z.strictObject({
  format: z.string(),
  scale: z.string(),
  value_scale: z.string().optional(),
});

const SCALES = ['per_token', 'per_channel'];

/**
 * The cache format of a `kv_format` field, or the one-line reason (and hint) it is not supported;
 * `field` names the sub-field at fault (`scale`, `value_scale`) when there is one.
 */
export function kvFormatOf(
  raw: KvFormatField,
  attn: string,
): { kind: KvAttentionFormat; bits: number } | { error: string; hint: string; field?: string } {
  const obj = typeof raw === 'string' ? undefined : scaledSchema.safeParse(raw);
  const shape = '{ format: int2..int8, scale: per_token | per_channel }';
  if (obj && !obj.success)
    return { error: `expected a format name or ${shape}`, hint: 'see docs/ir.md "Attention"' };
  const field = obj?.success ? obj.data : (raw as string);
  if (typeof field !== 'string')
    for (const key of ['scale', 'value_scale'] as const) {
      const v = field[key];
      if (v !== undefined && !SCALES.includes(v))
        return {
          error: `${key} must be per_token or per_channel; got ${v}`,
          hint: 'per_token: a shift per token; per_channel: a calibrated shift per channel',
          field: key,
        };
    }
  const name = typeof field === 'string' ? field : field.format;
  const vscale = typeof field === 'string' ? undefined : (field.value_scale ?? field.scale);
  const label =
    typeof field === 'string'
      ? name
      : `{ format: ${name}, scale: ${field.scale}${field.value_scale ? `, value_scale: ${field.value_scale}` : ''} }`;
  const intBits = (): number | undefined => {
    const m = /^int([2-8])$/.exec(name);
    return m ? getFormat(name).bits : undefined;
  };
  const unsupported = (why: string, hint: string, at?: string) => ({
    error: `unsupported format: attention ${attn} KV cache ${label}; ${why}`,
    hint,
    ...(at ? { field: at } : {}),
  });
  const choices = `the KV cache takes int2..int8, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1 or ${shape}`;
  if (typeof field !== 'string') {
    const b = intBits();
    if (b === undefined)
      return unsupported(
        `a ${field.scale === 'per_channel' ? 'per-channel' : 'per-token'} scale applies to int2..int8 codes`,
        `use { format: int4, scale: ${field.scale} }`,
        'format',
      );
    if (field.scale === 'per_token' && vscale === 'per_channel')
      return unsupported(
        'values per channel with keys per token is not built (KIVI quantizes keys per channel and values per token)',
        'use scale: per_channel, value_scale: per_token, or per_channel for both',
        'value_scale',
      );
    if (field.scale === 'per_token') return { kind: 'int_per_token', bits: b };
    return { kind: vscale === 'per_token' ? 'int_k_channel_v_token' : 'int_per_channel', bits: b };
  }
  const b = intBits();
  if (b !== undefined) return { kind: 'int', bits: b };
  if (name === 'fp8_e4m3' || name === 'mxfp8_e4m3') return { kind: name, bits: 8 };
  if (name === 'mxfp4_e2m1') return { kind: name, bits: 4 };
  return unsupported(choices, 'use int8, int4, fp8_e4m3, mxfp8_e4m3 or mxfp4_e2m1');
}
