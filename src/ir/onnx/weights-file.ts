// The weights side file of an imported design (`weights_file:` in the design YAML): the
// safetensors layout (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
// length, a JSON header `{ "<tensor>": { "dtype": "F64", "shape": [...], "data_offsets": [b, e] } }`,
// then the raw little-endian binary64 data. Tensor names are `<op>.weight` ([features, K]),
// `<op>.bias`, `<op>.gamma`, `<op>.beta`, `<input>.values` ([rows, features]), and an attention's
// `<op>_qkv.weight` / `<op>_qkv.bias` (its fused q|k|v projection; `<op>.weight` is its output one).
import { readFileSync } from 'node:fs';
import { MxgenError } from '../../hdl/index.js';

/**
 * Which design-node field holds which side-file tensor (`<node name><suffix>`): an `attention`'s
 * fused q|k|v projection is the tensor of its expanded linear `<name>_qkv`.
 */
const FIELDS: readonly (readonly [string, string])[] = [
  ['weights', '.weight'],
  ['bias_values', '.bias'],
  ['gamma_values', '.gamma'],
  ['beta_values', '.beta'],
  ['values', '.values'],
  ['qkv_weights', '_qkv.weight'],
  ['qkv_bias_values', '_qkv.bias'],
];

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/**
 * Moves the inline constants of a design object into a side file: returns the design without
 * them (plus `weights_file: <file>`) and the file's bytes.
 */
export function splitWeights(
  design: Record<string, unknown>,
  file: string,
): { design: Record<string, unknown>; bytes: Uint8Array } {
  const header: Record<string, Entry> = {};
  const chunks: Float64Array[] = [];
  let at = 0;
  const graph = (design.graph as Record<string, unknown>[]).map((node) => {
    const n = { ...node };
    for (const [field, role] of FIELDS) {
      const v = n[field];
      if (!Array.isArray(v)) continue;
      const rows = v as (number | number[])[];
      const shape = Array.isArray(rows[0])
        ? [rows.length, (rows[0] as number[]).length]
        : [rows.length];
      const data = Float64Array.from(rows.flat() as number[]);
      header[`${String(n.name)}${role}`] = {
        dtype: 'F64',
        shape,
        data_offsets: [at, at + data.byteLength],
      };
      at += data.byteLength;
      chunks.push(data);
      delete n[field];
    }
    return n;
  });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + at);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let o = 8 + head.length;
  for (const c of chunks) {
    out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), o);
    o += c.byteLength;
  }
  return { design: { ...design, weights_file: file, graph }, bytes: out };
}

/** Reads a side file and puts its tensors back into the design object's nodes (inverse of split). */
export function joinWeights(
  design: Record<string, unknown>,
  path: string,
  label: string,
): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new MxgenError(
      'io',
      `${label}: weights_file: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const bad = (what: string): never => {
    throw new MxgenError('io', `${label}: weights_file ${path}: ${what}`, {
      hint: 'write it again with mxgen import',
    });
  };
  if (bytes.length < 8) bad('truncated');
  const hlen = Number(bytes.readBigUInt64LE(0));
  if (8 + hlen > bytes.length) bad('truncated header');
  let header: Record<string, Entry>;
  try {
    header = JSON.parse(bytes.subarray(8, 8 + hlen).toString('utf8')) as Record<string, Entry>;
  } catch {
    return bad('header is not JSON');
  }
  const base = 8 + hlen;
  const tensor = (name: string): number[] | number[][] | undefined => {
    const e = header[name];
    if (!e) return undefined;
    const [b, end] = e.data_offsets;
    if (e.dtype !== 'F64' || base + end > bytes.length || (end - b) % 8 !== 0)
      bad(`tensor ${name} is not F64 data inside the file`);
    const v = new Float64Array(new Uint8Array(bytes.subarray(base + b, base + end)).buffer);
    if (e.shape.length === 1) return Array.from(v);
    const cols = e.shape[1] ?? 1;
    return Array.from({ length: e.shape[0] ?? 0 }, (_, r) =>
      Array.from(v.subarray(r * cols, (r + 1) * cols)),
    );
  };
  const graph = (
    Array.isArray(design.graph) ? (design.graph as Record<string, unknown>[]) : []
  ).map((node) => {
    const n = { ...node };
    for (const [field, role] of FIELDS) {
      const t = tensor(`${String(n.name)}${role}`);
      if (t !== undefined && n[field] === undefined) n[field] = t;
    }
    return n;
  });
  const { weights_file: _drop, ...rest } = design;
  void _drop;
  return { ...rest, graph };
}
