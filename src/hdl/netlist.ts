// The core data structure: a frozen, normalized netlist that the emitter, the simulator and the
// backends read (never the builder's objects). Plain data, integer references, creation order.
//
// Normalization contract (what `elaborate()` guarantees and every consumer may rely on):
// - Every value in a module is a Net, found by its index (`Ref`) in `ModuleDef.nets`, and has
//   exactly one driver. Nets appear in creation order; a net never refers to itself.
// - Values are bit patterns: a net of width w holds an unsigned integer in [0, 2^w). `signed` is
//   metadata for emission and waveforms only; signedness that matters lives in the op name.
// - Cell operand widths (w = the cell's width, wa = width of args[0]):
//     const                      value: bigint in [0, 2^w)
//     zext, sext                 args [a], w >= wa
//     slice                      args [a], bits [lo + w - 1 : lo] of a (lo + w <= wa)
//     concat                     args [msb, ..., lsb], w = sum of widths
//     not                        args [a], w = wa
//     and or xor add sub mul     args [a, b], both of width w; result mod 2^w
//     eq ne ltU ltS leU leS      args [a, b], same width; w = 1
//     shl shrU shrS              args [a], w = wa, shift by the constant `amount` (>= 0); bits
//                                shifted past the width are lost; shrS fills with a's top bit
//     shlV shrUV shrSV           args [a, n], w = wa, n unsigned of any width; shifting by >= w
//                                gives 0 (shrSV: all copies of a's top bit)
//     mux                        args [sel, whenTrue, whenFalse], sel of width 1, both arms width w
//     andR orR xorR              args [a], w = 1
//     rom                        args [index] (unsigned, any width); `table`: constants in
//                                [0, 2^w); the value is table[index], 0 when index >= length
// - Registers: one implicit clock `clk` (rising edge) and one synchronous active-high reset
//   `rst` per clocked module. On a rising edge, a register with `init` (not null): if rst,
//   q <= init; else if enable is absent or 1, q <= d. A register with `init: null` ignores rst
//   entirely: if enable is absent or 1, q <= d, during reset as at any other time (the emitter
//   prints it outside the `if (rst)` branch). All registers update together (non-blocking).
// - Power-up (before the first edge): every register and memory word is 0 in the native
//   simulator and in Verilator (built with `--x-initial 0`). Icarus powers up X, so a register
//   with `init: null` reads X there until it is first loaded; reset only covers the others.
// - Memories of kind 'regfile' (m.mem): read ports are combinational (`data = mem[addr]`, an
//   address >= depth reads 0); write ports commit on the rising edge when `en` is 1 and the
//   address is in range, later write ports win; reset clears every word to 0.
// - Memories of kind 'sram' (m.sram): exactly one read port and at most one write port. The read
//   port's data net (driver 'memRead') is a register without reset: on a rising edge with `en`
//   (absent = 1) it takes mem[addr] as it was before the edge (0 when addr >= depth), so a read
//   of the address being written returns the OLD word; it holds while en = 0 and ignores rst.
//   The write commits on the rising edge when en = 1 and addr < depth, also during reset. The
//   array has no reset. Power-up: every word is the word of the image named by `init` (supplied
//   outside the netlist as MemImages, keyed by that file name), or 0 without `init`; the read
//   register is 0 (Icarus: X for words without an image and for the read register until its
//   first read).
// - Instances: outputs of an instance are nets driven by {kind: 'inst'}; every input port of the
//   instantiated module is connected exactly once, with identical width.
// - `Netlist.modules` is in dependency order (instantiated modules first, `top` last),
//   deduplicated by name; a module is `clocked` when it or anything it instantiates has a register
//   or memory, and then it has `clk` and `rst` inputs that are not listed in `ports`.

import { MxgenError } from './errors.js';
import { here } from './srcloc.js';

/** Index into `ModuleDef.nets`. */
export type Ref = number;

/** `path:line:col` of the user's builder call, relative to the working directory, if known. */
export type SrcLoc = string | undefined;

export type UnaryOp =
  'zext' | 'sext' | 'slice' | 'not' | 'andR' | 'orR' | 'xorR' | 'shl' | 'shrU' | 'shrS';
export type BinaryOp = 'and' | 'or' | 'xor' | 'add' | 'sub' | 'mul';
export type CompareOp = 'eq' | 'ne' | 'ltU' | 'ltS' | 'leU' | 'leS';
export type ShiftByOp = 'shlV' | 'shrUV' | 'shrSV';
export type CellOp =
  'const' | 'concat' | 'mux' | 'rom' | UnaryOp | BinaryOp | CompareOp | ShiftByOp;

export const CELL_OPS: readonly CellOp[] = [
  'const',
  'zext',
  'sext',
  'slice',
  'concat',
  'not',
  'and',
  'or',
  'xor',
  'add',
  'sub',
  'mul',
  'eq',
  'ne',
  'ltU',
  'ltS',
  'leU',
  'leS',
  'shl',
  'shrU',
  'shrS',
  'shlV',
  'shrUV',
  'shrSV',
  'mux',
  'andR',
  'orR',
  'xorR',
  'rom',
];

export interface Cell {
  readonly op: CellOp;
  readonly args: readonly Ref[];
  /** `const` only: the bit pattern. */
  readonly value?: bigint;
  /** `slice` only: the lowest bit taken. */
  readonly lo?: number;
  /** `shl`, `shrU`, `shrS` only: the constant shift amount. */
  readonly amount?: number;
  /** `rom` only: the word at each index (an index past the end reads 0). */
  readonly table?: readonly bigint[];
}

export type Driver =
  | { readonly kind: 'input'; readonly port: number }
  | { readonly kind: 'cell'; readonly cell: Cell }
  | { readonly kind: 'wire'; readonly src: Ref }
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'inst'; readonly inst: number; readonly port: string }
  | { readonly kind: 'memRead'; readonly mem: number; readonly port: number };

export interface Net {
  readonly width: number;
  readonly signed: boolean;
  /** The builder name (ports, wires, registers, named expressions); the SV and VCD name. */
  readonly name?: string;
  /** A naming hint for an unnamed temporary (e.g. `sum_hi`). */
  readonly hint?: string;
  readonly driver: Driver;
  readonly loc: SrcLoc;
}

export interface Port {
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: number;
  readonly signed: boolean;
  /** Input: the net driven by this port. Output: the net whose value the port carries. */
  readonly net: Ref;
  readonly loc: SrcLoc;
}

export interface Reg {
  readonly name: string;
  readonly width: number;
  /** The register's output net (driver kind 'reg'). */
  readonly q: Ref;
  readonly d: Ref;
  /** Reset value (bit pattern), or null for a register without reset. */
  readonly init: bigint | null;
  /** Width-1 net; absent = always enabled. */
  readonly enable?: Ref;
  readonly loc: SrcLoc;
}

export interface MemReadPort {
  readonly addr: Ref;
  /** The net carrying the read data (driver kind 'memRead'); for an SRAM, the read register. */
  readonly data: Ref;
  /** SRAM only: the width-1 read enable; absent = always enabled. */
  readonly en?: Ref;
}

export interface MemWritePort {
  readonly addr: Ref;
  readonly data: Ref;
  readonly en: Ref;
}

export interface Mem {
  readonly name: string;
  /**
   * 'regfile': m.mem (combinational reads, reset clears); 'sram': m.sram (see the contract).
   * elaborate() always sets it; a hand-made Mem without it is a register file.
   */
  readonly kind?: 'regfile' | 'sram';
  readonly width: number;
  readonly depth: number;
  /** SRAM only: the init image's file name (the key into MemImages); absent = power-up 0. */
  readonly init?: string;
  readonly readPorts: readonly MemReadPort[];
  readonly writePorts: readonly MemWritePort[];
  readonly loc: SrcLoc;
}

/** True for a memory of kind 'sram'. */
export function isSram(mem: Mem): boolean {
  return mem.kind === 'sram';
}

export interface InstanceConnection {
  readonly port: string;
  readonly net: Ref;
}

export interface Instance {
  readonly name: string;
  /** Name of the instantiated ModuleDef. */
  readonly module: string;
  readonly inputs: readonly InstanceConnection[];
  readonly loc: SrcLoc;
}

export interface ModuleDef {
  readonly name: string;
  /** Ports in declaration order (clk and rst excluded; see `clocked`). */
  readonly ports: readonly Port[];
  readonly nets: readonly Net[];
  readonly regs: readonly Reg[];
  readonly mems: readonly Mem[];
  readonly instances: readonly Instance[];
  readonly clocked: boolean;
  /** Short digest of the generator config, printed in the SV header (optional). */
  readonly configDigest?: string;
  readonly loc: SrcLoc;
}

export interface Netlist {
  readonly top: string;
  readonly modules: readonly ModuleDef[];
}

/** The module named `name`; a `name` error at the caller's line when the netlist lacks it. */
export function findModule(nl: Netlist, name: string): ModuleDef {
  const m = nl.modules.find((x) => x.name === name);
  if (!m) {
    const loc = here();
    throw new MxgenError('name', `the netlist of ${nl.top} has no module named ${name}`, {
      ...(loc === undefined ? {} : { loc }),
      hint: `its modules are: ${nl.modules.map((x) => x.name).join(', ') || '(none)'}`,
    });
  }
  return m;
}

export function topModule(nl: Netlist): ModuleDef {
  return findModule(nl, nl.top);
}
