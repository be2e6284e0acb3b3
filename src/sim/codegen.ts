// Generates the straight-line JS of a flattened design. `evalAll` computes the combinational
// cells in levelized order and every register's next value (into `RX`/`RWX`); `commit(rst)`
// writes memories, applies reset values, and swaps the register buffers (non-blocking by
// construction). Code is split into functions of bounded size: V8 stops optimizing huge ones.
import type { CellOp } from '../hdl/index.js';
import type { FlatDesign, Slot } from './flatten.js';
import { commitStatements } from './commit.js';
import { observedSlots } from './optimize.js';
import {
  layoutOf,
  nextRef,
  nextWordRefs,
  readRef,
  readWords,
  storeRef,
  wordRefs,
  type Layout,
} from './layout.js';
import { prelude, isWide, literal, lowerCell, tight, type Lowered, type Operand } from './repr.js';
import {
  amountExpr,
  literalWords,
  lowerWideCell,
  widePrelude,
  wordsOf,
  type AnyOperand,
  type WideCtx,
  type WideLowered,
} from './wide.js';
import { internalError } from '../hdl/index.js';

export interface CodegenOptions {
  /** Statements per generated function (default 400). */
  readonly chunkSize?: number;
  /**
   * Size of the plain form's functions in tokens of generated code (default PLAIN_TOKENS): the
   * plain form evaluates every chunk anyway, so it is cut only where V8 needs it (its optimizing
   * compiler skips functions over 60 KB of bytecode), not by `chunkSize`.
   */
  readonly plainTokens?: number;
  /**
   * Tokens of a register's cone under its enable above which it is split into functions of
   * `plainTokens` each (default CONE_TOKENS_MAX; small values in the property tests split every
   * cone, at every kind of value).
   */
  readonly coneTokens?: number;
  /**
   * Chunk skipping forced on or off; default: a design of at least ACTIVITY_MIN_CHUNKS chunks gets
   * both forms and the simulator picks the faster one at run time.
   */
  readonly activity?: boolean;
  /**
   * Narrow registers whose readers all come before their next value is computed are updated in
   * place (`R[k] = d` during evaluation, no `RX` copy at the edge); default true. The simulator
   * keeps the state before the evaluation in `RB` for reads and re-evaluations within a cycle.
   * false: every register through `RX` (the typed model of `--emit-ts`, which may evaluate a
   * cycle twice).
   */
  readonly inPlace?: boolean;
}

export interface GeneratedModel {
  /** The model (the plain form when there are two). */
  readonly source: string;
  /** The form that skips unchanged chunks, when the simulator chooses between two at run time. */
  readonly trackedSource?: string;
  readonly layout: Layout;
}

export const DEFAULT_CHUNK = 400;
/**
 * Tokens per function of the plain form. V8 11.3 does not optimize a function over 61 440 bytes
 * of bytecode (--max-optimized-bytecode-size; such a function runs ~50x slower). The generated
 * code measured 1.6-1.9 bytes of bytecode per token on mlp-int8, mx-blocks, fp8-olive8 and
 * default, and 2.2 on 1024-bit register code (word loads and stores; large functions also need
 * wide operands for their many registers and feedback slots); test/unit/sim/chunks.test.ts
 * checks real bytecode sizes. Larger functions ran no faster than 8 000 tokens (mlp-int8, default,
 * fp8-olive8 1.0-1.2x faster than the tracked form's 400-statement chunks at 8 000 or 23 000
 * tokens, within the noise of each other) but take TurboFan much longer to compile (mlp-int8 6 s
 * at 23 000 tokens, 2.1 s at 8 000, 2.7 s with the 400-statement chunks, on the loaded machine),
 * which a short run such as `mxgen run`'s stream pays.
 */
export const PLAIN_TOKENS = 8_000;
/**
 * Chunks a design needs before evaluation skips the chunks whose inputs did not change: with few
 * chunks nearly all of them are active every cycle and the change checks only cost time.
 */
export const ACTIVITY_MIN_CHUNKS = 8;

/**
 * Tokens of generated code above which a register's cone under its enable is split into
 * functions of its own (one item cannot be cut between chunks; at 2-2.5 bytes of bytecode per
 * token, ~24 000 tokens reach V8's limit of 61 440 bytes, above which a function is never
 * optimized).
 */
export const CONE_TOKENS_MAX = 16_000;

/** One evaluation step: a combinational slot, or the next value of register `reg`. */
type Item = { readonly slot: number } | { readonly reg: number; readonly cone?: readonly number[] };

function depsOfItem(d: FlatDesign, it: Item): number[] {
  if ('reg' in it) {
    const r = d.regs[it.reg];
    if (!r) return [];
    if (!it.cone) return r.en === undefined ? [r.d] : [r.d, r.en];
    // A guarded register reads what its cone reads from outside, and its enable.
    const inCone = new Set(it.cone);
    const deps = new Set<number>();
    for (const c of it.cone) for (const a of depsOfItem(d, { slot: c })) if (!inCone.has(a)) deps.add(a);
    if (r.en !== undefined) deps.add(r.en);
    return [...deps];
  }
  const def = (d.slots[it.slot] as Slot).def;
  return def.kind === 'cell' ? [...def.args] : def.kind === 'memRead' ? [def.addr] : def.kind === 'table' ? [def.index] : def.kind === 'prio' ? [def.src] : [];
}

/**
 * Levelized slots with each register's next-value item placed right after its last
 * combinational operand (or after the first cell reading its operand), so `d` stays a local.
 */
function schedule(
  d: FlatDesign,
  order: readonly number[],
  cones: ReadonlyMap<number, readonly number[]>,
  late = false,
): Item[] {
  const pos = new Int32Array(d.slots.length).fill(-1);
  const firstReader = new Int32Array(d.slots.length).fill(-1);
  const lastReader = new Int32Array(d.slots.length).fill(-1);
  order.forEach((s, i) => {
    pos[s] = i;
    for (const a of depsOfItem(d, { slot: s })) {
      if (firstReader[a] === -1) firstReader[a] = i;
      lastReader[a] = i;
    }
  });
  const after: Item[][] = order.map(() => []);
  const first: Item[] = [];
  const regItems: Item[] = d.regs.map((_r, ri) => {
    const cone = cones.get(ri);
    return cone ? { reg: ri, cone } : { reg: ri };
  });
  const at = regItems.map((item) => {
    const deps = depsOfItem(d, item);
    let a = deps.reduce((m, s) => Math.max(m, pos[s] ?? -1), -Infinity);
    if (a < 0) a = deps.reduce((m, s) => Math.max(m, firstReader[s] ?? -1), -Infinity);
    return a;
  });
  if (late) delayRegs(d, regItems, at, lastReader);
  regItems.forEach((item, ri) => {
    const a = at[ri] as number;
    if (a < 0) first.push(item);
    else after[a]?.push(item);
  });
  if (late) for (let i = 0; i < after.length; i++) after[i] = readersFirst(d, after[i] as Item[]);
  // Registers read by no combinational slot (delay lines: r1 <= r0, r2 <= r1, ...) come first;
  // ordered readers first too, they are updated in place instead of through RX.
  const items: Item[] = late ? readersFirst(d, first) : [...first];
  order.forEach((slot, i) => {
    items.push({ slot });
    items.push(...(after[i] ?? []));
  });
  return items;
}

/**
 * Registers that could be updated in place (narrow, not read at the edge or after evaluation)
 * move after their last reader (combinational slots, and other registers' next values, to a
 * fixed point): Verilator's order-based commit. Without it a register computed right after its
 * operands (to keep `d` a local) is usually read later (default's input bank by the decoders).
 */
function delayRegs(d: FlatDesign, regItems: readonly Item[], at: number[], lastReader: Int32Array): void {
  const outside = edgeReads(d);
  const movable = d.regs.map((r) => wordsOf(r.width) <= IN_PLACE_WORDS && !outside[r.q]);
  const regReaders = new Map<number, number[]>();
  regItems.forEach((it, rj) => {
    for (const a of depsOfItem(d, it)) {
      const list = regReaders.get(a);
      if (list) list.push(rj);
      else regReaders.set(a, [rj]);
    }
  });
  d.regs.forEach((r, ri) => {
    if (movable[ri]) at[ri] = Math.max(at[ri] as number, lastReader[r.q] as number);
  });
  for (let round = 0, changed = true; changed && round < 64; round++) {
    changed = false;
    d.regs.forEach((r, ri) => {
      if (!movable[ri]) return;
      for (const rj of regReaders.get(r.q) ?? [])
        if (rj !== ri && (at[rj] as number) > (at[ri] as number)) {
          at[ri] = at[rj] as number;
          changed = true;
        }
    });
  }
}

/** Register items of one place ordered so that a register's readers come before it (cycles: as given). */
function readersFirst(d: FlatDesign, items: Item[]): Item[] {
  if (items.length < 2) return items;
  const qOf = new Map<number, number>();
  items.forEach((it, i) => {
    if ('reg' in it) qOf.set((d.regs[it.reg] as FlatDesign['regs'][number]).q, i);
  });
  // before[i]: items that must precede item i (those reading its q).
  const before: number[][] = items.map(() => []);
  items.forEach((it, j) => {
    for (const a of depsOfItem(d, it)) {
      const i = qOf.get(a);
      if (i !== undefined && i !== j) before[i]?.push(j);
    }
  });
  // Depth-first, readers before the register (post-order), with an explicit stack: a delay line
  // of 150 000 registers is a chain that deep (test/regressions/emit-huge-module.test.ts).
  const state = new Uint8Array(items.length);
  const out: Item[] = [];
  const stack: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < items.length; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    stack.push(root);
    next.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const i = stack[top] as number;
      const b = before[i] ?? [];
      const k = next[top] as number;
      if (k < b.length) {
        next[top] = k + 1;
        const j = b[k] as number;
        if (state[j] === 0) {
          state[j] = 1;
          stack.push(j);
          next.push(0);
        }
        continue;
      }
      stack.pop();
      next.pop();
      state[i] = 2;
      out.push(items[i] as Item);
    }
  }
  return out;
}

/** Slots read outside the evaluation: output ports (sampled after it), memory write operands. */
function edgeReads(d: FlatDesign): Uint8Array {
  const outside = new Uint8Array(d.slots.length);
  for (const p of d.ports) if (p.dir === 'out') outside[p.slot] = 1;
  for (const m of d.mems)
    for (const w of m.writes) {
      outside[w.addr] = 1;
      outside[w.data] = 1;
      outside[w.en] = 1;
    }
  return outside;
}

/**
 * Enabled registers' exclusive cones: the combinational slots read only (transitively) by the
 * register's `d` and by nothing else (no port, named signal, memory operand or other reader).
 * They are computed inside `if (en)`, so a wide next value that is rarely taken (an output
 * vector collected group by group, a token held while a unit runs) costs nothing on the other
 * cycles. Returns register -> cone slots in evaluation order.
 */
function guardedCones(
  d: FlatDesign,
  order: readonly number[],
  ext: Uint8Array,
): Map<number, number[]> {
  const pos = new Int32Array(d.slots.length).fill(-1);
  order.forEach((s, i) => (pos[s] = i));
  const uses = new Int32Array(d.slots.length);
  for (const s of order) for (const a of depsOfItem(d, { slot: s })) uses[a]++;
  for (const r of d.regs) {
    uses[r.d]++;
    if (r.en !== undefined) uses[r.en]++;
  }
  const cones = new Map<number, number[]>();
  d.regs.forEach((r, ri) => {
    if (r.en === undefined || pos[r.d] === -1 || ext[r.d] || uses[r.d] !== 1) return;
    const cone = [r.d];
    const seen = new Map<number, number>();
    for (let q = 0; q < cone.length; q++)
      for (const a of depsOfItem(d, { slot: cone[q] as number })) {
        if (pos[a] === -1 || ext[a]) continue;
        const n = (seen.get(a) ?? 0) + 1;
        seen.set(a, n);
        if (n === uses[a]) cone.push(a);
      }
    cones.set(
      ri,
      cone.sort((a, b) => (pos[a] as number) - (pos[b] as number)),
    );
  });
  return cones;
}


/**
 * Dynamic part-selects: a wide `shrUV` read only through slices (and not visible outside: no
 * port, named signal or memory operand) computes only the words its slices read, extracted
 * straight from the shifted operand. (`x[i*w +: w]` of a long vector is one such shift and
 * slice: the full shift costs a pass over every word of x per cycle, the extraction a few
 * words.) Returns shift slot -> [first word, end word) that its slices read.
 */
function partialShifts(d: FlatDesign, ext: Uint8Array, order: readonly number[]): Map<number, [number, number]> {
  const nonSlice = new Uint8Array(d.slots.length);
  const range = new Map<number, [number, number]>();
  for (const i of order) {
    const s = d.slots[i] as Slot;
    if (s.def.kind === 'memRead') nonSlice[s.def.addr] = 1;
    if (s.def.kind === 'table') nonSlice[s.def.index] = 1;
    if (s.def.kind === 'prio') nonSlice[s.def.src] = 1;
    if (s.def.kind !== 'cell') continue;
    if (s.def.op !== 'slice') {
      for (const a of s.def.args) nonSlice[a] = 1;
      continue;
    }
    const a = s.def.args[0] as number;
    const lo = (s.def.lo ?? 0) >> 5;
    const hi = ((s.def.lo ?? 0) + s.width + 31) >> 5;
    const r = range.get(a);
    range.set(a, r ? [Math.min(r[0], lo), Math.max(r[1], hi)] : [lo, hi]);
  }
  for (const r of d.regs) {
    nonSlice[r.d] = 1;
    if (r.en !== undefined) nonSlice[r.en] = 1;
  }
  const out = new Map<number, [number, number]>();
  for (const [sh, r] of range) {
    const def = (d.slots[sh] as Slot).def;
    if (def.kind !== 'cell' || def.op !== 'shrUV' || ext[sh] || nonSlice[sh]) continue;
    if (!isWide((d.slots[sh] as Slot).width) || r[1] - r[0] >= wordsOf((d.slots[sh] as Slot).width)) continue;
    out.set(sh, r);
  }
  return out;
}

/**
 * Widest register updated in place, in 32-bit words (its change test compares every word; the
 * long shift and collect registers of the real-size layers stay double-buffered).
 */
const IN_PLACE_WORDS = 8;

/**
 * Registers updated in place (Verilator's order-based commit): a narrow register whose every
 * reader (combinational slots, other registers' next values and cones) is evaluated before its
 * own next value, and that nothing outside the evaluation reads (an output port sampled after
 * evaluation, a memory write port at the edge). Writing `R[k]` there leaves the value every
 * reader saw unchanged, and the edge copies only the other registers. Returns register indices.
 */
export function inPlaceRegs(d: FlatDesign, items: readonly Item[]): Set<number> {
  const lastRead = new Int32Array(d.slots.length).fill(-1);
  const regAt = new Int32Array(d.regs.length).fill(-1);
  items.forEach((it, i) => {
    if ('reg' in it) regAt[it.reg] = i;
    for (const a of depsOfItem(d, it)) lastRead[a] = i;
  });
  const outside = edgeReads(d);
  const out = new Set<number>();
  d.regs.forEach((r, ri) => {
    const at = regAt[ri] as number;
    // Its own item reads q only for `en ? d : q`, before the write.
    if (at < 0 || wordsOf(r.width) > IN_PLACE_WORDS || outside[r.q] || (lastRead[r.q] as number) > at) return;
    out.add(ri);
  });
  return out;
}

/** Rough statement count of an item, so chunks of wide logic stay small enough to optimize. */
function costOf(d: FlatDesign, it: Item): number {
  if ('reg' in it)
    return wordsOf(d.regs[it.reg]?.width ?? 1) + (it.cone ?? []).reduce((a, slot) => a + costOf(d, { slot }), 0);
  const s = d.slots[it.slot] as Slot;
  if (!isWide(s.width)) return 1;
  const n = wordsOf(s.width);
  return s.def.kind === 'cell' && s.def.op === 'mul' ? 4 * n * n : 2 * n;
}

/** Local value of a slot inside a chunk: a narrow expression's facts or a wide value's words. */
type Known = { exact: boolean; sbits?: number; words?: readonly string[] };

/**
 * A chunk's locals, remembering the order they were declared in: a register's cone inside
 * `if (en)` declares locals that must be forgotten after it (`forget(mark())`), in time
 * proportional to what the cone declared (a copy of every key per register was quadratic: 9 %
 * of a KV-cache block's `mxgen run`).
 */
class Locals extends Map<number, Known> {
  private readonly order: number[] = [];
  override set(slot: number, k: Known): this {
    if (!this.has(slot)) this.order.push(slot);
    return super.set(slot, k);
  }
  mark(): number {
    return this.order.length;
  }
  forget(mark: number): void {
    while (this.order.length > mark) this.delete(this.order.pop() as number);
  }
}

/**
 * Activity of the chunks: which chunks read each slot from storage (inputs, register outputs,
 * values of earlier chunks) and each memory. A chunk runs only when one of those changed since it
 * last ran (flag `D[chunk]`); its outputs then keep their values, as its inputs did.
 */
interface Activity {
  /** Whether the chunks skip (this form stores changed values only and sets wake flags). */
  readonly track: boolean;
  readonly chunks: number;
  readonly readers: ReadonlyMap<number, ReadonlySet<number>>;
  readonly memReaders: ReadonlyMap<number, ReadonlySet<number>>;
}

const addTo = <K,>(m: Map<K, Set<number>>, k: K, c: number): void => {
  let set = m.get(k);
  if (!set) m.set(k, (set = new Set()));
  set.add(c);
};

/** Registers whose cone is split into functions of its own, and their size in tokens. */
interface SplitCones {
  readonly regs: ReadonlySet<number>;
  readonly tokens: number;
}

/** One form's evaluation: its chunks, the functions of its split cones, its activity. */
interface EvalForm {
  readonly chunks: string[][];
  readonly helpers: readonly string[];
  readonly activity: Activity;
  readonly inPlace: ReadonlySet<number>;
}

/** The evaluation statements, grouped into chunks; values stay in locals inside a chunk. */
function evalChunks(
  d: FlatDesign,
  items: readonly Item[],
  layout: Layout,
  chunkAt: Int32Array,
  partial: ReadonlyMap<number, readonly [number, number]>,
  track: boolean,
  inPlace: ReadonlySet<number>,
  itemTokens?: Float64Array,
  split: SplitCones = { regs: new Set(), tokens: PLAIN_TOKENS },
): EvalForm {
  const { slots } = d;
  const chunkOf = new Int32Array(slots.length).fill(-1);
  items.forEach((it, i) => {
    if ('slot' in it) chunkOf[it.slot] = chunkAt[i] as number;
  });
  const store = observedSlots(d);
  const readers = new Map<number, Set<number>>();
  const memReaders = new Map<number, Set<number>>();
  items.forEach((it, i) => {
    const c = chunkAt[i] as number;
    const deps = depsOfItem(d, it);
    if ('reg' in it) {
      const r = d.regs[it.reg];
      if (r && r.en !== undefined) deps.push(r.q);
      for (const sl of it.cone ?? []) {
        const def = (slots[sl] as Slot).def;
        if (def.kind === 'memRead' && track) addTo(memReaders, def.mem, c);
      }
    } else {
      const def = (slots[it.slot] as Slot).def;
      if (def.kind === 'memRead' && track) addTo(memReaders, def.mem, c);
    }
    for (const a of deps) {
      if (chunkOf[a] !== -1 && chunkOf[a] !== c) store[a] = 1;
      if (track && chunkOf[a] !== c && (slots[a] as Slot).def.kind !== 'const') addTo(readers, a, c);
    }
    // A split cone's functions read what its slots read from outside from storage (its enable
    // only when a slot reads it: the item itself tests it, in its chunk).
    if ('reg' in it && split.regs.has(it.reg))
      for (const sl of it.cone ?? []) for (const a of depsOfItem(d, { slot: sl })) if (chunkOf[a] !== -1) store[a] = 1;
  });
  const chunks: string[][] = [];
  const helpers: string[] = [];
  /**
   * A register's next value was just written: when it differs from the current value, its
   * reading chunks run at the next evaluation (`DN`, merged into `D` by the rising edge). Only a
   * chunk that runs can change a next value (`RX` equals `R` after every edge), so registers of
   * skipped chunks and of disabled enables cost nothing.
   */
  const wakeSet = (ri: number): string => {
    const r = d.regs[ri];
    const cs = track && r ? [...(readers.get(r.q) ?? [])].sort((a, b) => a - b) : [];
    return cs.map((c) => `DN[${c}] = 1;`).join(' ');
  };
  const wakeOf = (ri: number): string => {
    const r = d.regs[ri];
    const set = wakeSet(ri);
    if (!r || set === '') return '';
    if (!isWide(r.width)) return `if (${nextRef(layout, r.q)} !== ${storeRef(layout, r.q)}) { ${set} }`;
    const refs = wordRefs(layout, r.q, r.width);
    const next = nextWordRefs(layout, r.q, r.width);
    if (refs.length <= 8) return `if (${refs.map((ref, j) => `${next[j] ?? ''} !== ${ref}`).join(' || ')}) { ${set} }`;
    const i = layout.index[r.q] ?? 0;
    return `if (dW(RW, RWX, ${i}, ${i + refs.length})) { ${set} }`;
  };
  /** Values available in the current chunk: slot -> what is known about its local. */
  let locals = new Locals();
  let cur: string[] = [];
  const operand = (slot: number): AnyOperand => {
    const s = slots[slot] as Slot;
    if (s.def.kind === 'const')
      return isWide(s.width)
        ? { expr: '', width: s.width, exact: true, words: literalWords(s.def.value, s.width) }
        : { expr: literal(s.def.value, s.width), width: s.width, exact: true };
    let known = locals.get(slot);
    if (known === undefined) {
      if (isWide(s.width)) {
        // A partial shift's words outside the part its slices read are 0 (never stored).
        const live = partial.get(slot);
        const words = wordRefs(layout, slot, s.width).map((ref, j) => {
          if (live && (j < live[0] || j >= live[1])) return '0';
          cur.push(`const v${slot}_${j} = ${ref};`);
          return `v${slot}_${j}`;
        });
        known = { exact: true, words };
      } else {
        cur.push(`const v${slot} = ${storeRef(layout, slot)};`);
        // A stored narrow value below 32 bits is in [0, 2^w): w + 1 signed bits.
        known = { exact: true, sbits: s.width < 32 ? s.width + 1 : undefined };
      }
      locals.set(slot, known);
    }
    return { expr: `v${slot}`, width: s.width, ...known };
  };
  /** A slot's statements; its value becomes a local (a narrow one as `const v<slot>`). */
  const lowerSlot = (slot: number): WideLowered => {
    const part = partial.get(slot);
    const r = part ? partialShift(d, layout, slot, part, operand, locals) : combValue(d, slot, operand);
    if ('words' in r) {
      locals.set(slot, { exact: true, words: r.words });
      return r;
    }
    const { expr, exact, sbits } = r.narrow;
    locals.set(slot, { exact, sbits });
    return { stmts: [...r.stmts, `const v${slot} = ${expr};`], narrow: { expr: `v${slot}`, exact, sbits } };
  };
  items.forEach((it, i) => {
    if (i > 0 && chunkAt[i] !== chunkAt[i - 1]) {
      chunks.push(cur);
      cur = [];
      locals = new Locals();
    }
    const start = cur.length;
    if (itemTokens) itemTokens[i] = tokensOf(cur, start, () => item(it));
    else item(it);
  });
  if (cur.length > 0) chunks.push(cur);
  return { chunks, helpers, activity: { track, chunks: chunks.length, readers, memReaders }, inPlace };
  /** Stores a lowered slot's value (a partial shift: only the words its slices read). */
  function storeOf(slot: number, r: WideLowered, wake: string): string {
    const s = slots[slot] as Slot;
    if ('words' in r) {
      const live = partial.get(slot);
      const pairs = wordRefs(layout, slot, s.width)
        .map((ref, j): [string, string] => [ref, r.words[j] ?? '0'])
        .filter((_p, j) => !live || (j >= live[0] && j < live[1]));
      const set = pairs.map(([ref, w]) => `${ref} = ${w};`).join(' ');
      if (wake === '') return set;
      return `if ((${pairs.map(([ref, w]) => `(${ref} ^ ${w})`).join(' | ')}) !== 0) { ${set} ${wake} }`;
    }
    // A Uint32Array store keeps the low 32 bits, so a loose 32-bit value needs no `>>> 0`.
    const v: Operand = { expr: `v${slot}`, width: s.width, exact: r.narrow.exact || s.width === 32 };
    const ref = storeRef(layout, slot);
    if (wake === '') return `${ref} = ${tight(v)};`;
    return `if ((${ref} ^ ${tight(v)}) !== 0) { ${ref} = ${tight(v)}; ${wake} }`;
  }
  /**
   * A guarded register's cone and its next value, appended to `cur` (a collector's slice and
   * concatenation as one `siW`); `before` and `after` see each slot lowered.
   */
  function coneWrite(
    r: FlatDesign['regs'][number],
    cone: readonly number[],
    before?: (slot: number) => void,
    after?: (slot: number, l: WideLowered) => void,
  ): void {
    const shiftIn = shiftInOf(d, r, cone);
    for (const slot of cone) {
      if (shiftIn && (slot === r.d || slot === shiftIn.slice)) continue;
      before?.(slot);
      const l = lowerSlot(slot);
      cur.push(...l.stmts);
      after?.(slot, l);
    }
    if (shiftIn) {
      const x = operand(shiftIn.x);
      const k = (slots[shiftIn.x] as Slot).width;
      cur.push(`siW(${layout.index[r.q] ?? 0}, ${wordsOf(r.width)}, ${k}, ${r.width - k}, ${tight(x)});`);
    } else if (isWide(r.width)) {
      const dv = operand(r.d);
      const words = dv.words ?? [];
      cur.push(nextWordRefs(layout, r.q, r.width).map((ref, j) => `${ref} = ${words[j] ?? '0'};`).join(' '));
    } else {
      const dv = operand(r.d);
      cur.push(`${nextRef(layout, r.q)} = ${r.width === 32 ? dv.expr : tight(dv)};`);
    }
  }
  /**
   * A cone too large for one function that V8 optimizes: its slots in functions of about
   * `split.tokens` tokens each (`g<reg>_<k>`; a value that a later one reads goes through its
   * storage), all called inside the register's `if (en)`. The write goes with the last slot,
   * which is `d` itself (a collector's: the value it shifts in), so no value crosses to it.
   * Returns the functions' names.
   */
  function splitCone(ri: number, cone: readonly number[]): string[] {
    const r = d.regs[ri] as FlatDesign['regs'][number];
    const outerCur = cur;
    const outerLocals = locals;
    // Tokens of each slot (the last one's with the write), lowered in one run; the parts reload a
    // few values more.
    const measured: string[] = [];
    cur = measured;
    locals = new Locals();
    const index = new Map<number, number>();
    const marks: number[] = [];
    coneWrite(r, cone, (slot) => {
      index.set(slot, marks.length);
      marks.push(measured.length);
    });
    marks.push(measured.length);
    const partAt = cutBy(
      marks.slice(1).map((e, i) => countTokens(measured, marks[i] as number, e)),
      split.tokens,
    );
    const partOf = (slot: number): number => partAt[index.get(slot) as number] as number;
    const need = new Set<number>();
    for (const slot of index.keys())
      for (const a of depsOfItem(d, { slot })) if (index.has(a) && partOf(a) < partOf(slot)) need.add(a);
    const names: string[] = [];
    let part = -1;
    const flush = (): void => {
      helpers.push(`function g${ri}_${part}() {\n  ${cur.join('\n  ')}\n}`);
    };
    const open = (p: number): void => {
      if (p === part) return;
      if (part >= 0) flush();
      part = p;
      names.push(`g${ri}_${p}`);
      cur = [];
      locals = new Locals();
    };
    // Part 0 also holds the write of a collector whose cone is only its slice and concatenation.
    open(0);
    coneWrite(
      r,
      cone,
      (slot) => open(partOf(slot)),
      (slot, l) => {
        if (need.has(slot)) cur.push(storeOf(slot, l, ''));
      },
    );
    flush();
    cur = outerCur;
    locals = outerLocals;
    return names;
  }
  function item(it: Item): void {
    if ('reg' in it && it.cone && split.regs.has(it.reg)) {
      const r = d.regs[it.reg] as FlatDesign['regs'][number];
      const en = operand(r.en as number);
      const calls = splitCone(it.reg, it.cone).map((n) => `${n}();`);
      const wake = wakeOf(it.reg);
      cur.push(`if (${en.exact ? en.expr : `(${en.expr} & 1)`}) { ${calls.join(' ')}${wake === '' ? '' : ` ${wake}`} } else { ${keepNext(layout, r.q, r.width)} }`);
      return;
    }
    if ('reg' in it && inPlace.has(it.reg)) {
      regInPlace(d, layout, it, operand, lowerSlot, locals, wakeSet(it.reg), (x) => cur.push(x));
      return;
    }
    if ('reg' in it) {
      if (!it.cone) {
        cur.push(...regNext(d, layout, it.reg, operand, wakeOf(it.reg)));
        return;
      }
      // The cone runs inside `if (en)`; the locals it declares there are forgotten after it.
      const r = d.regs[it.reg] as FlatDesign['regs'][number];
      const en = operand(r.en as number);
      const outer = locals.mark();
      cur.push(`if (${en.exact ? en.expr : `(${en.expr} & 1)`}) {`);
      coneWrite(r, it.cone);
      const wake = wakeOf(it.reg);
      if (wake !== '') cur.push(wake);
      cur.push(`} else { ${keepNext(layout, r.q, r.width)} }`);
      locals.forget(outer);
      return;
    }
    const { slot } = it;
    const r = lowerSlot(slot);
    cur.push(...r.stmts);
    // A value other chunks read is stored only when it changed, and then wakes those chunks.
    if (!store[slot]) return;
    cur.push(storeOf(slot, r, [...(readers.get(slot) ?? [])].map((c) => `D[${c}] = 1;`).join(' ')));
  }
}

/** Words from which a collector's next value is one loop (`siW`) instead of straight-line code. */
export const SHIFT_IN_MIN_WORDS = 16;

/**
 * A long enabled register that shifts a narrow value in at the top, `q <= {x, q[w-1:k]}` (an
 * output vector collected element by element): its slice and concatenation in the register's
 * cone are the prelude's `siW` loop over the words, not one statement per word. (Straight-line,
 * the 24 576-bit collector of ffn-gpt2's fc1 made a function of 66 KB of bytecode, which V8
 * never optimizes: a third of that design's run.)
 */
function shiftInOf(
  d: FlatDesign,
  r: FlatDesign['regs'][number],
  cone: readonly number[],
): { slice: number; x: number } | undefined {
  if (wordsOf(r.width) < SHIFT_IN_MIN_WORDS) return undefined;
  const cat = (d.slots[r.d] as Slot).def;
  if (cat.kind !== 'cell' || cat.op !== 'concat' || cat.args.length !== 2) return undefined;
  const [x, sl] = cat.args as [number, number];
  const k = (d.slots[x] as Slot).width;
  const sd = (d.slots[sl] as Slot).def;
  if (isWide(k) || sd.kind !== 'cell' || sd.op !== 'slice' || sd.args[0] !== r.q || sd.lo !== k) return undefined;
  if ((d.slots[sl] as Slot).width !== r.width - k || !cone.includes(sl)) return undefined;
  return { slice: sl, x };
}

const TOKEN = /[A-Za-z_$][\w$]*|\d+|>>>|>>|<<|===|!==|<=|>=|&&|\|\||[^\s\w$]/g;

/** Tokens of the statements `emit` appends to `stmts` (a stand-in for their bytecode size). */
function tokensOf(stmts: readonly string[], start: number, emit: () => void): number {
  emit();
  return countTokens(stmts, start, stmts.length);
}

function countTokens(stmts: readonly string[], start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) n += (stmts[i] as string).match(TOKEN)?.length ?? 0;
  return n;
}

/** Chunk of every item: a new chunk whenever the next item would take one over `size`. */
function cutBy(sizes: ArrayLike<number>, size: number): Int32Array {
  const chunkAt = new Int32Array(sizes.length);
  let acc = 0;
  let ci = 0;
  for (let i = 0; i < sizes.length; i++) {
    const c = sizes[i] as number;
    if (acc > 0 && acc + c > size) {
      ci++;
      acc = 0;
    }
    acc += c;
    chunkAt[i] = ci;
  }
  return chunkAt;
}

/**
 * A shift `src >> amount` of which only words [lo, hi) are read: those words extracted by the
 * prelude's `xW` from src's storage (or from T when src is a local); the other words are 0.
 */
function partialShift(
  d: FlatDesign,
  layout: Layout,
  slot: number,
  [lo, hi]: readonly [number, number],
  operand: (slot: number) => AnyOperand,
  locals: ReadonlyMap<number, Known>,
): WideLowered {
  const s = d.slots[slot] as Slot;
  if (s.def.kind !== 'cell') throw internalError(`sim: ${s.label} is not a shift`);
  const src = s.def.args[0] as number;
  const ss = d.slots[src] as Slot;
  const n = wordsOf(ss.width);
  const k = hi - lo;
  const at = `v${slot}_s`;
  const stmts = [`const ${at} = ${amountExpr(operand(s.def.args[1] as number))}${lo === 0 ? '' : ` + ${32 * lo}`};`];
  const local = locals.get(src)?.words;
  if (ss.def.kind === 'const' || local !== undefined) {
    const ws = local ?? literalWords(ss.def.kind === 'const' ? ss.def.value : 0n, ss.width);
    for (let j = 0; j < n; j++) stmts.push(`T[${j}] = ${ws[j] ?? '0'};`);
    stmts.push(`xW(T, 0, ${n}, ${at}, ${k});`);
  } else stmts.push(`xW(${layout.array[src] ?? 'W'}, ${layout.index[src] ?? 0}, ${n}, ${at}, ${k});`);
  const words: string[] = [];
  for (let j = 0; j < wordsOf(s.width); j++) {
    if (j < lo || j >= hi) words.push('0');
    else {
      stmts.push(`const v${slot}_${j} = T[${j - lo}];`);
      words.push(`v${slot}_${j}`);
    }
  }
  return { stmts, words };
}

const narrowLower = (op: CellOp) => (c: WideCtx) => lowerCell(op, c);

/**
 * `K<slot>[x]` of a constant table, `dflt` beyond its end: a table of one entry (or whose entries
 * all equal the default) is a compare or a constant, and the bounds test goes when the index
 * cannot pass the end (its width covers no more entries than the table has).
 */
function tableLookup(slot: number, values: readonly number[], dflt: number, x: AnyOperand): Lowered {
  const ix = tight(x);
  if (values.every((v) => v === dflt)) return { expr: String(dflt), exact: true };
  if (values.length === 1) return { expr: `(${ix} === 0 ? ${values[0]} : ${dflt})`, exact: true };
  if (x.width < 32 && 2 ** x.width <= values.length) return { expr: `K${slot}[${ix}]`, exact: true };
  return { expr: `(${ix} < ${values.length} ? K${slot}[${ix}] : ${dflt})`, exact: true };
}

/** Statements and value of a combinational slot (cell or memory read). */
function combValue(d: FlatDesign, slot: number, operand: (slot: number) => AnyOperand): WideLowered {
  const s = d.slots[slot] as Slot;
  const def = s.def;
  if (def.kind === 'cell' && def.op === 'rom') return romValue(slot, s.width, def.table?.length ?? 0, operand(def.args[0] as number));
  if (def.kind === 'cell') {
    const args = def.args.map(operand);
    const c = { w: s.width, args, lo: def.lo, amount: def.amount, value: undefined };
    if (isWide(s.width) || args.some((a) => a.words !== undefined))
      return lowerWideCell(def.op, c, `v${slot}`, narrowLower(def.op));
    return { stmts: [], narrow: lowerCell(def.op, c) };
  }
  if (def.kind === 'table' && def.lo !== undefined) {
    // A field of the index: every value of it has an entry.
    const n = Math.log2(def.values.length);
    const c = { w: n, args: [operand(def.index)], lo: def.lo, amount: undefined, value: undefined };
    const f = lowerWideCell('slice', c, `v${slot}_f`, narrowLower('slice'));
    if (!('narrow' in f)) throw internalError(`sim: ${s.label} field is not narrow`);
    return { stmts: f.stmts, narrow: { expr: `K${slot}[${tight({ ...f.narrow, width: n })}]`, exact: true } };
  }
  if (def.kind === 'table') return { stmts: [], narrow: tableLookup(slot, def.values, def.dflt, operand(def.index)) };
  if (def.kind === 'prio') {
    // The field's highest (or lowest: f & -f) set bit h by Math.clz32; none set: h = -1.
    const c = { w: def.n, args: [operand(def.src)], lo: def.lo, amount: undefined, value: undefined };
    const f = lowerWideCell('slice', c, `v${slot}_f`, narrowLower('slice'));
    if (!('narrow' in f)) throw internalError(`sim: ${s.label} field is not narrow`);
    const fe = tight({ ...f.narrow, width: def.n });
    const x = `v${slot}_x`;
    const h = `v${slot}_h`;
    const stmts = [...f.stmts, `const ${x} = ${fe};`, `const ${h} = 31 - Math.clz32(${def.up ? x : `${x} & -${x}`});`];
    return { stmts, narrow: { expr: `(${h} < 0 ? ${def.dflt} : K${slot}[${h}])`, exact: true } };
  }
  if (def.kind !== 'memRead') throw internalError(`sim: slot ${s.label} is not combinational`);
  const a = operand(def.addr);
  const depth = d.mems[def.mem]?.depth ?? 0;
  const t = amountExpr(a);
  if (isWide(s.width)) {
    // Row `depth` of a wide memory is padding, always 0: the read of an address beyond the end.
    const n = wordsOf(s.width);
    const base = `v${slot}_b`;
    const stmts = [`const ${base} = Math.min(${t}, ${depth}) * ${n};`];
    const words: string[] = [];
    for (let j = 0; j < n; j++) {
      stmts.push(`const v${slot}_${j} = M${def.mem}[${base}${j === 0 ? '' : ` + ${j}`}];`);
      words.push(`v${slot}_${j}`);
    }
    return { stmts, words };
  }
  if (a.words) {
    const at = `v${slot}_a`;
    return { stmts: [`const ${at} = ${t};`], narrow: { expr: `(${at} < ${depth} ? M${def.mem}[${at}] : 0)`, exact: true } };
  }
  return { stmts: [], narrow: { expr: `(${t} < ${depth} ? M${def.mem}[${t}] : 0)`, exact: true } };
}

/**
 * A rom read: `K<slot>[index]` (0 past the end). A wide rom's table is `depth + 1` rows of
 * words, the last row 0 (as a wide memory's), read row by row.
 */
function romValue(slot: number, width: number, depth: number, a: AnyOperand): WideLowered {
  const t = amountExpr(a);
  if (isWide(width)) {
    const n = wordsOf(width);
    const base = `v${slot}_b`;
    const stmts = [`const ${base} = Math.min(${t}, ${depth}) * ${n};`];
    const words: string[] = [];
    for (let j = 0; j < n; j++) {
      stmts.push(`const v${slot}_${j} = K${slot}[${base}${j === 0 ? '' : ` + ${j}`}];`);
      words.push(`v${slot}_${j}`);
    }
    return { stmts, words };
  }
  if (a.words) {
    const at = `v${slot}_a`;
    return { stmts: [`const ${at} = ${t};`], narrow: { expr: `(${at} < ${depth} ? K${slot}[${at}] : 0)`, exact: true } };
  }
  return { stmts: [], narrow: { expr: `(${t} < ${depth} ? K${slot}[${t}] : 0)`, exact: true } };
}

/** The constant array of a rom slot: its words (a wide rom's rows of words, then a row of 0). */
function romArray(sl: number, width: number, table: readonly bigint[]): string {
  const words = isWide(width) ? [...table, 0n].flatMap((v) => literalWords(v, width)) : table.map((v) => String(v));
  return `const K${sl} = new Uint32Array([${words.join(', ')}]);`;
}

/** `RX[k] = R[k]`: a register keeps its value (a long one through a loop). */
function keepNext(layout: Layout, q: number, width: number): string {
  if (!isWide(width)) return `${nextRef(layout, q)} = ${storeRef(layout, q)};`;
  const n = wordsOf(width);
  const i = layout.index[q] ?? 0;
  if (n > 8) return `cpW(${i}, ${i + n});`;
  const next = nextWordRefs(layout, q, width);
  return wordRefs(layout, q, width).map((ref, j) => `${next[j] ?? ''} = ${ref};`).join(' ');
}

/** `RX[k] = en ? d : R[k];` — the register's value after the next rising edge without reset. */
function regNext(d: FlatDesign, layout: Layout, ri: number, operand: (slot: number) => AnyOperand, wake = ''): string[] {
  const r = d.regs[ri];
  if (!r) throw internalError(`sim: register ${ri} missing`);
  const dv = operand(r.d);
  const en = r.en === undefined ? undefined : operand(r.en);
  const sel = en === undefined ? undefined : en.exact ? en.expr : `(${en.expr} & 1)`;
  if (isWide(r.width)) {
    const next = nextWordRefs(layout, r.q, r.width);
    const words = dv.words ?? [];
    const set = next.map((ref, j) => `${ref} = ${words[j] ?? '0'};`);
    if (wake !== '') set.push(wake);
    if (sel === undefined) return set;
    return [`if (${sel}) { ${set.join(' ')} } else { ${keepNext(layout, r.q, r.width)} }`];
  }
  const val = r.width === 32 ? dv.expr : tight(dv);
  const w = wake === '' ? [] : [wake];
  if (sel === undefined) return [`${nextRef(layout, r.q)} = ${val};`, ...w];
  return [`${nextRef(layout, r.q)} = ${sel} ? ${val} : ${storeRef(layout, r.q)};`, ...w];
}

/**
 * A register updated in place: `R[k] = en ? d : R[k]` as `if (en) R[k] = d` (a cone computed
 * inside the `if`); with chunk skipping, written and its readers woken only when it changes.
 */
function regInPlace(
  d: FlatDesign,
  layout: Layout,
  it: { readonly reg: number; readonly cone?: readonly number[] },
  operand: (slot: number) => AnyOperand,
  lowerSlot: (slot: number) => WideLowered,
  locals: Locals,
  wake: string,
  push: (stmt: string) => void,
): void {
  const r = d.regs[it.reg];
  if (!r) throw internalError(`sim: register ${it.reg} missing`);
  const ref = storeRef(layout, r.q);
  // Statements in order: operand() appends the loads of stored values as it goes.
  const out = { push };
  const en = r.en === undefined ? undefined : operand(r.en);
  const outer = locals.mark();
  if (en !== undefined) out.push(`if (${en.exact ? en.expr : `(${en.expr} & 1)`}) {`);
  for (const slot of it.cone ?? []) for (const st of lowerSlot(slot).stmts) out.push(st);
  const dv = operand(r.d);
  if (isWide(r.width)) {
    const refs = wordRefs(layout, r.q, r.width);
    const words = refs.map((_, j) => dv.words?.[j] ?? '0');
    const set = refs.map((wr, j) => `${wr} = ${words[j]};`).join(' ');
    if (wake === '') out.push(set);
    else out.push(`if ((${refs.map((wr, j) => `(${wr} ^ ${words[j]})`).join(' | ')}) !== 0) { ${set} ${wake} }`);
  } else {
    const val = r.width === 32 ? dv.expr : tight(dv);
    const nv = `v${r.q}_n`;
    if (wake === '') out.push(`${ref} = ${val};`);
    else out.push(`{ const ${nv} = ${val}; if (${nv} !== ${ref}) { ${ref} = ${nv}; ${wake} } }`);
  }
  if (en !== undefined) out.push('}');
  // Locals declared inside the `if` are not visible after it.
  if (en !== undefined) locals.forget(outer);
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
  const ext = observedSlots(d);
  const partial = partialShifts(d, ext, order);
  const cones = guardedCones(d, order, ext);
  const inPlaceOf = (its: readonly Item[]): ReadonlySet<number> =>
    opts.inPlace === false ? new Set<number>() : inPlaceRegs(d, its);
  const guarded = new Set([...cones.values()].flat());
  const items = schedule(
    d,
    order.filter((sl) => !guarded.has(sl)),
    cones,
    opts.inPlace !== false,
  );
  // Chunk skipping pays on some designs and costs up to 2x on others (mostly active chunks), and
  // no static measure tells them apart: a design of enough chunks gets both forms, as two models
  // over one storage (the tracked one is instantiated with the plain one's state), and the
  // simulator keeps the faster. (Two forms in one closure, chosen by a flag or by entry point,
  // ran the plain form of residual and cast-chain 1.6-4x slower than a model of that form alone.)
  // The tracked form's chunks: by the estimated statements (chunkSize). The plain form runs every
  // chunk, so its functions are as large as V8 still optimizes (plainTokens, measured on the
  // statements generated as one function): values stay in locals instead of going through
  // storage between chunks (mlp-int8 1.2x faster than with the tracked form's chunks).
  // A register cone too large for one function that V8 optimizes is split into functions of
  // their own, all called under its enable (the 64 lanes of a normalization's wide products
  // under one enable made a function of 142 KB of bytecode in gpt2-block; evaluated every cycle
  // instead, the output collector's requantizers were 5-73 % of the cycle time of mx-blocks,
  // ffn-atom, mlp-int8 and olive-dyn). A split register is not updated in place (its write is in
  // the last part).
  const plainTokens = Math.max(1, opts.plainTokens ?? PLAIN_TOKENS);
  const splitRegs = new Set<number>();
  const split: SplitCones = { regs: splitRegs, tokens: plainTokens };
  let inPlace = inPlaceOf(items);
  let tokens = new Float64Array(items.length);
  let whole = evalChunks(d, items, layout, new Int32Array(items.length), partial, false, inPlace, tokens);
  const coneMax = opts.coneTokens ?? CONE_TOKENS_MAX;
  items.forEach((it, i) => {
    if ('reg' in it && it.cone && (tokens[i] as number) > coneMax) splitRegs.add(it.reg);
  });
  if (splitRegs.size > 0) {
    inPlace = new Set([...inPlace].filter((ri) => !splitRegs.has(ri)));
    tokens = new Float64Array(items.length);
    whole = evalChunks(d, items, layout, new Int32Array(items.length), partial, false, inPlace, tokens, split);
  }
  const costCut = cutBy(items.map((it) => costOf(d, it)), size);
  const costChunks = items.length === 0 ? 0 : (costCut[items.length - 1] as number) + 1;
  const plainCut = cutBy(tokens, plainTokens);
  const plain =
    items.length === 0 || plainCut[items.length - 1] === 0
      ? whole
      : evalChunks(d, items, layout, plainCut, partial, false, inPlace, undefined, split);
  const tracked =
    opts.activity === false || (opts.activity === undefined && costChunks < ACTIVITY_MIN_CHUNKS)
      ? undefined
      : evalChunks(d, items, layout, costCut, partial, true, inPlace, undefined, split);
  if (tracked === undefined) return { source: modelSource(d, order, layout, size, plain), layout };
  if (opts.activity === true) return { source: modelSource(d, order, layout, size, tracked), layout };
  return {
    source: modelSource(d, order, layout, size, plain, tracked.activity),
    trackedSource: modelSource(d, order, layout, size, tracked, tracked.activity, `${d.top}.tracked`),
    layout,
  };
}

/**
 * The source of one form of the model: a function body whose optional argument `S` is another
 * model of the same design whose storage (values, registers, memories, change flags) it shares.
 * `wakes` (the plain form of a two-form model) are the tracked form's readers, which
 * `touchInputs` and memory writes flag for it.
 */
function modelSource(
  d: FlatDesign,
  order: readonly number[],
  layout: Layout,
  size: number,
  form: EvalForm,
  wakes: Activity = form.activity,
  url = d.top,
): string {
  const { N, W, R, RW } = layout.counts;
  const skip = form.activity.track;
  const chunks = form.chunks;
  const shared = (name: string, init: string): string => `const ${name} = S ? S.${name} : ${init};`;
  const out: string[] = [
    '"use strict";',
    `// mxgen native simulator model of ${d.top}: ${d.slots.length} slots, ${order.length} combinational, ${d.regs.length} registers, ${d.mems.length} memories${skip ? '; chunks run when their inputs changed' : ''}`,
    shared('N', `new Uint32Array(${N})`),
    shared('W', `new Uint32Array(${W})`),
    shared('R', `new Uint32Array(${R})`),
    shared('RX', `new Uint32Array(${R})`),
    shared('RW', `new Uint32Array(${RW})`),
    shared('RWX', `new Uint32Array(${RW})`),
    // The registers before the evaluation, kept by the simulator while one is in place.
    shared('RB', `new Uint32Array(${R})`),
    shared('RWB', `new Uint32Array(${RW})`),
    'function cpW(i, e) { for (; i < e; i++) RWX[i] = RW[i]; }',
  ];
  d.mems.forEach((m, i) =>
    // A wide memory is depth + 1 rows of words; the last row stays 0 (reads beyond the end).
    out.push(`const M${i} = S ? S.M[${i}] : new Uint32Array(${isWide(m.width) ? (m.depth + 1) * wordsOf(m.width) : m.depth});`),
  );
  // Constant tables (optimize.ts) of the slots still evaluated.
  for (const sl of order) {
    const def = (d.slots[sl] as Slot).def;
    if (def.kind === 'table' || def.kind === 'prio') out.push(`const K${sl} = new Uint32Array([${def.values.join(', ')}]);`);
    else if (def.kind === 'cell' && def.op === 'rom') out.push(romArray(sl, (d.slots[sl] as Slot).width, def.table ?? []));
  }
  const maxWidth = d.slots.reduce((m, s) => Math.max(m, s.width), 0);
  out.push(prelude());
  out.push(widePrelude(wordsOf(maxWidth)));
  // D[k] = 1: chunk k must run at the next evaluation (all of them at first).
  // (Sized for the tracked form's chunks, which the plain form of a two-form model flags.)
  const flags = Math.max(1, chunks.length, wakes.chunks);
  out.push(shared('D', `new Uint8Array(${flags}).fill(1)`));
  // DN[k] = 1: a register chunk k reads changes at the coming edge (set by the evaluation).
  out.push(shared('DN', `new Uint8Array(${flags})`));
  const ev: string[] = [];
  chunks.forEach((stmts, i) => {
    ev.push(skip ? `if (D[${i}] === 1) { D[${i}] = 0; e${i}(); }` : `e${i}();`);
    out.push(`function e${i}() {\n  ${stmts.join('\n  ')}\n}`);
  });
  out.push(...form.helpers);
  const ea = chunked('ea', ev, size);
  out.push(...ea.defs);
  out.push(`function evalAll() { ${ea.calls} }`);
  const inputChunks = new Set<number>();
  for (const p of d.ports) if (p.dir === 'in') for (const c of wakes.readers.get(p.slot) ?? []) inputChunks.add(c);
  out.push(`function touchInputs() { ${[...inputChunks].sort((a, b) => a - b).map((c) => `D[${c}] = 1;`).join(' ')} }`);
  out.push('function touchAll() { D.fill(1); }');
  const c = commitStatements(d, layout, (mem) => [...(wakes.memReaders.get(mem) ?? [])].map((k) => `D[${k}] = 1;`).join(' '), form.inPlace);
  const copy = registerCopy(d, layout, form.inPlace);
  const copyW = registerCopy(d, layout, form.inPlace, 'RW');
  out.push(...copy.defs, ...copyW.defs);
  const cp = chunked('x', [...copy.stmts, ...copyW.stmts], size);
  out.push(...cp.defs);
  const upd = chunked('c', c.update, size);
  const rst = chunked('r', c.reset, size);
  for (const line of [upd.defs, rst.defs].flat()) out.push(line);
  const merge = skip ? `for (let k = 0; k < ${chunks.length}; k++) if (DN[k] !== 0) { D[k] = 1; DN[k] = 0; }` : '';
  // Reset writes next values and memories behind the chunks' backs: everything runs again.
  out.push(
    `function commit(rst) { if (rst) { ${rst.calls} D.fill(1); DN.fill(0); } else { ${upd.calls} ${merge} } ${cp.calls} }`,
  );
  out.push(
    `function clearState() { R.fill(0); RX.fill(0); RW.fill(0); RWX.fill(0);${d.mems.map((_, i) => ` M${i}.fill(0);`).join('')} D.fill(1); DN.fill(0); }`,
  );
  out.push('function run(n, rst) { for (let i = 0; i < n; i++) { evalAll(); commit(rst); } }');
  const io = runnerIo(d, layout, size);
  const wake = skip ? inputWakes(d, layout, size, form.activity) : undefined;
  out.push(...io.defs, ...(wake?.defs ?? []), runners(io, skip, wake));
  d.slots.forEach((s, i) => {
    if (s.def.kind !== 'const' || s.def.value === 0n) return;
    if (!isWide(s.width)) out.push(`${storeRef(layout, i)} = ${literal(s.def.value, s.width)};`);
    else {
      const words = literalWords(s.def.value, s.width);
      wordRefs(layout, i, s.width).forEach((ref, j) => out.push(`${ref} = ${words[j] ?? '0'};`));
    }
  });
  out.push(
    `return { N, W, R, RX, RW, RWX, RB, RWB, M: [${d.mems.map((_, i) => `M${i}`).join(', ')}], D, DN, evalAll, commit, run, runVectors, runWords, clearState, touchInputs, touchAll };`,
  );
  out.push(`//# sourceURL=mxgen-sim/${url}.js`);
  return `${out.join('\n')}\n`;
}

/**
 * The edge's copy of the narrow next values into `R`: one `R.set(RX)` when no register is
 * updated in place, else the other registers only (runs of 8 or more through a `set` of a
 * subarray made once, shorter ones word by word).
 */
function registerCopy(
  d: FlatDesign,
  layout: Layout,
  inPlace: ReadonlySet<number>,
  A: 'R' | 'RW' = 'R',
): { defs: string[]; stmts: string[] } {
  const n = layout.counts[A];
  const X = `${A}X`;
  const skip = new Uint8Array(n);
  for (const ri of inPlace) {
    const r = d.regs[ri] as FlatDesign['regs'][number];
    if (layout.array[r.q] !== A) continue;
    const i = layout.index[r.q] as number;
    skip.fill(1, i, i + wordsOf(r.width));
  }
  if (!skip.includes(1)) return { defs: [], stmts: n > 0 ? [`${A}.set(${X});`] : [] };
  const defs: string[] = [];
  const stmts: string[] = [];
  for (let a = 0; a < n; ) {
    if (skip[a]) {
      a++;
      continue;
    }
    let b = a;
    while (b < n && !skip[b]) b++;
    if (b - a >= 8) {
      defs.push(`const ${X}s${a} = ${X}.subarray(${a}, ${b});`);
      stmts.push(`${A}.set(${X}s${a}, ${a});`);
    } else for (let k = a; k < b; k++) stmts.push(`${A}[${k}] = ${X}[${k}];`);
    a = b;
  }
  return { defs, stmts };
}

interface RunnerIo {
  readonly defs: string[];
  readonly vi: string;
  readonly vo: string;
  readonly nIn: number;
  readonly nOut: number;
  readonly wi: string;
  readonly wo: string;
  readonly per: number;
  readonly outWords: number;
}

/**
 * The runners' port copies, shared by both forms: `vi`/`vo` one word per narrow input/output
 * (`runVectors`), `wi`/`wo` every port's words in the harness's packing (`runWords`).
 */
function runnerIo(d: FlatDesign, layout: Layout, size: number): RunnerIo {
  const ins = d.ports.filter((p) => p.dir === 'in' && !isWide(p.width));
  const outs = d.ports.filter((p) => p.dir === 'out' && !isWide(p.width));
  const vi = chunked('vi', ins.map((p, k) => `${storeRef(layout, p.slot)} = I[i + ${k}]${p.width < 32 ? ` & ${2 ** p.width - 1}` : ''};`), size, 'I, i');
  const vo = chunked('vo', outs.map((p, k) => `O[o + ${k}] = ${readRef(d.slots, layout, p.slot)};`), size, 'O, o');
  const set: string[] = [];
  let k = 1;
  for (const p of d.ports.filter((q) => q.dir === 'in')) {
    const refs = isWide(p.width) ? wordRefs(layout, p.slot, p.width) : [storeRef(layout, p.slot)];
    const top = p.width % 32;
    refs.forEach((ref, j) =>
      set.push(`${ref} = I[i + ${k + j}]${j === refs.length - 1 && top !== 0 ? ` & ${2 ** top - 1}` : ''};`),
    );
    k += Math.ceil(p.width / 32);
  }
  const per = k;
  const get: string[] = [];
  k = 0;
  for (const p of d.ports.filter((q) => q.dir === 'out')) {
    const vals = isWide(p.width) ? readWords(d.slots, layout, p.slot) : [readRef(d.slots, layout, p.slot)];
    vals.forEach((v, j) => get.push(`O[o + ${k + j}] = ${v};`));
    k += Math.ceil(p.width / 32);
  }
  const wi = chunked('wi', set, size, 'I, i');
  const wo = chunked('wo', get, size, 'O, o');
  return {
    defs: [...vi.defs, ...vo.defs, ...wi.defs, ...wo.defs],
    vi: vi.calls,
    vo: vo.calls,
    nIn: ins.length,
    nOut: outs.length,
    wi: wi.calls,
    wo: wo.calls,
    per,
    outWords: k,
  };
}

interface InputWakes {
  readonly defs: string[];
  readonly vi: string;
  readonly wi: string;
}

/**
 * The skipping form's input copies for the cycle loops (`runVectors`, `runWords`): a port's words
 * are stored, and the chunks reading it woken, only when they differ from the stored ones (the
 * stimulus of a stream changes a wide token once per beat, a valid bit now and then), instead of
 * storing every word and waking every input reader each cycle (`touchInputs`). The stored input
 * is what the skipped readers last saw: pokes wake the readers, and reset, `clearState` and a
 * switch from the plain form wake every chunk. Ports over 8 words compare in a loop (`inW`).
 */
function inputWakes(d: FlatDesign, layout: Layout, size: number, activity: Activity): InputWakes {
  const wakeOf = (slot: number): string =>
    [...(activity.readers.get(slot) ?? [])]
      .sort((a, b) => a - b)
      .map((c) => ` D[${c}] = 1;`)
      .join('');
  const narrow = (slot: number, x: string): string =>
    `{ const x = ${x}; if (x !== ${storeRef(layout, slot)}) { ${storeRef(layout, slot)} = x;${wakeOf(slot)} } }`;
  const vi: string[] = [];
  const wi: string[] = [];
  let v = 0;
  let k = 1;
  for (const p of d.ports.filter((q) => q.dir === 'in')) {
    const top = p.width % 32;
    const mask = top === 0 ? '' : ` & ${2 ** top - 1}`;
    if (!isWide(p.width)) {
      vi.push(narrow(p.slot, `I[i + ${v++}]${mask}`));
      wi.push(narrow(p.slot, `I[i + ${k}]${mask}`));
    } else {
      const refs = wordRefs(layout, p.slot, p.width);
      const n = refs.length;
      if (n > 8) {
        wi.push(`if (inW(I, i + ${k}, ${layout.index[p.slot]}, ${n}, ${top === 0 ? 0xffffffff : 2 ** top - 1}) !== 0) {${wakeOf(p.slot)} }`);
      } else {
        const xs = refs.map((_, j) => `I[i + ${k + j}]${j === n - 1 ? mask : ''}`);
        const decl = xs.map((x, j) => `x${j} = ${x}`).join(', ');
        const differ = refs.map((r, j) => `x${j} !== ${r}`).join(' || ');
        const store = refs.map((r, j) => ` ${r} = x${j};`).join('');
        wi.push(`{ const ${decl}; if (${differ}) {${store}${wakeOf(p.slot)} } }`);
      }
    }
    k += Math.ceil(p.width / 32);
  }
  const vic = chunked('vt', vi, size, 'I, i');
  const wic = chunked('wt', wi, size, 'I, i');
  const inW = [
    // Copies n input words (the top one masked) into W at a; 1 when any differed.
    'function inW(I, b, a, n, m) {',
    '  let c = 0;',
    '  for (let j = 0; j < n; j++) {',
    '    const x = j === n - 1 ? (I[b + j] & m) >>> 0 : I[b + j];',
    '    if (x !== W[a + j]) { W[a + j] = x; c = 1; }',
    '  }',
    '  return c;',
    '}',
  ].join('\n');
  return { defs: [inW, ...vic.defs, ...wic.defs], vi: vic.calls, wi: wic.calls };
}

/**
 * `runVectors(I, O, n, rst)`: n cycles reading one word per narrow input from `I` (port order,
 * masked to the width) and, when `O` is not empty, writing one word per narrow output to `O`
 * after evaluation: a harness loop without per-port calls.
 * `runWords(I, O, n)`: n cycles from the co-simulation harness's stimulus words: per cycle one
 * word for rst, then every input port in port order, ceil(width / 32) words each (least
 * significant first, masked to the width). When `O` is not empty, every output port's words of
 * the last cycle (same packing) are written to it after that cycle's evaluation; with `every`,
 * those of every cycle, one after the other. (A form that skips chunks wakes the input readers.)
 */
function runners(io: RunnerIo, skip: boolean, wake?: InputWakes): string {
  const touch = skip && !wake ? '    touchInputs();' : '';
  return [
    `function runVectors(I, O, n, rst) {`,
    '  const record = O.length > 0;',
    `  for (let c = 0, i = 0, o = 0; c < n; c++, i += ${io.nIn}, o += ${io.nOut}) {`,
    `    ${wake ? wake.vi : io.vi}`,
    touch,
    `    evalAll();`,
    `    if (record) { ${io.vo} }`,
    `    commit(rst);`,
    '  }',
    '}',
    `function runWords(I, O, n, every) {`,
    '  const last = O.length > 0 ? n - 1 : -1;',
    `  for (let c = 0, i = 0, o = 0; c < n; c++, i += ${io.per}) {`,
    `    ${wake ? wake.wi : io.wi}`,
    touch,
    `    evalAll();`,
    `    if (every) { ${io.wo} o += ${io.outWords}; } else if (c === last) { ${io.wo} }`,
    `    commit(I[i] & 1);`,
    '  }',
    '}',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
