// Pre-flight estimate of a dataflow design (issue 19): from the validated design file alone (its
// shapes and MAC budget; no weights generated, nothing elaborated, no pass whose cost grows with
// the sizes), the multipliers, weight storage, simulated cycles and host memory of `mxgen run` /
// `mxgen sweep`, checked against documented limits and the machine's free memory before any work.
// Host memory is dominated by the weight images (K·N values per layer) and the stimulus; both are
// linear in the sizes, so a 10^9-feature or 10^9-token design is refused in milliseconds.
import { freemem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { MxgenError } from '../hdl/index.js';
import type { Graph } from '../ir/index.js';

export interface Estimate {
  readonly tokens: number;
  readonly tensors: number;
  readonly layers: number;
  /** Largest feature count of any tensor. */
  readonly maxFeatures: number;
  /** Σ K·N over linear/matmul layers. */
  readonly weights: number;
  /** Σ K·N·(weight bits): on-chip weight memory. */
  readonly weightBits: number;
  /** Multipliers: Σ min(K·N, the layer's share of the MAC budget). */
  readonly macs: number;
  /** Σ K·N/macs of each layer: busy cycles of one token (a lower bound). */
  readonly cyclesPerToken: number;
  /** tensors × tokens × cyclesPerToken: cycles simulated (natively, and again in Verilator). */
  readonly cycles: number;
  /** Stimulus and golden values: tensors × tokens × Σ features of every tensor. */
  readonly values: number;
  /** Bytes of host memory the run needs (weights and values at BYTES_PER_* each, plus a base). */
  readonly hostBytes: number;
}

/** Documented in docs/ir.md ("Limits"); `--no-limits` skips them. */
export const LIMITS = {
  /** Features of one tensor. */
  features: 1 << 20,
  /** Σ K·N over all layers (a 4096 × 11008 layer is 45 M). */
  weights: 1 << 27,
  /** Simulated cycles of one run (native; Verilator replays as many). */
  cycles: 2 ** 31,
  /** Stimulus and golden values. */
  values: 1 << 27,
} as const;

/**
 * Host bytes per weight (reals, quantized codes and exact values, the SRAM images) and per
 * stimulus value. Measured: ffn-gpt2 (4.72 M weights) peaks at 1.83 GB through the golden model,
 * about 330 bytes per weight above the base.
 */
export const BYTES_PER_WEIGHT = 330;
export const BYTES_PER_VALUE = 64;
const BASE_BYTES = 256 * 2 ** 20;

function bitsOf(format: string): number {
  const m = /^(?:mx|u)?(?:int|fp|olive)(\d+)/.exec(format);
  return m?.[1] ? Number(m[1]) : 8;
}

/** The estimate of `g` (a graph straight from designToGraph) run on `tensors` input tensors. */
export function estimateDesign(g: Graph, tensors: number): Estimate {
  const features = new Map<string, number>();
  let tokens = 1;
  let layerWork: { name: string; k: number; n: number }[] = [];
  for (const node of g.nodes) {
    switch (node.op) {
      case 'input':
        tokens = Math.max(tokens, node.shape[0] ?? 1);
        features.set(node.name, node.shape[1] ?? 1);
        break;
      case 'linear': {
        const k = features.get(node.input) ?? 1;
        features.set(node.name, node.features);
        layerWork.push({ name: node.name, k, n: node.features });
        break;
      }
      case 'matmul': {
        const k = features.get(node.a) ?? 1;
        const w = g.nodes.find((c) => c.name === node.b);
        const n = w && w.op === 'const' ? (w.shape[0] ?? 1) : 1;
        features.set(node.name, n);
        layerWork.push({ name: node.name, k, n });
        break;
      }
      case 'relu':
      case 'cast':
        features.set(node.name, features.get(node.input) ?? 1);
        break;
      case 'add':
        features.set(node.name, Math.max(features.get(node.a) ?? 1, features.get(node.b) ?? 1));
        break;
      case 'const':
        break;
      default: // a row op keeps its input's features
        features.set(node.name, features.get(node.inputs[0] ?? '') ?? 1);
    }
  }
  layerWork = layerWork.filter((l) => l.k > 0 && l.n > 0);
  const weights = layerWork.reduce((a, l) => a + l.k * l.n, 0);
  const weightFormat = (name: string): string =>
    g.precision.tensors[`${name}.weight`] ?? g.precision.tensors[name] ?? g.precision.weights;
  const weightBits = layerWork.reduce((a, l) => a + l.k * l.n * bitsOf(weightFormat(l.name)), 0);
  let macs = 0;
  let cyclesPerToken = 0;
  for (const l of layerWork) {
    const share = Math.max(1, Math.floor((g.macs * l.k * l.n) / Math.max(weights, 1)));
    const m = Math.min(share, l.k * l.n);
    macs += m;
    cyclesPerToken += Math.ceil((l.k * l.n) / m) + 2;
  }
  cyclesPerToken = Math.max(cyclesPerToken, 1);
  const sumFeatures = [...features.values()].reduce((a, b) => a + b, 0);
  const values = tensors * tokens * sumFeatures;
  const maxFeatures = Math.max(0, ...features.values());
  return {
    tokens,
    tensors,
    layers: layerWork.length,
    maxFeatures,
    weights,
    weightBits,
    macs,
    cyclesPerToken,
    cycles: tensors * tokens * cyclesPerToken,
    values,
    hostBytes: BASE_BYTES + weights * BYTES_PER_WEIGHT + values * BYTES_PER_VALUE,
  };
}

/** 1.2e9, 45.1M, 512 */
export function short(n: number): string {
  if (n >= 1e9) return n.toExponential(2).replace('e+', 'e');
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)}M`;
  if (n >= 1e4) return `${(n / 1e3).toPrecision(3)}k`;
  return String(n);
}

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(b < 2 ** 30 ? 2 : 1)} GiB`;

/** One line: what the run would cost. */
export function describeEstimate(e: Estimate): string {
  return (
    `estimate: ${e.layers} layers, ${short(e.weights)} weights (${short(e.weightBits)} bits on chip), ` +
    `${short(e.macs)} multipliers, ${short(e.cycles)} cycles (${e.tensors} tensors × ${short(e.tokens)} tokens × ` +
    `${short(e.cyclesPerToken)}), largest tensor ${short(e.maxFeatures)} features, host memory ≈ ${gib(e.hostBytes)}`
  );
}

/** Throws a `config` error naming the first limit `e` exceeds (and the estimate), if any. */
export function checkLimits(
  e: Estimate,
  file: string,
  free = Math.min(freemem(), getHeapStatistics().heap_size_limit * 1.25),
  override = 'pass --no-limits',
): void {
  const over: string[] = [];
  if (e.maxFeatures > LIMITS.features)
    over.push(`a tensor has ${short(e.maxFeatures)} features (limit ${short(LIMITS.features)})`);
  if (e.weights > LIMITS.weights)
    over.push(`${short(e.weights)} weights (limit ${short(LIMITS.weights)})`);
  if (e.cycles > LIMITS.cycles)
    over.push(`${short(e.cycles)} simulated cycles (limit ${short(LIMITS.cycles)})`);
  if (e.values > LIMITS.values)
    over.push(`${short(e.values)} stimulus values (limit ${short(LIMITS.values)})`);
  if (e.hostBytes > free * 0.8)
    over.push(`host memory ≈ ${gib(e.hostBytes)} but only ${gib(free)} is free (or allowed to V8)`);
  if (over.length > 0)
    throw new MxgenError('config', `${file}: design too large: ${over.join('; ')}`, {
      hint: `${describeEstimate(e)}; reduce features/tokens/--vectors, or ${override} to run anyway`,
    });
}

/** Runs of more than this many cycles or weights print the estimate and progress lines. */
export const LONG_RUN = { cycles: 20_000_000, weights: 4_000_000 } as const;

export function isLongRun(e: Estimate): boolean {
  return e.cycles > LONG_RUN.cycles || e.weights > LONG_RUN.weights;
}
