// Registers: clocked by the module's implicit `clk`, reset synchronously by `rst` to `init`
// (null = no reset), loaded with the value given to `.next(expr)` when `enable` is 1 or absent.
import { Expr, type ExprLike, U1 } from './expr.js';
import { MxgenError } from './errors.js';
import { atLoc } from './problems.js';
import { type Shape, shapeName, toPattern } from './shape.js';
import { checkAssign, type SignalOwner } from './signal.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

export interface RegOptions {
  /** Reset value (default 0); null = a register without reset. */
  readonly init?: number | bigint | null;
  /** A u1 load enable (default: always load). */
  readonly enable?: ExprLike;
}

export class RegHandle extends Expr {
  /** Reset bit pattern, or null. */
  readonly init: bigint | null;
  source: Expr | undefined;
  enable: Expr | undefined;
  nextSite: LazyLoc | undefined;
  nextCalled = false;

  constructor(
    readonly name: string,
    shape: Shape,
    readonly module: SignalOwner,
    opts: RegOptions = {},
    entry?: Entry,
  ) {
    super(shape, 'reg', [], module, undefined, undefined, entry);
    const init = opts.init === undefined ? 0 : opts.init;
    if (init === null) this.init = null;
    else {
      const p = toPattern(init, shape);
      if (p === undefined)
        throw new MxgenError(
          'shape',
          `reg ${name}: the reset value ${init} does not fit ${shapeName(shape)}`,
          { loc: here(), hint: 'pass an init that the shape holds, or widen the register' },
        );
      this.init = p;
    }
    if (opts.enable !== undefined) this.setEnable(opts.enable, this.site, entry);
  }

  private setEnable(en: ExprLike, site: LazyLoc | undefined, entry?: Entry): void {
    this.enable = checkAssign(this.module, `the enable of reg ${this.name}`, U1, en, site, entry);
  }

  /** The value loaded on the next rising edge (identical shape); optionally a u1 enable. */
  next(e: ExprLike, enable?: ExprLike): this {
    const site = captureLoc(this.next);
    if (this.nextCalled) {
      const first = this.nextSite;
      this.module.report({
        kind: 'driver',
        message: `reg ${this.name} is given a next value more than once`,
        hint: 'call next once; choose between values with mux(sel, a, b)',
        notes: () => [`first next() ${atLoc(first)}`],
        site,
      });
      return this;
    }
    this.nextCalled = true;
    this.nextSite = site;
    this.source = checkAssign(this.module, `reg ${this.name}`, this.shape, e, site, this.next);
    if (enable !== undefined) {
      if (this.enable !== undefined)
        this.module.report({
          kind: 'driver',
          message: `reg ${this.name} has an enable from its options and from next()`,
          hint: 'give the enable once',
          site,
        });
      else this.setEnable(enable, site, this.next);
    }
    return this;
  }
}
