// The two evaluations of a quantized graph, one token vector at a time:
// - golden: the numerics applied op by op (exact accumulation; every op output converted to its
//   tensor format by the definitions of formats.ts). The hardware must match it bit for bit.
// - fp64: the same graph on the unquantized reals in binary64 (for the report's error).
import { MxgenError } from '../hdl/index.js';
import {
  add,
  binary32BitsOfNumber,
  decode,
  dotGeneral,
  type ElementFormat,
  type Exact,
  exactNumber,
  type FiniteExact,
  fromBinary32Bits,
  fromInt,
  fromNumber,
  getMxFormat,
  type MxBlock,
  type MxFormat,
  mul,
} from '../numerics/index.js';
import { exactOf, inputReals, quantizedConst, constReals } from './data.js';
import {
  elementOf,
  fixedSigs,
  intRowOf,
  markIntRow,
  quantizeTo,
  signedCode,
  type QVector,
  type TensorFormat,
} from './formats.js';
import { type ConstNode, type Graph, isRowOp, type Node, nodeByName } from './graph.js';
import { rowFp64, rowGolden, type SeqBox } from './row-ops/index.js';

/**
 * Per-sequence state of the graph's stateful ops (the KV caches), by node name: one per input
 * tensor (a sequence of `tokens` decoded tokens), passed to every token of it in order.
 */
export type SeqState = Map<string, SeqBox>;

function boxOf(seq: SeqState, name: string): SeqBox {
  let b = seq.get(name);
  if (!b) seq.set(name, (b = {}));
  return b;
}

export function formatOf(n: Node): TensorFormat {
  const f = n.type?.format;
  if (!f) throw new MxgenError('config', `${n.name} has no format yet; run the quantize pass`);
  return f;
}

function constOf(g: Graph, name: string): ConstNode {
  const c = nodeByName(g, name);
  if (c?.op !== 'const') throw new MxgenError('config', `${name} is not a constant`);
  return c;
}

/** Quantized constants of a graph, computed once per evaluation. */
export class ConstCache {
  private readonly q = new Map<string, QVector[]>();
  private readonly r = new Map<string, number[]>();
  constructor(private readonly g: Graph) {}
  quantized(name: string): QVector[] {
    let v = this.q.get(name);
    if (!v) {
      const c = constOf(this.g, name);
      v = quantizedConst(this.g, c, formatOf(c));
      this.q.set(name, v);
    }
    return v;
  }
  reals(name: string): number[] {
    let v = this.r.get(name);
    if (!v) {
      v = constReals(this.g, constOf(this.g, name));
      this.r.set(name, v);
    }
    return v;
  }
}

const ZERO = fromInt(0n);

/**
 * The exact dot product of two integer rows from their codes (value = code·2^s), summed in
 * binary64 where every partial sum is an integer below 2^53 (so exact); undefined otherwise.
 * Equal to `dot` of their values (a zero sum is +0 in both).
 */
export function intDot(x: QVector, w: QVector): Exact | undefined {
  const a = intRowOf(x);
  const b = intRowOf(w);
  const n = x.codes.length;
  if (!a || !b || w.codes.length !== n || 2 ** (a.el.bits + b.el.bits) * n >= 2 ** 53)
    return undefined;
  const xs = signedCodes(x, a.el);
  const ws = w.codes;
  const wb = b.el.kind === 'int' && b.el.signed ? 2 ** (b.el.bits - 1) : Infinity;
  const wm = 2 ** b.el.bits;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const c = ws[k] as number;
    sum += (xs[k] as number) * (c >= wb ? c - wm : c);
  }
  return fromInt(BigInt(sum), a.s + b.s);
}

/** A row's values as doubles, with the exponent range of their bits (`lo` ≤ bits < `hi`). */
interface NumRow {
  readonly v: Float64Array;
  readonly lo: number;
  readonly hi: number;
}
const NUM_ROWS = new WeakMap<QVector, NumRow | null>();
const bitLength = (m: number): number =>
  m < 2 ** 32 ? 32 - Math.clz32(m) : 64 - Math.clz32(Math.floor(m / 2 ** 32));

/** `q`'s values as doubles, computed once per row; null if one is not finite or too wide. */
function numRow(q: QVector): NumRow | null {
  const known = NUM_ROWS.get(q);
  if (known !== undefined) return known;
  const int = intRowOf(q);
  if (int && int.el.bits <= 32 && Math.abs(int.s) <= 900) {
    // An integer row from its codes (its values may not be built yet: millions of weights):
    // code·2^s, multiples of 2^s below 2^(s + bits) in magnitude.
    const k = 2 ** int.s;
    const row = {
      v: signedCodes(q, int.el).map((c) => c * k),
      lo: int.s,
      hi: int.s + int.el.bits,
    };
    NUM_ROWS.set(q, row);
    return row;
  }
  const vals = q.values;
  const v = new Float64Array(vals.length);
  let lo = Infinity;
  let hi = -Infinity;
  let row: NumRow | null = null;
  let k = 0;
  for (; k < vals.length; k++) {
    const d = exactNumber(vals[k] as Exact);
    if (d === undefined) break;
    if (d === 0) continue; // ±0 has no bits (and a sum that starts at +0 never sees its sign)
    // Finite (exactNumber is defined only there), its significand odd (finite() normalizes):
    // its lowest bit is 2^exp.
    const x = vals[k] as FiniteExact;
    v[k] = d;
    lo = Math.min(lo, x.exp);
    hi = Math.max(hi, x.exp + bitLength(Number(x.sig)));
  }
  if (k === vals.length) row = { v, lo, hi };
  NUM_ROWS.set(q, row);
  return row;
}

/**
 * The exact dot product of two rows of any format, in binary64 where that is exact: every
 * product is a multiple of 2^(lo_x + lo_w) below 2^(hi_x + hi_w), so when n of them span at
 * most 53 bits every partial sum is a representable double. Undefined otherwise (the exact
 * `dot`). Equal to `dot` (a zero sum is +0 in both). OliVe and other non-integer weights took
 * the exact path, an Exact addition and multiplication per weight and token.
 */
export function numericDot(x: QVector, w: QVector): Exact | undefined {
  const n = x.values.length;
  if (w.values.length !== n) return undefined;
  const a = numRow(x);
  const b = numRow(w);
  if (!a || !b) return undefined;
  if (a.hi === -Infinity || b.hi === -Infinity) return ZERO; // a row of zeros
  const lo = a.lo + b.lo;
  const hi = a.hi + b.hi;
  if (lo < -1000 || hi > 1000 || hi - lo + Math.ceil(Math.log2(n)) > 53) return undefined;
  const av = a.v;
  const bv = b.v;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += (av[k] as number) * (bv[k] as number);
  return fromNumber(sum);
}

/**
 * The signed values of an integer row's codes, computed once per row: a linear's input row
 * meets every weight row (3 072 of them in a GPT-2 FFN), and converting it for each one was
 * most of `mxgen run`'s time on the real-size designs.
 */
const SIGNED = new WeakMap<QVector, Float64Array>();
function signedCodes(q: QVector, el: ElementFormat): Float64Array {
  let s = SIGNED.get(q);
  if (!s) {
    s = Float64Array.from(q.codes, (c) => signedCode(el, c));
    SIGNED.set(q, s);
  }
  return s;
}

function dot(a: readonly Exact[], w: readonly Exact[]): Exact {
  let acc: Exact = ZERO;
  a.forEach((x, k) => (acc = add(acc, mul(x, w[k] ?? ZERO))));
  return acc;
}

/** Elements per MX block: a tensor of F features carries ceil(F / 32) scales. */
export const MX_BLOCK = 32;

/**
 * A linear over an MX input with more than one block (MX weights): the OCP `DotGeneral` in
 * `fp32-blockwise` mode (formats.md 5.2): each block's exact `Dot` rounded to binary32 (RNE),
 * then sequential binary32 RNE additions from +0 in block order — what MX hardware does (an
 * exact cross-block accumulator would need ~540 bits). A single block stays exact.
 */
export function mxBlockwise(
  x: QVector,
  xf: TensorFormat,
  w: QVector,
  wf: TensorFormat,
): Exact | undefined {
  if (xf.kind !== 'mx' || wf.kind !== 'mx' || x.codes.length <= MX_BLOCK) return undefined;
  const fast = mxBlockwiseNumbers(x, getMxFormat(xf.name), w, getMxFormat(wf.name));
  if (fast !== undefined) return fast;
  const blocks = (v: QVector, name: string): MxBlock[] => {
    const format = getMxFormat(name);
    return Array.from({ length: Math.ceil(v.codes.length / MX_BLOCK) }, (_, b) => ({
      format,
      scale: v.scales[b] ?? 0,
      codes: v.codes.slice(b * MX_BLOCK, (b + 1) * MX_BLOCK),
    }));
  };
  return dotGeneral(blocks(x, xf.name), blocks(w, wf.name), 'fp32-blockwise').value;
}

/**
 * `mxBlockwise` in binary64, where it is exact: each block's Dot is a sum of integer
 * significand products below 2^53 (checked from the formats' largest significands), so exact;
 * scaled by a power of 2, still exact; then rounded to binary32 (Math.fround, RNE) and
 * accumulated with binary32 additions done in binary64 and rounded (correctly rounded: 53 ≥
 * 2·24 + 2). Undefined, for the exact path, when the bound fails, the lengths differ, a block
 * holds a NaN scale or a NaN or infinite element, or the sum is ∞ - ∞. The GPT-2 FFN's MX
 * golden model spent most of its time in the BigInt form of this.
 */
function mxBlockwiseNumbers(x: QVector, fx: MxFormat, w: QVector, fw: MxFormat): Exact | undefined {
  const ex = fx.element;
  const ew = fw.element;
  const n = x.codes.length;
  if (w.codes.length !== n || Number(ex.maxSig) * Number(ew.maxSig) * MX_BLOCK >= 2 ** 53)
    return undefined;
  if (ex.bits > 12 || ew.bits > 12) return undefined;
  const sx = fixedSigs(ex);
  const sw = fixedSigs(ew);
  const lsb = ex.lsbExp + ew.lsbExp;
  let acc = 0;
  for (let b = 0, i = 0; i < n; b++, i += MX_BLOCK) {
    const xs = x.scales[b] ?? 0;
    const ws = w.scales[b] ?? 0;
    if (xs === 0xff || ws === 0xff) return undefined;
    let sum = 0;
    for (let k = i, end = Math.min(i + MX_BLOCK, n); k < end; k++)
      sum += (sx[x.codes[k] as number] as number) * (sw[w.codes[k] as number] as number);
    if (Number.isNaN(sum)) return undefined;
    acc = Math.fround(acc + Math.fround(sum * 2 ** (xs - 127 + (ws - 127) + lsb)));
  }
  // ∞ - ∞: the exact path's NaN (binary64 gives one of either sign).
  return Number.isNaN(acc) ? undefined : fromBinary32Bits(binary32BitsOfNumber(acc));
}

/** ReLU at the code level: negative elements (and -0) become the +0 code; MX scales are kept. */
function relu(x: QVector, f: TensorFormat): QVector {
  if (f.kind === 'exact' || f.kind === 'fixed') {
    const values = x.values.map((v) => (v.kind === 'finite' && v.neg ? ZERO : v));
    return f.kind === 'exact' ? { codes: [], scales: [], values } : quantizeTo(values, f);
  }
  const el = elementOf(f);
  const codes = x.codes.map((c) => {
    const v = decode(el, c);
    return v.kind === 'finite' && v.neg ? 0 : c;
  });
  const row = intRowOf(x);
  if (row?.el === el) {
    // An integer row stays one (same codes but the negative ones, same scale); its values are
    // built on first use, as the quantizer's are.
    let values: Exact[] | undefined;
    const q: QVector = {
      codes,
      scales: x.scales,
      get values(): readonly Exact[] {
        return (values ??= x.values.map((v) => (v.kind === 'finite' && v.neg ? ZERO : v)));
      },
    };
    return markIntRow(q, row);
  }
  const values = x.values.map((v) => (v.kind === 'finite' && v.neg ? ZERO : v));
  return { codes, scales: x.scales, values };
}

/** Golden outputs of one token: every tensor's quantized vector by node name. */
export function goldenToken(
  g: Graph,
  inputs: ReadonlyMap<string, QVector>,
  consts: ConstCache,
  seq: SeqState = new Map(),
): Map<string, QVector> {
  const env = new Map<string, QVector>();
  const get = (name: string): QVector => {
    const v = env.get(name);
    if (!v) throw new MxgenError('config', `tensor ${name} is used before it is computed`);
    return v;
  };
  for (const n of g.nodes) {
    if (isRowOp(n)) {
      const params = n.params.map(
        (p) => consts.quantized(p)[0] ?? { codes: [], scales: [], values: [] },
      );
      env.set(n.name, rowGolden(g, n, n.inputs.map(get), params, boxOf(seq, n.name)));
      continue;
    }
    switch (n.op) {
      case 'input': {
        const v = inputs.get(n.name);
        if (!v) throw new MxgenError('config', `no value for graph input ${n.name}`);
        env.set(n.name, v);
        break;
      }
      case 'const':
        break;
      case 'linear':
      case 'matmul': {
        const src = n.op === 'linear' ? n.input : n.a;
        const xq = get(src);
        const x = xq.values;
        const xf = formatOf(nodeByName(g, src) ?? n);
        const wName = n.op === 'linear' ? n.weight : n.b;
        const wf = formatOf(constOf(g, wName));
        const rows = consts.quantized(wName);
        const bias = n.op === 'linear' && n.bias ? consts.quantized(n.bias)[0]?.values : undefined;
        const acc = rows.map((r, j) => {
          const s =
            mxBlockwise(xq, xf, r, wf) ?? intDot(xq, r) ?? numericDot(xq, r) ?? dot(x, r.values);
          return bias ? add(s, bias[j] ?? ZERO) : s;
        });
        env.set(n.name, quantizeTo(acc, formatOf(n)));
        break;
      }
      case 'relu':
        env.set(n.name, relu(get(n.input), formatOf(n)));
        break;
      case 'add': {
        const a = get(n.a).values;
        const b = get(n.b).values;
        env.set(
          n.name,
          quantizeTo(
            a.map((x, i) => add(x, b[i] ?? ZERO)),
            formatOf(n),
          ),
        );
        break;
      }
      case 'cast':
        env.set(n.name, quantizeTo(get(n.input).values, formatOf(n)));
        break;
    }
  }
  return env;
}

/** FP64 evaluation of one token on the unquantized reals. */
export function fp64Token(
  g: Graph,
  inputs: ReadonlyMap<string, readonly number[]>,
  consts: ConstCache,
  seq: SeqState = new Map(),
): Map<string, number[]> {
  const env = new Map<string, number[]>();
  const get = (name: string): number[] => env.get(name) ?? [];
  for (const n of g.nodes) {
    if (isRowOp(n)) {
      env.set(
        n.name,
        rowFp64(
          n,
          n.inputs.map(get),
          n.params.map((p) => consts.reals(p)),
          boxOf(seq, n.name),
        ),
      );
      continue;
    }
    switch (n.op) {
      case 'input':
        env.set(n.name, [...(inputs.get(n.name) ?? [])]);
        break;
      case 'const':
        break;
      case 'linear':
      case 'matmul': {
        const x = get(n.op === 'linear' ? n.input : n.a);
        const w = consts.reals(n.op === 'linear' ? n.weight : n.b);
        const b = n.op === 'linear' && n.bias ? consts.reals(n.bias) : undefined;
        const k = x.length;
        const xs = Float64Array.from(x);
        const out: number[] = [];
        for (let j = 0, at = 0; at < w.length; j++, at += k) {
          let s = b ? (b[j] ?? 0) : 0;
          for (let i = 0; i < k; i++) s += (xs[i] as number) * (w[at + i] as number);
          out.push(s);
        }
        env.set(n.name, out);
        break;
      }
      case 'relu':
        env.set(
          n.name,
          get(n.input).map((v) => (v > 0 ? v : 0)),
        );
        break;
      case 'add': {
        const b = get(n.b);
        env.set(
          n.name,
          get(n.a).map((v, i) => v + (b[i] ?? 0)),
        );
        break;
      }
      case 'cast':
        env.set(n.name, get(n.input));
        break;
    }
  }
  return env;
}

/** The graph inputs of one token: reals and their quantized vectors. */
export function tokenInputs(
  g: Graph,
  vector: number,
  token: number,
): { reals: Map<string, number[]>; quantized: Map<string, QVector> } {
  const reals = new Map<string, number[]>();
  const quantized = new Map<string, QVector>();
  for (const n of g.nodes) {
    if (n.op !== 'input') continue;
    const r = inputReals(g, n.name, n.shape[1] ?? 1, vector, token);
    reals.set(n.name, r);
    quantized.set(n.name, quantizeTo(exactOf(r), formatOf(n)));
  }
  return { reals, quantized };
}

/** Binary64 value of an exact value (for the report's error and plots only). */
export function toNumber(x: Exact): number {
  if (x.kind === 'nan') return NaN;
  if (x.kind === 'inf') return x.neg ? -Infinity : Infinity;
  const v = Number(x.sig) * 2 ** x.exp;
  return x.neg ? -v : v;
}
