// Flattens a Netlist's instance tree into one list of storage slots with hierarchical names.
// Aliases (wires, instance port connections) resolve to the slot of the value's one real driver:
// a top input, a constant, a combinational cell, a register output or a memory read port.
import { combLoopError } from './levelize.js';
import { MxgenError, type CellOp, type Instance, type ModuleDef, type Netlist } from '../hdl/index.js';

export type SlotDef =
  | { readonly kind: 'input'; readonly port: string }
  | { readonly kind: 'const'; readonly value: bigint }
  | {
      readonly kind: 'cell';
      readonly op: CellOp;
      readonly args: readonly number[];
      readonly lo?: number;
      readonly amount?: number;
      /** `rom` only: the table (netlist.ts). */
      readonly table?: readonly bigint[];
    }
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'memRead'; readonly mem: number; readonly addr: number }
  /**
   * Made by the simulator's simplification only (optimize.ts), never by flatten: a constant
   * table read, `index < values.length ? values[index] : dflt` (a chain of muxes selecting
   * constants by comparing one value with constants: a ROM written as `?:`).
   */
  | {
      readonly kind: 'table';
      readonly index: number;
      readonly values: readonly number[];
      readonly dflt: number;
      /**
       * With `lo`: the index is the field index[lo +: log2(values.length)] (values has a power of
       * 2 entries, every field value has one): a tree of muxes on the bits of a field.
       */
      readonly lo?: number;
    }
  /**
   * Made by optimize.ts only: a priority encoder over bits [lo, lo + n) of `src` (n <= 32),
   * `values[h]` for the highest set bit h of that field (`up`; the lowest set bit when not
   * `up`), `dflt` when none is set (a chain `src[lo+k] ? C_k : (... : dflt)` of muxes selecting
   * constants by consecutive bits: the leading-zero count of a float normalizer).
   */
  | {
      readonly kind: 'prio';
      readonly src: number;
      readonly lo: number;
      readonly n: number;
      readonly up: boolean;
      readonly values: readonly number[];
      readonly dflt: number;
    };

export interface Slot {
  readonly width: number;
  /** Hierarchical name (or hint / `_t<net>` for temporaries), for errors and dumps. */
  readonly label: string;
  readonly loc: string | undefined;
  readonly def: SlotDef;
}

export interface FlatReg {
  readonly name: string;
  readonly width: number;
  readonly q: number;
  readonly d: number;
  readonly en: number | undefined;
  readonly init: bigint | null;
}

export interface FlatMem {
  readonly name: string;
  readonly width: number;
  readonly depth: number;
  /** An SRAM: not cleared by reset; its read port is a register (see flatten). */
  readonly sram: boolean;
  /** SRAM only: the init image's file name. */
  readonly init?: string;
  readonly reads: readonly { readonly addr: number; readonly data: number }[];
  readonly writes: readonly { readonly addr: number; readonly data: number; readonly en: number }[];
}

export interface FlatPort {
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: number;
  readonly signed: boolean;
  readonly slot: number;
}

export interface FlatSignal {
  /** Hierarchical name, `u_pe_0_1.acc`. */
  readonly name: string;
  /** Instance path of the enclosing scope (empty for the top module). */
  readonly scope: readonly string[];
  /** Name inside its module. */
  readonly leaf: string;
  readonly width: number;
  readonly signed: boolean;
  readonly slot: number;
}

export interface FlatDesign {
  readonly top: string;
  readonly clocked: boolean;
  readonly slots: readonly Slot[];
  readonly regs: readonly FlatReg[];
  readonly mems: readonly FlatMem[];
  readonly ports: readonly FlatPort[];
  readonly signals: readonly FlatSignal[];
}

interface Scope {
  readonly mod: ModuleDef;
  readonly path: readonly string[];
  readonly parent: Scope | undefined;
  /** The instance (in `parent`) this scope is. */
  readonly inst: Instance | undefined;
  readonly children: Scope[];
  /** Index of this scope's first memory in the flat memory list. */
  readonly memBase: number;
  /** `u_a.u_b.` (empty for the top module). */
  readonly prefix: string;
  /** Slot per net; -1 unresolved, -2 being resolved. */
  readonly slotOf: Int32Array;
  /** Per memory of this module: the combinational `mem[addr]` slot of an SRAM's read port. */
  readonly sramRead: Map<number, number>;
}

const prefixOf = (path: readonly string[]): string => path.map((p) => `${p}.`).join('');

export function flatten(nl: Netlist): FlatDesign {
  const byName = new Map(nl.modules.map((m) => [m.name, m]));
  const lookup = (name: string, from: string): ModuleDef => {
    const m = byName.get(name);
    if (!m) throw new MxgenError('driver', `module ${from} instantiates ${name}, which the netlist lacks`);
    return m;
  };
  const top = lookup(nl.top, 'the netlist top');
  const slots: Slot[] = [];
  const regs: FlatReg[] = [];
  const mems: FlatMem[] = [];
  const scopes: Scope[] = [];

  const labelOf = (s: Scope, net: number): string => {
    const n = s.mod.nets[net];
    return s.prefix + (n?.name ?? n?.hint ?? `_t${net}`);
  };

  // Pass 1: scopes in depth-first order; a slot for every net that owns its value.
  const build = (mod: ModuleDef, path: string[], parent?: Scope, inst?: Instance): Scope => {
    const memBase = mems.length;
    const slotOf = new Int32Array(mod.nets.length).fill(-1);
    const prefix = prefixOf(path);
    const sramRead = new Map<number, number>();
    const scope: Scope = { mod, path, parent, inst, children: [], memBase, slotOf, prefix, sramRead };
    scopes.push(scope);
    mod.nets.forEach((net, i) => {
      const d = net.driver;
      let def: SlotDef | undefined;
      if (d.kind === 'input' && !parent) def = { kind: 'input', port: mod.ports[d.port]?.name ?? '' };
      else if (d.kind === 'cell' && d.cell.op === 'const') def = { kind: 'const', value: d.cell.value ?? 0n };
      else if (d.kind === 'cell') def = { kind: 'cell', op: d.cell.op, args: [], lo: d.cell.lo, amount: d.cell.amount, ...(d.cell.table ? { table: d.cell.table } : {}) };
      else if (d.kind === 'reg') def = { kind: 'reg', reg: -1 };
      else if (d.kind === 'memRead' && mod.mems[d.mem]?.kind === 'sram') def = { kind: 'reg', reg: -1 };
      else if (d.kind === 'memRead') def = { kind: 'memRead', mem: memBase + d.mem, addr: -1 };
      if (!def) return;
      scope.slotOf[i] = slots.length;
      slots.push({ width: net.width, label: labelOf(scope, i), loc: net.loc, def });
    });
    // An SRAM's read port is a register without reset (q = the read data net, en = the read
    // enable) whose d is a combinational `mem[addr]` slot: it samples the words as they were
    // before the edge, so a read of the address being written returns the old word.
    mod.mems.forEach((m, mi) => {
      const sram = m.kind === 'sram';
      mems.push({ name: prefix + m.name, width: m.width, depth: m.depth, sram, ...(m.init === undefined ? {} : { init: m.init }), reads: [], writes: [] });
      if (!sram || m.readPorts.length === 0) return;
      sramRead.set(mi, slots.length);
      slots.push({ width: m.width, label: `${prefix}${m.name}_rdata`, loc: m.loc, def: { kind: 'memRead', mem: memBase + mi, addr: -1 } });
    });
    for (const ins of mod.instances)
      scope.children.push(build(lookup(ins.module, mod.name), [...path, ins.name], scope, ins));
    return scope;
  };
  build(top, []);

  // Pass 2: resolve aliases iteratively (wire chains can be long); an alias cycle is a comb loop.
  const resolve = (scope0: Scope, net0: number): number => {
    const path: [Scope, number][] = [];
    let s = scope0;
    let n = net0;
    let slot = s.slotOf[n] ?? -1;
    while (slot < 0) {
      if (slot === -2) {
        const start = path.findIndex(([ps, pn]) => ps === s && pn === n);
        throw combLoopError(path.slice(start).map(([ps, pn]) => [labelOf(ps, pn), ps.mod.nets[pn]?.loc]));
      }
      s.slotOf[n] = -2;
      path.push([s, n]);
      [s, n] = aliasNext(s, n);
      slot = s.slotOf[n] ?? -1;
    }
    for (const [ps, pn] of path) ps.slotOf[pn] = slot;
    return slot;
  };

  const aliasNext = (s: Scope, n: number): [Scope, number] => {
    const net = s.mod.nets[n];
    if (!net) throw new MxgenError('driver', `module ${s.mod.name} refers to net ${n}, which does not exist`);
    const d = net.driver;
    if (d.kind === 'wire') return [s, d.src];
    if (d.kind === 'input' && s.parent && s.inst) {
      const portName = s.mod.ports[d.port]?.name;
      const conn = s.inst.inputs.find((c) => c.port === portName);
      if (!conn)
        throw new MxgenError('driver', `input ${portName ?? d.port} of instance ${prefixOf(s.path).slice(0, -1)} is not connected`, {
          loc: s.inst.loc,
          hint: 'connect every input port of an instance exactly once',
        });
      return [s.parent, conn.net];
    }
    if (d.kind === 'inst') {
      const child = s.children[d.inst];
      const port = child?.mod.ports.find((p) => p.name === d.port && p.dir === 'out');
      if (!child || !port)
        throw new MxgenError('driver', `net ${labelOf(s, n)} reads output ${d.port} of instance ${d.inst}, which does not exist`, { loc: net.loc });
      return [child, port.net];
    }
    throw new MxgenError('driver', `net ${labelOf(s, n)} has no driver the simulator understands`, { loc: net.loc });
  };

  for (const scope of scopes) fillScope(scope, slots, regs, mems, resolve, scope.prefix);

  const ports: FlatPort[] = top.ports.map((p) => ({
    name: p.name,
    dir: p.dir,
    width: p.width,
    signed: p.signed,
    slot: resolve(scopes[0] as Scope, p.net),
  }));
  const signals: FlatSignal[] = [];
  const seen = new Set<string>();
  for (const scope of scopes) {
    scope.mod.nets.forEach((net, i) => {
      if (net.name === undefined) return;
      const name = scope.prefix + net.name;
      if (seen.has(name)) return;
      seen.add(name);
      signals.push({ name, scope: scope.path, leaf: net.name, width: net.width, signed: net.signed, slot: resolve(scope, i) });
    });
  }
  return { top: top.name, clocked: top.clocked, slots, regs, mems, ports, signals };
}

/** Fills cell arguments, registers and memory ports of one scope (slots already allocated). */
function fillScope(
  scope: Scope,
  slots: Slot[],
  regs: FlatReg[],
  mems: FlatMem[],
  resolve: (s: Scope, n: number) => number,
  prefix: string,
): void {
  const { mod } = scope;
  const memBase = scope.memBase;
  const regIndex = new Map<number, number>();
  for (const r of mod.regs) {
    regIndex.set(r.q, regs.length);
    regs.push({
      name: prefix + r.name,
      width: r.width,
      q: resolve(scope, r.q),
      d: resolve(scope, r.d),
      en: r.enable === undefined ? undefined : resolve(scope, r.enable),
      init: r.init,
    });
  }
  mod.mems.forEach((m, mi) => {
    const fm = mems[memBase + mi] as FlatMem;
    const reads = fm.reads as { addr: number; data: number }[];
    const writes = fm.writes as { addr: number; data: number; en: number }[];
    const comb = scope.sramRead.get(mi);
    if (comb !== undefined) {
      const rp = m.readPorts[0];
      const c = slots[comb] as Slot;
      if (!rp || c.def.kind !== 'memRead') throw new MxgenError('driver', `sram ${prefix}${m.name} has no read port`, { loc: m.loc });
      const addr = resolve(scope, rp.addr);
      slots[comb] = { ...c, def: { ...c.def, addr } };
      const q = resolve(scope, rp.data);
      const qs = slots[q] as Slot;
      slots[q] = { ...qs, def: { kind: 'reg', reg: regs.length } };
      regs.push({ name: `${prefix}${m.name}_rdata`, width: m.width, q, d: comb, en: rp.en === undefined ? undefined : resolve(scope, rp.en), init: null });
      reads.push({ addr, data: comb });
    } else for (const rp of m.readPorts) reads.push({ addr: resolve(scope, rp.addr), data: resolve(scope, rp.data) });
    for (const wp of m.writePorts)
      writes.push({ addr: resolve(scope, wp.addr), data: resolve(scope, wp.data), en: resolve(scope, wp.en) });
  });
  mod.nets.forEach((net, i) => {
    const slot = scope.slotOf[i] ?? -1;
    const s = slots[slot];
    const d = net.driver;
    if (slot < 0 || !s) return;
    if (d.kind === 'cell' && s.def.kind === 'cell') {
      slots[slot] = { ...s, def: { ...s.def, args: d.cell.args.map((a) => resolve(scope, a)) } };
    } else if (d.kind === 'reg' && s.def.kind === 'reg') {
      const q = mod.regs[d.reg]?.q;
      const ri = q === undefined ? undefined : regIndex.get(q);
      if (ri === undefined) throw new MxgenError('driver', `net ${s.label} is the output of register ${d.reg}, which does not exist`, { loc: net.loc });
      slots[slot] = { ...s, def: { kind: 'reg', reg: ri } };
    } else if (d.kind === 'memRead' && s.def.kind === 'memRead') {
      const rp = mod.mems[d.mem]?.readPorts[d.port];
      if (!rp) throw new MxgenError('driver', `net ${s.label} reads memory ${d.mem} port ${d.port}, which does not exist`, { loc: net.loc });
      slots[slot] = { ...s, def: { ...s.def, addr: resolve(scope, rp.addr) } };
    }
  });
}
