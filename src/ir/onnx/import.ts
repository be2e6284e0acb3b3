// ONNX model → design object (the IR's design-file data, weights inline) — docs/onnx.md.
// The nodes the chosen output needs are mapped one by one onto IR ops; constants are folded;
// decomposed GELU/SiLU/RMSNorm/LayerNorm patterns become one op (patterns.ts); a Mul/Add/Div by
// a constant after a linear or a norm is folded into its weights, bias, γ or β. Anything else is a
// one-line error naming the node, its op type and the supported list.
import { basename } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { hadamardEntry, hadamardNormExp } from '../../numerics/index.js';
import {
  attr,
  type ConstTensor,
  longToNumber,
  modelDir,
  type NodeProto,
  readOnnx,
  tensorValues,
  valueDims,
} from './model.js';
import { confirmAttention, findAttention, type AttentionMatch } from './attention.js';
import { findPatterns, type Fused } from './patterns.js';
import {
  reshapeDims,
  size,
  sliceTensor,
  splitTensor,
  squeezeDims,
  transposeTensor,
} from './tensor.js';

export const SUPPORTED_OPS = [
  'Gemm',
  'MatMul (× a constant; × the constant 2^-ν·H_n becomes a hadamard)',
  'Add',
  'Sub (− a constant)',
  'Mul',
  'Div (by a constant)',
  'Relu',
  'Softmax (last axis)',
  'the GPT-2 attention pattern (Split q|k|v → heads → MatMul q·kᵀ → scale → causal mask → Softmax → MatMul v → merge → output MatMul) as attention',
  'LayerNormalization (last axis)',
  'Gelu',
  'Sigmoid/Tanh/Erf/Pow/Sqrt/ReduceMean inside the GELU, SiLU, RMSNorm and LayerNorm patterns',
  'Reshape/Flatten/Squeeze/Unsqueeze/Transpose that keep the last axis',
  'Identity, Cast (to float), Dropout',
  'Constant, and Gather/Split/Concat/Slice/Transpose/Reshape/arithmetic on constants only (folded)',
];

export interface ImportOptions {
  /** ONNX tensor to compute (default: the graph's first output). */
  readonly output?: string;
  /** Design name (default: from the file name). */
  readonly name?: string;
  readonly macs?: number;
}

export interface Imported {
  /** The design object (as designToGraph reads it), weights, biases, γ and β inline. */
  readonly design: Record<string, unknown>;
  /** ONNX tensor name → IR tensor name of every mapped activation. */
  readonly names: Readonly<Record<string, string>>;
  /** Notes for the user (ignored nodes after the output, approximations). */
  readonly notes: readonly string[];
  /** The ONNX tensor computed. */
  readonly output: string;
}

interface Act {
  readonly ir: string;
  readonly features: number;
  readonly rank: number;
  /** The design node that produces it (for folding a following constant Mul/Add). */
  readonly node?: Record<string, unknown>;
  /** An attention's context before its output projection (only that MatMul may read it). */
  readonly pending?: boolean;
}

const ident = (s: string): string => {
  const t = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(t) ? t : `t_${t}`;
};

/** An eps as eps_mantissa · 2^eps_exp (even exponent ≥ -64, mantissa ≤ 65536), nearest. */
export function dyadicEps(eps: number): { eps_mantissa: number; eps_exp: number } {
  for (let e = -64; e <= 0; e += 2) {
    const m = Math.round(eps * 2 ** -e);
    if (m <= 65536) return { eps_mantissa: Math.max(1, m), eps_exp: e };
  }
  return { eps_mantissa: 65536, eps_exp: 0 };
}

const FOLDABLE = new Set([
  'Identity',
  'Cast',
  'Reshape',
  'Flatten',
  'Squeeze',
  'Unsqueeze',
  'Transpose',
  'Gather',
  'Split',
  'Concat',
  'Slice',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Sqrt',
  'Pow',
  'Neg',
  'Reciprocal',
]);

/** Folds an op whose inputs are all constants (shapes, weight layouts, scalar arithmetic). */
function fold(n: NodeProto, inputs: ConstTensor[], where: string): ConstTensor[] | undefined {
  const op = n.opType ?? '';
  const [a, b] = inputs;
  if (!a) return undefined;
  switch (op) {
    case 'Identity':
    case 'Cast':
      return [a];
    case 'Reshape':
      return [{ dims: reshapeDims(a.dims, [...(b?.data ?? [])]), data: a.data }];
    case 'Flatten': {
      const ax = attr(n, 'axis')?.i ?? 1;
      const k = ax < 0 ? ax + a.dims.length : ax;
      return [{ dims: [size(a.dims.slice(0, k)), size(a.dims.slice(k))], data: a.data }];
    }
    case 'Squeeze':
    case 'Unsqueeze': {
      const axes = attr(n, 'axes')?.ints ?? [...(b?.data ?? [])];
      return [{ dims: squeezeDims(a.dims, op, axes), data: a.data }];
    }
    case 'Transpose':
      return [
        transposeTensor(a, attr(n, 'perm')?.ints ?? [...Array(a.dims.length).keys()].reverse()),
      ];
    case 'Gather': {
      if (!b) return undefined;
      const ax = attr(n, 'axis')?.i ?? 0;
      if (ax !== 0) return undefined;
      const row = size(a.dims.slice(1));
      const data = new Float64Array(b.data.length * row);
      b.data.forEach((ix, j) => {
        const i = ix < 0 ? ix + (a.dims[0] ?? 0) : ix;
        data.set(a.data.subarray(i * row, (i + 1) * row), j * row);
      });
      return [{ dims: [...b.dims, ...a.dims.slice(1)], data }];
    }
    case 'Split': {
      const ax0 = attr(n, 'axis')?.i ?? 0;
      const ax = ax0 < 0 ? ax0 + a.dims.length : ax0;
      const parts = (n.output ?? []).length;
      const sizes =
        attr(n, 'split')?.ints ?? (b ? [...b.data] : Array(parts).fill((a.dims[ax] ?? 0) / parts));
      return splitTensor(a, ax, sizes);
    }
    case 'Slice': {
      // torch.onnx's causal mask: a Slice of the registered triangle buffer (unit steps only).
      const r = a.dims.length;
      const list = (name: string, k: number): number[] | undefined =>
        attr(n, name)?.ints ?? (inputs[k] ? [...(inputs[k]?.data ?? [])] : undefined);
      const starts = list('starts', 1) ?? [];
      const ends = list('ends', 2) ?? [];
      const axes = list('axes', 3) ?? starts.map((_, k) => k);
      if ((inputs[4]?.data ?? []).some((v) => v !== 1)) return undefined;
      const lo = a.dims.map(() => 0);
      const hi = [...a.dims];
      axes.forEach((ax0, k) => {
        const ax = ax0 < 0 ? ax0 + r : ax0;
        const d = a.dims[ax] ?? 0;
        const clamp = (v: number): number => Math.min(d, Math.max(0, v < 0 ? v + d : v));
        lo[ax] = clamp(starts[k] ?? 0);
        hi[ax] = clamp(ends[k] ?? d);
      });
      return [sliceTensor(a, lo, hi)];
    }
    case 'Concat': {
      const ax0 = attr(n, 'axis')?.i ?? 0;
      if (ax0 !== 0 && !inputs.every((t) => t.dims.length === 1)) return undefined;
      const data = Float64Array.from(inputs.flatMap((t) => [...t.data]));
      const dims = [...a.dims];
      dims[0] = inputs.reduce((s, t) => s + (t.dims[0] ?? 1), 0);
      return [{ dims, data }];
    }
    default: {
      // Element-wise arithmetic with broadcasting of a scalar or a trailing vector.
      const bin = (f: (x: number, y: number) => number): ConstTensor[] | undefined => {
        if (!b) return undefined;
        const big = a.data.length >= b.data.length ? a : b;
        const at = (t: ConstTensor, i: number): number => t.data[i % t.data.length] ?? 0;
        if (big.data.length % Math.max(1, Math.min(a.data.length, b.data.length)) !== 0)
          return undefined;
        return [{ dims: big.dims, data: big.data.map((_, i) => f(at(a, i), at(b, i))) }];
      };
      if (op === 'Add') return bin((x, y) => x + y);
      if (op === 'Sub') return bin((x, y) => x - y);
      if (op === 'Mul') return bin((x, y) => x * y);
      if (op === 'Div') return bin((x, y) => x / y);
      if (op === 'Pow') return bin((x, y) => x ** y);
      if (op === 'Sqrt') return [{ dims: a.dims, data: a.data.map(Math.sqrt) }];
      if (op === 'Neg') return [{ dims: a.dims, data: a.data.map((x) => -x) }];
      if (op === 'Reciprocal') return [{ dims: a.dims, data: a.data.map((x) => 1 / x) }];
      void where;
      return undefined;
    }
  }
}

/** Reads an ONNX file and maps it onto a design object (docs/onnx.md). */
export function importOnnx(file: string, o: ImportOptions = {}): Imported {
  const model = readOnnx(file);
  const graph = model.graph;
  const nodes = graph?.node ?? [];
  const dir = modelDir(file);
  const consts = new Map<string, ConstTensor>();
  for (const t of graph?.initializer ?? [])
    consts.set(t.name ?? '', tensorValues(t, dir, `${file}: initializer ${t.name}`));
  const nodeName = (n: NodeProto, i: number): string => n.name || `${n.opType}#${i}`;
  const where = (n: NodeProto, i: number): string =>
    `${file}: node ${nodeName(n, i)} (${n.opType})`;

  // Constants first: Constant nodes and every foldable op on constants only.
  nodes.forEach((n, i) => {
    const op = n.opType ?? '';
    const inputs = (n.input ?? []).filter((s) => s !== '');
    if (op === 'Constant') {
      const a = attr(n, 'value');
      const v = a?.t
        ? tensorValues(a.t, dir, where(n, i))
        : attr(n, 'value_float')?.f !== undefined
          ? { dims: [], data: Float64Array.of(attr(n, 'value_float')?.f ?? 0) }
          : attr(n, 'value_floats')?.floats
            ? {
                dims: [attr(n, 'value_floats')?.floats?.length ?? 0],
                data: Float64Array.from(attr(n, 'value_floats')?.floats ?? []),
              }
            : attr(n, 'value_int')?.i !== undefined
              ? { dims: [], data: Float64Array.of(attr(n, 'value_int')?.i ?? 0) }
              : attr(n, 'value_ints')?.ints
                ? {
                    dims: [attr(n, 'value_ints')?.ints?.length ?? 0],
                    data: Float64Array.from(attr(n, 'value_ints')?.ints ?? []),
                  }
                : undefined;
      if (!v)
        throw new MxgenError(
          'config',
          `${where(n, i)}: Constant without a supported value attribute`,
        );
      consts.set(n.output?.[0] ?? '', v);
      return;
    }
    if (inputs.length > 0 && inputs.every((t) => consts.has(t)) && FOLDABLE.has(op)) {
      const r = fold(
        n,
        inputs.map((t) => consts.get(t) as ConstTensor),
        where(n, i),
      );
      if (r) (n.output ?? []).forEach((t, k) => r[k] && consts.set(t, r[k]));
    }
  });

  const inits = new Set((graph?.initializer ?? []).map((t) => t.name ?? ''));
  const graphInputs = (graph?.input ?? []).filter((v) => !inits.has(v.name ?? ''));
  if (graphInputs.length !== 1)
    throw new MxgenError(
      'config',
      `${file}: the model has ${graphInputs.length} graph inputs (${graphInputs.map((v) => v.name).join(', ')}); the IR takes exactly one`,
    );
  const inp = graphInputs[0] as NonNullable<(typeof graphInputs)[0]>;
  const output = o.output ?? graph?.output?.[0]?.name ?? '';
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => (n.output ?? []).forEach((t) => producer.set(t, i)));
  if (!producer.has(output))
    throw new MxgenError(
      'usage',
      `${file}: --output ${JSON.stringify(output)}: no node computes this tensor`,
      { hint: `tensors: ${[...producer.keys()].slice(0, 40).join(', ')}` },
    );
  // The nodes the output needs (constants excluded).
  const needed = new Set<number>();
  const stack = [output];
  while (stack.length > 0) {
    const t = stack.pop() as string;
    const p = producer.get(t);
    if (p === undefined || needed.has(p) || consts.has(t)) continue;
    needed.add(p);
    stack.push(...(nodes[p]?.input ?? []).filter((s) => s !== ''));
  }
  const notes: string[] = [];
  const after = nodes.filter(
    (_, i) => !needed.has(i) && !(nodes[i]?.output ?? []).every((t) => consts.has(t)),
  );
  if (after.length > 0)
    notes.push(
      `${after.length} node(s) not needed for ${output} are left to the host: ${after
        .slice(0, 6)
        .map((n) => n.opType)
        .join(', ')}${after.length > 6 ? ', …' : ''}`,
    );
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    if (!needed.has(i)) return;
    for (const t of n.input ?? []) consumers.set(t, [...(consumers.get(t) ?? []), i]);
  });

  // The graph input: leading dims are tokens, the last one features (static, or from a layer).
  const dims = valueDims(inp) ?? [];
  let features = dims[dims.length - 1];
  if (typeof features !== 'number') {
    const first = (consumers.get(inp.name ?? '') ?? [])
      .map((i) => nodes[i])
      .find((n) => n?.opType === 'MatMul' || n?.opType === 'Gemm');
    const w = first ? consts.get(first.input?.[1] ?? '') : undefined;
    const trans = first?.opType === 'Gemm' && (attr(first, 'transB')?.i ?? 0) === 1;
    const k = w && w.dims.length === 2 ? (trans ? w.dims[1] : w.dims[0]) : undefined;
    if (k === undefined)
      throw new MxgenError(
        'config',
        `${file}: input ${inp.name}: feature dimension ${features === undefined ? '(unknown)' : JSON.stringify(features)} is dynamic and cannot be resolved from the graph`,
        { hint: 'export the model with a static last (feature) dimension' },
      );
    features = k;
    notes.push(
      `input ${inp.name}: dynamic feature dimension resolved to ${k} from its first layer`,
    );
  }
  const elem = inp.type?.tensorType?.elemType ?? 1;
  if (elem !== 1 && elem !== 11 && elem !== 10)
    throw new MxgenError(
      'config',
      `${file}: input ${inp.name}: element type ${elem} is not a float type`,
    );

  const used = new Set<string>();
  const fresh = (base: string): string => {
    let b = ident(base) || 'node';
    if (['weights', 'activations', 'input'].includes(b)) b = `${b}_t`;
    let s = b;
    for (let k = 2; used.has(s); k++) s = `${b}_${k}`;
    used.add(s);
    return s;
  };
  const acts = new Map<string, Act>();
  const graphOut: Record<string, unknown>[] = [];
  const inName = fresh(inp.name ?? 'x');
  graphOut.push({ op: 'input', name: inName, features });
  acts.set(inp.name ?? '', { ir: inName, features, rank: Math.max(2, dims.length) });

  const actOf = (t: string, n: NodeProto, i: number, projection = false): Act => {
    const a = acts.get(t);
    if (!a)
      throw new MxgenError(
        'config',
        `${where(n, i)}: input ${t} is neither an activation nor a constant`,
      );
    if (a.pending && !projection)
      throw new MxgenError(
        'config',
        `${where(n, i)}: reads the attention context ${t}; the IR's attention ends with its output projection, so the context may only go into one MatMul by a constant (c_proj)`,
      );
    return a;
  };
  const attnCtx = {
    nodes,
    needed,
    consts,
    consumers,
    producer,
    output,
    opset: opsetOf(),
    where: (k: number) => where(nodes[k] ?? {}, k),
  };
  const attentions = findAttention(attnCtx);
  const fused = findPatterns({
    nodes,
    needed,
    consts: new Map([...consts].map(([k, v]) => [k, v.data])),
    consumers,
    producer,
    outputs: new Set([output]),
    isLastAxisMean: (i) => {
      const n = nodes[i];
      if (!n) return false;
      const axes = attr(n, 'axes')?.ints ?? [...(consts.get(n.input?.[1] ?? '')?.data ?? [])];
      if ((attr(n, 'keepdims')?.i ?? 1) !== 1 || axes.length !== 1) return false;
      return axes[0] === -1 || axes[0] === rankOf(n.input?.[0] ?? '') - 1;
    },
  });
  function rankOf(t: string): number {
    return acts.get(t)?.rank ?? 2;
  }
  const fusedAt = new Map<number, Fused>();
  const skip = new Set<number>();
  for (const f of fused) {
    const last = Math.max(...f.nodes);
    fusedAt.set(last, f);
    f.nodes.forEach((i) => i !== last && skip.add(i));
  }
  const attnAt = new Map<number, AttentionMatch>();
  for (const m of attentions) {
    const last = Math.max(...m.nodes);
    attnAt.set(last, m);
    m.nodes.forEach((i) => i !== last && skip.add(i));
  }
  // The sequence axis: the ONNX model's T tokens are decoded one by one through the KV cache, so
  // the design's `tokens` is T (one input tensor = one sequence; docs/onnx.md "Attention").
  const seqLens = [...new Set(attentions.map((m) => m.seqLen))];
  if (seqLens.length > 1)
    throw new MxgenError(
      'config',
      `${file}: the attention masks have different sequence lengths (${seqLens.join(', ')})`,
    );
  const tokens = seqLens[0] ?? 1;
  const tAxis = dims.length >= 3 ? dims[dims.length - 2] : undefined;
  if (attentions.length > 0 && typeof tAxis === 'number' && tAxis !== tokens)
    throw new MxgenError(
      'config',
      `${file}: input ${inp.name}: sequence axis of ${tAxis} tokens, but the causal mask covers ${tokens}`,
    );
  const emitAttention = (m: AttentionMatch, i: number): void => {
    const sn = nodes[m.split] ?? {};
    const x = actOf(m.x, sn, m.split);
    const lin = x.node;
    if (lin?.op !== 'linear' || !soleUse(m.x, m.split))
      throw new MxgenError(
        'config',
        `${where(sn, m.split)}: the fused q|k|v tensor ${m.x} must come straight from a linear (c_attn: MatMul + Add) that nothing else reads`,
      );
    const { heads, headDim, rank } = confirmAttention(attnCtx, m, x.rank, x.features);
    const F = heads * headDim;
    const sm = nodes[m.softmax] ?? {};
    if (!Number.isInteger(Math.log2(headDim) / 2))
      throw new MxgenError(
        'config',
        `${where(sm, m.softmax)}: attention head_dim ${headDim} (${F} features over ${heads} heads): the IR's attention needs a power of 4 (1, 4, 16, 64, 256)`,
      );
    // The linear becomes the attention's q|k|v projection `<name>_qkv` (the same computation).
    graphOut.splice(graphOut.indexOf(lin), 1);
    let name = nameFor(sm, m.softmax, 'attn');
    while (used.has(`${name}_qkv`) || used.has(`${name}_core`)) name = fresh(name);
    used.add(`${name}_qkv`);
    used.add(`${name}_core`);
    for (const [k, v] of acts) if (v.ir === lin.name) acts.set(k, { ...v, ir: `${name}_qkv` });
    // 1/√head_dim is the IR's score scale; any other scale is folded into the q rows.
    const f = m.scale * Math.sqrt(headDim);
    const qFold = (v: number, j: number): number => (j < F ? v * f : v);
    const weights = (lin.weights as number[][]).map((r, j) => r.map((w) => qFold(w, j)));
    const bias = lin.bias_values as number[] | undefined;
    const region = new Set(m.nodes);
    const outside = [...acts]
      .filter(([, v]) => v.ir === `${name}_qkv`)
      .flatMap(([t]) => consumers.get(t) ?? [])
      .filter((j) => !region.has(j) && !(nodes[j]?.output ?? []).every((o) => acts.has(o)));
    if (f !== 1 && outside.length > 0)
      throw new MxgenError(
        'config',
        `${where(nodes[outside[0] ?? 0] ?? {}, outside[0] ?? 0)}: reads the fused q|k|v tensor of attention ${name}, whose score scale ${m.scale} (not 1/√${headDim}) is folded into its q rows`,
      );
    if (f !== 1)
      notes.push(
        `attention ${name}: score scale ${m.scale} is not 1/√${headDim}; ${f} folded into the q rows of ${name}_qkv`,
      );
    const node: Record<string, unknown> = {
      op: 'attention',
      name,
      input: lin.input,
      features: F,
      heads,
      kv_heads: heads,
      bias: bias !== undefined,
      qkv_weights: weights,
      ...(bias ? { qkv_bias_values: bias.map(qFold) } : {}),
    };
    graphOut.push(node);
    acts.set(m.y, { ir: name, features: F, rank, node, pending: true });
    notes.push(
      `attention ${name} recognized from ${m.nodes.length} nodes (${nodes[m.split]?.name ?? 'Split'} … ${nodes[i]?.name ?? ''}): ${heads} heads of ${headDim}, causal over ${m.seqLen} tokens decoded one by one through the KV cache (tokens: ${m.seqLen})`,
    );
  };
  // A tensor read only by node j (and not the output) may be folded into by j.
  const soleUse = (t: string, j: number): boolean =>
    t !== output && (consumers.get(t) ?? []).every((k) => k === j);
  const unsupported = (n: NodeProto, i: number, why?: string): never => {
    throw new MxgenError(
      'config',
      `${where(n, i)}: ${why ?? 'unsupported op'}; supported: ${SUPPORTED_OPS.join('; ')}`,
      {
        hint: `when the rest is post-processing for the host (ArgMax, label lookups), stop before it: --output ${(n.input ?? []).find((t) => acts.has(t)) ?? '<tensor>'}`,
      },
    );
  };
  const alias = (n: NodeProto, a: Act): void => {
    acts.set(n.output?.[0] ?? '', a);
  };
  const linearFold = (
    lin: Record<string, unknown>,
    scale?: Float64Array,
    shift?: Float64Array,
  ): void => {
    const N = Number(lin.features);
    const at = (v: Float64Array, j: number): number => v[v.length === 1 ? 0 : j] ?? 0;
    if (scale) {
      lin.weights = (lin.weights as number[][]).map((r, j) => r.map((w) => w * at(scale, j)));
      if (lin.bias_values)
        lin.bias_values = (lin.bias_values as number[]).map((b, j) => b * at(scale, j));
    }
    if (shift) {
      const b = (lin.bias_values as number[] | undefined) ?? new Array<number>(N).fill(0);
      lin.bias_values = b.map((v, j) => v + at(shift, j));
      lin.bias = true;
    }
  };
  const normFold = (
    nd: Record<string, unknown>,
    scale?: Float64Array,
    shift?: Float64Array,
  ): boolean => {
    const F = (nd.gamma_values as number[]).length;
    const at = (v: Float64Array, j: number): number => v[v.length === 1 ? 0 : j] ?? 0;
    if (
      (scale && scale.length !== 1 && scale.length !== F) ||
      (shift && shift.length !== 1 && shift.length !== F)
    )
      return false;
    if (scale) {
      nd.gamma_values = (nd.gamma_values as number[]).map((g, j) => g * at(scale, j));
      if (nd.beta_values)
        nd.beta_values = (nd.beta_values as number[]).map((b, j) => b * at(scale, j));
    }
    if (shift) {
      if (nd.op !== 'layernorm') return false;
      nd.beta_values = (nd.beta_values as number[]).map((b, j) => b + at(shift, j));
    }
    return true;
  };
  const emit = (
    node: Record<string, unknown>,
    out: string,
    features: number,
    rank: number,
  ): void => {
    graphOut.push(node);
    acts.set(out, { ir: String(node.name), features, rank, node });
  };
  const nameFor = (n: NodeProto, i: number, dflt: string): string => {
    const parts = (n.name ?? '').split('/').filter((s) => s !== '');
    return fresh(parts.length > 1 ? parts.slice(0, -1).join('_') : (parts[0] ?? `${dflt}${i}`));
  };

  nodes.forEach((n, i) => {
    if (!needed.has(i) || skip.has(i)) return;
    const op = n.opType ?? '';
    const outT = n.output?.[0] ?? '';
    if ((n.output ?? []).every((t) => consts.has(t))) return;
    const am = attnAt.get(i);
    if (am) return emitAttention(am, i);
    const f = fusedAt.get(i);
    if (f) {
      const x = actOf(f.x, n, i);
      const name = nameFor(nodes[f.nodes[0] ?? i] ?? n, i, f.kind.split('_')[0] ?? 'op');
      if (f.kind === 'silu') emit({ op: 'silu', name, input: x.ir }, f.y, x.features, x.rank);
      else if (f.kind === 'gelu_erf' || f.kind === 'gelu_tanh')
        emit(
          { op: 'gelu', name, input: x.ir, form: f.kind === 'gelu_erf' ? 'erf' : 'tanh' },
          f.y,
          x.features,
          x.rank,
        );
      else {
        const ones = new Array<number>(x.features).fill(1);
        emit(
          {
            op: f.kind,
            name,
            input: x.ir,
            ...dyadicEps(f.eps ?? 0),
            gamma_values: ones,
            ...(f.kind === 'layernorm'
              ? { beta_values: new Array<number>(x.features).fill(0) }
              : {}),
          },
          f.y,
          x.features,
          x.rank,
        );
      }
      return;
    }
    const inputs = (n.input ?? []).filter((s) => s !== '');
    const isConst = (t: string): boolean => consts.has(t);
    switch (op) {
      case 'Identity':
      case 'Dropout':
        return alias(n, actOf(inputs[0] ?? '', n, i));
      case 'Cast': {
        const to = attr(n, 'to')?.i ?? 1;
        if (to !== 1 && to !== 11 && to !== 10)
          return unsupported(
            n,
            i,
            `Cast to element type ${to} changes the data (only casts to float are supported)`,
          );
        return alias(n, actOf(inputs[0] ?? '', n, i));
      }
      case 'Reshape':
      case 'Flatten':
      case 'Squeeze':
      case 'Unsqueeze':
      case 'Transpose': {
        const a = actOf(inputs[0] ?? '', n, i);
        let rank = a.rank;
        let keeps = false;
        if (op === 'Reshape') {
          const spec = [...(consts.get(inputs[1] ?? '')?.data ?? [])];
          keeps = spec.length >= 1 && spec[spec.length - 1] === a.features;
          rank = spec.length;
        } else if (op === 'Flatten') {
          const ax = attr(n, 'axis')?.i ?? 1;
          keeps = ax === a.rank - 1 || ax === -1;
          rank = 2;
        } else if (op === 'Transpose') {
          const perm = attr(n, 'perm')?.ints ?? [];
          keeps = perm[perm.length - 1] === a.rank - 1;
        } else {
          const axes = attr(n, 'axes')?.ints ?? [...(consts.get(inputs[1] ?? '')?.data ?? [])];
          const r = op === 'Unsqueeze' ? a.rank + axes.length : a.rank;
          keeps = axes.length > 0 && axes.every((x) => (x < 0 ? x + r : x) < r - 1);
          rank = op === 'Unsqueeze' ? a.rank + axes.length : a.rank - axes.length;
        }
        if (!keeps)
          return unsupported(
            n,
            i,
            `${op} moves the feature (last) axis; only reshapes that keep it are supported`,
          );
        return alias(n, { ...a, rank });
      }
      case 'Gemm':
      case 'MatMul': {
        const [xa = '', wb = '', cc] = inputs;
        if (isConst(xa) || !isConst(wb))
          return unsupported(
            n,
            i,
            `${op} of two activations (attention-style matmul) is not in the IR yet; only activation × constant`,
          );
        const x = actOf(xa, n, i, true);
        const w = consts.get(wb) as ConstTensor;
        if (w.dims.length !== 2)
          return unsupported(n, i, `weight ${wb} has ${w.dims.length} dims; expected 2`);
        if (op === 'Gemm' && (attr(n, 'transA')?.i ?? 0) !== 0)
          return unsupported(n, i, 'Gemm with transA = 1');
        const transB = op === 'Gemm' && (attr(n, 'transB')?.i ?? 0) === 1;
        const [r0 = 0, r1 = 0] = w.dims;
        const K = transB ? r1 : r0;
        const N = transB ? r0 : r1;
        if (K !== x.features)
          throw new MxgenError(
            'config',
            `${where(n, i)}: shape mismatch: input ${xa} has ${x.features} features, weight ${wb} expects ${K}`,
          );
        const alpha = op === 'Gemm' ? (attr(n, 'alpha')?.f ?? 1) : 1;
        const weights = Array.from({ length: N }, (_, j) =>
          Array.from(
            { length: K },
            (_, k) => alpha * (w.data[transB ? j * K + k : k * N + j] ?? 0),
          ),
        );
        if (x.pending) {
          // The attention's output projection (c_proj): its `weights` / `bias_values`.
          const attn = x.node as Record<string, unknown>;
          if (!soleUse(xa, i) || N !== x.features)
            throw new MxgenError(
              'config',
              `${where(n, i)}: the attention's output projection must be the only reader of ${xa} and map its ${x.features} features to ${x.features}`,
            );
          attn.weights = weights;
          if (cc !== undefined) {
            const c = consts.get(cc);
            if (!c || (c.data.length !== 1 && c.data.length !== N))
              return unsupported(n, i, `Gemm bias ${cc} is not a constant of 1 or ${N} values`);
            const beta = attr(n, 'beta')?.f ?? 1;
            linearFold(
              attn,
              undefined,
              c.data.map((v) => v * beta),
            );
          }
          acts.set(outT, { ir: x.ir, features: N, rank: x.rank, node: attn });
          return;
        }
        if (cc === undefined && isHadamard(weights)) {
          // A rotation exporters leave as MatMul with a constant 2^-ν·H_n (QuaRot, SpinQuant):
          // the IR's `hadamard` op computes exactly that product (adders only, docs/onnx.md).
          notes.push(`hadamard recognized from ${op} ${n.name ?? `#${i}`} (${K}-point, ${wb})`);
          emit({ op: 'hadamard', name: nameFor(n, i, 'rot'), input: x.ir }, outT, N, x.rank);
          return;
        }
        const node: Record<string, unknown> = {
          op: 'linear',
          name: nameFor(n, i, 'fc'),
          input: x.ir,
          features: N,
          weights,
        };
        if (cc !== undefined) {
          const c = consts.get(cc);
          if (!c) return unsupported(n, i, `Gemm bias ${cc} is not a constant`);
          if (c.data.length !== 1 && c.data.length !== N)
            return unsupported(
              n,
              i,
              `Gemm bias ${cc} has ${c.data.length} values; expected 1 or ${N}`,
            );
          const beta = attr(n, 'beta')?.f ?? 1;
          linearFold(
            node,
            undefined,
            c.data.map((v) => v * beta),
          );
        }
        emit(node, outT, N, x.rank);
        return;
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        const [ta = '', tb = ''] = inputs;
        if (!isConst(ta) && !isConst(tb)) {
          if (op === 'Sub' || op === 'Div') return unsupported(n, i, `${op} of two activations`);
          const a = actOf(ta, n, i);
          const b = actOf(tb, n, i);
          if (a.features !== b.features)
            throw new MxgenError(
              'config',
              `${where(n, i)}: shape mismatch: ${ta} has ${a.features} features, ${tb} ${b.features}`,
            );
          emit(
            {
              op: op === 'Add' ? 'add' : 'mul',
              name: nameFor(n, i, op.toLowerCase()),
              a: a.ir,
              b: b.ir,
            },
            outT,
            a.features,
            a.rank,
          );
          return;
        }
        const actT = isConst(ta) ? tb : ta;
        const c = consts.get(isConst(ta) ? ta : tb) as ConstTensor;
        if ((op === 'Sub' || op === 'Div') && isConst(ta))
          return unsupported(
            n,
            i,
            `${op} with the constant first (c ${op === 'Sub' ? '−' : '/'} x) has no IR op`,
          );
        const a = actOf(actT, n, i);
        if (c.data.length !== 1 && c.data.length !== a.features)
          return unsupported(
            n,
            i,
            `constant ${isConst(ta) ? ta : tb} of ${c.data.length} values does not broadcast over ${a.features} features`,
          );
        const scale = op === 'Mul' ? c.data : op === 'Div' ? c.data.map((v) => 1 / v) : undefined;
        const shift = op === 'Add' ? c.data : op === 'Sub' ? c.data.map((v) => -v) : undefined;
        const prod = a.node;
        if (prod && soleUse(actT, i)) {
          if (prod.op === 'linear' || prod.op === 'attention') {
            linearFold(prod, scale, shift);
            return alias(n, a);
          }
          if ((prod.op === 'layernorm' || prod.op === 'rmsnorm') && normFold(prod, scale, shift))
            return alias(n, a);
        }
        return unsupported(
          n,
          i,
          `${op} by a constant is supported only right after a linear (folded into its weights/bias) or a norm (into γ/β) whose output nothing else reads`,
        );
      }
      case 'Relu': {
        const a = actOf(inputs[0] ?? '', n, i);
        emit({ op: 'relu', name: nameFor(n, i, 'relu'), input: a.ir }, outT, a.features, a.rank);
        return;
      }
      case 'Softmax': {
        const a = actOf(inputs[0] ?? '', n, i);
        const ax = attr(n, 'axis')?.i ?? (opsetOf() >= 13 ? -1 : 1);
        if (ax !== -1 && ax !== a.rank - 1)
          return unsupported(
            n,
            i,
            `Softmax over axis ${ax}; only the last (feature) axis is supported`,
          );
        emit(
          { op: 'softmax', name: nameFor(n, i, 'softmax'), input: a.ir },
          outT,
          a.features,
          a.rank,
        );
        return;
      }
      case 'Gelu': {
        const a = actOf(inputs[0] ?? '', n, i);
        const form = attr(n, 'approximate')?.s === 'tanh' ? 'tanh' : 'erf';
        emit(
          { op: 'gelu', name: nameFor(n, i, 'gelu'), input: a.ir, form },
          outT,
          a.features,
          a.rank,
        );
        return;
      }
      case 'LayerNormalization': {
        const a = actOf(inputs[0] ?? '', n, i);
        const ax = attr(n, 'axis')?.i ?? -1;
        if (ax !== -1 && ax !== a.rank - 1)
          return unsupported(
            n,
            i,
            `LayerNormalization over axis ${ax}; only the last axis is supported`,
          );
        const g = consts.get(inputs[1] ?? '');
        const b = inputs[2] ? consts.get(inputs[2]) : undefined;
        if (!g || (inputs[2] && !b))
          return unsupported(n, i, 'LayerNormalization with non-constant scale or bias');
        const eps = attr(n, 'epsilon')?.f ?? 1e-5;
        emit(
          {
            op: 'layernorm',
            name: nameFor(n, i, 'ln'),
            input: a.ir,
            ...dyadicEps(eps),
            gamma_values: Array.from(g.data),
            beta_values: b ? Array.from(b.data) : new Array<number>(a.features).fill(0),
          },
          outT,
          a.features,
          a.rank,
        );
        return;
      }
      default:
        return unsupported(n, i);
    }
  });
  function opsetOf(): number {
    return longToNumber((model.opsetImport ?? []).find((x) => !x.domain)?.version ?? 13);
  }
  const outAct = acts.get(output);
  if (outAct?.pending)
    throw new MxgenError(
      'config',
      `${file}: output ${output} is an attention context before its output projection; the IR's attention ends with it (choose the projection's output with --output)`,
    );
  // An attention with bias on one projection only: zeros for the other (the op's `bias` is shared).
  for (const g of graphOut)
    if (g.op === 'attention' && g.bias) {
      const F = Number(g.features);
      const Q = (g.qkv_weights as unknown[]).length;
      g.qkv_bias_values ??= new Array<number>(Q).fill(0);
      g.bias_values ??= new Array<number>(F).fill(0);
    }
  if (!outAct || outAct.ir === inName)
    throw new MxgenError(
      'config',
      `${file}: output ${output} computes nothing the IR can run (it is the input)`,
    );
  const names: Record<string, string> = {};
  for (const [k, v] of acts) names[k] = v.ir;
  for (const e of fused)
    notes.push(
      `${e.kind} recognized from ${e.nodes.length} nodes: ${e.nodes.map((k) => nodes[k]?.opType).join(', ')}`,
    );
  const eps = graphOut.filter((g) => g.eps_mantissa !== undefined);
  if (eps.length > 0)
    notes.push(
      `norm eps as the nearest eps_mantissa · 2^eps_exp: ${eps.map((g) => `${String(g.name)} ${Number(g.eps_mantissa) * 2 ** Number(g.eps_exp)}`).join(', ')}`,
    );
  const name = o.name ?? ident(basename(file).replace(/\.onnx$/i, ''));
  return {
    design: {
      design: ident(name),
      description: `imported from ${basename(file)} (output ${output})`,
      seed: 1,
      macs: o.macs ?? 64,
      tokens,
      graph: graphOut,
      outputs: [outAct.ir],
      precision: { weights: 'int8', activations: 'int8' },
    },
    names,
    notes,
    output,
  };
}

/**
 * Whether an N×K weight matrix (rows = outputs) is exactly the IR's `hadamard` product: square,
 * n = 2^k features with 2 ≤ n ≤ 64 (the row op's limit), every entry (-1)^popcount(j & k)·2^-ν,
 * ν = ceil(k/2) (the orthonormal H_n/√n for even k; H_n is symmetric, so MatMul and transB agree).
 */
export function isHadamard(weights: readonly (readonly number[])[]): boolean {
  const n = weights.length;
  if (n < 2 || n > 64 || (n & (n - 1)) !== 0) return false;
  const mag = 2 ** -hadamardNormExp(n);
  return weights.every(
    (row, j) => row.length === n && row.every((w, k) => w === hadamardEntry(j, k) * mag),
  );
}
