// SRAMs (m.sram): one synchronous read port and at most one write port (1R1W), no reset of the
// array, power-up content from an optional init image that lives outside the netlist (keyed by
// its file name), so the netlist and the SV do not change when only the data changes.
import { addrWidth, Expr, type ExprLike, toExpr, U1 } from './expr.js';
import { MxgenError } from './errors.js';
import { atLoc } from './problems.js';
import { MAX_WIDTH, type Shape, shapeName, shapeOfWidth, u } from './shape.js';
import { checkAssign, type SignalOwner } from './signal.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

export interface SramOptions {
  /** Bits per word, 1..MAX_WIDTH (2^20). */
  readonly width: number;
  /** Number of words, >= 1. */
  readonly depth: number;
  /** The init image's file name (e.g. `fc1_w0.hex`): letters, digits, `_`, `.`, `-`. */
  readonly init?: string;
  /** Words read as signed (default false). */
  readonly signed?: boolean;
}

/** The data of an SRAM (one word per address, as bit patterns). */
export interface MemImage {
  readonly width: number;
  readonly words: readonly bigint[];
}

/** Init images keyed by the `init` file name of the SRAMs that use them. */
export type MemImages = ReadonlyMap<string, MemImage>;

/** A file name an init image may have: no directories, no quotes, nothing the SV string escapes. */
export const INIT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export interface SramWrite {
  readonly addr: Expr | undefined;
  readonly data: Expr | undefined;
  readonly en: Expr | undefined;
  readonly site: LazyLoc | undefined;
}

/** The read register of an SRAM (driver kind 'memRead' of a memory of kind 'sram'). */
export class SramRead extends Expr {
  readonly port = 0;
  constructor(
    readonly mem: Sram,
    addr: Expr,
    en: Expr | undefined,
    entry?: Entry,
  ) {
    super(mem.shape, 'memRead', en ? [addr, en] : [addr], mem.module, undefined, undefined, entry);
  }
}

export class Sram {
  readonly shape: Shape;
  readonly depth: number;
  readonly init: string | undefined;
  readonly site: LazyLoc | undefined;
  readonly reads: SramRead[] = [];
  readonly writes: SramWrite[] = [];
  private readSite: LazyLoc | undefined;
  private writeSite: LazyLoc | undefined;

  constructor(
    readonly name: string,
    readonly module: SignalOwner,
    opts: SramOptions,
    entry?: Entry,
  ) {
    if (!Number.isSafeInteger(opts.depth) || opts.depth < 1)
      throw new MxgenError(
        'shape',
        `sram ${name}: depth must be an integer >= 1; got ${opts.depth}`,
        { loc: here(), hint: 'pass the number of words as a positive integer' },
      );
    if (!Number.isSafeInteger(opts.width) || opts.width < 1 || opts.width > MAX_WIDTH)
      throw new MxgenError(
        'shape',
        `sram ${name}: width must be an integer in 1..${MAX_WIDTH}; got ${opts.width}`,
        { loc: here(), hint: 'pass the bits per word as a positive integer' },
      );
    if (opts.init !== undefined && (typeof opts.init !== 'string' || !INIT_NAME.test(opts.init)))
      throw new MxgenError(
        'name',
        `sram ${name}: init ${JSON.stringify(opts.init)} is not a plain file name`,
        {
          loc: here(),
          hint: 'use a file name such as fc1_w0.hex (letters, digits, _ . -; no directories); the image is passed separately as MemImages',
        },
      );
    this.shape = shapeOfWidth(opts.width, opts.signed ?? false);
    this.depth = opts.depth;
    this.init = opts.init;
    this.site = captureLoc(entry);
  }

  /** The natural address shape: u(ceil(log2(depth))), at least u(1). */
  get addrShape(): Shape {
    return u(addrWidth(this.depth));
  }

  private address(addr: ExprLike, what: string, entry: Entry): Expr {
    const a = toExpr(addr, this.addrShape, `sram ${this.name} ${what}`, entry);
    if (a.signed)
      throw new MxgenError(
        'shape',
        `sram ${this.name}: the ${what} address must be unsigned; got ${shapeName(a.shape)}`,
        { loc: here(), hint: 'addr.asUnsigned() reinterprets the bits' },
      );
    if (a.owner !== null && a.owner !== this.module)
      throw new MxgenError(
        'name',
        `sram ${this.name} (module ${this.module.name}) gets a ${what} address of module ${a.owner.name}`,
        { loc: here(), hint: 'pass values between modules through instance ports' },
      );
    return a;
  }

  private second(what: 'read' | 'write', first: LazyLoc | undefined): MxgenError {
    return new MxgenError(
      'usage',
      `sram ${this.name} has one ${what} port; this is a second ${what}`,
      {
        loc: here(),
        hint:
          what === 'read'
            ? 'an SRAM is 1R1W: read once and share the returned value, or use m.mem() for a multi-port register file'
            : 'an SRAM is 1R1W: merge the writes with mux(sel, a, b) on address, data and enable',
        notes: [`first ${what} ${atLoc(first)}`],
      },
    );
  }

  /**
   * The synchronous read port: on a rising edge with `en` = 1 (default 1) the read register takes
   * mem[addr] (0 when addr >= depth), the OLD word when the same edge writes that address. The
   * returned Expr is the read register; it holds while `en` = 0.
   */
  read(addr: ExprLike, en?: ExprLike): Expr {
    if (this.reads.length > 0) throw this.second('read', this.readSite);
    this.readSite = captureLoc(this.read);
    const a = this.address(addr, 'read', this.read);
    let e: Expr | undefined;
    if (en !== undefined) {
      e = toExpr(en, U1, `the read enable of sram ${this.name}`, this.read);
      if (e.owner !== null && e.owner !== this.module)
        throw new MxgenError(
          'name',
          `sram ${this.name} (module ${this.module.name}) gets a read enable of module ${e.owner.name}`,
          { loc: here(), hint: 'pass values between modules through instance ports' },
        );
      if (e.width !== 1 || e.signed)
        throw new MxgenError(
          'shape',
          `sram ${this.name}: the read enable must be u1; got ${shapeName(e.shape)}`,
          { loc: here(), hint: 'compare or reduce to one bit, e.g. x.orR()' },
        );
    }
    const r = new SramRead(this, a, e, this.read);
    this.reads.push(r);
    return r;
  }

  /** The write port: on the rising edge, when `en` is 1 and addr < depth, `mem[addr] <= data`. */
  write(addr: ExprLike, data: ExprLike, en: ExprLike): void {
    if (this.writes.length > 0) throw this.second('write', this.writeSite);
    const site = captureLoc(this.write);
    this.writeSite = site;
    const a = this.address(addr, 'write', this.write);
    const what = `sram ${this.name} write port`;
    this.writes.push({
      addr: a,
      data: checkAssign(this.module, `the data of ${what}`, this.shape, data, site, this.write),
      en: checkAssign(this.module, `the enable of ${what}`, U1, en, site, this.write),
      site,
    });
  }
}

const HEX_DIGIT = /^[0-9a-fA-F]+$/;

/**
 * The `$readmemh` text of an image: one word per line, zero-padded to ceil(width / 4) lowercase
 * hex digits, no `@` address markers, no comments, a trailing newline.
 */
export function formatMemHex(image: MemImage): string {
  const digits = Math.ceil(image.width / 4);
  const max = (1n << BigInt(image.width)) - 1n;
  const lines = image.words.map((w, i) => {
    if (typeof w !== 'bigint' || w < 0n || w > max)
      throw new MxgenError(
        'usage',
        `word ${i} of the image (${String(w)}) does not fit ${image.width} bits`,
        {
          hint: 'store bit patterns: BigInt.asUintN(width, value)',
        },
      );
    return w.toString(16).padStart(digits, '0');
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Parses the text `formatMemHex` writes (blank lines, `//` comments and surrounding space are
 * tolerated; `@` markers are not), checking the word count against `depth` and each word's
 * digits against `width`. Errors are one line naming the file and the line number.
 */
export function parseMemHex(
  text: string,
  opts: {
    readonly width: number;
    readonly depth: number;
    readonly file: string;
    readonly mem?: string;
  },
): MemImage {
  const { width, depth, file } = opts;
  const max = (1n << BigInt(width)) - 1n;
  const words: bigint[] = [];
  const fail = (msg: string, hint: string): never => {
    throw new MxgenError('io', msg, { hint });
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') return;
    const at = `${file}:${i + 1}`;
    if (line.startsWith('@'))
      fail(
        `${at}: address marker ${line} is not supported`,
        'write one word per line from address 0, without @ markers',
      );
    if (!HEX_DIGIT.test(line)) {
      const bad = [...line].find((c) => !/[0-9a-fA-F]/.test(c)) ?? line;
      fail(
        `${at}: bad hex digit ${JSON.stringify(bad)} in ${JSON.stringify(line)}`,
        'one hexadecimal word per line',
      );
    }
    const v = BigInt(`0x${line}`);
    if (v > max)
      fail(
        `${at}: word ${line} is wider than ${width} bits`,
        `write words in 0..${max.toString(16)} (hex)`,
      );
    words.push(v);
  });
  if (words.length !== depth)
    fail(
      `${file}: ${words.length} words; ${opts.mem === undefined ? 'the memory' : `memory ${opts.mem}`} has depth ${depth}`,
      `write exactly ${depth} lines`,
    );
  return { width, words };
}
