// Named signals: input ports, output ports and wires. Outputs and wires are driven exactly once
// with `.set(expr)` of the identical shape; problems are reported to the module and thrown by
// elaborate().
import { Expr, type ExprLike, type Owner, toExpr } from './expr.js';
import { type ProblemSink, atLoc } from './problems.js';
import { type Shape, sameShape, shapeName } from './shape.js';
import { captureLoc, type Entry, type LazyLoc } from './srcloc.js';

/** A module that owns signals: an Owner that collects problems. */
export type SignalOwner = Owner & ProblemSink;

/**
 * Coerce `e` to an expression of exactly `shape` for the assignment to `target`; reports a
 * problem (and returns undefined) on a shape or module mismatch.
 */
export function checkAssign(
  module: SignalOwner,
  target: string,
  shape: Shape,
  e: ExprLike,
  site: LazyLoc | undefined,
  entry?: Entry,
): Expr | undefined {
  const x = toExpr(e, shape, target, entry);
  if (x.owner !== null && x.owner !== module) {
    module.report({
      kind: 'name',
      message: `${target} (module ${module.name}) is assigned a value of module ${x.owner.name}`,
      hint: 'pass values between modules through instance ports',
      site,
    });
    return undefined;
  }
  if (!sameShape(x.shape, shape)) {
    const [want, got] = [shapeName(shape), shapeName(x.shape)];
    let hint: string;
    if (x.signed !== shape.signed)
      hint = shape.signed
        ? `e.toSigned() keeps the value (s${x.width + 1}); e.asSigned() reinterprets the bits (s${x.width})`
        : `e.asUnsigned() reinterprets the bits (u${x.width})`;
    else if (x.width < shape.width) hint = `e.extend(${shape.width}) widens the value to ${want}`;
    else hint = `e.trunc(${shape.width}) keeps the low ${shape.width} bits (or widen ${target})`;
    module.report({
      kind: 'shape',
      message: `cannot assign ${got} to ${target} (${want}): shapes must be identical`,
      hint,
      site,
    });
    return undefined;
  }
  return x;
}

export class Input extends Expr {
  constructor(
    readonly name: string,
    shape: Shape,
    readonly module: SignalOwner,
    entry?: Entry,
  ) {
    super(shape, 'input', [], module, undefined, undefined, entry);
  }
}

/** An output port or a wire: driven once by `.set(expr)`. */
export class Driven extends Expr {
  /** The driving expression (undefined until set, or when the set was rejected). */
  source: Expr | undefined;
  /** Where `.set` was first called (undefined = never). */
  setSite: LazyLoc | undefined;
  setCalled = false;

  constructor(
    readonly name: string,
    shape: Shape,
    kind: 'output' | 'wire',
    readonly module: SignalOwner,
    entry?: Entry,
  ) {
    super(shape, kind, [], module, undefined, undefined, entry);
  }

  /** `output o` / `wire w`. */
  get description(): string {
    return `${this.kind} ${this.name}`;
  }

  /** Drive this signal with `e` (identical shape; a JS integer takes this shape). */
  set(e: ExprLike): this {
    const site = captureLoc(this.set);
    if (this.setCalled) {
      const first = this.setSite;
      this.module.report({
        kind: 'driver',
        message: `${this.description} is driven more than once`,
        hint: 'drive it once; choose between values with mux(sel, a, b)',
        notes: () => [`first driven ${atLoc(first)}`],
        site,
      });
      return this;
    }
    this.setCalled = true;
    this.setSite = site;
    this.source = checkAssign(this.module, this.description, this.shape, e, site, this.set);
    return this;
  }
}

export class Output extends Driven {
  constructor(name: string, shape: Shape, module: SignalOwner, entry?: Entry) {
    super(name, shape, 'output', module, entry);
  }
}

export class Wire extends Driven {
  constructor(name: string, shape: Shape, module: SignalOwner, entry?: Entry) {
    super(name, shape, 'wire', module, entry);
  }
}
