// Stimulus and expected results of a lowered graph: N random input tensors (tokens × features
// each) as input beats, the golden output beats, and the FP64 outputs for the error report.
import { packCodes } from './pack.js';
import {
  ConstCache,
  fp64Token,
  goldenToken,
  type SeqState,
  tokenInputs,
  toNumber,
} from './eval.js';
import type { Graph } from './graph.js';
import { formatLabel } from './formats.js';
import { streamInterface } from './emit.js';
import { internalError } from '../hdl/index.js';

export type { Beat } from '../components/index.js';
import type { Beat } from '../components/index.js';

export interface DesignVectors {
  readonly inBeats: Beat[];
  readonly outBeats: Beat[];
  /** Per output element: golden (dequantized) and FP64 values, all tokens of all tensors. */
  readonly golden: number[];
  readonly fp64: number[];
  readonly tensors: number;
  readonly tokens: number;
  /** Error vs FP64 at every op's output (accumulated from the graph input), in node order. */
  readonly perOp: readonly OpError[];
}

/**
 * The error of one op's output tensor: its golden values against the FP64 graph's values of the
 * same tensor, over every element of every token (so it includes the error of the ops before it).
 */
export interface OpError {
  readonly node: string;
  readonly op: string;
  readonly format: string;
  /** 10·log10(Σ f² / Σ (q − f)²); Infinity when q = f everywhere. */
  readonly sqnrDb: number;
  readonly relative: number;
  readonly maxAbs: number;
}

interface ErrAcc {
  signal: number;
  noise: number;
  maxAbs: number;
}

function opErrors(g: Graph, acc: ReadonlyMap<string, ErrAcc>): OpError[] {
  return g.nodes.flatMap((n) => {
    const a = acc.get(n.name);
    if (!a || n.op === 'input' || n.op === 'const') return [];
    const f = n.type?.format;
    return [
      {
        node: n.name,
        op: n.op,
        format: f ? formatLabel(f) : '?',
        sqnrDb: a.noise > 0 ? 10 * Math.log10(a.signal / a.noise) : Infinity,
        relative: a.signal > 0 ? Math.sqrt(a.noise / a.signal) : Math.sqrt(a.noise),
        maxAbs: a.maxAbs,
      },
    ];
  });
}

export function designVectors(g: Graph, tensors: number, first = 0): DesignVectors {
  const io = streamInterface(g);
  const consts = new ConstCache(g);
  const input = g.nodes.find((n) => n.op === 'input');
  const tokens = input?.type?.shape[0] ?? 1;
  const outName = g.outputs[0] ?? '';
  const inBeats: Beat[] = [];
  const outBeats: Beat[] = [];
  const golden: number[] = [];
  const fp64: number[] = [];
  const acc = new Map<string, ErrAcc>();
  for (let v = first; v < first + tensors; v++) {
    // one sequence per input tensor: the golden and FP64 KV caches start empty
    const gseq: SeqState = new Map();
    const fseq: SeqState = new Map();
    for (let t = 0; t < tokens; t++) {
      const { reals, quantized } = tokenInputs(g, v, t);
      const q = quantized.get(input?.name ?? '');
      if (!q) throw internalError('designVectors: no graph input');
      const beat: Record<string, bigint> = { x: packCodes(q.codes, io.inElementBits) };
      if (io.inFields.includes('x_scale')) beat.x_scale = packCodes(q.scales, 8);
      inBeats.push(beat);
      const genv = goldenToken(g, quantized, consts, gseq);
      const fenv = fp64Token(g, reals, consts, fseq);
      for (const [name, q] of genv) {
        const f = fenv.get(name);
        if (!f) continue;
        const a = acc.get(name) ?? { signal: 0, noise: 0, maxAbs: 0 };
        q.values.forEach((v, i) => {
          const fi = f[i] ?? 0;
          const d = toNumber(v) - fi;
          a.signal += fi * fi;
          a.noise += d * d;
          a.maxAbs = Math.max(a.maxAbs, Math.abs(d));
        });
        acc.set(name, a);
      }
      const out = genv.get(outName);
      if (!out) throw internalError('designVectors: no golden output');
      const ob: Record<string, bigint> = { y: packCodes(out.codes, io.outElementBits) };
      if (io.outFields.includes('y_scale')) ob.y_scale = packCodes(out.scales, 8);
      outBeats.push(ob);
      golden.push(...out.values.map(toNumber));
      fp64.push(...(fenv.get(outName) ?? []));
    }
  }
  return { inBeats, outBeats, golden, fp64, tensors, tokens, perOp: opErrors(g, acc) };
}

/** Relative error ‖golden − fp64‖₂ / ‖fp64‖₂ and the largest absolute error. */
export function relativeError(
  golden: readonly number[],
  fp64: readonly number[],
): {
  relative: number;
  maxAbs: number;
} {
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  fp64.forEach((f, i) => {
    const d = (golden[i] ?? 0) - f;
    num += d * d;
    den += f * f;
    maxAbs = Math.max(maxAbs, Math.abs(d));
  });
  return { relative: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), maxAbs };
}
