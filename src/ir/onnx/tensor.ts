// Row-major binary64 tensors of the importer: the layout ops both the constant folding
// (import.ts) and the attention check (attention.ts) apply, written once.
import type { ConstTensor } from './model.js';

export const size = (d: readonly number[]): number => d.reduce((x, y) => x * y, 1);
export const strides = (d: readonly number[]): number[] => d.map((_, i) => size(d.slice(i + 1)));

/** Calls f(index, flat offset) for every index of `dims` in row-major order. */
export function forEachIndex(
  dims: readonly number[],
  f: (idx: readonly number[], o: number) => void,
): void {
  const idx = new Array<number>(dims.length).fill(0);
  const n = size(dims);
  for (let o = 0; o < n; o++) {
    f(idx, o);
    for (let k = dims.length - 1; k >= 0; k--) {
      idx[k] = (idx[k] ?? 0) + 1;
      if ((idx[k] ?? 0) < (dims[k] ?? 1)) break;
      idx[k] = 0;
    }
  }
}

/** ONNX Transpose: output axis k is input axis perm[k]. */
export function transposeTensor(a: ConstTensor, perm: readonly number[]): ConstTensor {
  const dims = perm.map((p) => a.dims[p] ?? 1);
  const st = strides(a.dims);
  const out = new Float64Array(a.data.length);
  forEachIndex(dims, (idx, o) => {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += (idx[k] ?? 0) * (st[perm[k] ?? 0] ?? 0);
    out[o] = a.data[src] ?? 0;
  });
  return { dims, data: out };
}

/** ONNX Split along `axis` (non-negative) into parts of the given sizes. */
export function splitTensor(a: ConstTensor, axis: number, sizes: readonly number[]): ConstTensor[] {
  const outer = size(a.dims.slice(0, axis));
  const inner = size(a.dims.slice(axis + 1));
  const whole = a.dims[axis] ?? 0;
  let at = 0;
  return sizes.map((s) => {
    const data = new Float64Array(outer * s * inner);
    for (let o = 0; o < outer; o++)
      data.set(
        a.data.subarray((o * whole + at) * inner, (o * whole + at + s) * inner),
        o * s * inner,
      );
    at += s;
    const dims = [...a.dims];
    dims[axis] = s;
    return { dims, data };
  });
}

/** The dims of an ONNX Reshape of `dims` by `spec` (0 copies the input's dim, -1 is inferred). */
export function reshapeDims(dims: readonly number[], spec: readonly number[]): number[] {
  const fixed = spec.map((v, k) => (v === 0 ? (dims[k] ?? 1) : v));
  const known = fixed.reduce((p, v) => p * (v === -1 ? 1 : v), 1);
  return fixed.map((v) => (v === -1 ? size(dims) / known : v));
}

/** The dims after an ONNX Squeeze (no axes: every 1) or Unsqueeze of `axes` (negative allowed). */
export function squeezeDims(
  dims: readonly number[],
  op: 'Squeeze' | 'Unsqueeze',
  axes: readonly number[],
): number[] {
  if (op === 'Squeeze') {
    const r = dims.length;
    const drop = new Set(
      (axes.length ? axes : dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((x) =>
        x < 0 ? x + r : x,
      ),
    );
    return dims.filter((_, i) => !drop.has(i));
  }
  const out = [...dims];
  const r = dims.length + axes.length;
  for (const x of axes.map((v) => (v < 0 ? v + r : v)).sort((p, q) => p - q)) out.splice(x, 0, 1);
  return out;
}

/** ONNX Slice with unit steps: [lo[k], hi[k]) on every axis k. */
export function sliceTensor(
  a: ConstTensor,
  lo: readonly number[],
  hi: readonly number[],
): ConstTensor {
  const dims = a.dims.map((_, k) => Math.max(0, (hi[k] ?? 0) - (lo[k] ?? 0)));
  const st = strides(a.dims);
  const out = new Float64Array(size(dims));
  forEachIndex(dims, (idx, o) => {
    let src = 0;
    for (let k = 0; k < dims.length; k++) src += ((idx[k] ?? 0) + (lo[k] ?? 0)) * (st[k] ?? 0);
    out[o] = a.data[src] ?? 0;
  });
  return { dims, data: out };
}
