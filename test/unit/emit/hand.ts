// Hand-built netlists for emitter tests that must not depend on the builder: a tiny mutable
// helper that produces a frozen-shaped ModuleDef.
import type {
  Cell,
  Driver,
  Instance,
  Mem,
  ModuleDef,
  Net,
  Port,
  Ref,
  Reg,
} from '../../../src/hdl/index.js';

export class HandModule {
  readonly nets: Net[] = [];
  readonly ports: Port[] = [];
  readonly regs: Reg[] = [];
  readonly mems: Mem[] = [];
  readonly instances: Instance[] = [];

  constructor(
    readonly name: string,
    readonly clocked = false,
  ) {}

  net(width: number, driver: Driver, name?: string, hint?: string): Ref {
    this.nets.push({ width, signed: false, name, hint, driver, loc: undefined });
    return this.nets.length - 1;
  }

  input(name: string, width: number): Ref {
    const r = this.net(width, { kind: 'input', port: this.ports.length }, name);
    this.ports.push({ name, dir: 'in', width, signed: false, net: r, loc: undefined });
    return r;
  }

  output(name: string, net: Ref): void {
    const width = this.nets[net]?.width ?? 0;
    this.ports.push({ name, dir: 'out', width, signed: false, net, loc: undefined });
  }

  cell(width: number, cell: Cell, name?: string): Ref {
    return this.net(width, { kind: 'cell', cell }, name);
  }

  op(op: Cell['op'], width: number, args: Ref[], extra: Partial<Cell> = {}, name?: string): Ref {
    return this.cell(width, { op, args, ...extra }, name);
  }

  const(width: number, value: bigint, name?: string): Ref {
    return this.cell(width, { op: 'const', args: [], value }, name);
  }

  /** A register whose `d` is connected later with `setD`. */
  reg(name: string, width: number, init: bigint | null, enable?: Ref): Ref {
    const q = this.net(width, { kind: 'reg', reg: this.regs.length }, name);
    this.regs.push({ name, width, q, d: -1, init, enable, loc: undefined });
    return q;
  }

  setD(q: Ref, d: Ref): void {
    const i = this.regs.findIndex((r) => r.q === q);
    const r = this.regs[i];
    if (!r) throw new Error('no such register');
    this.regs[i] = { ...r, d };
  }

  def(configDigest?: string): ModuleDef {
    return {
      name: this.name,
      ports: this.ports,
      nets: this.nets,
      regs: this.regs,
      mems: this.mems,
      instances: this.instances,
      clocked: this.clocked,
      configDigest,
      loc: undefined,
    };
  }
}
