// Lowering of one ModuleBuilder to the nets, registers, memories and instances of a ModuleDef:
// builder nodes in creation order, each operand extended to the op width by its own sign,
// comparisons reduced to lt*/le* by swapping, neg to sub(0, x), constant shr to shrU/shrS + slice.
import type { Expr, RomRead } from './expr.js';
import type { Cell, CellOp, Driver, Instance, Mem, Net, Port, Ref, Reg } from './netlist.js';
import type { ModuleBuilder } from './module.js';
import type { MemRead } from './mem.js';
import { Sram, type SramRead } from './sram.js';
import type { InstOut } from './instance.js';
import { Output } from './signal.js';
import { type LazyLoc, resolveLoc } from './srcloc.js';
import { internalError } from './errors.js';

/** A net under construction (wire drivers are filled once every net exists). */
export interface DraftNet {
  width: number;
  signed: boolean;
  name?: string;
  hint?: string;
  driver: Driver;
  /** The call site, resolved only for modules that are kept (see toNet). */
  site: LazyLoc | undefined;
}

export interface Lowered {
  readonly nets: DraftNet[];
  readonly ports: Port[];
  readonly regs: Reg[];
  readonly mems: Mem[];
  /** Instances without the module name (filled by the caller, which knows the child defs). */
  readonly instances: Omit<Instance, 'module'>[];
}

/** Every node reachable from the module's handles and drivers, in creation order. */
function gather(b: ModuleBuilder): Expr[] {
  const roots: (Expr | undefined)[] = [...b.ports, ...b.wires, ...b.regs];
  for (const p of b.ports) if (p instanceof Output) roots.push(p.source);
  for (const w of b.wires) roots.push(w.source);
  for (const r of b.regs) roots.push(r.source, r.enable);
  for (const m of b.mems) {
    roots.push(...m.reads);
    for (const w of m.writes) roots.push(w.addr, w.data, w.en);
  }
  for (const i of b.instances) {
    roots.push(...i.allOutputs());
    for (const c of i.connections.values()) roots.push(c.expr);
  }
  const seen = new Set<Expr>();
  const stack: Expr[] = [];
  const visit = (x: Expr | undefined): void => {
    if (x === undefined || seen.has(x)) return;
    seen.add(x);
    stack.push(x);
  };
  roots.forEach(visit);
  while (stack.length > 0) {
    const x = stack.pop() as Expr;
    x.args.forEach(visit);
  }
  return [...seen].sort((x, y) => x.id - y.id);
}

export function lowerModule(b: ModuleBuilder): Lowered {
  const nets: DraftNet[] = [];
  const refs = new Map<Expr, Ref>();
  const cache = new Map<string, Ref>();
  const portIndex = new Map<Expr, number>(b.ports.map((p, i) => [p, i]));
  const regIndex = new Map<Expr, number>(b.regs.map((r, i) => [r, i]));
  const memIndex = new Map(b.mems.map((m, i) => [m, i]));
  const instIndex = new Map(b.instances.map((x, i) => [x, i]));

  const ref = (x: Expr): Ref => refs.get(x) as Ref;
  const push = (n: DraftNet): Ref => nets.push(n) - 1;
  let site: LazyLoc | undefined;

  const cell = (
    op: CellOp,
    width: number,
    signed: boolean,
    args: readonly Ref[],
    extra: Partial<Pick<Cell, 'value' | 'lo' | 'amount' | 'table'>> = {},
  ): Ref => push({ width, signed, driver: { kind: 'cell', cell: { op, args, ...extra } }, site });

  const constant = (value: bigint, width: number, signed: boolean): Ref => {
    const key = `c${width}:${value}`;
    let r = cache.get(key);
    if (r === undefined) cache.set(key, (r = cell('const', width, signed, [], { value })));
    return r;
  };

  /** `x` extended to `w` bits by its own (builder) sign. */
  const ext = (x: Expr, w: number): Ref => {
    const r = ref(x);
    if (x.width === w) return r;
    const op = x.signed ? 'sext' : 'zext';
    const key = `${op}${w}:${r}`;
    let e = cache.get(key);
    if (e === undefined) cache.set(key, (e = cell(op, w, x.signed, [r])));
    return e;
  };

  const lowerOp = (x: Expr): Ref => {
    const w = x.width;
    const sg = x.signed;
    const [a, b2] = x.args as [Expr, Expr];
    const p = x.params;
    switch (x.kind) {
      case 'add':
      case 'sub':
      case 'mul':
        return cell(x.kind, w, sg, [ext(a, w), ext(b2, w)]);
      case 'addWrap':
        return cell('add', w, sg, [ref(a), ref(b2)]);
      case 'subWrap':
        return cell('sub', w, sg, [ref(a), ref(b2)]);
      case 'mulWrap':
        return cell('mul', w, sg, [ref(a), ref(b2)]);
      case 'neg':
        return cell('sub', w, true, [constant(0n, w, true), ext(a, w)]);
      case 'and':
      case 'or':
      case 'xor':
        return cell(x.kind, w, sg, [ref(a), ref(b2)]);
      case 'not':
      case 'andR':
      case 'orR':
      case 'xorR':
        return cell(x.kind, w, sg, [ref(a)]);
      case 'eq':
      case 'ne':
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge': {
        const cw = Math.max(a.width, b2.width);
        const [ea, eb] = [ext(a, cw), ext(b2, cw)];
        const S = a.signed ? 'S' : 'U';
        if (x.kind === 'eq' || x.kind === 'ne') return cell(x.kind, 1, false, [ea, eb]);
        if (x.kind === 'lt') return cell(`lt${S}`, 1, false, [ea, eb]);
        if (x.kind === 'le') return cell(`le${S}`, 1, false, [ea, eb]);
        if (x.kind === 'gt') return cell(`lt${S}`, 1, false, [eb, ea]);
        return cell(`le${S}`, 1, false, [eb, ea]);
      }
      case 'shl':
        return cell('shl', w, sg, [ext(a, w)], { amount: p[0] as number });
      case 'shr': {
        const k = p[0] as number;
        if (!sg && k >= a.width) return constant(0n, 1, false);
        const amount = sg ? Math.min(k, a.width - 1) : k;
        if (amount === 0) return ref(a);
        const t = cell(sg ? 'shrS' : 'shrU', a.width, sg, [ref(a)], { amount });
        return w === a.width ? t : cell('slice', w, sg, [t], { lo: 0 });
      }
      case 'shlBy':
        return cell('shlV', w, sg, [ext(a, w), ref(b2)]);
      case 'shrBy':
        return cell(sg ? 'shrSV' : 'shrUV', w, sg, [ref(a), ref(b2)]);
      case 'mux':
        return cell('mux', w, sg, x.args.map(ref));
      case 'cat':
        return cell('concat', w, false, x.args.map(ref));
      case 'bits': {
        const lo = p[1] as number;
        if (lo === 0 && w === a.width) return ref(a);
        return cell('slice', w, false, [ref(a)], { lo });
      }
      case 'asSigned':
      case 'asUnsigned':
        return ref(a);
      case 'toSigned':
        return cell('zext', w, true, [ref(a)]);
      case 'extend':
        return ext(a, w);
      case 'trunc':
        return w === a.width ? ref(a) : cell('slice', w, sg, [ref(a)], { lo: 0 });
      default:
        throw internalError(`lowerOp: unexpected node kind ${x.kind}`);
    }
  };

  const named = (x: Expr & { name: string }, driver: Driver): Ref =>
    push({ width: x.width, signed: x.signed, name: x.name, driver, site });

  for (const x of gather(b)) {
    site = x.site;
    let r: Ref;
    switch (x.kind) {
      case 'input':
        r = named(x as Expr & { name: string }, { kind: 'input', port: portIndex.get(x) ?? -1 });
        break;
      case 'output':
      case 'wire':
        r = named(x as Expr & { name: string }, { kind: 'wire', src: -1 });
        break;
      case 'reg':
        r = named(x as Expr & { name: string }, { kind: 'reg', reg: regIndex.get(x) ?? -1 });
        break;
      case 'memRead': {
        const mr = x as MemRead | SramRead;
        const driver: Driver = { kind: 'memRead', mem: memIndex.get(mr.mem) ?? -1, port: mr.port };
        const hint = `${mr.mem.name}_r${mr.port}`;
        r = push({ width: x.width, signed: x.signed, hint, driver, site });
        break;
      }
      case 'instOut': {
        const io = x as InstOut;
        const inst = instIndex.get(io.instance) ?? -1;
        r = push({
          width: x.width,
          signed: x.signed,
          hint: `${io.instance.name}_${io.port}`,
          driver: { kind: 'inst', inst, port: io.port },
          site,
        });
        break;
      }
      case 'const':
        r = constant(x.value, x.width, x.signed);
        break;
      case 'rom':
        r = cell('rom', x.width, x.signed, [ref(x.args[0] as Expr)], {
          table: (x as RomRead).table,
        });
        break;
      default: {
        r = lowerOp(x);
        const n = nets[r];
        if (x.hint !== undefined && n && n.name === undefined && n.hint === undefined)
          if (n.driver.kind === 'cell' && n.driver.cell.op !== 'const')
            nets[r] = { ...n, hint: x.hint };
      }
    }
    refs.set(x, r);
  }
  return finish(b, nets, refs);
}

function finish(b: ModuleBuilder, nets: DraftNet[], refs: Map<Expr, Ref>): Lowered {
  const opt = (x: Expr | undefined): Ref => (x === undefined ? -1 : (refs.get(x) ?? -1));
  const ports: Port[] = b.ports.map((p) => {
    const net = opt(p);
    if (p instanceof Output)
      nets[net] = { ...(nets[net] as DraftNet), driver: wireOf(opt(p.source)) };
    return {
      name: p.name,
      dir: p.kind === 'input' ? 'in' : 'out',
      width: p.width,
      signed: p.signed,
      net,
      loc: resolveLoc(p.site),
    };
  });
  for (const w of b.wires) {
    const net = opt(w);
    nets[net] = { ...(nets[net] as DraftNet), driver: wireOf(opt(w.source)) };
  }
  const regs: Reg[] = b.regs.map((r) => ({
    name: r.name,
    width: r.width,
    q: opt(r),
    d: opt(r.source),
    init: r.init,
    ...(r.enable === undefined ? {} : { enable: opt(r.enable) }),
    loc: resolveLoc(r.site),
  }));
  const mems: Mem[] = b.mems.map((m) => ({
    name: m.name,
    kind: m instanceof Sram ? 'sram' : 'regfile',
    width: m.shape.width,
    depth: m.depth,
    ...(m instanceof Sram && m.init !== undefined ? { init: m.init } : {}),
    readPorts: m.reads.map((r) => ({
      addr: opt(r.args[0]),
      data: opt(r),
      ...(r.args[1] === undefined ? {} : { en: opt(r.args[1]) }),
    })),
    writePorts: m.writes
      .filter((w) => w.addr && w.data && w.en)
      .map((w) => ({ addr: opt(w.addr), data: opt(w.data), en: opt(w.en) })),
    loc: resolveLoc(m.site),
  }));
  const instances = b.instances.map((i) => ({
    name: i.name,
    inputs: i.child.ports
      .filter((p) => p.kind === 'input' && i.connections.get(p.name)?.expr !== undefined)
      .map((p) => ({ port: p.name, net: opt(i.connections.get(p.name)?.expr) })),
    loc: resolveLoc(i.site),
  }));
  return { nets, ports, regs, mems, instances };
}

const wireOf = (src: Ref): Driver => ({ kind: 'wire', src });

/** Drop the draft's mutability and undefined fields. */
export function toNet(d: DraftNet, withLoc = true): Net {
  return {
    width: d.width,
    signed: d.signed,
    ...(d.name === undefined ? {} : { name: d.name }),
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    driver: d.driver,
    loc: withLoc ? resolveLoc(d.site) : undefined,
  };
}
