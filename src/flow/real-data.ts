// Real models and real data in `mxgen run` (docs/onnx.md): the precision mix and the input rows
// applied to a design object, the shapes of --inputs/--expect/--labels checked before any work,
// and the figures of a finished run: import fidelity (FP64 of the graph vs the expected outputs),
// top-1 accuracy of FP64 and of the quantized golden model (= the hardware, bit for bit), the
// output's SQNR, and the hardware outputs as .npy.
import { MxgenError } from '../hdl/index.js';
import { type Graph, inferPass, npyBytes, type NpyTensor, runPasses } from '../ir/index.js';

/** Features of the graph's output tensor. */
export function outputFeatures(g: Graph): number {
  const inferred = runPasses(g, [inferPass]).graph;
  const out = inferred.nodes.find((n) => n.name === g.outputs[0]);
  return out?.type?.shape[1] ?? 1;
}

export interface DataFiles {
  readonly inputs?: { readonly file: string; readonly npy: NpyTensor };
  readonly expect?: { readonly file: string; readonly npy: NpyTensor };
  readonly labels?: { readonly file: string; readonly npy: NpyTensor };
}

type Design = Record<string, unknown> & { graph: Record<string, unknown>[] };

/** The design with `key=format` overrides applied over its precision (as `mxgen sweep --mix`). */
export function withMix(
  design: Record<string, unknown>,
  mix: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const p = { ...((design.precision as Record<string, unknown> | undefined) ?? {}) };
  const tensors = { ...((p.tensors as Record<string, string> | undefined) ?? {}) };
  for (const [k, v] of Object.entries(mix)) {
    if (k === 'weights' || k === 'activations' || k === 'input') p[k] = v;
    else tensors[k] = v;
  }
  return { ...design, precision: { ...p, tensors } };
}

const shapeText = (s: readonly number[]): string => `(${s.join(', ')})`;

/**
 * The design with the input rows of --inputs as its input's `values` (checked: last dimension =
 * the input's features, rows a multiple of the design's tokens); returns the tensors to run.
 */
export function withInputs(
  design: Record<string, unknown>,
  label: string,
  data: DataFiles,
): { design: Record<string, unknown>; tensors?: number; rows: number } {
  const d = design as Design;
  const inIdx = Array.isArray(d.graph) ? d.graph.findIndex((n) => n.op === 'input') : -1;
  const input = d.graph?.[inIdx];
  if (!data.inputs || !input) return { design, rows: 0 };
  const { file, npy } = data.inputs;
  const features = Number(input.features);
  const last = npy.shape[npy.shape.length - 1];
  if (npy.shape.length < 2 || last !== features || !['f2', 'f4', 'f8'].includes(npy.dtype))
    throw new MxgenError(
      'usage',
      `--inputs ${file}: shape ${shapeText(npy.shape)} dtype ${npy.dtype}; ${label} takes float rows of ${features} features, shape (N, ${features})`,
    );
  const rows = npy.data.length / features;
  const tokens = Number(d.tokens ?? 4);
  if (rows % tokens !== 0)
    throw new MxgenError(
      'usage',
      `--inputs ${file}: ${rows} rows is not a multiple of the design's ${tokens} tokens per tensor`,
    );
  const values = Array.from({ length: rows }, (_, r) =>
    Array.from(npy.data.subarray(r * features, (r + 1) * features)),
  );
  const graph = d.graph.map((n, i) => (i === inIdx ? { ...n, values } : n));
  return { design: { ...design, graph }, tensors: rows / tokens, rows };
}

/** Checks --expect and --labels against the rows and the output's features (before any work). */
export function checkTargets(data: DataFiles, rows: number, outFeatures: number): void {
  const e = data.expect;
  if (e) {
    const last = e.npy.shape[e.npy.shape.length - 1];
    if (!data.inputs)
      throw new MxgenError(
        'usage',
        `--expect ${e.file}: needs --inputs (the rows it was computed from)`,
      );
    if (
      last !== outFeatures ||
      e.npy.data.length !== rows * outFeatures ||
      !['f2', 'f4', 'f8'].includes(e.npy.dtype)
    )
      throw new MxgenError(
        'usage',
        `--expect ${e.file}: shape ${shapeText(e.npy.shape)} dtype ${e.npy.dtype}; expected float (${rows}, ${outFeatures}) (one row of the output per input row)`,
      );
  }
  const l = data.labels;
  if (l) {
    if (!data.inputs)
      throw new MxgenError('usage', `--labels ${l.file}: needs --inputs (the rows they label)`);
    const ints = l.npy.data.every((v) => Number.isInteger(v) && v >= 0 && v < outFeatures);
    if (l.npy.data.length !== rows || (l.npy.shape.length > 1 && l.npy.shape[1] !== 1) || !ints)
      throw new MxgenError(
        'usage',
        `--labels ${l.file}: shape ${shapeText(l.npy.shape)} dtype ${l.npy.dtype}; expected (${rows},) class indices 0..${outFeatures - 1}`,
      );
  }
}

export interface DataFigures {
  readonly importCheck?: {
    readonly relativeError: number;
    readonly maxAbs: number;
    readonly rows: number;
  };
  readonly accuracy?: { readonly fp64: number; readonly quantized: number; readonly rows: number };
  /** Output vs FP64: 10·log10(Σf²/Σ(q−f)²) over all rows, and per output feature. */
  readonly outputSqnrDb: {
    readonly total: number | null;
    readonly perFeature: readonly (number | null)[];
  };
  /** The hardware's (= golden, bit-exact) outputs, dequantized, one row per input row. */
  readonly outputsNpy?: Uint8Array;
}

const sqnr = (s: number, n: number): number | null => (n > 0 ? 10 * Math.log10(s / n) : null);

function argmax(v: ArrayLike<number>, at: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if ((v[at + j] ?? -Infinity) > (v[at + best] ?? -Infinity)) best = j;
  return best;
}

/** Top-1 accuracy: the argmax of each output row (ties: the lower index) against the labels. */
export function top1(outputs: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = outputs.length / Math.max(1, labels.length);
  let hits = 0;
  for (let r = 0; r < labels.length; r++) if (argmax(outputs, r * n, n) === labels[r]) hits++;
  return labels.length > 0 ? hits / labels.length : 0;
}

/** The figures of a run on real data (golden and FP64 outputs, rows × features, flattened). */
export function dataFigures(
  golden: readonly number[],
  fp64: readonly number[],
  outFeatures: number,
  data: DataFiles,
): DataFigures {
  const rows = golden.length / outFeatures;
  let s = 0;
  let nz = 0;
  const fs = new Array<number>(outFeatures).fill(0);
  const fn = new Array<number>(outFeatures).fill(0);
  fp64.forEach((f, i) => {
    const d = (golden[i] ?? 0) - f;
    s += f * f;
    nz += d * d;
    fs[i % outFeatures] = (fs[i % outFeatures] ?? 0) + f * f;
    fn[i % outFeatures] = (fn[i % outFeatures] ?? 0) + d * d;
  });
  const out: {
    -readonly [K in keyof DataFigures]: DataFigures[K];
  } = { outputSqnrDb: { total: sqnr(s, nz), perFeature: fs.map((v, j) => sqnr(v, fn[j] ?? 0)) } };
  if (data.inputs) out.outputsNpy = npyBytes(golden, [rows, outFeatures]);
  if (data.expect) {
    const e = data.expect.npy.data;
    let num = 0;
    let den = 0;
    let maxAbs = 0;
    fp64.forEach((f, i) => {
      const d = f - (e[i] ?? 0);
      num += d * d;
      den += (e[i] ?? 0) ** 2;
      maxAbs = Math.max(maxAbs, Math.abs(d));
    });
    out.importCheck = {
      relativeError: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num),
      maxAbs,
      rows,
    };
  }
  if (data.labels) {
    const l = data.labels.npy.data;
    out.accuracy = { fp64: top1(fp64, l), quantized: top1(golden, l), rows };
  }
  return out;
}

/** The report's "Real data" section (inserted into report.html). */
export function dataSectionHtml(f: DataFigures, source: string | undefined): string {
  const rows: [string, string][] = [];
  if (source) rows.push(['model', source]);
  if (f.importCheck)
    rows.push([
      'import check: FP64 vs expected outputs (relative L2)',
      f.importCheck.relativeError.toExponential(3),
    ]);
  if (f.accuracy) {
    rows.push(['top-1 accuracy, FP64 graph', `${(100 * f.accuracy.fp64).toFixed(2)} %`]);
    rows.push([
      'top-1 accuracy, quantized (= hardware)',
      `${(100 * f.accuracy.quantized).toFixed(2)} %`,
    ]);
    rows.push(['rows', String(f.accuracy.rows)]);
  }
  rows.push([
    'output SQNR vs FP64 (dB)',
    f.outputSqnrDb.total === null ? 'exact' : f.outputSqnrDb.total.toFixed(2),
  ]);
  const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<h2>Real data</h2>\n<table><tr><th>item</th><th>value</th></tr>${rows
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('')}</table>\n`;
}
