// Constant tables (issue 15, "tables as tables"): a tree of muxes whose selects all test one
// index net — `(i == k) ? c : ...` chains (exprSelect, embedded weights and biases) or the
// balanced trees of `romLookup` on the bits of `i` — and whose leaves are constants is printed as
//   always_comb begin
//     case (i)
//       4'd0:    y = 8'h12;
//       ...
//       default: y = 8'h00;
//     endcase
//   end
// so Yosys sees one $pmux (or a ROM) and a reader sees the table. The tree's inner muxes and
// selects are not printed. Detected only where every inner node is an unnamed net read by the
// tree alone, the index is at most MAX_INDEX_BITS wide and the tree has at least MIN_MUXES muxes.
// The tree may share inner nodes (the simplifier merges equal subtrees, so a table's mux tree is
// a DAG): each node is visited once and its reads are counted per reading mux.
import type { ModuleDef, Ref } from '../../hdl/index.js';

export interface Table {
  /** The index net. */
  readonly index: Ref;
  /** `values[v]` for every index value v in 0 .. 2^w - 1. */
  readonly values: readonly bigint[];
  /** Nets of the tree other than the root: muxes and selects (not printed). */
  readonly inner: readonly Ref[];
  /** Constant nets (leaves, keys) and how often the tree reads each. */
  readonly consts: ReadonlyMap<Ref, number>;
}

export const MAX_INDEX_BITS = 10;
export const MIN_MUXES = 3;

type Select =
  { readonly kind: 'eq'; readonly key: bigint } | { readonly kind: 'bit'; readonly bit: number };

export function findTables(m: ModuleDef, readers: readonly number[]): Map<Ref, Table> {
  const out = new Map<Ref, Table>();
  const taken = new Set<Ref>();
  const constOf = (r: Ref): bigint | undefined => {
    const d = m.nets[r]?.driver;
    return d?.kind === 'cell' && d.cell.op === 'const' ? (d.cell.value ?? 0n) : undefined;
  };
  // A select on one index: eq(i, k), eq(k, i), or bit j of i (slice of width 1, or i itself).
  const selectOf = (r: Ref): { index: Ref; sel: Select } | undefined => {
    const net = m.nets[r];
    const d = net?.driver;
    if (d?.kind !== 'cell')
      return net && net.width === 1 ? { index: r, sel: { kind: 'bit', bit: 0 } } : undefined;
    if (d.cell.op === 'eq') {
      const [a = -1, b = -1] = d.cell.args;
      const kb = constOf(b);
      const ka = constOf(a);
      if (kb !== undefined && ka === undefined) return { index: a, sel: { kind: 'eq', key: kb } };
      if (ka !== undefined && kb === undefined) return { index: b, sel: { kind: 'eq', key: ka } };
      return undefined;
    }
    if (d.cell.op === 'slice' && net.width === 1)
      return { index: d.cell.args[0] ?? -1, sel: { kind: 'bit', bit: d.cell.lo ?? 0 } };
    return net.width === 1 ? { index: r, sel: { kind: 'bit', bit: 0 } } : undefined;
  };
  interface Node {
    readonly sel: Select;
    readonly t: Node | bigint;
    readonly f: Node | bigint;
  }
  for (let root = m.nets.length - 1; root >= 0; root--) {
    if (taken.has(root)) continue;
    const rd = m.nets[root]?.driver;
    if (rd?.kind !== 'cell' || rd.cell.op !== 'mux') continue;
    let index: Ref | undefined;
    let muxes = 0;
    // Reads of each inner net from inside the tree: it goes only if nothing else reads it.
    const reads = new Map<Ref, number>();
    const consts = new Map<Ref, number>();
    const readConst = (r: Ref): void => {
      consts.set(r, (consts.get(r) ?? 0) + 1);
    };
    const readIn = (r: Ref): void => {
      reads.set(r, (reads.get(r) ?? 0) + 1);
    };
    // Inner nodes already built (shared subtrees) and selects already read.
    const built = new Map<Ref, Node>();
    const selects = new Set<Ref>();
    // A mux still to build: its select, its operands and, once built, its true branch.
    interface Frame {
      readonly r: Ref;
      readonly sel: Select;
      readonly t: Ref;
      readonly f: Ref;
      tn?: Node | bigint;
    }
    // Net r as a leaf constant or a node built before (done), a mux to build, or no table.
    const visit = (
      r: Ref,
      isRoot: boolean,
    ): { readonly done: Node | bigint } | { readonly frame: Frame } | undefined => {
      const k = constOf(r);
      if (k !== undefined && !isRoot) {
        readConst(r);
        return { done: k };
      }
      const d = m.nets[r]?.driver;
      if (d?.kind !== 'cell' || d.cell.op !== 'mux') return undefined;
      if (!isRoot && m.nets[r]?.name !== undefined) return undefined;
      const seen = built.get(r);
      if (seen) {
        readIn(r);
        return { done: seen };
      }
      const [s = -1, t = -1, f = -1] = d.cell.args;
      const sel = selectOf(s);
      if (!sel || (index !== undefined && sel.index !== index)) return undefined;
      index = sel.index;
      if (sel.index !== s) {
        if (m.nets[s]?.name !== undefined) return undefined;
        readIn(s);
        const sd = m.nets[s]?.driver;
        if (!selects.has(s) && sd?.kind === 'cell' && sd.cell.op === 'eq')
          sd.cell.args.forEach((a) => constOf(a) !== undefined && readConst(a));
        selects.add(s);
      }
      if (!isRoot) readIn(r);
      if (++muxes > 4 << MAX_INDEX_BITS) return undefined;
      return { frame: { r, sel: sel.sel, t, f } };
    };
    // Depth first, true branch first, on an explicit stack: a chain of a few thousand muxes
    // overflowed the call stack when this recursed. Any part that is no table rejects the tree.
    const build = (r0: Ref): Node | bigint | undefined => {
      const top = visit(r0, true);
      if (top === undefined || 'done' in top) return top?.done;
      const stack: Frame[] = [top.frame];
      let result: Node | bigint | undefined; // the value of the branch just finished
      for (let fr = stack.at(-1); fr !== undefined; fr = stack.at(-1)) {
        if (result !== undefined && fr.tn !== undefined) {
          const node = { sel: fr.sel, t: fr.tn, f: result };
          built.set(fr.r, node);
          stack.pop();
          result = node;
          continue;
        }
        if (result !== undefined) fr.tn = result;
        result = undefined;
        const next = visit(fr.tn === undefined ? fr.t : fr.f, false);
        if (next === undefined) return undefined;
        if ('done' in next) result = next.done;
        else stack.push(next.frame);
      }
      return result;
    };
    const tree = build(root);
    if (tree === undefined || typeof tree === 'bigint' || index === undefined) continue;
    const w = m.nets[index]?.width ?? 99;
    if (muxes < MIN_MUXES || w > MAX_INDEX_BITS || constOf(index) !== undefined) continue;
    if ([...reads].some(([r, k]) => readers[r] !== k || taken.has(r))) continue;
    const values: bigint[] = [];
    for (let v = 0; v < 2 ** w; v++) {
      let n: Node | bigint = tree;
      while (typeof n !== 'bigint') {
        const hit: boolean =
          n.sel.kind === 'eq' ? BigInt(v) === n.sel.key : ((v >> n.sel.bit) & 1) === 1;
        n = hit ? n.t : n.f;
      }
      values.push(n);
    }
    const inner = [...reads.keys()].sort((a, b) => a - b);
    out.set(root, { index, values, inner, consts });
    for (const r of inner) taken.add(r);
  }
  return out;
}
