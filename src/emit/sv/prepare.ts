// Stage 1 of emission: decide which nets get a declared name (user names, multi-use values,
// part-select bases, shrS results, long expressions), legalize every name, and compute the text
// of every net (its name, or its inlined expression).
import type { ModuleDef, Ref } from '../../hdl/index.js';
import { literal, renderCell, renderNativeMul, type Operand, type Term } from './expr.js';
import { Namer } from './names.js';
import { roleNames } from './roles.js';
import type { ResolvedOptions } from './options.js';
import { analyzeUsage, type Usage } from './usage.js';
import { internalError } from '../../hdl/index.js';

export interface PreparedModule {
  readonly def: ModuleDef;
  /** Legalized module name. */
  readonly name: string;
  readonly usage: Usage;
  /** SV name of each declared net (ports included); undefined for inlined nets. */
  readonly names: readonly (string | undefined)[];
  /** Index of the output port that carries each net under the port's own name, if any. */
  readonly outPortOf: ReadonlyMap<Ref, number>;
  /** SV names of the ports, in `def.ports` order. */
  readonly portNames: readonly string[];
  /** SV names of register-file words: `wordNames[mem][i]` (empty for an SRAM). */
  readonly wordNames: readonly (readonly string[])[];
  /** SV name of each SRAM's array (undefined for a register file). */
  readonly sramNames: readonly (string | undefined)[];
  /** Unnamed single-use cells and memory reads printed as the right-hand side of their wire. */
  readonly absorbed: ReadonlyMap<Ref, Ref>;
  /** SV names of instances. */
  readonly instNames: readonly string[];
  /** Text of a net as an operand. */
  term(r: Ref): Operand;
  /** The expression that drives a cell or wire net (for its own `assign`). */
  rhs(r: Ref): Term;
  /** Claims a fresh name in the module scope (used for unconnected instance outputs). */
  claim(wanted: string): string;
  /** Every name declared in the module scope so far (ports, nets, words, instances, ...). */
  readonly scopeNames: ReadonlySet<string>;
}

/** Nets whose driver forces a declaration regardless of use. */
function structurallyNamed(m: ModuleDef, u: Usage, r: Ref): boolean {
  const net = m.nets[r];
  if (!net) throw internalError(`internal: net ${r} missing`);
  if (net.name !== undefined || u.mustName.has(r)) return true;
  const k = net.driver.kind;
  if (k !== 'cell' && k !== 'wire') return true;
  if (net.driver.kind === 'cell' && net.driver.cell.op === 'const') return (u.uses[r] ?? 0) === 0;
  return (u.uses[r] ?? 0) !== 1;
}

/**
 * An unnamed single-use cell or memory read whose reader is a named wire: the wire's own assign
 * carries it (`assign w = $signed(a) >>> n;` keeps shrS the whole right-hand side; a long
 * expression needs no temporary). Maps such a net to the wire net.
 */
function absorbedIntoWires(m: ModuleDef, u: Usage): Map<Ref, Ref> {
  const out = new Map<Ref, Ref>();
  m.nets.forEach((net, r) => {
    if (net.driver.kind !== 'wire' || net.name === undefined) return;
    const src = net.driver.src;
    const s = m.nets[src];
    if (!s || s.name !== undefined || u.uses[src] !== 1) return;
    // A table is printed under the wire's name: its case assigns the wire (print.ts).
    if (u.tables.has(src)) {
      out.set(src, r);
      return;
    }
    // An SRAM's read data is a register: it keeps its own declaration.
    if (s.driver.kind === 'memRead' && m.mems[s.driver.mem]?.kind === 'sram') return;
    if (s.driver.kind === 'memRead' || s.driver.kind === 'cell') out.set(src, r);
  });
  return out;
}

function argsOf(m: ModuleDef, u: Usage, r: Ref): readonly Ref[] {
  const nm = u.nativeMul.get(r);
  if (nm) return nm.args;
  const d = m.nets[r]?.driver;
  if (d?.kind === 'cell') return d.cell.args;
  if (d?.kind === 'wire') return [d.src];
  return [];
}

/**
 * `belowNames(module)`: every SV name declared in that module and in the modules under it. An
 * instance is never named like one of them: Verilator -Wall reports VARHIDDEN when a signal of an
 * instantiated module (or deeper) has the name of the instance that holds it.
 */
export function prepareModule(
  m: ModuleDef,
  moduleName: (name: string) => string,
  opts: ResolvedOptions,
  belowNames: (module: string) => ReadonlySet<string> = () => new Set(),
): PreparedModule {
  const usage = analyzeUsage(m, opts.nativeProducts, opts.tablesAsCase);
  const absorbed = absorbedIntoWires(m, usage);
  const n = m.nets.length;
  const declared = new Array<boolean>(n).fill(false);
  const namer = new Namer();
  if (m.clocked) ['clk', 'rst'].forEach((s) => namer.reserve(s));
  const names: (string | undefined)[] = new Array<string | undefined>(n).fill(undefined);
  const outPortOf = new Map<Ref, number>();

  // Ports first, so that they keep their builder names.
  const portNames = m.ports.map((p, i) => {
    const name = namer.claim(p.name);
    const net = m.nets[p.net];
    // An output carries its net under the port's name when the net has that name, or has no
    // name and no other reader (`assign y = a + b;` instead of a temporary plus `assign y = t;`).
    const adopt =
      net !== undefined &&
      net.driver.kind !== 'input' &&
      !outPortOf.has(p.net) &&
      (net.name === p.name || (net.name === undefined && usage.uses[p.net] === 1));
    if (p.dir === 'in') names[p.net] = name;
    else if (adopt) {
      outPortOf.set(p.net, i);
      names[p.net] = name;
    }
    return name;
  });
  // Then every user name, in creation order.
  m.nets.forEach((net, r) => {
    if (names[r] === undefined && net.name !== undefined) names[r] = namer.claim(net.name);
  });
  m.regs.forEach((reg) => {
    if (names[reg.q] === undefined) names[reg.q] = namer.claim(reg.name);
  });
  const wordNames = m.mems.map((mem) =>
    mem.kind === 'sram'
      ? []
      : Array.from({ length: mem.depth }, (_, i) => namer.claim(`${mem.name}_${i}`)),
  );
  const sramNames = m.mems.map((mem) => (mem.kind === 'sram' ? namer.claim(mem.name) : undefined));
  const instNames = m.instances.map((inst) => namer.claim(inst.name, belowNames(inst.module)));

  // Decide inlining in post-order (iteratively: chains of temporaries can be long).
  const provisional: (Term | undefined)[] = new Array<Term | undefined>(n).fill(undefined);
  const tempName = (r: Ref): string => m.nets[r]?.hint ?? `_t${r}`;
  const onStack = new Array<boolean>(n).fill(false);
  const operandOf = (r: Ref, t: Term): Operand => ({ ...t, width: m.nets[r]?.width ?? 0 });
  const renderWith = (r: Ref, look: (a: Ref) => Term): Term => {
    const d = m.nets[r]?.driver;
    if (d?.kind === 'wire') return look(d.src);
    if (d?.kind !== 'cell') throw internalError(`internal: net ${r} cannot be inlined`);
    const w = m.nets[r]?.width ?? 0;
    const nm = usage.nativeMul.get(r);
    if (nm)
      return renderNativeMul(
        nm.signed,
        nm.args.map((a, i) => {
          const own = nm.narrow[i];
          const c = m.nets[a]?.driver;
          if (own === undefined || c?.kind !== 'cell') return operandOf(a, look(a));
          const v = (c.cell.value ?? 0n) & ((1n << BigInt(own)) - 1n);
          return { text: literal(own, v), atomic: true, width: own };
        }),
      );
    return renderCell(
      d.cell,
      w,
      d.cell.args.map((a) => operandOf(a, look(a))),
    );
  };
  for (let root = 0; root < n; root++) {
    if (provisional[root] || usage.bypassed.has(root)) continue;
    const stack: Ref[] = [root];
    while (stack.length > 0) {
      const r = stack[stack.length - 1] as Ref;
      if (provisional[r]) {
        stack.pop();
        continue;
      }
      const isAbsorbed = absorbed.has(r);
      if (isAbsorbed && usage.tables.has(r)) {
        provisional[r] = { text: '(table)', atomic: true };
        stack.pop();
        continue;
      }
      if (isAbsorbed && m.nets[r]?.driver.kind === 'memRead') {
        provisional[r] = { text: '(memory read)', atomic: true };
        stack.pop();
        continue;
      }
      if (!isAbsorbed && (names[r] !== undefined || structurallyNamed(m, usage, r))) {
        declared[r] = true;
        provisional[r] = { text: names[r] ?? tempName(r), atomic: true };
        stack.pop();
        continue;
      }
      const pending = argsOf(m, usage, r).filter((a) => !provisional[a]);
      if (pending.length > 0) {
        if (onStack[r]) throw internalError(`internal: combinational loop through net ${r}`);
        onStack[r] = true;
        for (const x of pending) stack.push(x);
        continue;
      }
      const t = renderWith(r, (a) => provisional[a] as Term);
      if (t.text.length > opts.inlineLimit && !isAbsorbed) {
        declared[r] = true;
        provisional[r] = { text: tempName(r), atomic: true };
      } else provisional[r] = t;
      onStack[r] = false;
      stack.pop();
    }
  }
  // Temporaries that got a declaration: role names (roles.ts), claimed in creation order. The
  // inlining above decided with the `_t<net>` placeholders, so a name's length never changes
  // which values are declared.
  const stem =
    opts.tempNames === 'index'
      ? tempName
      : roleNames(
          m,
          instNames,
          m.mems.map((mem, i) => sramNames[i] ?? mem.name),
        );
  for (let r = 0; r < n; r++)
    if (declared[r] && names[r] === undefined) names[r] = namer.claim(stem(r));

  const memo: (Term | undefined)[] = new Array<Term | undefined>(n).fill(undefined);
  const text = (r: Ref): Term => {
    const known = memo[r];
    if (known) return known;
    const name = names[r];
    const t: Term = name !== undefined ? { text: name, atomic: true } : renderWith(r, text);
    memo[r] = t;
    return t;
  };
  return {
    def: m,
    name: moduleName(m.name),
    usage,
    names,
    outPortOf,
    portNames,
    absorbed,
    wordNames,
    sramNames,
    instNames,
    term: (r) => operandOf(r, text(r)),
    rhs: (r) => renderWith(r, text),
    claim: (w) => namer.claim(w),
    scopeNames: namer.names,
  };
}
