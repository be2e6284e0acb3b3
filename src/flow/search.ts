// `mxgen search`: a per-tensor precision search (docs/onnx.md "Search"). Two phases:
//   A (golden model only, cheap, the same in every shard): the quality of the uniform baseline
//     and of every single-tensor change; then a sensitivity-ordered greedy chain (cheapest quality
//     loss per weight bit saved first, each step kept only while the quality stays within the
//     budget) and the local moves around its end (every single-tensor change of the final mix).
//   B (hardware, in the sweep worker pool with its cache, shardable): every candidate compiled,
//     simulated natively against the golden model (cycles per token, accuracy or error on the
//     real data), and synthesized by Yosys (logic GE, memory bits).
// The Pareto front is over (quality, logic GE, memory bits, cycles per token).
import { MxgenError } from '../hdl/index.js';
import {
  ConstCache,
  designToGraph,
  fp64Token,
  goldenToken,
  inferPass,
  quantizePass,
  runPasses,
  tokenInputs,
  toNumber,
  type Graph,
} from '../ir/index.js';
import { top1, withMix } from './real-data.js';

/** One evaluated point (a sweep row: `runSweep` in the worker pool). */
export interface SearchRow {
  readonly index: number;
  readonly mix: string;
  readonly macs: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly accuracy?: number;
  readonly relativeError?: number;
  readonly areaGE?: number;
  readonly memoryBits?: number;
  readonly cyclesPerToken?: number;
  readonly mismatches?: number;
}
type SweepRow = SearchRow;

export interface SearchSpec {
  readonly design: Record<string, unknown>;
  readonly file: string;
  /** Formats a tensor may take. */
  readonly formats: readonly string[];
  /** The uniform baseline format (weights and activations). */
  readonly baseline: string;
  /** Quality budget: the largest accuracy drop vs FP64 (labels), else the largest relative error. */
  readonly budget: number;
  readonly labels?: readonly number[];
  /** Input tensors to evaluate (all rows of the data). */
  readonly tensors: number;
}

export interface Candidate {
  readonly label: string;
  readonly mix: Readonly<Record<string, string>>;
  readonly phase: 'baseline' | 'greedy' | 'local';
}

export interface PhaseA {
  readonly keys: readonly string[];
  readonly fp64Accuracy?: number;
  readonly candidates: readonly Candidate[];
  /** Golden-model evaluations made in phase A. */
  readonly evaluations: number;
  readonly greedySteps: readonly {
    readonly move: string;
    readonly quality: number;
    readonly kept: boolean;
  }[];
}

/** The tensors the search sets: every linear's weight and output. */
export function searchKeys(g: Graph): string[] {
  return g.nodes.flatMap((n) =>
    n.op === 'linear' ? [`${n.weight}`, n.name] : n.op === 'matmul' ? [n.b, n.name] : [],
  );
}

/** Bits per element of a format name (the weight-bit proxy of the greedy order; MX adds its scale). */
export function formatBits(name: string): number {
  const m = /(\d+)/.exec(name);
  const bits = m ? Number(m[1]) : 8;
  return name.startsWith('mx') ? bits + 8 / 32 : bits;
}

const labelOf = (mix: Readonly<Record<string, string>>): string =>
  Object.entries(mix)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/**
 * The golden model's quality of a mix on the data: accuracy (with labels) or the relative error vs
 * FP64; undefined when the mix is rejected (an unsupported pair, a format a tensor cannot take).
 */
export function goldenQuality(
  s: SearchSpec,
  mix: Readonly<Record<string, string>>,
): { quality: number; fp64Accuracy?: number } | undefined {
  try {
    return evalQuality(s, mix);
  } catch (e) {
    if (e instanceof MxgenError) return undefined;
    throw e;
  }
}

function evalQuality(
  s: SearchSpec,
  mix: Readonly<Record<string, string>>,
): { quality: number; fp64Accuracy?: number } {
  const g: Graph = runPasses(designToGraph(withMix(s.design, mix), s.file), [
    inferPass,
    quantizePass,
  ]).graph;
  const consts = new ConstCache(g);
  const input = g.nodes.find((n) => n.op === 'input');
  const tokens = input?.type?.shape[0] ?? 1;
  const out = g.outputs[0] ?? '';
  const golden: number[] = [];
  const fp64: number[] = [];
  for (let v = 0; v < s.tensors; v++)
    for (let t = 0; t < tokens; t++) {
      const { reals, quantized } = tokenInputs(g, v, t);
      golden.push(...(goldenToken(g, quantized, consts).get(out)?.values.map(toNumber) ?? []));
      fp64.push(...(fp64Token(g, reals, consts).get(out) ?? []));
    }
  if (s.labels) return { quality: top1(golden, s.labels), fp64Accuracy: top1(fp64, s.labels) };
  let num = 0;
  let den = 0;
  fp64.forEach((f, i) => {
    num += ((golden[i] ?? 0) - f) ** 2;
    den += f * f;
  });
  return { quality: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num) };
}

/** Phase A: baseline, sensitivities, the greedy chain and the local moves around its end. */
export function planSearch(s: SearchSpec): PhaseA {
  const g = designToGraph(s.design, s.file);
  const keys = searchKeys(g);
  const base: Record<string, string> = Object.fromEntries(keys.map((k) => [k, s.baseline]));
  let evaluations = 0;
  const q = (mix: Record<string, string>): number | undefined => {
    evaluations++;
    return goldenQuality(s, mix)?.quality;
  };
  const b = goldenQuality(s, base);
  evaluations++;
  if (!b)
    throw new MxgenError('config', `${s.file}: the uniform ${s.baseline} baseline is rejected`);
  const acc = s.labels !== undefined;
  // Loss: accuracy drop, or error increase (≥ 0); within budget: vs FP64.
  const loss = (x: number): number => Math.max(0, acc ? b.quality - x : x - b.quality);
  const ok = (x: number): boolean => (acc ? x >= (b.fp64Accuracy ?? 1) - s.budget : x <= s.budget);
  const weightElements = (k: string): number => {
    const lin = g.nodes.find((x) => x.op === 'linear' && x.weight === k);
    const inputFeatures = (name: string): number => {
      const src = g.nodes.find((x) => x.name === name);
      return src?.op === 'linear' ? src.features : src?.op === 'input' ? (src.shape[1] ?? 1) : 1;
    };
    return lin?.op === 'linear' ? lin.features * inputFeatures(lin.input) : 1;
  };
  const moves: { key: string; format: string; loss: number; saved: number }[] = [];
  for (const k of keys)
    for (const f of s.formats) {
      if (f === s.baseline) continue;
      const saved = (formatBits(s.baseline) - formatBits(f)) * weightElements(k);
      if (saved <= 0) continue;
      const x = q({ ...base, [k]: f });
      if (x === undefined) continue;
      moves.push({ key: k, format: f, loss: loss(x), saved });
    }
  moves.sort(
    (m, n) =>
      m.loss / m.saved - n.loss / n.saved ||
      n.saved - m.saved ||
      m.key.localeCompare(n.key) ||
      m.format.localeCompare(n.format),
  );
  const candidates: Candidate[] = [{ label: labelOf(base), mix: base, phase: 'baseline' }];
  const steps: { move: string; quality: number; kept: boolean }[] = [];
  let cur: Record<string, string> = { ...base };
  for (const m of moves) {
    if (formatBits(cur[m.key] ?? s.baseline) <= formatBits(m.format)) continue;
    const next = { ...cur, [m.key]: m.format };
    const x = q(next);
    const kept = x !== undefined && ok(x);
    steps.push({ move: `${m.key}=${m.format}`, quality: x ?? NaN, kept });
    if (!kept) continue;
    cur = next;
    candidates.push({ label: labelOf(cur), mix: cur, phase: 'greedy' });
  }
  // Local moves: every single-tensor change of the greedy result.
  for (const k of keys)
    for (const f of s.formats) {
      if (cur[k] === f) continue;
      const mix = { ...cur, [k]: f };
      candidates.push({ label: labelOf(mix), mix, phase: 'local' });
    }
  const seen = new Set<string>();
  const unique = candidates.filter((c) => !seen.has(c.label) && seen.add(c.label));
  return {
    keys,
    ...(b.fp64Accuracy !== undefined ? { fp64Accuracy: b.fp64Accuracy } : {}),
    candidates: unique,
    evaluations,
    greedySteps: steps,
  };
}

/** Pareto-optimal rows: quality (accuracy ↑ or error ↓), logic GE ↓, memory bits ↓, cycles ↓. */
export function searchPareto(rows: readonly SweepRow[], accuracy: boolean): Set<number> {
  const ok = rows.filter((r) => r.ok && r.relativeError !== undefined);
  const key = (r: SweepRow): number[] => [
    accuracy ? -(r.accuracy ?? 0) : (r.relativeError ?? 0),
    r.areaGE ?? 0,
    r.memoryBits ?? 0,
    r.cyclesPerToken ?? 0,
  ];
  const out = new Set<number>();
  for (const r of ok) {
    const a = key(r);
    const dominated = ok.some((s) => {
      const b = key(s);
      return s !== r && b.every((x, i) => x <= (a[i] ?? 0)) && b.some((x, i) => x < (a[i] ?? 0));
    });
    if (!dominated) out.add(r.index);
  }
  return out;
}

const cell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const num = (v: number | undefined, digits = 6): string =>
  v === undefined ? '' : String(Number(v.toPrecision(digits)));

/** pareto.csv: one row per evaluated point. */
export function searchCsv(
  rows: readonly SweepRow[],
  accuracy: boolean,
  phases: ReadonlyMap<number, string>,
): string {
  const front = searchPareto(rows, accuracy);
  const head = [
    'index',
    'phase',
    'mix',
    accuracy ? 'accuracy' : 'relativeError',
    'logicGE',
    'memoryBits',
    'cyclesPerToken',
    'mismatches',
    'pareto',
    'error',
  ];
  const lines = rows.map((r) =>
    [
      String(r.index),
      phases.get(r.index) ?? '',
      r.mix,
      accuracy ? num(r.accuracy) : num(r.relativeError),
      num(r.areaGE, 8),
      num(r.memoryBits, 10),
      num(r.cyclesPerToken),
      r.mismatches === undefined ? '' : String(r.mismatches),
      String(front.has(r.index)),
      r.error ?? '',
    ]
      .map(cell)
      .join(','),
  );
  return `${[head.join(','), ...lines].join('\n')}\n`;
}

/** The front as an SVG: x = logic GE, y = quality; red = Pareto; radius ∝ cycles per token. */
export function searchSvg(rows: readonly SweepRow[], accuracy: boolean): string {
  const ok = rows.filter((r) => r.ok && r.areaGE !== undefined);
  const front = searchPareto(rows, accuracy);
  const W = 560;
  const H = 400;
  const pad = 50;
  const y = (r: SweepRow): number => (accuracy ? (r.accuracy ?? 0) : (r.relativeError ?? 0));
  const xs = ok.map((r) => r.areaGE ?? 0);
  const ys = ok.map(y);
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  const [y0, y1] = [Math.min(...ys, 0), Math.max(...ys, 1e-9)];
  const cmax = Math.max(...ok.map((r) => r.cyclesPerToken ?? 0), 1);
  const sx = (v: number): number => pad + ((v - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (v: number): number => H - pad - ((v - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const dots = ok
    .map(
      (r) =>
        `<circle cx="${sx(r.areaGE ?? 0).toFixed(1)}" cy="${sy(y(r)).toFixed(1)}" r="${(3 + 9 * ((r.cyclesPerToken ?? 0) / cmax)).toFixed(1)}" fill="${front.has(r.index) ? '#c0392b' : '#7f8c8d'}" fill-opacity="0.6"><title>${r.mix}: ${accuracy ? 'accuracy' : 'error'} ${num(y(r), 4)}, ${num(r.areaGE, 6)} GE, ${num(r.memoryBits, 8)} memory bits, ${num(r.cyclesPerToken, 4)} cycles/token</title></circle>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${H - 2 * pad}" fill="none" stroke="#ccc"/>${dots}<text x="${W / 2}" y="${H - 12}" font-size="12" text-anchor="middle">logic (NAND2 GE) [${num(x0, 4)}, ${num(x1, 4)}]; red: Pareto (quality, GE, memory, cycles); radius: cycles/token</text><text x="14" y="${H / 2}" font-size="12" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${accuracy ? 'top-1 accuracy' : 'relative error vs FP64'} [${num(y0, 3)}, ${num(y1, 3)}]</text></svg>\n`;
}

/**
 * The comparison the search is for: points strictly smaller in logic (and not larger in memory)
 * than the uniform baseline at equal or better quality.
 */
export function betterThanBaseline(
  rows: readonly SweepRow[],
  accuracy: boolean,
): { baseline?: SweepRow; better: SweepRow[] } {
  const baseline = rows.find((r) => r.index === 0 && r.ok);
  if (!baseline) return { better: [] };
  const q = (r: SweepRow): number =>
    accuracy ? (r.accuracy ?? 0) : -(r.relativeError ?? Infinity);
  const better = rows.filter(
    (r) =>
      r.ok &&
      r.index !== 0 &&
      (r.areaGE ?? Infinity) < (baseline.areaGE ?? 0) &&
      (r.memoryBits ?? 0) <= (baseline.memoryBits ?? 0) &&
      q(r) >= q(baseline),
  );
  return { baseline, better };
}
