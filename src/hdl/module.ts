// ModuleBuilder: collects ports, wires, registers, memories and instances in creation order;
// elaborate() turns it into a ModuleDef. Declaration problems are collected, not thrown.
import { MxgenError } from './errors.js';
import { InstanceHandle } from './instance.js';
import { Memory, type MemOptions } from './mem.js';
import { isIdentifier, RESERVED_NAMES, configDigest } from './names.js';
import { atLoc, type Problem } from './problems.js';
import { RegHandle, type RegOptions } from './reg.js';
import { Sram, type SramOptions } from './sram.js';
import type { Shape } from './shape.js';
import { Input, Output, Wire } from './signal.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

export interface ModuleOptions {
  /** The generator config; its digest becomes ModuleDef.configDigest. */
  readonly config?: unknown;
  /** An explicit digest (instead of `config`). */
  readonly configDigest?: string;
}

export class ModuleBuilder {
  readonly site: LazyLoc | undefined;
  readonly configDigest: string | undefined;
  /** Ports in declaration order. */
  readonly ports: (Input | Output)[] = [];
  readonly wires: Wire[] = [];
  readonly regs: RegHandle[] = [];
  /** Register files and SRAMs in declaration order (the netlist's `mems`). */
  readonly mems: (Memory | Sram)[] = [];
  readonly instances: InstanceHandle[] = [];
  readonly problems: Problem[] = [];
  private readonly names = new Map<string, { what: string; site: LazyLoc | undefined }>();

  constructor(
    readonly name: string,
    opts: ModuleOptions = {},
  ) {
    if (typeof name !== 'string' || !isIdentifier(name))
      throw new MxgenError('name', `module name ${JSON.stringify(name)} is not an identifier`, {
        loc: here(),
        hint: 'use letters, digits and underscores, not starting with a digit',
      });
    this.site = captureLoc(new.target as unknown as Entry);
    this.configDigest =
      opts.configDigest ?? (opts.config === undefined ? undefined : configDigest(opts.config));
  }

  report(p: Problem): void {
    this.problems.push(p);
  }

  private declare(name: string, what: string, site: LazyLoc | undefined): void {
    const bad = typeof name !== 'string' || !isIdentifier(name);
    if (bad || RESERVED_NAMES.includes(name)) {
      this.report({
        kind: 'name',
        message: bad
          ? `${what} name ${JSON.stringify(name)} is not an identifier`
          : `${what} name ${name} is reserved for the implicit clock and reset`,
        hint: bad
          ? 'use letters, digits and underscores, not starting with a digit'
          : 'choose another name',
        site,
      });
      return;
    }
    const prev = this.names.get(name);
    if (prev) {
      this.report({
        kind: 'name',
        message: `module ${this.name} declares ${name} twice (${prev.what} and ${what})`,
        hint: 'give each port, wire, register, memory and instance its own name',
        notes: () => [`first declared ${atLoc(prev.site)}`],
        site,
      });
      return;
    }
    this.names.set(name, { what, site });
  }

  private checkShape(shape: Shape, what: string): void {
    if (typeof shape !== 'object' || shape === null || !Number.isInteger(shape.width))
      throw new MxgenError('shape', `${what}: expected a shape such as u(8) or s(8)`, {
        loc: here(),
        hint: 'build shapes with u(w) and s(w)',
      });
  }

  /** An input port. */
  input(name: string, shape: Shape): Input {
    this.checkShape(shape, `input ${name}`);
    const p = new Input(name, shape, this, this.input);
    this.declare(name, 'input', p.site);
    this.ports.push(p);
    return p;
  }

  /** An output port; drive it once with `.set(expr)`. */
  output(name: string, shape: Shape): Output {
    this.checkShape(shape, `output ${name}`);
    const p = new Output(name, shape, this, this.output);
    this.declare(name, 'output', p.site);
    this.ports.push(p);
    return p;
  }

  /** A named wire; drive it once with `.set(expr)`. */
  wire(name: string, shape: Shape): Wire {
    this.checkShape(shape, `wire ${name}`);
    const w = new Wire(name, shape, this, this.wire);
    this.declare(name, 'wire', w.site);
    this.wires.push(w);
    return w;
  }

  /** A register (reset value `init`, default 0; null = no reset); give it `.next(expr)`. */
  reg(name: string, shape: Shape, opts: RegOptions = {}): RegHandle {
    this.checkShape(shape, `reg ${name}`);
    const r = new RegHandle(name, shape, this, opts, this.reg);
    this.declare(name, 'reg', r.site);
    this.regs.push(r);
    return r;
  }

  /** A register file of `depth` words of `width` bits. */
  mem(name: string, opts: MemOptions): Memory {
    const m = new Memory(name, this, opts, this.mem);
    this.declare(name, 'mem', m.site);
    this.mems.push(m);
    return m;
  }

  /**
   * An SRAM of `depth` words of `width` bits: one synchronous read port, at most one write port,
   * no reset of the array, power-up content from the `init` image (see docs/hdl.md).
   */
  sram(name: string, opts: SramOptions): Sram {
    const m = new Sram(name, this, opts, this.sram);
    this.declare(name, 'sram', m.site);
    this.mems.push(m);
    return m;
  }

  /** An instance of `child`; connect its inputs, read its outputs. */
  instance(child: ModuleBuilder, name: string): InstanceHandle {
    if (!(child instanceof ModuleBuilder))
      throw new MxgenError('usage', `instance ${name}: expected a ModuleBuilder`, {
        loc: here(),
        hint: 'pass the builder returned by the generator',
      });
    if (child === this)
      throw new MxgenError('name', `module ${this.name} cannot instantiate itself`, {
        loc: here(),
        hint: 'hardware recursion must end at generate time: build a new child builder',
      });
    const inst = new InstanceHandle(this, child, name, this.instance);
    this.declare(name, 'instance', inst.site);
    this.instances.push(inst);
    return inst;
  }
}
