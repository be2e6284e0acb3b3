// The decomposed patterns exporters emit for ops the IR has as one op (torch.onnx: GELU as
// Mul/Pow/Tanh/Add or Div/Erf/Add/Mul, SiLU as Sigmoid·Mul, RMSNorm as Pow/ReduceMean/Add/Sqrt/
// Div/Mul, LayerNorm as ReduceMean/Sub/Pow/…). A pattern is found structurally, then confirmed
// numerically: the region between one activation x and one tensor y (element-wise ops with scalar
// constants, plus ReduceMean over the last axis) is evaluated on probe vectors in binary64 and
// compared with the IR op's FP64 definition. So any order or association of the same arithmetic
// is recognized, and nothing that computes something else is.
import { erf } from '../row-ops/index.js';
import type { NodeProto } from './model.js';

export type FusedKind = 'gelu_erf' | 'gelu_tanh' | 'silu' | 'rmsnorm' | 'layernorm';

export interface Fused {
  readonly kind: FusedKind;
  /** Indices of the ONNX nodes it replaces (all of them only feed each other, and y). */
  readonly nodes: readonly number[];
  readonly x: string;
  readonly y: string;
  /** Norms: eps (the scalar added to the mean square / variance). */
  readonly eps?: number;
}

const ELEMENTWISE = new Set([
  'Add',
  'Sub',
  'Mul',
  'Div',
  'Pow',
  'Sqrt',
  'Reciprocal',
  'Neg',
  'Tanh',
  'Erf',
  'Sigmoid',
]);
const REGION = new Set([...ELEMENTWISE, 'ReduceMean']);
const ANCHORS: Readonly<Record<string, readonly FusedKind[]>> = {
  Tanh: ['gelu_tanh'],
  Erf: ['gelu_erf'],
  Sigmoid: ['silu'],
  ReduceMean: ['rmsnorm', 'layernorm'],
};

/** The ONNX graph as the pattern finders see it (patterns.ts, attention.ts). */
export interface GraphIndex {
  readonly nodes: readonly NodeProto[];
  /** Indices of the nodes the chosen output needs. */
  readonly needed: ReadonlySet<number>;
  /** Consumers (node indices) of each tensor. */
  readonly consumers: ReadonlyMap<string, readonly number[]>;
  /** The producer node index of each tensor. */
  readonly producer: ReadonlyMap<string, number>;
}

export interface PatternContext extends GraphIndex {
  /** Constant tensors' values. */
  readonly consts: ReadonlyMap<string, Float64Array>;
  /** Tensors read outside the graph (the output). */
  readonly outputs: ReadonlySet<string>;
  /** ReduceMean over the last axis with keepdims (axes from the attribute or input). */
  readonly isLastAxisMean: (i: number) => boolean;
}

const ins = (n: NodeProto): string[] => (n.input ?? []).filter((s) => s !== '');
const outs = (n: NodeProto): string[] => n.output ?? [];

/** Element-wise evaluation of one region node on probe vectors (length-1 arrays broadcast). */
function evalOp(op: string, a: Float64Array[]): Float64Array {
  const [x = new Float64Array(1), y = new Float64Array(1)] = a;
  const n = Math.max(x.length, a.length > 1 ? y.length : 0);
  const at = (v: Float64Array, i: number): number => (v.length === 1 ? (v[0] ?? 0) : (v[i] ?? 0));
  const map = (f: (i: number) => number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => f(i));
  switch (op) {
    case 'Add':
      return map((i) => at(x, i) + at(y, i));
    case 'Sub':
      return map((i) => at(x, i) - at(y, i));
    case 'Mul':
      return map((i) => at(x, i) * at(y, i));
    case 'Div':
      return map((i) => at(x, i) / at(y, i));
    case 'Pow':
      return map((i) => at(x, i) ** at(y, i));
    case 'Sqrt':
      return map((i) => Math.sqrt(at(x, i)));
    case 'Reciprocal':
      return map((i) => 1 / at(x, i));
    case 'Neg':
      return map((i) => -at(x, i));
    case 'Tanh':
      return map((i) => Math.tanh(at(x, i)));
    case 'Erf':
      return map((i) => erf(at(x, i)));
    case 'Sigmoid':
      return map((i) => 1 / (1 + Math.exp(-at(x, i))));
    case 'ReduceMean':
      return Float64Array.of(x.reduce((s, v) => s + v, 0) / x.length);
    default:
      return map(() => NaN);
  }
}

const REF: Record<'gelu_erf' | 'gelu_tanh' | 'silu', (x: number) => number> = {
  gelu_erf: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_tanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  silu: (x) => x / (1 + Math.exp(-x)),
};

function norm(kind: 'rmsnorm' | 'layernorm', x: Float64Array, eps: number): Float64Array {
  const n = x.length;
  const mean = kind === 'layernorm' ? x.reduce((a, v) => a + v, 0) / n : 0;
  const ms = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
  const inv = 1 / Math.sqrt(ms + eps);
  return x.map((v) => (v - mean) * inv);
}

/** Deterministic probe vectors: a ramp over [-5, 5] and two scrambled ones. */
function probes(len: number): Float64Array[] {
  const ramp = Float64Array.from({ length: len }, (_, i) => -5 + (10 * i) / Math.max(1, len - 1));
  const mix = (k: number): Float64Array =>
    Float64Array.from({ length: len }, (_, i) => Math.sin(1.7 * i + k) * 3 + 0.25 * k);
  return [ramp, mix(1), mix(2)];
}

const close = (a: Float64Array, b: Float64Array): boolean =>
  a.length === b.length &&
  a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= 1e-6 * Math.max(1, Math.abs(b[i] ?? 0)));

/** Finds the fused patterns among the needed nodes (non-overlapping, in node order). */
export function findPatterns(c: PatternContext): Fused[] {
  const taken = new Set<number>();
  const found: Fused[] = [];
  c.nodes.forEach((n, a) => {
    const kinds = ANCHORS[n.opType ?? ''];
    if (!kinds || !c.needed.has(a) || taken.has(a)) return;
    if (n.opType === 'ReduceMean' && !c.isLastAxisMean(a)) return;
    const f = matchAt(c, a, kinds, taken);
    if (!f) return;
    f.nodes.forEach((i) => taken.add(i));
    found.push(f);
  });
  return found;
}

const isScalarConst = (c: PatternContext, t: string): boolean =>
  (c.consts.get(t)?.length ?? 0) === 1;

/** Candidate x: activations behind the anchor through region ops, nearest first. */
function candidates(c: PatternContext, a: number): string[] {
  const seen = new Set<string>();
  const order: string[] = [];
  let frontier = ins(c.nodes[a] ?? {}).filter((t) => !c.consts.has(t));
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const t of frontier) {
      if (seen.has(t)) continue;
      seen.add(t);
      order.push(t);
      const p = c.producer.get(t);
      const pn = p === undefined ? undefined : c.nodes[p];
      if (pn && REGION.has(pn.opType ?? '')) next.push(...ins(pn).filter((s) => !c.consts.has(s)));
    }
    frontier = next;
  }
  return order;
}

function matchAt(
  c: PatternContext,
  anchor: number,
  kinds: readonly FusedKind[],
  taken: ReadonlySet<number>,
): Fused | undefined {
  for (const x of candidates(c, anchor)) {
    // Forward closure from x: region ops whose inputs are x, scalar constants or closure outputs.
    const avail = new Set([x]);
    const S: number[] = [];
    const start = (c.producer.get(x) ?? -1) + 1;
    for (let i = start; i < c.nodes.length; i++) {
      const n = c.nodes[i];
      if (!n || !c.needed.has(i) || taken.has(i) || !REGION.has(n.opType ?? '')) continue;
      if (n.opType === 'ReduceMean' && !c.isLastAxisMean(i)) continue;
      const inputs = n.opType === 'ReduceMean' ? ins(n).slice(0, 1) : ins(n);
      if (!inputs.some((t) => avail.has(t))) continue;
      if (!inputs.every((t) => avail.has(t) || isScalarConst(c, t))) continue;
      S.push(i);
      outs(n).forEach((t) => avail.add(t));
    }
    if (!S.includes(anchor)) continue;
    for (let k = S.length - 1; k >= 0; k--) {
      const yNode = S[k] as number;
      const y = outs(c.nodes[yNode] ?? {})[0] ?? '';
      const R = cone(c, S, yNode);
      if (!R.includes(anchor)) continue;
      const inside = new Set(R);
      const internal = R.every((i) =>
        outs(c.nodes[i] ?? {}).every(
          (t) =>
            t === y ||
            (!c.outputs.has(t) && (c.consumers.get(t) ?? []).every((j) => inside.has(j))),
        ),
      );
      if (!internal) continue;
      const kind = classify(c, R, x, y, kinds);
      if (kind) return { ...kind, nodes: R, x, y };
    }
  }
  return undefined;
}

/** The nodes of S that y depends on (within S), in order. */
function cone(c: PatternContext, S: readonly number[], yNode: number): number[] {
  const inS = new Set(S);
  const keep = new Set<number>([yNode]);
  for (let k = S.length - 1; k >= 0; k--) {
    const i = S[k] as number;
    if (!keep.has(i)) continue;
    for (const t of ins(c.nodes[i] ?? {})) {
      const p = c.producer.get(t);
      if (p !== undefined && inS.has(p)) keep.add(p);
    }
  }
  return S.filter((i) => keep.has(i));
}

function evalRegion(
  c: PatternContext,
  R: readonly number[],
  x: string,
  y: string,
  probe: Float64Array,
): Float64Array | undefined {
  const env = new Map<string, Float64Array>([[x, probe]]);
  for (const i of R) {
    const n = c.nodes[i];
    if (!n) return undefined;
    const inputs = (n.opType === 'ReduceMean' ? ins(n).slice(0, 1) : ins(n)).map(
      (t) => env.get(t) ?? c.consts.get(t),
    );
    if (inputs.some((v) => v === undefined)) return undefined;
    env.set(outs(n)[0] ?? '', evalOp(n.opType ?? '', inputs as Float64Array[]));
  }
  return env.get(y);
}

function classify(
  c: PatternContext,
  R: readonly number[],
  x: string,
  y: string,
  kinds: readonly FusedKind[],
): { kind: FusedKind; eps?: number } | undefined {
  const norms = kinds.includes('rmsnorm');
  // Norms act per row of any length (the region has scalar constants only): 16-element probes.
  const len = norms ? 16 : 41;
  const eps = norms ? epsOf(c, R) : undefined;
  for (const kind of kinds) {
    const ok = probes(len).every((p) => {
      const got = evalRegion(c, R, x, y, p);
      if (!got) return false;
      const want =
        kind === 'rmsnorm' || kind === 'layernorm' ? norm(kind, p, eps ?? 0) : p.map(REF[kind]);
      return close(got, want);
    });
    if (ok) return eps === undefined ? { kind } : { kind, eps };
  }
  return undefined;
}

/** The scalar added to a ReduceMean's result inside the region (0 when none). */
function epsOf(c: PatternContext, R: readonly number[]): number {
  for (const i of R) {
    const n = c.nodes[i];
    if (n?.opType !== 'Add') continue;
    const [a = '', b = ''] = ins(n);
    const fromMean = (t: string): boolean =>
      c.nodes[c.producer.get(t) ?? -1]?.opType === 'ReduceMean';
    if (fromMean(a) && isScalarConst(c, b)) return c.consts.get(b)?.[0] ?? 0;
    if (fromMean(b) && isScalarConst(c, a)) return c.consts.get(a)?.[0] ?? 0;
  }
  return 0;
}
