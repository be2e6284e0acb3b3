// The sequential part of a module: memory words and read multiplexers, and the one
// `always_ff @(posedge clk)` block holding every register and memory word (reset branch first).
import type { Mem, Ref } from '../../hdl/index.js';
import { literal } from './expr.js';
import type { PreparedModule } from './prepare.js';
import { sramStatements } from './print-sram.js';
import { INDENT, alignedAssigns, pushAll } from './writer.js';
import { internalError } from '../../hdl/index.js';

const reaches = (addrWidth: number, word: number): boolean => word < 2 ** addrWidth;

/** Word indices of `mem` that some port can address (only those are declared). */
export function declaredWords(p: PreparedModule, mem: Mem): number[] {
  const widths = [...mem.readPorts, ...mem.writePorts].map((x) => p.term(x.addr).width);
  const out: number[] = [];
  for (let i = 0; i < mem.depth; i++) if (widths.some((w) => reaches(w, i))) out.push(i);
  return out;
}

/** True when some read port can address word `i`. */
export function wordIsRead(p: PreparedModule, mem: Mem, i: number): boolean {
  return mem.readPorts.some((x) => reaches(p.term(x.addr).width, i));
}

/** The right-hand side of a read port, one word per line; addresses >= depth read 0. */
export function memReadRhs(p: PreparedModule, memIndex: number, addr: Ref): string[] {
  const mem = p.def.mems[memIndex];
  const words = p.wordNames[memIndex];
  if (!mem || !words) throw internalError(`internal: memory ${memIndex} missing`);
  const a = p.term(addr);
  const lines = declaredWords(p, mem)
    .filter((i) => reaches(a.width, i))
    .map((i) => `(${a.text} == ${a.width}'d${i}) ? ${words[i]} :`);
  lines.push(literal(mem.width, 0n));
  return lines;
}

interface Update {
  lhs: string;
  rhs: string;
}

/** `if (en) begin ... end` groups of consecutive updates sharing an enable. */
function enableGroups(
  p: PreparedModule,
  indent: string,
  rows: readonly { enable: Ref | undefined; update: Update }[],
): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const en = rows[i]?.enable;
    const group: Update[] = [];
    while (i < rows.length && rows[i]?.enable === en)
      group.push((rows[i++] as { update: Update }).update);
    const lines = (ind: string): string[] =>
      alignedAssigns(
        ind,
        '',
        '<=',
        group.map((u) => ({ lhs: u.lhs, rhs: [u.rhs] })),
      );
    if (en === undefined) pushAll(out, lines(indent));
    else {
      out.push(`${indent}if (${p.term(en).text}) begin`);
      pushAll(out, lines(indent + INDENT));
      out.push(`${indent}end`);
    }
  }
  return out;
}

function memWrites(p: PreparedModule, indent: string): string[] {
  const out: string[] = [];
  p.def.mems.forEach((mem, mi) => {
    if (mem.kind === 'sram') return;
    const words = p.wordNames[mi] ?? [];
    const declared = declaredWords(p, mem);
    mem.writePorts.forEach((wp, k) => {
      const a = p.term(wp.addr);
      const d = p.term(wp.data).text;
      out.push(
        `${indent}// ${mem.name} write port ${k}${k > 0 ? ' (wins over earlier ports)' : ''}`,
      );
      out.push(`${indent}if (${p.term(wp.en).text}) begin`);
      for (const i of declared.filter((j) => reaches(a.width, j)))
        out.push(`${indent}${INDENT}if (${a.text} == ${a.width}'d${i}) ${words[i]} <= ${d};`);
      out.push(`${indent}end`);
    });
  });
  return out;
}

/** The `always_ff` block, or nothing for a module without registers and memories. */
export function printAlwaysFf(p: PreparedModule): string[] {
  const m = p.def;
  if (m.regs.length === 0 && m.mems.length === 0) return [];
  const q = (r: Ref): string => p.names[r] ?? p.term(r).text;
  const resets: Update[] = [];
  for (const reg of m.regs)
    if (reg.init !== null) resets.push({ lhs: q(reg.q), rhs: literal(reg.width, reg.init) });
  m.mems.forEach((mem, mi) => {
    if (mem.kind === 'sram') return;
    for (const i of declaredWords(p, mem))
      resets.push({ lhs: p.wordNames[mi]?.[i] ?? '', rhs: literal(mem.width, 0n) });
  });
  const row = (reg: (typeof m.regs)[number]) => ({
    enable: reg.enable,
    update: { lhs: q(reg.q), rhs: p.term(reg.d).text },
  });
  const withReset = m.regs.filter((r) => r.init !== null).map(row);
  const noReset = m.regs.filter((r) => r.init === null).map(row);
  const I2 = INDENT + INDENT;
  const I3 = I2 + INDENT;
  const out = [`${INDENT}always_ff @(posedge clk) begin`];
  if (resets.length > 0) {
    out.push(`${I2}if (rst) begin`);
    pushAll(
      out,
      alignedAssigns(
        I3,
        '',
        '<=',
        resets.map((u) => ({ lhs: u.lhs, rhs: [u.rhs] })),
      ),
    );
    const writes = memWrites(p, I3);
    const en = withReset[0]?.enable;
    if (writes.length === 0 && en !== undefined && withReset.every((r) => r.enable === en)) {
      // One shared enable: `end else if (en) begin` reads like the hand-written form.
      out.push(`${I2}end else if (${p.term(en).text}) begin`);
      pushAll(
        out,
        alignedAssigns(
          I3,
          '',
          '<=',
          withReset.map((r) => ({ lhs: r.update.lhs, rhs: [r.update.rhs] })),
        ),
      );
    } else if (withReset.length > 0 || writes.length > 0) {
      out.push(`${I2}end else begin`);
      pushAll(out, enableGroups(p, I3, withReset));
      pushAll(out, writes);
    }
    out.push(`${I2}end`);
  }
  if (noReset.length > 0) {
    if (resets.length > 0) out.push(`${I2}// registers without a reset value`);
    pushAll(out, enableGroups(p, I2, noReset));
  }
  pushAll(out, sramStatements(p, I2));
  out.push(`${INDENT}end`);
  return out;
}
