// NumPy `.npy` files (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// read with the npyjs library (header and typed data), checked here (truncated data, byte order,
// Fortran order, dtype) so that a bad file is a one-line error; written with npyjs `dump`.
import { readFileSync } from 'node:fs';
import { dump, parse } from 'npyjs';
import { MxgenError } from '../../hdl/index.js';

export interface NpyTensor {
  readonly shape: readonly number[];
  /** Values in row-major order, as binary64 (exact for every accepted dtype). */
  readonly data: Float64Array;
  readonly dtype: string;
}

/** The dtypes an input, expectation or label file may have: floats and integers, little-endian. */
const FLOAT = new Set(['f2', 'f4', 'f8']);
const INT = new Set(['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8']);
const BYTES: Record<string, number> = {
  f2: 2,
  f4: 4,
  f8: 8,
  i1: 1,
  u1: 1,
  i2: 2,
  u2: 2,
  i4: 4,
  u4: 4,
  i8: 8,
  u8: 8,
  b1: 1,
};

function bad(file: string, what: string): never {
  throw new MxgenError('io', `${file}: not a readable .npy file: ${what}`, {
    hint: 'write it with numpy.save(path, array) from a float or integer array',
  });
}

/** Reads a .npy file: float (f2/f4/f8) or integer dtypes, C order, any shape. */
export function readNpy(file: string): NpyTensor {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (bytes.length < 10 || bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY')
    bad(file, 'no NumPy magic');
  const major = bytes[6] ?? 0;
  const hlen = major >= 2 ? bytes.readUInt32LE(8) : bytes.readUInt16LE(8);
  const start = (major >= 2 ? 12 : 10) + hlen;
  if (start > bytes.length) bad(file, 'truncated header');
  const header = bytes.subarray(major >= 2 ? 12 : 10, start).toString('latin1');
  const descr = /'descr'\s*:\s*'([<>|=]?)([a-zA-Z]\d+)'/.exec(header);
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || shapeText === undefined) bad(file, 'header without descr or shape');
  const order = descr[1] ?? '';
  const code = descr[2] ?? '';
  if (order === '>') bad(file, `big-endian dtype >${code}; use little-endian`);
  if (!FLOAT.has(code) && !INT.has(code))
    bad(file, `dtype ${code}; expected a float (f2, f4, f8) or integer dtype`);
  if (/'fortran_order'\s*:\s*True/.test(header))
    bad(file, 'Fortran order; save a C-ordered array (numpy.ascontiguousarray)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const need = start + count * (BYTES[code] ?? 1);
  if (bytes.length < need)
    bad(
      file,
      `truncated data: shape (${shape.join(', ')}) needs ${need} bytes, the file has ${bytes.length}`,
    );
  const arr = parse(new Uint8Array(bytes.subarray(0, need)).buffer);
  const data = new Float64Array(count);
  const src = arr.data as unknown as ArrayLike<number | bigint>;
  for (let i = 0; i < count; i++) data[i] = Number(src[i]);
  return { shape, data, dtype: code };
}

/** A .npy file (float64, C order) of the given shape, as bytes. */
export function npyBytes(data: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  return new Uint8Array(dump(Float64Array.from(data), [...shape], { dtype: 'f8' }));
}
