// Golden and FP64 evaluation of one row op on one token (eval.ts calls these for every
// `RowOpNode`): the golden output codes come from the integer definition of `src/numerics` with
// the same component config the hardware is generated from, so golden = hardware bit for bit.
import { decode, getFormat, scale2 } from '../../numerics/index.js';
import type { QVector } from '../formats.js';
import type { Graph, RowOpNode } from '../graph.js';
import { rowOpDef } from './registry.js';
import { rowSpec } from './spec.js';
import type { SeqBox } from './types.js';

/** Two's complement code (as stored in a QVector) → signed integer. */
const signedOf = (c: number, bits: number): number => (c >= 2 ** (bits - 1) ? c - 2 ** bits : c);

export function rowGolden(
  g: Graph,
  n: RowOpNode,
  inputs: readonly QVector[],
  params: readonly QVector[],
  seq: SeqBox,
): QVector {
  const def = rowOpDef(n.op);
  const spec = rowSpec(g, n);
  const comp = def.component(spec);
  const ints = (q: readonly QVector[], bits: readonly number[]): number[][] =>
    q.map((v, i) => v.codes.map((c) => signedOf(c, bits[i] ?? 8)));
  const out = def.golden(
    comp,
    ints(
      inputs,
      spec.inputs.map((s) => s.bits),
    ),
    [
      ...ints(
        params,
        spec.params.map((s) => s.bits),
      ),
      ...(def.calibratedParams?.(spec) ?? []).map((p) => [...p.codes]),
    ],
    seq,
  );
  const el = getFormat(spec.out.element);
  const scaleExp = spec.out.exp - el.lsbExp;
  const codes = out.map((q) => (q < 0 ? q + 2 ** spec.out.bits : q));
  return { codes, scales: [], values: codes.map((c) => scale2(decode(el, c), scaleExp)) };
}

export function rowFp64(
  n: RowOpNode,
  inputs: readonly (readonly number[])[],
  params: readonly (readonly number[])[],
  seq: SeqBox,
): number[] {
  return rowOpDef(n.op).fp64(n.attrs, inputs, params, seq);
}
