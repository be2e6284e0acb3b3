// Seeded real-valued data: every real is an exact dyadic rational (k / 2^14 times a power of two),
// so the FP64 evaluation and the exact golden model start from the same numbers. Weights not given
// in the design file, biases and input tensors are drawn here; the quantized versions follow from
// the tensor formats (formats.ts).
import { makeRng } from '../components/index.js';
import { MxgenError } from '../hdl/index.js';
import { type Exact, fromNumber } from '../numerics/index.js';
import {
  quantizeIntReals,
  quantizeMxReals,
  quantizeOliveReals,
  quantizeTo,
  type QVector,
  type TensorFormat,
} from './formats.js';
import type { ConstNode, Graph } from './graph.js';

/** Calibration tensors are numbered from here (quantize.ts CALIBRATION_BASE, the same value). */
const DATA_CALIBRATION_BASE = 1_000_000;

/** FNV-1a over the parts joined by `/`: the seed of one named random stream. */
export function seedOf(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** n bell-shaped reals: the mean of four uniform 14-bit values in [-1, 1), times `scale`. */
function bellReals(seed: number, n: number, scale: number): number[] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    let s = 0;
    for (let i = 0; i < 4; i++) s += rng.int(1 << 15) - (1 << 14);
    return (s / 2 ** 16) * scale;
  });
}

/** Rows of real input data of graph input `name` (design field `values`), or 0 when seeded. */
export function inputRows(g: Graph, name: string): number {
  const n = g.nodes.find((x) => x.name === name);
  if (n?.op !== 'input' || !n.values) return 0;
  return Math.floor(n.values.length / Math.max(1, n.shape[1] ?? 1));
}

/**
 * Input token vector `token` of tensor `vector` for graph input `name`: row vector·tokens + token
 * of the given real data (calibration tensors, numbered from CALIBRATION_BASE, take the rows
 * from the first on, wrapping), else seeded reals with occasional outliers.
 */
export function inputReals(
  g: Graph,
  name: string,
  features: number,
  vector: number,
  token: number,
): number[] {
  const node = g.nodes.find((x) => x.name === name);
  if (node?.op === 'input' && node.values) {
    const rows = inputRows(g, name);
    const tokens = node.shape[0] ?? 1;
    const v = vector >= DATA_CALIBRATION_BASE ? vector - DATA_CALIBRATION_BASE : vector;
    const row = v * tokens + token;
    if (rows === 0 || (vector < DATA_CALIBRATION_BASE && row >= rows))
      throw new MxgenError(
        'usage',
        `input ${name} has ${rows} rows of data; tensor ${vector} token ${token} needs row ${row}`,
      );
    const r = row % rows;
    return node.values.slice(r * features, (r + 1) * features);
  }
  const seed = seedOf(g.seed, 'input', name, vector, token);
  const rng = makeRng(seed ^ 0x5bd1e995);
  return bellReals(seed, features, 2).map((x) => (rng.int(16) === 0 ? x * 8 : x));
}

/**
 * A cache of the last `keep` results by key: every pass and evaluation asks for the same
 * constants, and a real-size layer has millions of weights (drawing and quantizing them is most
 * of the compile time).
 */
function recent<T>(keep: number): (key: string, make: () => T) => T {
  const m = new Map<string, T>();
  return (key, make) => {
    const hit = m.get(key);
    if (hit !== undefined) {
      m.delete(key);
      m.set(key, hit);
      return hit;
    }
    const v = make();
    m.set(key, v);
    while (m.size > keep) {
      const oldest = m.keys().next().value;
      if (oldest === undefined) break;
      m.delete(oldest);
    }
    return v;
  };
}

const constKey = (g: Graph, c: ConstNode): string =>
  `${g.name}|${g.seed}|${c.name}|${c.role}|${c.shape.join('x')}|${c.values ? c.values.join(',') : ''}`;

const REALS = recent<number[]>(8);

/** The real values of a constant (row-major), given in the design file or seeded. */
export function constReals(g: Graph, c: ConstNode): number[] {
  return REALS(constKey(g, c), () => drawReals(g, c));
}

function drawReals(g: Graph, c: ConstNode): number[] {
  const n = c.shape.reduce((a, b) => a * b, 1);
  if (c.values) {
    if (c.values.length !== n)
      throw new MxgenError('config', `${c.name} has ${c.values.length} values; expected ${n}`);
    return [...c.values];
  }
  // A norm's γ ~ 1 ± 1/4 and β ~ 1/8 (like a bias).
  if (c.role === 'gamma')
    return bellReals(seedOf(g.seed, 'const', c.name), n, 0.25).map((x) => 1 + x);
  const fanIn = c.role === 'weight' ? (c.shape[1] ?? 1) : 1;
  // Weights ~ 1/sqrt(fan-in) (a power of two, so reals stay exact); biases ~ 1/8.
  const scale = c.role === 'weight' ? 2 ** -Math.round(Math.log2(fanIn) / 2) : 0.125;
  return bellReals(seedOf(g.seed, 'const', c.name), n, scale);
}

export const exactOf = (xs: readonly number[]): Exact[] => xs.map((x) => fromNumber(x));

const QUANTIZED = recent<QVector[]>(8);

/** A constant quantized to its format: rows of weights are quantized one row at a time. */
export function quantizedConst(g: Graph, c: ConstNode, f: TensorFormat): QVector[] {
  return QUANTIZED(`${constKey(g, c)}|${JSON.stringify(f)}`, () => quantizeRows(g, c, f));
}

function quantizeRows(g: Graph, c: ConstNode, f: TensorFormat): QVector[] {
  const reals = constReals(g, c);
  const rowLen = c.role === 'weight' ? (c.shape[1] ?? 1) : reals.length;
  const rows: QVector[] = [];
  for (let i = 0; i < reals.length; i += rowLen) {
    const row = reals.slice(i, i + rowLen);
    const fast =
      f.kind === 'element'
        ? quantizeIntReals(row, f.name, f.scaleExp)
        : f.kind === 'mx'
          ? quantizeMxReals(row, f.name)
          : f.kind === 'olive'
            ? quantizeOliveReals(row, f.name, f.sigmaExp)
            : undefined;
    rows.push(fast ?? quantizeTo(exactOf(row), f));
  }
  return rows;
}
