// The rising-edge statements that run before the register buffers swap: memory writes (which read
// only values of the evaluation before the edge; later ports overwrite earlier ones), or with
// rst = 1 register-file clears, SRAM writes (an SRAM ignores rst) and reset values. Registers
// without init ignore rst: their next value from the evaluation stands, as in the emitted SV
// where they sit outside the `if (rst)` branch.
import type { FlatDesign } from './flatten.js';
import { nextRef, nextWordRefs, readRef, readWords, storeRef, wordRefs, type Layout } from './layout.js';
import { isWide, literal } from './repr.js';
import { amountExpr, literalWords, wordsOf } from './wide.js';

export interface CommitCode {
  /** Statements when rst = 0, in order. */
  readonly update: readonly string[];
  /** Statements when rst = 1, in order. */
  readonly reset: readonly string[];
}

/** `wake(mem)`: statements run after a write to memory `mem` (marking its readers to run). */
/** `inPlace`: registers updated in place (codegen.ts `inPlaceRegs`), whose reset value goes to `R`. */
export function commitStatements(
  d: FlatDesign,
  layout: Layout,
  wake: (mem: number) => string = () => '',
  inPlace: ReadonlySet<number> = new Set(),
): CommitCode {
  const rd = (s: number): string => readRef(d.slots, layout, s);
  const update: string[] = [];
  const reset: string[] = [];
  d.mems.forEach((m, mi) => {
    // An SRAM has no reset: its words survive rst, and its write port works during reset too.
    if (!m.sram) reset.push(`M${mi}.fill(0);`);
    const n = wordsOf(m.width);
    for (const w of m.writes) {
      const aw = d.slots[w.addr]?.width ?? 1;
      const a = isWide(aw)
        ? amountExpr({ expr: '', width: aw, exact: true, words: readWords(d.slots, layout, w.addr) })
        : rd(w.addr);
      const cond = `${rd(w.en)} && ${a} < ${m.depth}`;
      let stmt: string;
      const woke = wake(mi);
      if (!isWide(m.width)) stmt = `if (${cond}) { M${mi}[${a}] = ${rd(w.data)}; ${woke} }`;
      else {
        const data = readWords(d.slots, layout, w.data);
        const stores = data.map((v, j) => `M${mi}[b${j === 0 ? '' : ` + ${j}`}] = ${v};`);
        stmt = `if (${cond}) { const b = ${a} * ${n}; ${stores.join(' ')} ${woke} }`;
      }
      update.push(stmt);
      if (m.sram) reset.push(stmt);
    }
  });
  d.regs.forEach((r, ri) => {
    if (r.init === null) return;
    if (!isWide(r.width)) {
      reset.push(`${inPlace.has(ri) ? storeRef(layout, r.q) : nextRef(layout, r.q)} = ${literal(r.init, r.width)};`);
      return;
    }
    const words = literalWords(r.init, r.width);
    const refs = inPlace.has(ri) ? wordRefs(layout, r.q, r.width) : nextWordRefs(layout, r.q, r.width);
    refs.forEach((ref, j) => reset.push(`${ref} = ${words[j] ?? '0'};`));
  });
  return { update, reset };
}
