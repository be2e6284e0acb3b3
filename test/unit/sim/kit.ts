// Hand-built netlists for the simulator tests (independent of the builder in src/hdl).
import type {
  CellOp,
  Driver,
  Instance,
  Mem,
  ModuleDef,
  Net,
  Netlist,
  Port,
  Reg,
} from '../../../src/hdl/index.js';

interface MutReg {
  name: string;
  width: number;
  q: number;
  d: number;
  init: bigint | null;
  enable?: number;
  loc: string | undefined;
}

export class Kit {
  readonly nets: Net[] = [];
  readonly ports: Port[] = [];
  readonly regs: MutReg[] = [];
  readonly mems: Mem[] = [];
  readonly instances: Instance[] = [];

  constructor(readonly name: string) {}

  private net(width: number, driver: Driver, name?: string, signed = false): number {
    this.nets.push({ width, signed, name, driver, loc: name ? `kit/${this.name}.ts:${this.nets.length + 1}:1` : undefined });
    return this.nets.length - 1;
  }

  input(name: string, width: number, signed = false): number {
    const net = this.net(width, { kind: 'input', port: this.ports.length }, name, signed);
    this.ports.push({ name, dir: 'in', width, signed, net, loc: undefined });
    return net;
  }

  output(name: string, src: number, signed = false): number {
    const width = this.widthOf(src);
    const net = this.net(width, { kind: 'wire', src }, name, signed);
    this.ports.push({ name, dir: 'out', width, signed, net, loc: undefined });
    return net;
  }

  widthOf(r: number): number {
    const n = this.nets[r];
    if (!n) throw new Error(`no net ${r}`);
    return n.width;
  }

  cell(op: CellOp, width: number, args: number[], extra: { lo?: number; amount?: number; value?: bigint; table?: readonly bigint[]; name?: string } = {}): number {
    const { name, ...rest } = extra;
    return this.net(width, { kind: 'cell', cell: { op, args, ...rest } }, name);
  }

  lit(value: bigint, width: number): number {
    return this.cell('const', width, [], { value });
  }

  wire(name: string, src: number): number {
    return this.net(this.widthOf(src), { kind: 'wire', src }, name);
  }

  /** A register; set `.d` afterwards with `next`. */
  reg(name: string, width: number, init: bigint | null, enable?: number): number {
    const q = this.net(width, { kind: 'reg', reg: this.regs.length }, name);
    this.regs.push({ name, width, q, d: q, init, enable, loc: undefined });
    return q;
  }

  next(q: number, d: number): void {
    const r = this.regs.find((x) => x.q === q);
    if (!r) throw new Error('not a register');
    r.d = d;
  }

  mem(name: string, width: number, depth: number, reads: number[], writes: { addr: number; data: number; en: number }[]): number[] {
    const mi = this.mems.length;
    const readPorts = reads.map((addr, port) => ({ addr, data: this.net(width, { kind: 'memRead', mem: mi, port }, `${name}_rd${port}`) }));
    this.mems.push({ name, width, depth, readPorts, writePorts: writes, loc: undefined });
    return readPorts.map((p) => p.data);
  }

  inst(name: string, mod: ModuleDef, inputs: Record<string, number>): Record<string, number> {
    const ii = this.instances.length;
    this.instances.push({ name, module: mod.name, inputs: Object.entries(inputs).map(([port, net]) => ({ port, net })), loc: undefined });
    const outs: Record<string, number> = {};
    for (const p of mod.ports) if (p.dir === 'out') outs[p.name] = this.net(p.width, { kind: 'inst', inst: ii, port: p.name }, `${name}_${p.name}`);
    return outs;
  }

  def(clocked = this.regs.length > 0 || this.mems.length > 0): ModuleDef {
    const regs: Reg[] = this.regs.map((r) => ({ ...r }));
    return { name: this.name, ports: this.ports, nets: this.nets, regs, mems: this.mems, instances: this.instances, clocked, loc: undefined };
  }
}

export function netlist(...modules: ModuleDef[]): Netlist {
  const top = modules[modules.length - 1];
  if (!top) throw new Error('no modules');
  return { top: top.name, modules };
}

/** A single-cell design: inputs a, b, ... of the given widths, output y. */
export function oneCell(op: CellOp, w: number, argWidths: number[], extra: { lo?: number; amount?: number; value?: bigint } = {}): Netlist {
  const k = new Kit(`t_${op}`);
  const args = argWidths.map((aw, i) => k.input(String.fromCharCode(97 + i), aw));
  k.output('y', k.cell(op, w, args, extra));
  return netlist(k.def(false));
}
