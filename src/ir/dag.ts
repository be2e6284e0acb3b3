// The stream graph of a lowered design: which unit (or the graph input) produces each tensor's
// stream, which unit ports read it, and the FIFO rule for the short branch of a fork/join.
import { MxgenError } from '../hdl/index.js';
import { locate } from './design.js';
import { type Graph, isRowOp, type Node, nodeByName } from './graph.js';
import { dataOperand } from './lower-linear.js';
import type { UnitConfig } from './units.js';

/** A stream reader: a unit's input port (`in`, or a join's `a`/`b`) or the top output. */
export type Sink =
  | { readonly kind: 'unit'; readonly node: string; readonly port: 'in' | 'a' | 'b' }
  | { readonly kind: 'top' };

/**
 * The node whose stream carries tensor `name`: a node with a unit, or the graph input. A cast
 * without a unit (fused into the linear it reads, or an identity cast) and a relu fused into the
 * linear it reads carry their input's stream.
 */
export function streamSource(g: Graph, name: string): Node {
  const n = nodeByName(g, name);
  if (!n) throw new MxgenError('config', `${g.name}: no tensor named ${name}`);
  if ((n.op === 'cast' || n.op === 'relu') && !n.unit) return streamSource(g, n.input);
  return n;
}

/** The input ports of a unit and the tensor each reads. */
export function unitPorts(n: Node): { port: 'in' | 'a' | 'b'; tensor: string }[] {
  if (n.op === 'add')
    return [
      { port: 'a', tensor: n.a },
      { port: 'b', tensor: n.b },
    ];
  if (isRowOp(n))
    return n.inputs.length === 1
      ? [{ port: 'in', tensor: n.inputs[0] ?? '' }]
      : n.inputs.map((tensor, i) => ({ port: i === 0 ? 'a' : 'b', tensor }));
  const d = dataOperand(n);
  return d === undefined ? [] : [{ port: 'in', tensor: d }];
}

/** Readers of every stream source, in node order (the top output last). */
export function streamSinks(g: Graph): Map<string, Sink[]> {
  const sinks = new Map<string, Sink[]>();
  const push = (src: string, s: Sink): void => {
    sinks.set(src, [...(sinks.get(src) ?? []), s]);
  };
  for (const n of g.nodes)
    if (n.unit)
      for (const p of unitPorts(n))
        push(streamSource(g, p.tensor).name, { kind: 'unit', node: n.name, port: p.port });
  push(streamSource(g, g.outputs[0] ?? '').name, { kind: 'top' });
  return sinks;
}

/** Units on the longest path from the graph input to the stream source of tensor `name`. */
export function streamLevel(g: Graph, name: string, memo = new Map<string, number>()): number {
  const n = streamSource(g, name);
  const known = memo.get(n.name);
  if (known !== undefined) return known;
  const lv = n.unit
    ? 1 + Math.max(0, ...unitPorts(n).map((p) => streamLevel(g, p.tensor, memo)))
    : 0;
  memo.set(n.name, lv);
  return lv;
}

/** Tokens one unit holds at most: one being computed and one finished in its output register. */
export const TOKENS_PER_UNIT = 2;

/**
 * The FIFO in front of an add's operand on the short branch (fewer units from the graph input;
 * operand b when equal): depth = TOKENS_PER_UNIT · (level difference) + 1, so the fork can hand
 * the short branch every token the long branch holds plus one more and never waits for the join
 * (full throughput). Deadlock freedom needs only depth ≥ 1, as the fork is eager (docs/ir.md).
 */
export function joinFifo(g: Graph, n: Node): { port: 'a' | 'b'; depth: number } | undefined {
  const ports = unitPorts(n);
  const a = ports.find((p) => p.port === 'a')?.tensor;
  const b = ports.find((p) => p.port === 'b')?.tensor;
  if (a === undefined || b === undefined) return undefined;
  const la = streamLevel(g, a);
  const lb = streamLevel(g, b);
  return { port: la < lb ? 'a' : 'b', depth: TOKENS_PER_UNIT * Math.abs(la - lb) + 1 };
}

/** Validation of the stream graph after `lower`: every unit's output is read, no scaled fork. */
export function checkStreams(g: Graph): void {
  const sinks = streamSinks(g);
  for (const n of g.nodes) {
    if (!n.unit) continue;
    const s = sinks.get(n.name) ?? [];
    if (s.length === 0)
      throw new MxgenError(
        'config',
        `${locate(g, n.name)}: ${n.name} is computed but never read; remove it or make it the output`,
      );
    if (s.length > 1 && hasScale(n.unit))
      throw new MxgenError(
        'config',
        `${locate(g, n.name)}: ${n.name} is read by ${s.length} ops, but a stream with a per-token scale cannot be forked yet; read it once`,
      );
  }
  const input = g.nodes.find((x) => x.op === 'input');
  const f = input?.type?.format;
  if (
    input &&
    (sinks.get(input.name)?.length ?? 0) > 1 &&
    (f?.kind === 'mx' || f?.kind === 'olive-dyn' || f?.kind === 'dialect')
  )
    throw new MxgenError(
      'config',
      `${locate(g, input.name)}: input ${input.name} (${f.name}) carries a per-token scale and cannot be forked yet; read it once`,
    );
}

export function hasScale(c: UnitConfig | undefined): boolean {
  return (
    (c?.kind === 'linear-unit' || c?.kind === 'cast-unit' || c?.kind === 'add-unit') &&
    c.outMx === true
  );
}
