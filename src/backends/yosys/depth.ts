// Logic depth: the longest combinational path in gate levels (every generic gate counts 1), from
// module inputs and flip-flop outputs to module outputs and flip-flop inputs. Hierarchical and
// exact: each module is summarized bit by bit (input bit -> output bit depths, clock-to-output
// depths, input-to-flip-flop depths), and a parent uses its children's summaries instead of their
// gates, giving what `flatten; ltp -noff` gives on the flattened design without flattening it.
import { MxgenError } from '../../hdl/index.js';
import { isMemoryCell, isSequentialCell } from './area-model.js';
import type { Bit, JsonModule } from './netlist-json.js';

/** Source → max depth; source -1 is "inside the module" (flip-flop outputs), k >= 0 input bit k. */
type Arrival = Map<number, number>;

const INTERNAL = -1;

export interface DepthSummary {
  readonly depth: number;
  /** Port name → offset of its first bit in the module's input bit numbering. */
  readonly inputBase: ReadonlyMap<string, number>;
  /** Output port name → per bit arrival (by input bit number, or -1 from flip-flops). */
  readonly outputs: ReadonlyMap<string, readonly Arrival[]>;
  /** Per input bit: the deepest path from it into a flip-flop, or -1 if it reaches none. */
  readonly inToReg: readonly number[];
}

interface Node {
  readonly out: number;
  readonly deps: readonly { readonly bit: Bit; readonly add: number }[];
  readonly internal: number;
}

function merge(into: Arrival, from: Arrival | undefined, add: number): void {
  if (!from) return;
  for (const [s, d] of from) if ((into.get(s) ?? -1) < d + add) into.set(s, d + add);
}

const maxOf = (a: Arrival | undefined): number =>
  [...(a?.values() ?? [])].reduce((m, v) => Math.max(m, v), -1);

/** Summarizes `m`; `subs` holds the summaries of every module it instantiates. */
export function summarizeDepth(
  m: JsonModule,
  subs: ReadonlyMap<string, DepthSummary>,
): DepthSummary {
  const arrival = new Map<number, Arrival>();
  const inputBase = new Map<string, number>();
  let nIn = 0;
  for (const [name, p] of m.ports) {
    if (p.direction !== 'input') continue;
    inputBase.set(name, nIn);
    p.bits.forEach((b, i) => {
      if (typeof b === 'number') arrival.set(b, new Map([[nIn + i, 0]]));
    });
    nIn += p.bits.length;
  }
  const nodes: Node[] = [];
  const regEnds: { bit: Bit; extra: number }[] = [];
  // Paths that start and end inside a child (register to register) count for this module too.
  let childDepth = 0;
  for (const c of m.cells) {
    const sub = subs.get(c.type);
    if (sub) {
      childDepth = Math.max(childDepth, sub.depth);
      for (const [port, base] of sub.inputBase)
        (c.connections.get(port) ?? []).forEach((bit, i) => {
          const extra = sub.inToReg[base + i] ?? -1;
          if (extra >= 0) regEnds.push({ bit, extra });
        });
      for (const [port, arrs] of sub.outputs) {
        const conn = c.connections.get(port) ?? [];
        arrs.forEach((arr, i) => {
          const out = conn[i];
          if (typeof out !== 'number') return;
          const deps: { bit: Bit; add: number }[] = [];
          for (const [s, d] of arr) {
            if (s === INTERNAL) continue;
            const [port2, off] = locate(sub.inputBase, s);
            const bit = c.connections.get(port2)?.[off];
            if (bit !== undefined) deps.push({ bit, add: d });
          }
          nodes.push({ out, deps, internal: arr.get(INTERNAL) ?? -1 });
        });
      }
      continue;
    }
    const ins = [...c.connections].filter(([p]) => c.portDirections.get(p) === 'input');
    const outs = [...c.connections].filter(([p]) => c.portDirections.get(p) !== 'input');
    if (c.portDirections.size === 0)
      throw new MxgenError('tool', `cell of type ${c.type} in ${m.name} has no port directions`);
    // A memory's ports are registered (the emitter's SRAM reads are synchronous): a boundary.
    if (isSequentialCell(c.type) || isMemoryCell(c.type)) {
      for (const [, bs] of ins) for (const bit of bs) regEnds.push({ bit, extra: 0 });
      for (const [, bs] of outs)
        for (const b of bs) if (typeof b === 'number') arrival.set(b, new Map([[INTERNAL, 0]]));
      continue;
    }
    const deps = ins.flatMap(([, bs]) => bs.map((bit) => ({ bit, add: 1 })));
    for (const [, bs] of outs)
      for (const out of bs) if (typeof out === 'number') nodes.push({ out, deps, internal: -1 });
  }
  evaluate(m.name, nodes, arrival);
  // Endpoints: flip-flop inputs (through children too), then output ports.
  let depth = childDepth;
  const inToReg: number[] = new Array<number>(nIn).fill(-1);
  for (const e of regEnds) {
    const a = typeof e.bit === 'number' ? arrival.get(e.bit) : undefined;
    if (!a) continue;
    depth = Math.max(depth, maxOf(a) + e.extra);
    for (const [s, d] of a) if (s >= 0) inToReg[s] = Math.max(inToReg[s] ?? -1, d + e.extra);
  }
  const outputs = new Map<string, Arrival[]>();
  for (const [name, p] of m.ports) {
    if (p.direction === 'input') continue;
    const arrs = p.bits.map((b) => new Map(typeof b === 'number' ? arrival.get(b) : undefined));
    for (const a of arrs) depth = Math.max(depth, maxOf(a));
    outputs.set(name, arrs);
  }
  return { depth, inputBase, outputs, inToReg };
}

/** Input bit number → (port, offset). */
function locate(base: ReadonlyMap<string, number>, k: number): [string, number] {
  let best: [string, number] = ['', -1];
  for (const [p, b] of base) if (b <= k && b > best[1]) best = [p, b];
  return [best[0], k - best[1]];
}

/** Kahn's algorithm over the gate nodes: each node runs once all bits it reads are known. */
function evaluate(module: string, nodes: readonly Node[], arrival: Map<number, Arrival>): void {
  const driver = new Map<number, number>();
  nodes.forEach((n, i) => driver.set(n.out, i));
  const waiting = new Map<number, number[]>();
  const missing = nodes.map((n, i) => {
    let k = 0;
    for (const d of n.deps)
      if (typeof d.bit === 'number' && driver.has(d.bit)) {
        k++;
        const w = waiting.get(d.bit);
        if (w) w.push(i);
        else waiting.set(d.bit, [i]);
      }
    return k;
  });
  const ready = nodes.flatMap((_, i) => (missing[i] === 0 ? [i] : []));
  let done = 0;
  while (ready.length > 0) {
    const i = ready.pop() ?? 0;
    const n = nodes[i];
    if (!n) continue;
    done++;
    const a: Arrival = new Map();
    if (n.internal >= 0) a.set(INTERNAL, n.internal);
    for (const d of n.deps) if (typeof d.bit === 'number') merge(a, arrival.get(d.bit), d.add);
    arrival.set(n.out, a);
    for (const j of waiting.get(n.out) ?? []) {
      const left = (missing[j] ?? 0) - 1;
      missing[j] = left;
      if (left === 0) ready.push(j);
    }
  }
  if (done < nodes.length)
    throw new MxgenError('comb-loop', `module ${module} has a combinational loop after synthesis`, {
      hint: 'break the loop with a register; `yosys -p "read_verilog -sv ...; check"` shows where',
    });
}

/** Depth summaries of every module in `order` (children first); the last one is the top's. */
export function logicDepths(
  mods: ReadonlyMap<string, JsonModule>,
  order: readonly string[],
): Map<string, DepthSummary> {
  const out = new Map<string, DepthSummary>();
  for (const name of order) {
    const m = mods.get(name);
    if (m) out.set(name, summarizeDepth(m, out));
  }
  return out;
}
