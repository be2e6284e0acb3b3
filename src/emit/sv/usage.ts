// Use analysis of one module: how often each net is read, which bits are read, and which nets
// must have a name because the printer refers to them by name (part-select bases, memory ports).
import type { ModuleDef, Ref } from '../../hdl/index.js';
import { bitsFor } from './expr.js';
import { findTables, type Table } from './tables.js';

export interface Usage {
  /** Number of places each net is read. */
  readonly uses: readonly number[];
  /** Per net: bit ranges `[lo, hi]` that are read, or `all`. */
  readonly bits: readonly (readonly (readonly [number, number])[] | 'all')[];
  /** Nets that the printer refers to by name (never inlined). */
  readonly mustName: ReadonlySet<Ref>;
  /** Products printed at their operands' own widths (nativeProducts). */
  readonly nativeMul: ReadonlyMap<Ref, NativeMul>;
  /** Extension nets that only such products read, and the inner nets of tables: never printed. */
  readonly bypassed: ReadonlySet<Ref>;
  /** Constant tables, by root net: printed as a `case` in `always_comb` (tables.ts). */
  readonly tables: ReadonlyMap<Ref, Table>;
}

/** `$signed(a) * $signed(b)` (or `a * b`): the operands without their extension. */
export interface NativeMul {
  readonly signed: boolean;
  readonly args: readonly Ref[];
  /**
   * Per argument: the width a constant argument is printed at (its value's own width, signed
   * or unsigned), or undefined for an argument printed as it is.
   */
  readonly narrow: readonly (number | undefined)[];
}

/** The fewest bits that hold `v` (a `width`-bit pattern) as a signed or unsigned number. */
function ownWidth(v: bigint, width: number, signed: boolean): number {
  if (!signed) return Math.max(1, v.toString(2).length);
  const neg = width > 0 && (v >> BigInt(width - 1)) & 1n ? v - (1n << BigInt(width)) : v;
  const mag = neg < 0n ? -neg - 1n : neg;
  return mag === 0n ? 1 : mag.toString(2).length + 1;
}

/** How often each net is read by cells, registers, memories, instances and output ports. */
function readerCounts(m: ModuleDef): number[] {
  const n = new Array<number>(m.nets.length).fill(0);
  const read = (r: Ref): void => {
    n[r] = (n[r] ?? 0) + 1;
  };
  for (const net of m.nets) {
    if (net.driver.kind === 'wire') read(net.driver.src);
    if (net.driver.kind === 'cell') net.driver.cell.args.forEach(read);
  }
  for (const r of m.regs) {
    read(r.d);
    if (r.enable !== undefined) read(r.enable);
  }
  for (const mem of m.mems) {
    for (const p of mem.readPorts) [p.addr, ...(p.en === undefined ? [] : [p.en])].forEach(read);
    for (const p of mem.writePorts) [p.addr, p.data, p.en].forEach(read);
  }
  for (const inst of m.instances) for (const c of inst.inputs) read(c.net);
  for (const p of m.ports) if (p.dir === 'out') read(p.net);
  return n;
}

/** Whether net `r` has a constant 0 as its top bit: a zero extension, or a concat led by one. */
function nonNegative(m: ModuleDef, r: Ref): boolean {
  const n = m.nets[r];
  const d = n?.driver;
  if (n === undefined || d?.kind !== 'cell') return false;
  const a = m.nets[d.cell.args[0] ?? -1];
  if (d.cell.op === 'zext') return a !== undefined && a.width < n.width;
  if (d.cell.op !== 'concat' || a === undefined || a.driver.kind !== 'cell') return false;
  const c = a.driver.cell;
  return c.op === 'const' && ((c.value ?? 0n) >> BigInt(a.width - 1)) % 2n === 0n;
}

/**
 * Products whose operands are sign-extended (or zero-extended) narrower values: printed as
 * `$signed(a) * $signed(b)` at the operands' own widths, the whole right-hand side of their own
 * assign (whose left-hand side sets the width: SV extends both signed operands by their sign).
 * Written with the extensions spelled out, Yosys builds a full-width multiplier: about 19 % more
 * cells on an MXINT8 dot product, for the same result. Extensions only products read vanish.
 */
const MULS_MAX_BITS = 16 * 32;

function nativeProducts(m: ModuleDef): { mul: Map<Ref, NativeMul>; bypassed: Set<Ref> } {
  const mul = new Map<Ref, NativeMul>();
  const skipped = new Map<Ref, number>();
  m.nets.forEach((net, r) => {
    const d = net.driver;
    if (d.kind !== 'cell' || d.cell.op !== 'mul') return;
    const constOf = (a: Ref): bigint | undefined => {
      const an = m.nets[a];
      const ad = an?.driver;
      if (an === undefined || an.name !== undefined || ad?.kind !== 'cell') return undefined;
      return ad.cell.op === 'const' ? (ad.cell.value ?? 0n) : undefined;
    };
    const ext = d.cell.args.map((a) => {
      const an = m.nets[a];
      const ad = an?.driver;
      if (an === undefined || an.name !== undefined || ad?.kind !== 'cell') return undefined;
      if (ad.cell.op !== 'sext' && ad.cell.op !== 'zext') return undefined;
      const inner = ad.cell.args[0] ?? -1;
      if ((m.nets[inner]?.width ?? net.width) >= net.width) return undefined;
      return { op: ad.cell.op, inner };
    });
    const kinds = new Set(ext.flatMap((e) => (e ? [e.op] : [])));
    if (kinds.size !== 1) return;
    // A signed product of two signals, one non-negative by construction (its top bit a constant
    // 0: a zero extension) and no wider than the other, keeps the extended form: Yosys's signed
    // multiplier takes that 0 for a sign bit, and its sign handling then costs more than the
    // rows the extension adds (15 x {0, 12 bits}: 1232 native against 1186 generic cells; softmax's
    // exp polynomial). A wider one, or a constant for the other operand, stays native (12 x
    // {0, 32 bits}: 2390 against 3041; layernorm's scaling). scripts/area-mixed-product.ts.
    if (kinds.has('sext') && ext.every((e) => e !== undefined)) {
      const w = ext.map((e) => m.nets[e?.inner ?? -1]?.width ?? 0);
      const keep = ext.some(
        (e, i) => e !== undefined && nonNegative(m, e.inner) && (w[i] ?? 0) <= (w[1 - i] ?? 0),
      );
      if (keep) return;
    }
    // Verilator 5.006 refuses a signed multiply over VL_MULS_MAX_WORDS (16) 32-bit words.
    if (kinds.has('sext') && net.width > MULS_MAX_BITS) return;
    const signed = kinds.has('sext');
    // A constant operand (an extension folded into it by the simplification) is printed at its
    // value's own width too: the same multiplier as before the folding.
    const narrow = d.cell.args.map((a) => {
      const v = constOf(a);
      const w = m.nets[a]?.width ?? 0;
      if (v === undefined || w !== net.width) return undefined;
      const own = ownWidth(v, w, signed);
      return own < w ? own : undefined;
    });
    mul.set(r, { signed, args: d.cell.args.map((a, i) => ext[i]?.inner ?? a), narrow });
    d.cell.args.forEach((a, i) => {
      if (ext[i] || narrow[i] !== undefined) skipped.set(a, (skipped.get(a) ?? 0) + 1);
    });
  });
  const readers = readerCounts(m);
  const bypassed = new Set([...skipped].filter(([a, k]) => readers[a] === k).map(([a]) => a));
  return { mul, bypassed };
}

export function analyzeUsage(m: ModuleDef, nativeMul = true, tablesAsCase = true): Usage {
  const n = m.nets.length;
  const uses = new Array<number>(n).fill(0);
  const bits: ([number, number][] | 'all')[] = Array.from({ length: n }, () => []);
  const mustName = new Set<Ref>();
  const useAll = (r: Ref): void => {
    uses[r] = (uses[r] ?? 0) + 1;
    bits[r] = 'all';
  };
  const width = (r: Ref): number => m.nets[r]?.width ?? 0;
  const native = nativeMul
    ? nativeProducts(m)
    : { mul: new Map<Ref, NativeMul>(), bypassed: new Set<Ref>() };
  const readers = readerCounts(m);
  const tables = tablesAsCase ? findTables(m, readers) : new Map<Ref, Table>();
  // Rom cells are tables by construction (printed as a case whatever tablesAsCase says); the
  // words past the index's range are unreachable.
  m.nets.forEach((net, r) => {
    const d = net.driver;
    if (d.kind !== 'cell' || d.cell.op !== 'rom') return;
    const index = d.cell.args[0] ?? -1;
    const values = (d.cell.table ?? []).slice(0, 2 ** Math.min(width(index), 31));
    tables.set(r, { index, values, inner: [], consts: new Map() });
  });
  // Inner nets go; so do constants that only tables read.
  const constReads = new Map<Ref, number>();
  for (const t of tables.values()) {
    for (const r of t.inner) native.bypassed.add(r);
    for (const [c, k] of t.consts) constReads.set(c, (constReads.get(c) ?? 0) + k);
  }
  for (const [c, k] of constReads) if (readers[c] === k) native.bypassed.add(c);

  m.nets.forEach((net, self) => {
    const d = net.driver;
    if (d.kind === 'wire') useAll(d.src);
    if (d.kind !== 'cell' || native.bypassed.has(self)) return;
    const table = tables.get(self);
    if (table) {
      mustName.add(self);
      // Indexed by a name: Icarus 11 does not take a part-select in an always_comb ("constant
      // selects in always_* processes are not currently supported").
      mustName.add(table.index);
      useAll(table.index);
      return;
    }
    const c = d.cell;
    const nm = native.mul.get(self);
    if (nm) {
      mustName.add(self);
      nm.args.forEach((a, i) => nm.narrow[i] === undefined && useAll(a));
      // An unsigned operand is context-determined: `(x + y) * b` would add at the product's
      // width. A name is self-determined (so is the argument of `$signed()`).
      if (!nm.signed) nm.args.forEach((a, i) => a !== c.args[i] && mustName.add(a));
      return;
    }
    const a = c.args[0] ?? -1;
    if (c.op === 'slice') {
      const lo = c.lo ?? 0;
      uses[a] = (uses[a] ?? 0) + 1;
      const b = bits[a];
      if (b !== 'all' && b !== undefined) b.push([lo, lo + net.width - 1]);
      if (!(lo === 0 && net.width === width(a)) && width(a) > 1) mustName.add(a);
      return;
    }
    if (c.op === 'sext' && net.width > width(a) && width(a) > 1) mustName.add(a);
    if (c.op === 'shrS' || c.op === 'shrSV') mustName.add(self);
    // A shift by a signal wider than the value needs part-selects of the amount (expr.ts).
    if (c.op === 'shlV' || c.op === 'shrUV' || c.op === 'shrSV') {
      const n = c.args[1] ?? -1;
      if (width(n) > bitsFor(net.width)) mustName.add(n);
    }
    // A constant shift past the width prints as 0 and does not read its operand.
    if ((c.op === 'shl' || c.op === 'shrU') && (c.amount ?? 0) >= net.width) return;
    for (const r of c.args) useAll(r);
  });
  for (const r of m.regs) {
    useAll(r.d);
    if (r.enable !== undefined) useAll(r.enable);
  }
  for (const mem of m.mems) {
    for (const p of mem.readPorts) {
      useAll(p.addr);
      mustName.add(p.addr);
      if (p.en !== undefined) useAll(p.en);
    }
    for (const p of mem.writePorts) {
      for (const r of [p.addr, p.data, p.en]) {
        useAll(r);
        mustName.add(r);
      }
    }
  }
  for (const inst of m.instances) for (const c of inst.inputs) useAll(c.net);
  for (const p of m.ports) if (p.dir === 'out') useAll(p.net);
  return { uses, bits, mustName, nativeMul: native.mul, bypassed: native.bypassed, tables };
}

/** The bit ranges `[lo, hi]` of a net of width `w` that nobody reads, ascending. */
export function unusedRanges(
  used: readonly (readonly [number, number])[] | 'all',
  w: number,
): [number, number][] {
  if (used === 'all') return [];
  const sorted = [...used].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next < w) out.push([next, w - 1]);
  return out;
}

/** `not used` or `bits [7:4], [1] not used`, for a lint waiver's reason. */
export function describeUnused(ranges: readonly [number, number][], w: number): string | null {
  if (ranges.length === 0) return null;
  const first = ranges[0];
  if (ranges.length === 1 && first && first[0] === 0 && first[1] === w - 1) return 'not used';
  const parts = [...ranges].reverse().map(([lo, hi]) => (lo === hi ? `[${lo}]` : `[${hi}:${lo}]`));
  return `bit${ranges.length === 1 && first && first[0] === first[1] ? '' : 's'} ${parts.join(', ')} not used`;
}
