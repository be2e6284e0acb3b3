// One point of a design-space sweep: a design with a precision mix and a MAC budget, compiled,
// simulated natively against the golden model (stall-free, so cycles are the pipeline's own),
// its error against FP64 and optionally its Yosys area. Runs inside a piscina worker.
import { synthArea } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';
import { compileGraph, designToGraph, relativeError } from '../ir/index.js';
import { top1 } from './real-data.js';
import { simulateNative } from './flow.js';

export interface SweepPoint {
  /** The parsed design file (plain data) and its label for messages. */
  readonly design: unknown;
  readonly file: string;
  /** Precision overrides: weights, activations, input, or a tensor name → format. */
  readonly mix: Readonly<Record<string, string>>;
  readonly mixLabel: string;
  readonly macs: number;
  readonly tensors: number;
  readonly area: boolean;
  /**
   * The Yosys every point uses (chosen once by the main thread): part of the cache key, so points
   * measured with another Yosys are never mixed in, and reported in sweep.csv's `tool` column.
   */
  readonly yosys?: { readonly kind: 'system' | 'yowasp'; readonly detail: string };
  /** Class labels, one per input token (`mxgen search --labels`): the point's top-1 accuracy. */
  readonly labels?: readonly number[];
}

export interface PointResult {
  readonly mix: string;
  readonly macs: number;
  readonly ok: boolean;
  readonly error?: string;
  /** Multipliers actually used (≤ the budget). */
  readonly macsUsed?: number;
  readonly cyclesPerToken?: number;
  readonly relativeError?: number;
  readonly mismatches?: number;
  readonly beats?: number;
  readonly areaGE?: number;
  /** The Yosys that measured `areaGE`. */
  readonly tool?: string;
  /** SRAM bits (weights in memory) of the area report. */
  readonly memoryBits?: number;
  /** Top-1 accuracy of the golden model (= the hardware) when the point has labels. */
  readonly accuracy?: number;
}

interface RawDesign {
  precision?: { tensors?: Record<string, string> } & Record<string, unknown>;
}

/** The design object with the mix and budget applied. */
export function applyMix(
  design: unknown,
  mix: Readonly<Record<string, string>>,
  macs: number,
): unknown {
  const d = structuredClone(design) as RawDesign & Record<string, unknown>;
  const p = { ...(d.precision ?? {}) };
  const tensors = { ...(p.tensors ?? {}) };
  for (const [k, v] of Object.entries(mix)) {
    if (k === 'weights' || k === 'activations' || k === 'input') p[k] = v;
    else tensors[k] = v;
  }
  return { ...d, macs, precision: { ...p, tensors } };
}

export async function evaluatePoint(pt: SweepPoint): Promise<PointResult> {
  const base = { mix: pt.mixLabel, macs: pt.macs };
  try {
    const g = designToGraph(applyMix(pt.design, pt.mix, pt.macs), pt.file);
    const compiled = compileGraph(g);
    const n = simulateNative(compiled, pt.tensors, 0, 0);
    const err = relativeError(n.vectors.golden, n.vectors.fp64);
    const macsUsed = n.graph.nodes.reduce((a, x) => a + (x.parallelism?.macs ?? 0), 0);
    let areaGE: number | undefined;
    let tool: string | undefined;
    let memoryBits: number | undefined;
    const accuracy = pt.labels ? top1(n.vectors.golden, pt.labels) : undefined;
    if (pt.area) {
      const a = await synthArea(
        n.sv.files.map((f) => ({ name: f.name, text: f.text })),
        n.sv.top,
        pt.yosys ? { tool: pt.yosys.kind } : {},
      );
      areaGE = a.total.gateEquivalents;
      memoryBits = a.total.memoryBits;
      tool = a.tool.detail;
    }
    return {
      ...base,
      ok: n.native.mismatches === 0,
      macsUsed,
      cyclesPerToken: n.run.cycles / n.vectors.inBeats.length,
      relativeError: err.relative,
      mismatches: n.native.mismatches,
      beats: n.native.beatsCompared,
      ...(areaGE !== undefined ? { areaGE } : {}),
      ...(tool !== undefined ? { tool } : {}),
      ...(memoryBits !== undefined ? { memoryBits } : {}),
      ...(accuracy !== undefined ? { accuracy } : {}),
    };
  } catch (e) {
    if (e instanceof MxgenError) return { ...base, ok: false, error: e.message };
    throw e;
  }
}

export default evaluatePoint;
