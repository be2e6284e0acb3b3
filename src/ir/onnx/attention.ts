// GPT-2-style attention as torch.onnx emits it (docs/onnx.md "Attention"): the fused projection's
// output x (c_attn) → Split into q, k, v → Reshape/Transpose into heads → MatMul q·kᵀ → a scale
// (Div/Mul by a scalar) → a causal mask (Where with a constant triangle, or Add of a constant with
// a large negative value above the diagonal) → Softmax → MatMul with v → Transpose/Reshape back
// to y. Found structurally from the Softmax, the mask checked entry by entry, then the whole region
// from x to y is evaluated in binary64 on a probe sequence and compared with the IR's causal
// decode attention (row-ops/attention.ts fp64): any other layout, head split or q/k/v order is an
// error naming the node, never a silently different design.
import { MxgenError } from '../../hdl/index.js';
import { attr, type ConstTensor, type NodeProto } from './model.js';
import type { GraphIndex } from './patterns.js';
import {
  forEachIndex,
  reshapeDims,
  size,
  splitTensor,
  squeezeDims,
  strides,
  transposeTensor,
} from './tensor.js';

export interface AttentionMatch {
  /** Indices of the ONNX nodes it replaces (the Split up to the node computing y), in order. */
  readonly nodes: readonly number[];
  /** The fused q|k|v tensor (the Split's input). */
  readonly x: string;
  /** The context, heads merged back: `[…, T, heads·head_dim]`. */
  readonly y: string;
  readonly split: number;
  readonly softmax: number;
  /** The q·kᵀ MatMul. */
  readonly scores: number;
  /** Sequence length: the causal mask's size. */
  readonly seqLen: number;
  /** Product of the scalar factors on the scores (q and k paths and between q·kᵀ and the Softmax). */
  readonly scale: number;
}

export interface AttentionContext extends GraphIndex {
  readonly consts: ReadonlyMap<string, ConstTensor>;
  /** The tensor the import computes (read outside the graph). */
  readonly output: string;
  readonly opset: number;
  /** `<file>: node <name> (<op>)`. */
  readonly where: (i: number) => string;
}

/** Masked scores must get at most this (exp underflows to 0 against any realistic score). */
export const MASK_LIMIT = -1e4;

const ins = (n: NodeProto | undefined): string[] => (n?.input ?? []).filter((s) => s !== '');
const PASS = new Set(['Identity', 'Cast', 'Dropout']);
const REGION = new Set([
  ...PASS,
  'Reshape',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'MatMul',
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Where',
  'Softmax',
]);

/** Finds the attention blocks among the needed nodes; a near miss is a one-line error. */
export function findAttention(c: AttentionContext): AttentionMatch[] {
  const found: AttentionMatch[] = [];
  const isConst = (t: string): boolean => c.consts.has(t);
  const err = (i: number, why: string): never => {
    throw new MxgenError('config', `${c.where(i)}: ${why}`, {
      hint: 'docs/onnx.md "Attention" lists the pattern the importer maps onto the IR attention',
    });
  };
  c.nodes.forEach((s, si) => {
    if (s.opType !== 'Softmax' || !c.needed.has(si)) return;
    // Back from the Softmax through the scale and the mask to a MatMul of two activations.
    let t = ins(s)[0] ?? '';
    let mask: { node: number; act: string } | undefined;
    let after = 1; // scale applied after the mask (multiplies its fill)
    let m1: number | undefined;
    for (;;) {
      const p = c.producer.get(t);
      const n = p === undefined ? undefined : c.nodes[p];
      if (p === undefined || !n) break;
      const op = n.opType ?? '';
      const [a = '', b = ''] = ins(n);
      if (op === 'MatMul' && !isConst(a) && !isConst(b)) {
        m1 = p;
        break;
      }
      if (PASS.has(op)) t = a;
      else if ((op === 'Mul' || op === 'Div') && (isConst(a) || isConst(b))) {
        const k = c.consts.get(isConst(a) ? a : b) as ConstTensor;
        if (k.data.length !== 1 || (op === 'Div' && isConst(a))) return; // not a score scale
        if (!mask) after *= op === 'Mul' ? (k.data[0] ?? 1) : 1 / (k.data[0] ?? 1);
        t = isConst(a) ? b : a;
      } else if (
        (op === 'Where' && ins(n).length === 3) ||
        (op === 'Add' && (isConst(a) || isConst(b)))
      ) {
        if (mask) return;
        const act =
          op === 'Where'
            ? ins(n)
                .slice(1)
                .find((x) => !isConst(x))
            : isConst(a)
              ? b
              : a;
        if (act === undefined) return;
        mask = { node: p, act };
        t = act;
      } else return;
    }
    if (m1 === undefined) return; // a plain softmax (a classifier's probabilities)
    // From here on it is an attention: anything unexpected is an error naming the node.
    let probs = s.output?.[0] ?? '';
    for (;;) {
      // an attention dropout left in the export (Dropout / Identity) passes through
      const cs = c.consumers.get(probs) ?? [];
      const nx = cs.length === 1 ? c.nodes[cs[0] ?? -1] : undefined;
      if (probs === c.output || !nx || !PASS.has(nx.opType ?? '')) break;
      probs = nx.output?.[0] ?? '';
    }
    const m2s = (c.consumers.get(probs) ?? []).filter((j) => c.nodes[j]?.opType === 'MatMul');
    const m2 = m2s[0];
    if (
      m2 === undefined ||
      m2s.length !== (c.consumers.get(probs) ?? []).length ||
      m2s.length !== 1 ||
      ins(c.nodes[m2])[0] !== probs ||
      isConst(ins(c.nodes[m2])[1] ?? '')
    )
      return err(si, 'the attention probabilities must go into one MatMul with v (probs · v)');
    if (!mask)
      return err(
        si,
        `attention without a causal mask between ${c.nodes[m1]?.name ?? 'q·kᵀ'} and the Softmax: every position would see later ones; the IR's attention decodes causally through a KV cache`,
      );
    const seqLen = checkMask(c, mask.node, mask.act, after, err);
    // y: on from probs·v through the layout ops that merge the heads back.
    let y = c.nodes[m2]?.output?.[0] ?? '';
    for (;;) {
      const cs = c.consumers.get(y) ?? [];
      const nx = cs.length === 1 ? c.nodes[cs[0] ?? -1] : undefined;
      if (y === c.output || !nx || !['Transpose', 'Reshape', ...PASS].includes(nx.opType ?? ''))
        break;
      y = nx.output?.[0] ?? '';
    }
    // The region: every node y depends on back to one Split (of the fused q|k|v projection).
    const region = new Set<number>();
    let split: number | undefined;
    const stack = [y];
    while (stack.length > 0) {
      const u = stack.pop() as string;
      if (isConst(u)) continue;
      const p = c.producer.get(u);
      const n = p === undefined ? undefined : c.nodes[p];
      if (p === undefined || !n)
        return err(
          si,
          `the attention reads ${u} (a graph input) other than through a Split of its fused q|k|v projection`,
        );
      if (region.has(p) || p === split) continue;
      if (n.opType === 'Split') {
        if (split !== undefined && split !== p)
          return err(
            p,
            `q, k and v must come from one Split of the fused projection (GPT-2's c_attn); the attention at ${c.nodes[si]?.name} also reads ${c.nodes[split]?.name}`,
          );
        split = p;
        continue;
      }
      const isActMatmul =
        n.opType === 'MatMul' && ins(n).every((v) => !isConst(v)) && (p === m1 || p === m2);
      if (!REGION.has(n.opType ?? '') || (n.opType === 'MatMul' && !isActMatmul))
        return err(
          p,
          `inside the attention at ${c.nodes[si]?.name ?? 'Softmax'}: q, k and v must come from one Split of a fused q|k|v projection (GPT-2's c_attn), through Reshape/Transpose and scalar scales only`,
        );
      region.add(p);
      stack.push(...ins(n));
    }
    if (split === undefined)
      return err(si, 'the attention has no Split of a fused q|k|v projection');
    const sp = c.nodes[split];
    if ((sp?.output ?? []).length !== 3 || isConst(ins(sp)[0] ?? ''))
      return err(split, 'the fused projection must be split into exactly q, k and v');
    region.add(split);
    const nodes = [...region].sort((p, q) => p - q);
    // Nothing inside may be read from outside (a `present` KV output is not needed, so not here).
    for (const i of nodes)
      for (const o of c.nodes[i]?.output ?? [])
        if (o !== y && (o === c.output || (c.consumers.get(o) ?? []).some((j) => !region.has(j))))
          return err(
            i,
            `its result ${o} is read outside the attention; the IR's attention computes only its output`,
          );
    let scale = 1;
    for (const i of nodes) {
      const n = c.nodes[i];
      const [a = '', b = ''] = ins(n);
      if ((n?.opType === 'Mul' || n?.opType === 'Div') && (isConst(a) || isConst(b))) {
        const k = (c.consts.get(isConst(a) ? a : b) as ConstTensor).data;
        if (k.length !== 1 || (n.opType === 'Div' && isConst(a)))
          return err(i, 'the attention may scale q, k or the scores only by a scalar constant');
        scale *= n.opType === 'Mul' ? (k[0] ?? 1) : 1 / (k[0] ?? 1);
      }
    }
    found.push({
      nodes,
      x: ins(sp)[0] ?? '',
      y,
      split,
      softmax: si,
      scores: m1,
      seqLen,
      scale,
    });
  });
  return found;
}

/**
 * Checks the mask entry by entry: position i sees exactly positions j ≤ i, and a masked score gets
 * at most MASK_LIMIT after the scales that follow the mask. Returns the sequence length.
 */
function checkMask(
  c: AttentionContext,
  mi: number,
  act: string,
  after: number,
  err: (i: number, why: string) => never,
): number {
  const n = c.nodes[mi] as NodeProto;
  const [a = '', b = '', e = ''] = ins(n);
  const where = n.opType === 'Where';
  const m = c.consts.get(where ? a : a === act ? b : a);
  if (!m)
    return err(
      mi,
      `the attention mask ${where ? a : b} is not a constant (export with a static sequence length)`,
    );
  const fill = where ? c.consts.get(b === act ? e : b) : m;
  if (!fill) return err(mi, 'the masked value is not a constant');
  const dims = m.dims;
  const T = dims[dims.length - 1] ?? 1;
  if (dims.length < 2 || dims[dims.length - 2] !== T)
    return err(
      mi,
      `the attention mask has shape [${dims.join(', ')}], not […, T, T]: only a whole sequence decoded from an empty KV cache is supported`,
    );
  const at = (t: ConstTensor, k: number): number => t.data[k % t.data.length] ?? 0;
  if (fill.data.length !== 1 && fill.data.length % (T * T) !== 0 && fill !== m)
    return err(mi, 'the masked value must be a scalar or a […, T, T] constant');
  for (let k = 0; k < m.data.length; k++) {
    const i = Math.floor(k / T) % T;
    const j = k % T;
    const causal = j <= i;
    if (where) {
      const sees = (m.data[k] !== 0) === (b === act);
      if (sees !== causal)
        return err(
          mi,
          `the attention mask is not causal: position ${i} ${sees ? 'sees' : 'does not see'} position ${j}; the IR's attention decodes causally (each position sees itself and the earlier ones)`,
        );
      if (!sees && at(fill, k) * after > MASK_LIMIT)
        return err(
          mi,
          `masked scores get ${at(fill, k) * after}, not at most ${MASK_LIMIT}: they would not vanish in the softmax`,
        );
    } else {
      const v = (m.data[k] ?? 0) * after;
      if (causal && v !== 0)
        return err(
          mi,
          `the attention mask is not causal: it adds ${v} at position ${j} for position ${i} (a causal mask adds 0 there)`,
        );
      if (!causal && v > MASK_LIMIT)
        return err(
          mi,
          `the attention mask is not causal: it adds only ${v} at position ${j} for position ${i} (masked scores must get at most ${MASK_LIMIT})`,
        );
    }
  }
  return T;
}

// --- A small binary64 evaluator of the region (numpy broadcasting), for the confirmation. ---

type Ten = ConstTensor;

function broadcast(ts: readonly Ten[], f: (v: number[]) => number): Ten | undefined {
  const r = Math.max(...ts.map((t) => t.dims.length));
  const pad = ts.map((t) => [...Array<number>(r - t.dims.length).fill(1), ...t.dims]);
  const dims: number[] = [];
  for (let k = 0; k < r; k++) {
    const ds = pad.map((d) => d[k] ?? 1);
    const big = Math.max(...ds);
    if (ds.some((x) => x !== 1 && x !== big)) return undefined;
    dims.push(big);
  }
  const st = pad.map(strides);
  const out = new Float64Array(size(dims));
  forEachIndex(dims, (idx, o) => {
    out[o] = f(
      ts.map((t, q) => {
        let off = 0;
        for (let k = 0; k < r; k++)
          if ((pad[q]?.[k] ?? 1) !== 1) off += (idx[k] ?? 0) * (st[q]?.[k] ?? 0);
        return t.data[off] ?? 0;
      }),
    );
  });
  return { dims, data: out };
}

function matmul(a: Ten, b: Ten): Ten | undefined {
  if (a.dims.length < 2 || b.dims.length < 2) return undefined;
  const [m = 1, k = 1] = a.dims.slice(-2);
  const [k2 = 1, n = 1] = b.dims.slice(-2);
  if (k !== k2) return undefined;
  // Broadcast the batch dims by index tensors.
  const index = (d: readonly number[]): Ten => ({
    dims: [...d],
    data: Float64Array.from({ length: size(d) }, (_, i) => i),
  });
  const ia = index(a.dims.slice(0, -2));
  const ib = index(b.dims.slice(0, -2));
  const pairs: [number, number][] = [];
  const bt = broadcast([ia, ib], ([x = 0, y = 0]) => (pairs.push([x, y]), pairs.length - 1));
  if (!bt) return undefined;
  const out = new Float64Array(pairs.length * m * n);
  pairs.forEach(([x, y], q) => {
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let l = 0; l < k; l++)
          s += (a.data[x * m * k + i * k + l] ?? 0) * (b.data[y * k * n + l * n + j] ?? 0);
        out[q * m * n + i * n + j] = s;
      }
  });
  return { dims: [...bt.dims, m, n], data: out };
}

/** Evaluates the region's nodes on x; returns every tensor (undefined: an op it cannot evaluate). */
function evalRegion(
  c: AttentionContext,
  match: AttentionMatch,
  x: Ten,
): Map<string, Ten> | { node: number; why: string } {
  const env = new Map<string, Ten>([[match.x, x]]);
  const get = (t: string): Ten | undefined => {
    const v = env.get(t) ?? c.consts.get(t);
    return v ? { dims: [...v.dims], data: v.data } : undefined;
  };
  for (const i of match.nodes) {
    const n = c.nodes[i] as NodeProto;
    const op = n.opType ?? '';
    const inputs = (n.input ?? []).map((t) => (t === '' ? undefined : get(t)));
    const [a, b] = inputs;
    const fail = (why: string): { node: number; why: string } => ({ node: i, why });
    if (!a) return fail('an input is not available');
    let out: Ten[] | undefined;
    const rank = a.dims.length;
    const axis = (v: number): number => (v < 0 ? v + rank : v);
    switch (op) {
      case 'Identity':
      case 'Cast':
      case 'Dropout':
        out = [a];
        break;
      case 'Reshape': {
        const spec = [...(b?.data ?? [])];
        const allowzero = attr(n, 'allowzero')?.i ?? 0;
        const dims = allowzero && spec.includes(0) ? spec : reshapeDims(a.dims, spec);
        if (size(dims) !== a.data.length || dims.some((v) => !Number.isInteger(v)))
          return fail(`cannot reshape [${a.dims.join(', ')}] to [${spec.join(', ')}]`);
        out = [{ dims, data: a.data }];
        break;
      }
      case 'Transpose':
        out = [transposeTensor(a, attr(n, 'perm')?.ints ?? [...Array(rank).keys()].reverse())];
        break;
      case 'Squeeze':
      case 'Unsqueeze': {
        const axes = attr(n, 'axes')?.ints ?? [...(b?.data ?? [])];
        out = [{ dims: squeezeDims(a.dims, op, axes), data: a.data }];
        break;
      }
      case 'Split': {
        const ax = axis(attr(n, 'axis')?.i ?? 0);
        const parts = (n.output ?? []).length;
        const sizes =
          attr(n, 'split')?.ints ??
          (b ? [...b.data] : Array<number>(parts).fill((a.dims[ax] ?? 0) / parts));
        out = splitTensor(a, ax, sizes);
        break;
      }
      case 'MatMul': {
        const r = b ? matmul(a, b) : undefined;
        if (!r) return fail('the MatMul operands do not fit');
        out = [r];
        break;
      }
      case 'Add':
      case 'Sub':
      case 'Mul':
      case 'Div': {
        const f = {
          Add: (u: number, v: number) => u + v,
          Sub: (u: number, v: number) => u - v,
          Mul: (u: number, v: number) => u * v,
          Div: (u: number, v: number) => u / v,
        }[op];
        const r = b ? broadcast([a, b], ([u = 0, v = 0]) => f(u, v)) : undefined;
        if (!r) return fail('the operands do not broadcast');
        out = [r];
        break;
      }
      case 'Where': {
        const e = inputs[2];
        const r = b && e ? broadcast([a, b, e], ([p = 0, u = 0, v = 0]) => (p ? u : v)) : undefined;
        if (!r) return fail('the operands do not broadcast');
        out = [r];
        break;
      }
      case 'Softmax': {
        const ax = axis(attr(n, 'axis')?.i ?? (c.opset >= 13 ? -1 : 1));
        if (ax !== rank - 1)
          return fail(`Softmax over axis ${ax}; the attention's is over the last (key) axis`);
        const L = a.dims[rank - 1] ?? 1;
        const data = new Float64Array(a.data.length);
        for (let o = 0; o < a.data.length; o += L) {
          const row = a.data.subarray(o, o + L);
          const mx = Math.max(...row);
          const ex = row.map((v) => Math.exp(v - mx));
          const sum = ex.reduce((p, v) => p + v, 0);
          ex.forEach((v, k) => (data[o + k] = v / sum));
        }
        out = [{ dims: [...a.dims], data }];
        break;
      }
      default:
        return fail('an op the attention evaluator does not know');
    }
    (n.output ?? []).forEach((t, k) => {
      const v = out?.[k];
      if (v) env.set(t, v);
    });
  }
  return env;
}

/**
 * Confirms a match numerically: the region evaluated on a probe sequence of T tokens (the fused
 * q|k|v rows, `rank` dims with leading ones) equals the IR's causal multi-head attention with the
 * match's scale, heads of head_dim from the q·kᵀ product. Returns heads, head_dim and y's rank.
 */
export function confirmAttention(
  c: AttentionContext,
  m: AttentionMatch,
  rank: number,
  qkvFeatures: number,
): { heads: number; headDim: number; rank: number } {
  const T = m.seqLen;
  const F = qkvFeatures / 3;
  const err = (i: number, why: string): never => {
    throw new MxgenError('config', `${c.where(i)}: ${why}`, {
      hint: 'docs/onnx.md "Attention" lists the pattern the importer maps onto the IR attention',
    });
  };
  if (!Number.isInteger(F))
    return err(m.split, `the fused q|k|v tensor has ${qkvFeatures} features, not 3 equal parts`);
  const dims = [...Array<number>(Math.max(0, rank - 2)).fill(1), T, qkvFeatures];
  // Deterministic probe in (-2, 2), not symmetric, so that any other layout differs.
  const data = Float64Array.from(
    { length: T * qkvFeatures },
    (_, k) => 2 * Math.sin(12.9898 * (k + 1) + 78.233 * Math.cos(k)),
  );
  const env = evalRegion(c, m, { dims, data });
  if (!(env instanceof Map)) return err(env.node, `inside the attention: ${env.why}`);
  const scores = env.get(c.nodes[m.scores]?.output?.[0] ?? '');
  const y = env.get(m.y);
  if (!scores || !y) return err(m.softmax, 'the attention could not be evaluated');
  const heads = size(scores.dims.slice(0, -2));
  const headDim = F / heads;
  const bad = (why: string): never =>
    err(
      m.softmax,
      `the nodes from ${c.nodes[m.split]?.name ?? 'Split'} to ${m.y} do not compute causal attention over q, k, v = the Split's outputs 0, 1, 2 in ${heads} heads (${why})`,
    );
  if (
    !Number.isInteger(headDim) ||
    y.dims[y.dims.length - 1] !== F ||
    size(y.dims.slice(0, -1)) !== T ||
    scores.dims[scores.dims.length - 1] !== T
  )
    return bad(
      `its output has shape [${y.dims.join(', ')}], expected [${T}, ${F}] with leading ones`,
    );
  // The IR's attention on the same rows (row-ops/attention.ts fp64, scores × scale).
  let worst = 0;
  let big = 0;
  for (let t = 0; t < T; t++)
    for (let h = 0; h < heads; h++) {
      const row = (u: number, part: number): Float64Array =>
        data.subarray(
          u * qkvFeatures + part * F + h * headDim,
          u * qkvFeatures + part * F + (h + 1) * headDim,
        );
      const q = row(t, 0);
      const s = Array.from(
        { length: t + 1 },
        (_, u) => row(u, 1).reduce((a, v, i) => a + v * (q[i] ?? 0), 0) * m.scale,
      );
      const mx = Math.max(...s);
      const e = s.map((v) => Math.exp(v - mx));
      const sum = e.reduce((a, v) => a + v, 0);
      for (let i = 0; i < headDim; i++) {
        const want = e.reduce((a, w, u) => a + (w / sum) * (row(u, 2)[i] ?? 0), 0);
        const got = y.data[t * F + h * headDim + i] ?? 0;
        worst = Math.max(worst, Math.abs(got - want));
        big = Math.max(big, Math.abs(want));
      }
    }
  if (worst > 1e-9 * Math.max(1, big))
    return bad(`largest difference ${worst.toPrecision(3)} on a probe`);
  return { heads, headDim, rank: y.dims.length };
}
