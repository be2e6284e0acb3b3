// Reading an ONNX model: the protobuf is decoded by onnx-proto (the ONNX schema compiled for
// protobufjs); initializers and Constant tensors become binary64 arrays, external data (the
// `location`/`offset`/`length` entries of an initializer) is read from files next to the model.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import type onnxProto from 'onnx-proto';
import { MxgenError } from '../../hdl/index.js';

type Onnx = typeof onnxProto.onnx;
let onnxNs: Onnx | undefined;
/** onnx-proto's namespace, loaded on first use (it is a sixth of the CLI's start-up otherwise). */
function onnx(): Onnx {
  onnxNs ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx;
  return onnxNs;
}
export type ModelProto = InstanceType<Onnx['ModelProto']>;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfo = onnxProto.onnx.IValueInfoProto;

/** A constant tensor: dims and values (row-major, binary64). */
export interface ConstTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

const num = (v: number | { toNumber(): number } | null | undefined): number =>
  v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber();

/** Decodes an ONNX file; a corrupt or truncated file is a one-line `io` error. */
export function readOnnx(file: string): ModelProto {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let m: ModelProto;
  try {
    m = onnx().ModelProto.decode(bytes);
  } catch (e) {
    throw new MxgenError(
      'io',
      `${file}: not a readable ONNX model (corrupt or truncated protobuf: ${(e as Error).message.split('\n')[0]})`,
      { hint: 'export the model again (torch.onnx.export, skl2onnx, onnx.save)' },
    );
  }
  if (!m.graph || (m.graph.node ?? []).length === 0)
    throw new MxgenError('io', `${file}: not a readable ONNX model (no graph or no nodes)`, {
      hint: 'export the model again (torch.onnx.export, skl2onnx, onnx.save)',
    });
  return m;
}

/** ONNX TensorProto.DataType values (onnx.proto; a unit test compares them with onnx-proto's). */
export const DT = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;
const BYTES: Partial<Record<number, number>> = {
  [DT.FLOAT]: 4,
  [DT.DOUBLE]: 8,
  [DT.INT64]: 8,
  [DT.INT32]: 4,
  [DT.INT8]: 1,
  [DT.UINT8]: 1,
  [DT.INT16]: 2,
  [DT.UINT16]: 2,
  [DT.BOOL]: 1,
  [DT.FLOAT16]: 2,
};

function fromRaw(raw: Uint8Array, type: number, count: number, where: string): Float64Array {
  const size = BYTES[type];
  if (size === undefined)
    throw new MxgenError('config', `${where}: tensor data type ${type} is not supported`);
  if (raw.length < count * size)
    throw new MxgenError(
      'io',
      `${where}: tensor data is truncated (${raw.length} bytes for ${count} values of ${size} bytes)`,
    );
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (type) {
      case DT.FLOAT:
        out[i] = v.getFloat32(o, true);
        break;
      case DT.DOUBLE:
        out[i] = v.getFloat64(o, true);
        break;
      case DT.INT64:
        out[i] = Number(v.getBigInt64(o, true));
        break;
      case DT.INT32:
        out[i] = v.getInt32(o, true);
        break;
      case DT.INT16:
        out[i] = v.getInt16(o, true);
        break;
      case DT.UINT16:
        out[i] = v.getUint16(o, true);
        break;
      case DT.INT8:
        out[i] = v.getInt8(o);
        break;
      case DT.FLOAT16:
        out[i] = half(v.getUint16(o, true));
        break;
      default:
        out[i] = v.getUint8(o);
    }
  }
  return out;
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1024 + m) * 2 ** (e - 25);
}

/** The values of a tensor (initializer, Constant value), external data read relative to `dir`. */
export function tensorValues(t: TensorProto, dir: string, where: string): ConstTensor {
  const dims = (t.dims ?? []).map(num);
  const count = dims.reduce((a, b) => a * b, 1);
  const type = t.dataType ?? 0;
  let data: Float64Array;
  const ext = t.externalData ?? [];
  if (t.dataLocation === onnx().TensorProto.DataLocation.EXTERNAL || ext.length > 0) {
    const kv = new Map(ext.map((e) => [e.key ?? '', e.value ?? '']));
    const loc = kv.get('location') ?? '';
    if (loc === '' || isAbsolute(loc) || normalize(loc).split(sep).includes('..'))
      throw new MxgenError(
        'io',
        `${where}: external data location ${JSON.stringify(loc)} must be a file name relative to the model`,
      );
    const path = join(dir, loc);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new MxgenError(
        'io',
        `${where}: cannot read its external data ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    const offset = Number(kv.get('offset') ?? 0);
    const length = kv.has('length') ? Number(kv.get('length')) : bytes.length - offset;
    if (offset + length > bytes.length)
      throw new MxgenError(
        'io',
        `${where}: external data ${path} is truncated (needs bytes ${offset}..${offset + length}, has ${bytes.length})`,
      );
    data = fromRaw(bytes.subarray(offset, offset + length), type, count, where);
  } else if (t.rawData && t.rawData.length > 0) data = fromRaw(t.rawData, type, count, where);
  else {
    const list: readonly (number | { toNumber(): number })[] =
      (t.floatData?.length ? t.floatData : undefined) ??
      (t.doubleData?.length ? t.doubleData : undefined) ??
      (t.int64Data?.length ? t.int64Data : undefined) ??
      (t.int32Data?.length ? t.int32Data : undefined) ??
      [];
    if (type === DT.FLOAT16) data = Float64Array.from(list, (x) => half(num(x)));
    else data = Float64Array.from(list, (x) => num(x));
    if (data.length !== count)
      throw new MxgenError(
        'io',
        `${where}: tensor has ${data.length} values for dims [${dims.join(', ')}] (truncated or corrupt)`,
      );
  }
  return { dims, data };
}

/** The model's folder (external data is relative to it). */
export const modelDir = (file: string): string => dirname(file);

/** An attribute's value: int, float, ints, floats, string or tensor. */
export function attr(
  n: NodeProto,
  name: string,
):
  | { i?: number; f?: number; ints?: number[]; floats?: number[]; s?: string; t?: TensorProto }
  | undefined {
  const a = (n.attribute ?? []).find((x) => x.name === name);
  if (!a) return undefined;
  return {
    ...(a.i !== undefined && a.i !== null ? { i: num(a.i) } : {}),
    ...(a.f !== undefined && a.f !== null ? { f: a.f } : {}),
    ...(a.ints?.length ? { ints: a.ints.map(num) } : {}),
    ...(a.floats?.length ? { floats: [...a.floats] } : {}),
    ...(a.s?.length ? { s: Buffer.from(a.s).toString('utf8') } : {}),
    ...(a.t ? { t: a.t } : {}),
  };
}

/** Dims of a value info: numbers, or a dim_param name (dynamic), or undefined (unknown). */
export function valueDims(v: ValueInfo): (number | string | undefined)[] | undefined {
  const shape = v.type?.tensorType?.shape;
  if (!shape) return undefined;
  return (shape.dim ?? []).map((d) =>
    d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0
      ? num(d.dimValue)
      : d.dimParam
        ? d.dimParam
        : undefined,
  );
}

export { num as longToNumber };
