// Generates the straight-line JS of a flattened design: `evalAll` (combinational logic in levelized
// order) and `commit(rst)` (registers and memories, non-blocking), both split into functions of
// bounded size because V8 stops optimizing very large functions.
import type { FlatDesign, Slot } from './flatten.js';
import { commitStatements } from './commit.js';
import { PRELUDE, isWide, literal, lowerCell, type Operand } from './repr.js';

export interface CodegenOptions {
  /** Statements per generated function (default 400). */
  readonly chunkSize?: number;
}

export interface Layout {
  /** Index of each slot in `N` (narrow) or `W` (wide). */
  readonly index: Int32Array;
  readonly narrowCount: number;
  readonly wideCount: number;
}

export interface GeneratedModel {
  readonly source: string;
  readonly layout: Layout;
}

export const DEFAULT_CHUNK = 400;

export function layoutOf(slots: readonly Slot[]): Layout {
  const index = new Int32Array(slots.length);
  let narrowCount = 0;
  let wideCount = 0;
  slots.forEach((s, i) => {
    index[i] = isWide(s.width) ? wideCount++ : narrowCount++;
  });
  return { index, narrowCount, wideCount };
}

/** Storage reference of a slot: `N[3]` or `W[0]`. */
export function storeRef(slots: readonly Slot[], layout: Layout, slot: number): string {
  const s = slots[slot] as Slot;
  return `${isWide(s.width) ? 'W' : 'N'}[${layout.index[slot]}]`;
}

/** Value expression of a slot read from storage (constants inline). */
export function readRef(slots: readonly Slot[], layout: Layout, slot: number): string {
  const s = slots[slot] as Slot;
  return s.def.kind === 'const' ? literal(s.def.value, s.width) : storeRef(slots, layout, slot);
}

function chunked(prefix: string, stmts: readonly string[], size: number): { defs: string[]; calls: string } {
  const defs: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < stmts.length; i += size) {
    const name = `${prefix}${names.length}`;
    names.push(name);
    defs.push(`function ${name}() {\n  ${stmts.slice(i, i + size).join('\n  ')}\n}`);
  }
  return { defs, calls: names.map((n) => `${n}();`).join(' ') };
}

/** Slots whose value must be in storage: read by commit, ports, named signals. */
function externallyRead(d: FlatDesign): Uint8Array {
  const ext = new Uint8Array(d.slots.length);
  for (const r of d.regs) {
    ext[r.d] = 1;
    if (r.en !== undefined) ext[r.en] = 1;
  }
  for (const m of d.mems)
    for (const w of m.writes) {
      ext[w.addr] = 1;
      ext[w.data] = 1;
      ext[w.en] = 1;
    }
  for (const p of d.ports) ext[p.slot] = 1;
  for (const s of d.signals) ext[s.slot] = 1;
  return ext;
}

/** The combinational statements, grouped into chunks; values stay in locals inside a chunk. */
function evalChunks(d: FlatDesign, order: readonly number[], layout: Layout, size: number): string[][] {
  const { slots } = d;
  const chunkOf = new Int32Array(slots.length).fill(-1);
  order.forEach((s, i) => (chunkOf[s] = Math.floor(i / size)));
  const store = externallyRead(d);
  for (const s of order) {
    const def = (slots[s] as Slot).def;
    const deps = def.kind === 'cell' ? def.args : def.kind === 'memRead' ? [def.addr] : [];
    for (const a of deps) if (chunkOf[a] !== chunkOf[s]) store[a] = 1;
  }
  const chunks: string[][] = [];
  let locals = new Set<number>();
  let cur: string[] = [];
  const operand = (slot: number): Operand => {
    const s = slots[slot] as Slot;
    if (s.def.kind === 'const') return { expr: literal(s.def.value, s.width), width: s.width };
    if (!locals.has(slot)) {
      cur.push(`const v${slot} = ${storeRef(slots, layout, slot)};`);
      locals.add(slot);
    }
    return { expr: `v${slot}`, width: s.width };
  };
  order.forEach((slot, i) => {
    if (i % size === 0 && i > 0) {
      chunks.push(cur);
      cur = [];
      locals = new Set();
    }
    const s = slots[slot] as Slot;
    const def = s.def;
    let expr: string;
    if (def.kind === 'cell') {
      const args = def.args.map(operand);
      expr = lowerCell(def.op, { w: s.width, args, lo: def.lo, amount: def.amount });
    } else if (def.kind === 'memRead') {
      const a = operand(def.addr);
      const m = d.mems[def.mem];
      const depth = m?.depth ?? 0;
      const zero = isWide(s.width) ? '0n' : '0';
      expr = isWide(a.width)
        ? `(${a.expr} < ${depth}n ? M${def.mem}[Number(${a.expr})] : ${zero})`
        : `(${a.expr} < ${depth} ? M${def.mem}[${a.expr}] : ${zero})`;
    } else throw new Error(`sim: slot ${s.label} is not combinational`);
    cur.push(`const v${slot} = ${expr};`);
    locals.add(slot);
    if (store[slot]) cur.push(`${storeRef(slots, layout, slot)} = v${slot};`);
  });
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

export function generate(d: FlatDesign, order: readonly number[], opts: CodegenOptions = {}): GeneratedModel {
  const size = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
  const layout = layoutOf(d.slots);
  const out: string[] = [
    '"use strict";',
    `// mxgen native simulator model of ${d.top}: ${d.slots.length} slots, ${order.length} combinational, ${d.regs.length} registers, ${d.mems.length} memories`,
    `const N = new Uint32Array(${layout.narrowCount});`,
    `const W = new Array(${layout.wideCount}).fill(0n);`,
  ];
  d.mems.forEach((m, i) =>
    out.push(
      isWide(m.width)
        ? `const M${i} = new Array(${m.depth}).fill(0n);`
        : `const M${i} = new Uint32Array(${m.depth});`,
    ),
  );
  out.push(PRELUDE);
  const evalNames: string[] = [];
  evalChunks(d, order, layout, size).forEach((stmts, i) => {
    evalNames.push(`e${i}`);
    out.push(`function e${i}() {\n  ${stmts.join('\n  ')}\n}`);
  });
  out.push(`function evalAll() { ${evalNames.map((n) => `${n}();`).join(' ')} }`);
  const c = commitStatements(d, layout);
  out.push(c.prelude);
  const upd = chunked('c', c.update, size);
  const rst = chunked('r', c.reset, size);
  out.push(...upd.defs, ...rst.defs);
  out.push(`function commit(rst) { if (rst) { ${rst.calls} } else { ${upd.calls} } }`);
  out.push('function run(n, rst) { for (let i = 0; i < n; i++) { evalAll(); commit(rst); } }');
  d.slots.forEach((s, i) => {
    if (s.def.kind === 'const' && s.def.value !== 0n)
      out.push(`${storeRef(d.slots, layout, i)} = ${literal(s.def.value, s.width)};`);
  });
  out.push(`return { N, W, M: [${d.mems.map((_, i) => `M${i}`).join(', ')}], evalAll, commit, run };`);
  out.push(`//# sourceURL=mxgen-sim/${d.top}.js`);
  return { source: `${out.join('\n')}\n`, layout };
}
