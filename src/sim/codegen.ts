// Generates the straight-line JS of a flattened design. `evalAll` computes the combinational
// cells in levelized order and every register's next value (into `RX`/`RWX`); `commit(rst)`
// writes memories, applies reset values, and swaps the register buffers (non-blocking by
// construction). Code is split into functions of bounded size: V8 stops optimizing huge ones.
import type { FlatDesign, Slot } from './flatten.js';
import { commitStatements } from './commit.js';
import { layoutOf, nextRef, readRef, storeRef, type Layout } from './layout.js';
import { prelude, isWide, literal, lowerCell, tight, wordsIn, wordsOut, type Lowered, type Operand } from './repr.js';

export interface CodegenOptions {
  /** Statements per generated function (default 400). */
  readonly chunkSize?: number;
}

export interface GeneratedModel {
  readonly source: string;
  readonly layout: Layout;
}

export const DEFAULT_CHUNK = 400;

/** One evaluation step: a combinational slot, or the next value of register `reg`. */
type Item = { readonly slot: number } | { readonly reg: number };

function depsOfItem(d: FlatDesign, it: Item): number[] {
  if ('reg' in it) {
    const r = d.regs[it.reg];
    return r ? (r.en === undefined ? [r.d] : [r.d, r.en]) : [];
  }
  const def = (d.slots[it.slot] as Slot).def;
  return def.kind === 'cell' ? [...def.args] : def.kind === 'memRead' ? [def.addr] : [];
}

/**
 * Levelized slots with each register's next-value item placed right after its last
 * combinational operand (or after the first cell reading its operand), so `d` stays a local.
 */
function schedule(d: FlatDesign, order: readonly number[]): Item[] {
  const pos = new Int32Array(d.slots.length).fill(-1);
  const firstReader = new Int32Array(d.slots.length).fill(-1);
  order.forEach((s, i) => {
    pos[s] = i;
    for (const a of depsOfItem(d, { slot: s })) if (firstReader[a] === -1) firstReader[a] = i;
  });
  const after: number[][] = order.map(() => []);
  const first: number[] = [];
  d.regs.forEach((r, ri) => {
    const deps = r.en === undefined ? [r.d] : [r.d, r.en];
    let at = deps.reduce((m, s) => Math.max(m, pos[s] ?? -1), -Infinity);
    if (at < 0) at = deps.reduce((m, s) => Math.max(m, firstReader[s] ?? -1), -Infinity);
    if (at < 0) first.push(ri);
    else after[at]?.push(ri);
  });
  const items: Item[] = first.map((reg) => ({ reg }));
  order.forEach((slot, i) => {
    items.push({ slot });
    for (const reg of after[i] ?? []) items.push({ reg });
  });
  return items;
}

/** Slots whose value must be in storage: ports, named signals, memory write operands. */
function externallyRead(d: FlatDesign): Uint8Array {
  const ext = new Uint8Array(d.slots.length);
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

/** The evaluation statements, grouped into chunks; values stay in locals inside a chunk. */
function evalChunks(d: FlatDesign, items: readonly Item[], layout: Layout, size: number): string[][] {
  const { slots } = d;
  const chunkOf = new Int32Array(slots.length).fill(-1);
  items.forEach((it, i) => {
    if ('slot' in it) chunkOf[it.slot] = Math.floor(i / size);
  });
  const store = externallyRead(d);
  items.forEach((it, i) => {
    for (const a of depsOfItem(d, it)) if (chunkOf[a] !== -1 && chunkOf[a] !== Math.floor(i / size)) store[a] = 1;
  });
  const chunks: string[][] = [];
  /** Values available in the current chunk: slot -> what is known about its local. */
  let locals = new Map<number, { exact: boolean; sbits?: number }>();
  let cur: string[] = [];
  const operand = (slot: number): Operand => {
    const s = slots[slot] as Slot;
    if (s.def.kind === 'const') return { expr: literal(s.def.value, s.width), width: s.width, exact: true };
    let known = locals.get(slot);
    if (known === undefined) {
      cur.push(`const v${slot} = ${storeRef(layout, slot)};`);
      // A stored narrow value below 32 bits is in [0, 2^w): w + 1 signed bits.
      known = { exact: true, sbits: s.width < 32 ? s.width + 1 : undefined };
      locals.set(slot, known);
    }
    return { expr: `v${slot}`, width: s.width, ...known };
  };
  items.forEach((it, i) => {
    if (i % size === 0 && i > 0) {
      chunks.push(cur);
      cur = [];
      locals = new Map();
    }
    if ('reg' in it) {
      cur.push(regNext(d, layout, it.reg, operand));
      return;
    }
    const { slot } = it;
    const s = slots[slot] as Slot;
    const { expr, exact, sbits } = combExpr(d, s, operand);
    cur.push(`const v${slot} = ${expr};`);
    locals.set(slot, { exact, sbits: isWide(s.width) ? undefined : sbits });
    // A Uint32Array store keeps the low 32 bits, so a loose 32-bit value needs no `>>> 0`.
    const v: Operand = { expr: `v${slot}`, width: s.width, exact: exact || s.width === 32 };
    if (store[slot]) cur.push(`${storeRef(layout, slot)} = ${tight(v)};`);
  });
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

function combExpr(d: FlatDesign, s: Slot, operand: (slot: number) => Operand): Lowered {
  const def = s.def;
  if (def.kind === 'cell') return lowerCell(def.op, { w: s.width, args: def.args.map(operand), lo: def.lo, amount: def.amount });
  if (def.kind !== 'memRead') throw new Error(`sim: slot ${s.label} is not combinational`);
  const a = operand(def.addr);
  const depth = d.mems[def.mem]?.depth ?? 0;
  const t = tight(a);
  if (isWide(s.width)) {
    // Wide words: no bigint-valued conditional (see repr.ts); word `depth` is a padding 0n.
    const at = isWide(a.width) ? `Number(${t})` : t;
    return { expr: `M${def.mem}[Math.min(${at}, ${depth})]`, exact: true };
  }
  const expr = isWide(a.width)
    ? `(${t} < ${depth}n ? M${def.mem}[Number(${t})] : 0)`
    : `(${t} < ${depth} ? M${def.mem}[${t}] : 0)`;
  return { expr, exact: true };
}

/** `RX[k] = en ? d : R[k];` — the register's value after the next rising edge without reset. */
function regNext(d: FlatDesign, layout: Layout, ri: number, operand: (slot: number) => Operand): string {
  const r = d.regs[ri];
  if (!r) throw new Error(`sim: register ${ri} missing`);
  const dv = operand(r.d);
  const val = r.width === 32 ? dv.expr : tight(dv);
  if (r.en === undefined) return `${nextRef(layout, r.q)} = ${val};`;
  const en = operand(r.en);
  const sel = en.exact ? en.expr : `(${en.expr} & 1)`;
  // Wide: two stores rather than a bigint-valued conditional (see repr.ts).
  if (isWide(r.width)) return `if (${sel}) ${nextRef(layout, r.q)} = ${val}; else ${nextRef(layout, r.q)} = ${storeRef(layout, r.q)};`;
  return `${nextRef(layout, r.q)} = ${sel} ? ${val} : ${storeRef(layout, r.q)};`;
}

function chunked(prefix: string, stmts: readonly string[], size: number, params = ''): { defs: string[]; calls: string } {
  const defs: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < stmts.length; i += size) {
    const name = `${prefix}${names.length}`;
    names.push(name);
    defs.push(`function ${name}(${params}) {\n  ${stmts.slice(i, i + size).join('\n  ')}\n}`);
  }
  return { defs, calls: names.map((n) => `${n}(${params});`).join(' ') };
}

export function generate(d: FlatDesign, order: readonly number[], opts: CodegenOptions = {}): GeneratedModel {
  const size = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK);
  const layout = layoutOf(d.slots);
  const { N, W, R, RW } = layout.counts;
  const out: string[] = [
    '"use strict";',
    `// mxgen native simulator model of ${d.top}: ${d.slots.length} slots, ${order.length} combinational, ${d.regs.length} registers, ${d.mems.length} memories`,
    `const N = new Uint32Array(${N});`,
    `const W = new Array(${W}).fill(0n);`,
    `const R = new Uint32Array(${R}), RX = new Uint32Array(${R});`,
    `const RW = new Array(${RW}).fill(0n), RWX = new Array(${RW}).fill(0n);`,
  ];
  d.mems.forEach((m, i) =>
    // Wide memories have one more word, always 0n, read for addresses >= depth.
    out.push(isWide(m.width) ? `const M${i} = new Array(${m.depth + 1}).fill(0n);` : `const M${i} = new Uint32Array(${m.depth});`),
  );
  out.push(prelude(d.slots.reduce((m, s) => Math.max(m, s.width), 0)));
  const ev: string[] = [];
  evalChunks(d, schedule(d, order), layout, size).forEach((stmts, i) => {
    ev.push(`e${i}`);
    out.push(`function e${i}() {\n  ${stmts.join('\n  ')}\n}`);
  });
  out.push(`function evalAll() { ${ev.map((n) => `${n}();`).join(' ')} }`);
  const c = commitStatements(d, layout);
  const upd = chunked('c', c.update, size);
  const rst = chunked('r', c.reset, size);
  for (const line of [upd.defs, rst.defs].flat()) out.push(line);
  out.push(
    `function commit(rst) { if (rst) { ${rst.calls} } else { ${upd.calls} } R.set(RX);${RW > 0 ? ` for (let i = 0; i < ${RW}; i++) RW[i] = RWX[i];` : ''} }`,
  );
  out.push(
    `function clearState() { R.fill(0); RX.fill(0); RW.fill(0n); RWX.fill(0n);${d.mems.map((m, i) => ` M${i}.fill(${isWide(m.width) ? '0n' : '0'});`).join('')} }`,
  );
  out.push('function run(n, rst) { for (let i = 0; i < n; i++) { evalAll(); commit(rst); } }');
  out.push(vectorRunner(d, layout, size));
  out.push(wordRunner(d, layout, size));
  d.slots.forEach((s, i) => {
    if (s.def.kind === 'const' && s.def.value !== 0n) out.push(`${storeRef(layout, i)} = ${literal(s.def.value, s.width)};`);
  });
  out.push(
    `return { N, W, get R() { return R; }, get RW() { return RW; }, M: [${d.mems.map((_, i) => `M${i}`).join(', ')}], evalAll, commit, run, runVectors, runWords, clearState };`,
  );
  out.push(`//# sourceURL=mxgen-sim/${d.top}.js`);
  return { source: `${out.join('\n')}\n`, layout };
}

/**
 * `runVectors(I, O, n, rst)`: n cycles reading one word per narrow input from `I` (port order,
 * masked to the width) and, when `O` is not empty, writing one word per narrow output to `O`
 * after evaluation: a harness loop without per-port calls.
 */
function vectorRunner(d: FlatDesign, layout: Layout, size: number): string {
  const ins = d.ports.filter((p) => p.dir === 'in' && !isWide(p.width));
  const outs = d.ports.filter((p) => p.dir === 'out' && !isWide(p.width));
  const set = ins.map((p, k) => `${storeRef(layout, p.slot)} = I[i + ${k}]${p.width < 32 ? ` & ${2 ** p.width - 1}` : ''};`);
  const get = outs.map((p, k) => `O[o + ${k}] = ${readRef(d.slots, layout, p.slot)};`);
  const vi = chunked('vi', set, size, 'I, i');
  const vo = chunked('vo', get, size, 'O, o');
  return [
    ...vi.defs,
    ...vo.defs,
    'function runVectors(I, O, n, rst) {',
    '  const record = O.length > 0;',
    `  for (let c = 0, i = 0, o = 0; c < n; c++, i += ${ins.length}, o += ${outs.length}) {`,
    `    ${vi.calls}`,
    '    evalAll();',
    `    if (record) { ${vo.calls} }`,
    '    commit(rst);',
    '  }',
    '}',
  ].join('\n');
}

/**
 * `runWords(I, O, n)`: n cycles from the co-simulation harness's stimulus words: per cycle one
 * word for rst, then every input port in port order, ceil(width / 32) words each (least
 * significant first, masked to the width). When `O` is not empty, every output port's words of
 * the last cycle (same packing) are written to it after that cycle's evaluation; with `every`,
 * those of every cycle, one after the other.
 */
function wordRunner(d: FlatDesign, layout: Layout, size: number): string {
  const set: string[] = [];
  let k = 1;
  for (const p of d.ports.filter((q) => q.dir === 'in')) {
    set.push(wordsIn(storeRef(layout, p.slot), p.width, (j) => `I[i + ${k + j}]`));
    k += Math.ceil(p.width / 32);
  }
  const per = k;
  const get: string[] = [];
  k = 0;
  for (const p of d.ports.filter((q) => q.dir === 'out')) {
    get.push(...wordsOut(readRef(d.slots, layout, p.slot), p.width, (j) => `O[o + ${k + j}]`));
    k += Math.ceil(p.width / 32);
  }
  const wi = chunked('wi', set, size, 'I, i');
  const outWords = k;
  const wo = chunked('wo', get, size, 'O, o');
  return [
    ...wi.defs,
    ...wo.defs,
    'function runWords(I, O, n, every) {',
    '  const last = O.length > 0 ? n - 1 : -1;',
    `  for (let c = 0, i = 0, o = 0; c < n; c++, i += ${per}) {`,
    `    ${wi.calls}`,
    '    evalAll();',
    `    if (every) { ${wo.calls} o += ${outWords}; } else if (c === last) { ${wo.calls} }`,
    '    commit(I[i] & 1);',
    '  }',
    '}',
  ].join('\n');
}
