// Memories (register files): combinational read ports (an address >= depth reads 0), write
// ports that commit on the rising edge when `en` is 1 (later ports win), cleared by reset.
import { addrWidth, Expr, type ExprLike, toExpr, U1 } from './expr.js';
import { MxgenError } from './errors.js';
import { type Shape, shapeName, shapeOfWidth, u } from './shape.js';
import { checkAssign, type SignalOwner } from './signal.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

export interface MemOptions {
  /** Bits per word, 1..MAX_WIDTH (2^20). */
  readonly width: number;
  /** Number of words, >= 1. */
  readonly depth: number;
  /** Words read as signed (default false). */
  readonly signed?: boolean;
}

export interface MemWrite {
  readonly addr: Expr | undefined;
  readonly data: Expr | undefined;
  readonly en: Expr | undefined;
  readonly site: LazyLoc | undefined;
}

/** The data of one read port (driver kind 'memRead'). */
export class MemRead extends Expr {
  constructor(
    readonly mem: Memory,
    readonly port: number,
    addr: Expr,
    entry?: Entry,
  ) {
    super(mem.shape, 'memRead', [addr], mem.module, undefined, undefined, entry);
  }
}

export class Memory {
  readonly shape: Shape;
  readonly depth: number;
  readonly site: LazyLoc | undefined;
  readonly reads: MemRead[] = [];
  readonly writes: MemWrite[] = [];

  constructor(
    readonly name: string,
    readonly module: SignalOwner,
    opts: MemOptions,
    entry?: Entry,
  ) {
    if (!Number.isSafeInteger(opts.depth) || opts.depth < 1)
      throw new MxgenError(
        'shape',
        `mem ${name}: depth must be an integer >= 1; got ${opts.depth}`,
        {
          loc: here(),
          hint: 'pass the number of words as a positive integer',
        },
      );
    this.shape = shapeOfWidth(opts.width, opts.signed ?? false);
    this.depth = opts.depth;
    this.site = captureLoc(entry);
  }

  /** The natural address shape: u(ceil(log2(depth))), at least u(1). */
  get addrShape(): Shape {
    return u(addrWidth(this.depth));
  }

  private address(addr: ExprLike, what: string, entry: Entry): Expr {
    const a = toExpr(addr, this.addrShape, `mem ${this.name} ${what}`, entry);
    if (a.signed)
      throw new MxgenError(
        'shape',
        `mem ${this.name}: the ${what} address must be unsigned; got ${shapeName(a.shape)}`,
        { loc: here(), hint: 'addr.asUnsigned() reinterprets the bits' },
      );
    return a;
  }

  /** A combinational read port: `mem[addr]` (0 when addr >= depth). */
  read(addr: ExprLike): Expr {
    const a = this.address(addr, 'read', this.read);
    if (a.owner !== null && a.owner !== this.module)
      throw new MxgenError(
        'name',
        `mem ${this.name} (module ${this.module.name}) is read with an address of module ${a.owner.name}`,
        { loc: here(), hint: 'pass values between modules through instance ports' },
      );
    const r = new MemRead(this, this.reads.length, a, this.read);
    this.reads.push(r);
    return r;
  }

  /** A write port: on the rising edge, when `en` is 1 and addr < depth, `mem[addr] <= data`. */
  write(addr: ExprLike, data: ExprLike, en: ExprLike): void {
    const site = captureLoc(this.write);
    const a = this.address(addr, 'write', this.write);
    const what = `mem ${this.name} write port ${this.writes.length}`;
    this.writes.push({
      addr: checkAssign(this.module, `the address of ${what}`, a.shape, a, site),
      data: checkAssign(this.module, `the data of ${what}`, this.shape, data, site, this.write),
      en: checkAssign(this.module, `the enable of ${what}`, U1, en, site, this.write),
      site,
    });
  }
}
