// Instances of another module: inputs connected once each with the identical shape, outputs
// read as expressions of the parent.
import { Expr, type ExprLike } from './expr.js';
import { MxgenError } from './errors.js';
import { atLoc } from './problems.js';
import type { Shape } from './shape.js';
import { checkAssign, type Input, type Output, type SignalOwner } from './signal.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

/** What an instance needs of the instantiated module. */
export interface ChildModule {
  readonly name: string;
  readonly ports: readonly (Input | Output)[];
}

/** An output of an instance, read in the parent (driver kind 'inst'). */
export class InstOut extends Expr {
  constructor(
    readonly instance: InstanceHandle,
    readonly port: string,
    shape: Shape,
    at?: Entry | LazyLoc,
  ) {
    super(shape, 'instOut', [], instance.parent, undefined, undefined, at);
  }
}

export interface Connection {
  readonly expr: Expr | undefined;
  readonly site: LazyLoc | undefined;
}

export class InstanceHandle {
  readonly site: LazyLoc | undefined;
  /** Connected inputs, by port name, in connection order. */
  readonly connections = new Map<string, Connection>();
  private readonly outs = new Map<string, InstOut>();

  constructor(
    readonly parent: SignalOwner,
    readonly child: ChildModule,
    readonly name: string,
    entry?: Entry,
  ) {
    this.site = captureLoc(entry);
    // The outputs share the instance's call site (one capture per instance).
    for (const p of child.ports) if (p.kind === 'output') this.outPort(p.name, this.site ?? entry);
  }

  private port(name: string, dir: 'input' | 'output'): Input | Output {
    const p = this.child.ports.find((x) => x.name === name);
    if (p && p.kind === dir) return p;
    const names = this.child.ports.filter((x) => x.kind === dir).map((x) => x.name);
    throw new MxgenError(
      'name',
      p
        ? `instance ${this.name}: ${name} is an ${p.kind} of ${this.child.name}, not an ${dir}`
        : `instance ${this.name}: ${this.child.name} has no ${dir} named ${name}`,
      { loc: here(), hint: `its ${dir}s are: ${names.join(', ') || '(none)'}` },
    );
  }

  /** Connect input `port` of the instance to `e` (identical shape). */
  connect(port: string, e: ExprLike): this;
  /** Connect several inputs: `{ a: x, b: y }`. */
  connect(ports: Readonly<Record<string, ExprLike>>): this;
  connect(port: string | Readonly<Record<string, ExprLike>>, e?: ExprLike): this {
    if (typeof port !== 'string') {
      for (const [k, v] of Object.entries(port))
        this.connectOne(k, v, captureLoc(this.connect), this.connect);
      return this;
    }
    if (e === undefined)
      throw new MxgenError('usage', `instance ${this.name}: connect('${port}') needs a value`, {
        loc: here(),
        hint: `call connect('${port}', expr)`,
      });
    this.connectOne(port, e, captureLoc(this.connect), this.connect);
    return this;
  }

  /** The input `port` as a settable handle: `inst.in('a').set(x)`. */
  in(port: string): { set(e: ExprLike): void } {
    this.port(port, 'input');
    const set = (e: ExprLike): void => this.connectOne(port, e, captureLoc(set), set);
    return { set };
  }

  private connectOne(port: string, e: ExprLike, site: LazyLoc | undefined, entry: Entry): void {
    const p = this.port(port, 'input');
    const prev = this.connections.get(port);
    if (prev) {
      this.parent.report({
        kind: 'driver',
        message: `instance ${this.name}: input ${port} is connected more than once`,
        hint: 'connect each input once; choose between values with mux(sel, a, b)',
        notes: () => [`first connected ${atLoc(prev.site)}`],
        site,
      });
      return;
    }
    const what = `input ${port} of instance ${this.name}`;
    const expr = checkAssign(this.parent, what, p.shape, e, site, entry);
    this.connections.set(port, { expr, site });
  }

  /** The output `port` of the instance, as an expression of the parent module. */
  out(port: string): Expr {
    return this.outPort(port, this.out);
  }

  private outPort(port: string, at?: Entry | LazyLoc): InstOut {
    const got = this.outs.get(port);
    if (got) return got;
    const p = this.port(port, 'output');
    const o = new InstOut(this, port, p.shape, at);
    this.outs.set(port, o);
    return o;
  }

  /** Every output of the child, in the child's port order. */
  allOutputs(): InstOut[] {
    return this.child.ports.filter((p) => p.kind === 'output').map((p) => this.outPort(p.name));
  }
}
