// The rising-edge statements that run before the register buffers swap: memory writes (which read
// only values of the evaluation before the edge; later ports overwrite earlier ones), or with
// rst = 1 register-file clears, SRAM writes (an SRAM ignores rst) and reset values. Registers
// without init ignore rst: their next value from the evaluation stands, as in the emitted SV
// where they sit outside the `if (rst)` branch.
import type { FlatDesign } from './flatten.js';
import { nextRef, readRef, type Layout } from './layout.js';
import { isWide, literal } from './repr.js';

export interface CommitCode {
  /** Statements when rst = 0, in order. */
  readonly update: readonly string[];
  /** Statements when rst = 1, in order. */
  readonly reset: readonly string[];
}

export function commitStatements(d: FlatDesign, layout: Layout): CommitCode {
  const rd = (s: number): string => readRef(d.slots, layout, s);
  const update: string[] = [];
  const reset: string[] = [];
  d.mems.forEach((m, mi) => {
    // An SRAM has no reset: its words survive rst, and its write port works during reset too.
    if (!m.sram) reset.push(`M${mi}.fill(${isWide(m.width) ? '0n' : '0'});`);
    for (const w of m.writes) {
      const a = rd(w.addr);
      (m.sram ? [update, reset] : [update]).forEach((list) => list.push(
        isWide(d.slots[w.addr]?.width ?? 1)
          ? `if (${rd(w.en)} && ${a} < ${m.depth}n) M${mi}[Number(${a})] = ${rd(w.data)};`
          : `if (${rd(w.en)} && ${a} < ${m.depth}) M${mi}[${a}] = ${rd(w.data)};`,
      ));
    }
  });
  for (const r of d.regs)
    if (r.init !== null) reset.push(`${nextRef(layout, r.q)} = ${literal(r.init, r.width)};`);
  return { update, reset };
}
