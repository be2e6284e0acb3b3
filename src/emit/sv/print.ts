// Stage 2 of emission: a plain printer over a prepared module. Layout: header, ANSI port list,
// declarations, assigns (creation order), instances, the one always_ff block.
import type { Ref, SrcLoc } from '../../hdl/index.js';
import type { ResolvedOptions } from './options.js';
import type { PreparedModule } from './prepare.js';
import { declaredWords, memReadRhs, printAlwaysFf, wordIsRead } from './print-seq.js';
import { sramDecl, sramInitials } from './print-sram.js';
import { describeUnused, unusedRanges } from './usage.js';
import { literal } from './expr.js';
import {
  INDENT,
  pushAll,
  alignedAssigns,
  joinComments,
  logicDecl,
  range,
  waived,
  mergeWaivers,
  withComment,
  wrapConcat,
} from './writer.js';
import { internalError } from '../../hdl/index.js';

export interface ModuleContext {
  readonly opts: ResolvedOptions;
  /** The prepared module of an instantiated definition. */
  readonly lookup: (name: string) => PreparedModule;
}

interface Decl {
  width: number;
  name: string;
  unused: string | null;
  loc: SrcLoc;
}

const LINE_MAX = 100;

function locText(ctx: ModuleContext, loc: SrcLoc): string | undefined {
  if (ctx.opts.locations !== 'relative' || !loc || loc.startsWith('/')) return undefined;
  return loc;
}

function unusedOf(p: PreparedModule, r: Ref): string | null {
  const w = p.def.nets[r]?.width ?? 1;
  return describeUnused(unusedRanges(p.usage.bits[r] ?? [], w), w);
}

/**
 * Whether `rst` is read: by a register with a reset value, a register file, or a clocked
 * instance (an SRAM has no reset).
 */
function usesRst(p: PreparedModule, ctx: ModuleContext): boolean {
  const m = p.def;
  return (
    m.regs.some((r) => r.init !== null) ||
    m.mems.some((mem) => mem.kind !== 'sram') ||
    m.instances.some((i) => ctx.lookup(i.module).def.clocked)
  );
}

function printPorts(p: PreparedModule, ctx: ModuleContext): string[] {
  const m = p.def;
  const rows: { dir: string; width: number; name: string; unused: string | null; loc: SrcLoc }[] =
    [];
  if (m.clocked) {
    const clocks = usesRst(p, ctx) || p.def.regs.length > 0 || p.def.mems.length > 0;
    const clkUnused = clocks ? null : 'nothing here is clocked';
    rows.push({ dir: 'input', width: 1, name: 'clk', unused: clkUnused, loc: undefined });
    const why = usesRst(p, ctx) ? null : 'no register here has a reset value';
    rows.push({ dir: 'input', width: 1, name: 'rst', unused: why, loc: undefined });
  }
  m.ports.forEach((port, i) => {
    const unused = port.dir === 'in' ? unusedOf(p, port.net) : null;
    rows.push({
      dir: port.dir === 'in' ? 'input' : 'output',
      width: port.width,
      name: p.portNames[i] ?? port.name,
      unused,
      loc: port.loc,
    });
  });
  const rw = rows.reduce((m, r) => Math.max(m, range(r.width).length), 0);
  const out: string[] = [];
  rows.forEach((r, i) => {
    const comma = i === rows.length - 1 ? '' : ',';
    const line = `${r.dir.padEnd(6)} ${logicDecl(r.width, r.name, rw)}${comma}`;
    const text = withComment(line, joinComments(r.unused, locText(ctx, r.loc)));
    pushAll(out, waived(INDENT, text, r.unused));
  });
  return mergeWaivers(out);
}

function collectDecls(p: PreparedModule, ctx: ModuleContext, extra: readonly Decl[]): Decl[] {
  const m = p.def;
  const decls: Decl[] = [];
  m.nets.forEach((net, r) => {
    const name = p.names[r];
    if (name === undefined || net.driver.kind === 'input' || p.outPortOf.has(r)) return;
    decls.push({ width: net.width, name, unused: unusedOf(p, r), loc: net.loc });
  });
  m.mems.forEach((mem, mi) => {
    if (mem.kind === 'sram') return;
    for (const i of declaredWords(p, mem)) {
      const unused = wordIsRead(p, mem, i) ? null : 'no read port reaches this word';
      decls.push({ width: mem.width, name: p.wordNames[mi]?.[i] ?? '', unused, loc: mem.loc });
    }
  });
  void ctx;
  return [...decls, ...extra];
}

/** The SRAM arrays (an array no port reads is waived as unused). */
function printSramDecls(p: PreparedModule, ctx: ModuleContext): string[] {
  const out: string[] = [];
  p.def.mems.forEach((mem, mi) => {
    if (mem.kind !== 'sram') return;
    const unused = mem.readPorts.length > 0 ? null : 'no read port';
    const text = withComment(
      sramDecl(mem, p.sramNames[mi] ?? mem.name),
      joinComments(unused, locText(ctx, mem.loc)),
    );
    pushAll(out, waived(INDENT, text, unused));
  });
  pushAll(out, sramInitials(p, INDENT));
  return mergeWaivers(out);
}

function printDecls(decls: readonly Decl[], ctx: ModuleContext): string[] {
  const rw = decls.reduce((m, d) => Math.max(m, range(d.width).length), 0);
  const out: string[] = [];
  for (const d of decls) {
    const text = withComment(
      `${logicDecl(d.width, d.name, rw)};`,
      joinComments(d.unused, locText(ctx, d.loc)),
    );
    pushAll(out, waived(INDENT, text, d.unused));
  }
  return mergeWaivers(out);
}

function printAssigns(p: PreparedModule): string[] {
  const m = p.def;
  const rows: { lhs: string; rhs: string[] }[] = [];
  const wrap = (text: string): string[] => wrapConcat(text, LINE_MAX - 30);
  m.nets.forEach((net, r) => {
    const name = p.names[r];
    if (name === undefined) return;
    const d = net.driver;
    const read = (x: Ref): string[] => {
      const rd = m.nets[x]?.driver;
      const port = rd?.kind === 'memRead' ? m.mems[rd.mem]?.readPorts[rd.port] : undefined;
      if (rd?.kind !== 'memRead' || !port)
        throw internalError(`internal: net ${x} is no memory read`);
      return memReadRhs(p, rd.mem, port.addr);
    };
    const absorbedRead = d.kind === 'wire' && m.nets[d.src]?.driver.kind === 'memRead';
    if (d.kind === 'wire' && absorbedRead && p.absorbed.get(d.src) === r)
      rows.push({ lhs: name, rhs: read(d.src) });
    else if (p.usage.tables.has(r)) return;
    else if (d.kind === 'wire' && p.usage.tables.has(d.src) && p.absorbed.get(d.src) === r) return;
    else if (d.kind === 'cell' || d.kind === 'wire')
      rows.push({ lhs: name, rhs: wrap(p.rhs(r).text) });
    else if (d.kind === 'memRead' && m.mems[d.mem]?.kind !== 'sram')
      rows.push({ lhs: name, rhs: read(r) });
  });
  m.ports.forEach((port, i) => {
    if (port.dir === 'out' && p.outPortOf.get(port.net) !== i)
      rows.push({ lhs: p.portNames[i] ?? port.name, rhs: wrap(p.term(port.net).text) });
  });
  return alignedAssigns(INDENT, 'assign ', '=', rows);
}

/** Constant tables: one `always_comb` block with a `case` each (tables.ts). */
function printTables(p: PreparedModule): string[] {
  const out: string[] = [];
  for (const [r, t] of [...p.usage.tables].sort((a, b) => a[0] - b[0])) {
    // An unnamed table read only by a named wire assigns that wire (prepare.ts absorbs it).
    const wire = p.absorbed.get(r);
    const name = p.names[r] ?? (wire === undefined ? undefined : p.names[wire]);
    const width = p.def.nets[r]?.width ?? 0;
    const iw = p.def.nets[t.index]?.width ?? 0;
    if (name === undefined) throw internalError(`internal: table ${r} has no name`);
    // The most frequent value is the default; the others are listed in index order.
    const count = new Map<bigint, number>();
    for (const v of t.values) count.set(v, (count.get(v) ?? 0) + 1);
    let dflt = t.values[0] ?? 0n;
    for (const [v, k] of count) if (k > (count.get(dflt) ?? 0)) dflt = v;
    // A rom shorter than its index's range reads 0 past its end.
    if (t.values.length < 2 ** iw) dflt = 0n;
    const rows: { lhs: string; rhs: string[] }[] = [];
    t.values.forEach((v, i) => {
      if (v !== dflt) rows.push({ lhs: `${iw}'d${i}:`, rhs: [literal(width, v)] });
    });
    rows.push({ lhs: 'default:', rhs: [literal(width, dflt)] });
    if (out.length > 0) out.push('');
    out.push(`${INDENT}always_comb begin`, `${INDENT}${INDENT}case (${p.term(t.index).text})`);
    for (const line of alignedAssigns(`${INDENT}${INDENT}${INDENT}`, '', `${name} =`, rows))
      out.push(line);
    out.push(`${INDENT}${INDENT}endcase`, `${INDENT}end`);
  }
  return out;
}

function printInstances(p: PreparedModule, ctx: ModuleContext): { lines: string[]; extra: Decl[] } {
  const m = p.def;
  const lines: string[] = [];
  const extra: Decl[] = [];
  const outNet = new Map<string, Ref>();
  m.nets.forEach((n, r) => {
    if (n.driver.kind === 'inst') outNet.set(`${n.driver.inst}.${n.driver.port}`, r);
  });
  m.instances.forEach((inst, ii) => {
    const child = ctx.lookup(inst.module);
    const instName = p.instNames[ii] ?? inst.name;
    const conns: { port: string; text: string }[] = [];
    if (child.def.clocked) conns.push({ port: 'clk', text: 'clk' }, { port: 'rst', text: 'rst' });
    child.def.ports.forEach((cp, ci) => {
      const svPort = child.portNames[ci] ?? cp.name;
      if (cp.dir === 'in') {
        const c = inst.inputs.find((x) => x.port === cp.name);
        if (!c) throw internalError(`internal: ${inst.name}.${cp.name} is not connected`);
        conns.push({ port: svPort, text: p.term(c.net).text });
        return;
      }
      const r = outNet.get(`${ii}.${cp.name}`);
      if (r !== undefined) conns.push({ port: svPort, text: p.names[r] ?? p.term(r).text });
      else {
        const name = p.claim(`${instName}_${cp.name}_unused`);
        extra.push({
          width: cp.width,
          name,
          unused: `output ${cp.name} of ${instName} not used`,
          loc: inst.loc,
        });
        conns.push({ port: svPort, text: name });
      }
    });
    const pw = conns.reduce((m, c) => Math.max(m, c.port.length), 0);
    if (lines.length > 0) lines.push('');
    const loc = locText(ctx, inst.loc);
    lines.push(withComment(`${INDENT}${child.name} ${instName} (`, loc));
    conns.forEach((c, i) =>
      lines.push(
        `${INDENT}${INDENT}.${c.port.padEnd(pw)} (${c.text})${i < conns.length - 1 ? ',' : ''}`,
      ),
    );
    lines.push(`${INDENT});`);
  });
  return { lines, extra };
}

/** The text of one module from `module` to `endmodule` (ending with a newline). */
export function printModule(p: PreparedModule, ctx: ModuleContext): string {
  const inst = printInstances(p, ctx);
  const sections = [
    printDecls(collectDecls(p, ctx, inst.extra), ctx),
    printSramDecls(p, ctx),
    printAssigns(p),
    printTables(p),
    inst.lines,
    printAlwaysFf(p),
  ].filter((s) => s.length > 0);
  const out = [`module ${p.name} (`];
  pushAll(out, printPorts(p, ctx));
  out.push(');');
  sections.forEach((s, i) => {
    if (i > 0) out.push('');
    pushAll(out, s);
  });
  out.push('endmodule', '');
  return out.join('\n');
}
