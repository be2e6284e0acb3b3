// The rising-edge statements: every next value is computed from current values before any is
// written (non-blocking). Registers are written in an order where each register is written
// after every register that reads it; registers on a cycle of such reads are stashed first.
import type { FlatDesign } from './flatten.js';
import type { Layout } from './codegen.js';
import { readRef, storeRef } from './codegen.js';
import { isWide, literal } from './repr.js';

export interface CommitCode {
  /** Declarations of scratch arrays. */
  readonly prelude: string;
  /** Statements when rst = 0, in order. */
  readonly update: readonly string[];
  /** Statements when rst = 1, in order. */
  readonly reset: readonly string[];
}

/** Register write order (readers before the registers they read) and the registers to stash. */
export function registerOrder(d: FlatDesign): { order: number[]; stash: Set<number> } {
  const regOfQ = new Map(d.regs.map((r, i) => [r.q, i]));
  const edges = d.regs.map((r, i) =>
    [r.d, r.en]
      .map((s) => (s === undefined ? undefined : regOfQ.get(s)))
      .filter((x): x is number => x !== undefined && x !== i),
  );
  const state = new Uint8Array(d.regs.length);
  const post: number[] = [];
  const stash = new Set<number>();
  for (let root = 0; root < d.regs.length; root++) {
    if (state[root] !== 0) continue;
    const stack = [root];
    const next = [0];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const cur = stack[top] as number;
      const es = edges[cur] as number[];
      const k = next[top] as number;
      if (k < es.length) {
        next[top] = k + 1;
        const to = es[k] as number;
        if (state[to] === 1) stash.add(cur);
        else if (state[to] === 0) {
          state[to] = 1;
          stack.push(to);
          next.push(0);
        }
      } else {
        state[cur] = 2;
        post.push(cur);
        stack.pop();
        next.pop();
      }
    }
  }
  return { order: post.reverse(), stash };
}

export function commitStatements(d: FlatDesign, layout: Layout): CommitCode {
  const order = registerOrder(d);
  const update = edgeStatements(d, layout, order, false);
  const reset = edgeStatements(d, layout, order, true);
  const prelude = `const TN = new Uint32Array(${update.tn});\nconst TW = new Array(${update.tw}).fill(0n);`;
  return { prelude, update: update.stmts, reset: reset.stmts };
}

/**
 * The statements of one rising edge. With `rst`, registers with an init value take it, memories
 * clear and ignore writes, and registers without init update as usual (they ignore reset, as in
 * the emitted SV where they sit outside the `if (rst)` branch).
 */
function edgeStatements(
  d: FlatDesign,
  layout: Layout,
  { order, stash }: { order: number[]; stash: Set<number> },
  rst: boolean,
): { stmts: string[]; tn: number; tw: number } {
  const { slots } = d;
  const rd = (s: number): string => readRef(slots, layout, s);
  const st = (s: number): string => storeRef(slots, layout, s);
  const resets = (ri: number): boolean => rst && d.regs[ri]?.init !== null;
  const stmts: string[] = [];
  const tempOf = new Map<number, string>();
  let tn = 0;
  let tw = 0;
  // Phase A: stashed registers compute their next value into scratch storage.
  for (const ri of [...stash].sort((a, b) => a - b)) {
    const r = d.regs[ri];
    if (!r || resets(ri)) continue;
    const t = isWide(r.width) ? `TW[${tw++}]` : `TN[${tn++}]`;
    tempOf.set(ri, t);
    stmts.push(
      r.en === undefined
        ? `${t} = ${rd(r.d)};`
        : `${t} = ${rd(r.en)} ? ${rd(r.d)} : ${rd(r.q)};`,
    );
  }
  // Phase B: memory writes read only current values; later ports overwrite earlier ones.
  d.mems.forEach((m, mi) => {
    if (rst) {
      stmts.push(`M${mi}.fill(${isWide(m.width) ? '0n' : '0'});`);
      return;
    }
    for (const w of m.writes) {
      const a = rd(w.addr);
      stmts.push(
        isWide(slots[w.addr]?.width ?? 1)
          ? `if (${rd(w.en)} && ${a} < ${m.depth}n) M${mi}[Number(${a})] = ${rd(w.data)};`
          : `if (${rd(w.en)} && ${a} < ${m.depth}) M${mi}[${a}] = ${rd(w.data)};`,
      );
    }
  });
  // Phase C: registers, each after every register that reads it.
  for (const ri of order) {
    const r = d.regs[ri];
    if (!r) continue;
    const t = tempOf.get(ri);
    if (resets(ri)) stmts.push(`${st(r.q)} = ${literal(r.init ?? 0n, r.width)};`);
    else if (t !== undefined) stmts.push(`${st(r.q)} = ${t};`);
    else if (r.d === r.q) continue;
    else if (r.en === undefined) stmts.push(`${st(r.q)} = ${rd(r.d)};`);
    else stmts.push(`if (${rd(r.en)}) ${st(r.q)} = ${rd(r.d)};`);
  }
  return { stmts, tn, tw };
}
