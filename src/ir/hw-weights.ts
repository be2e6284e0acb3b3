// Where a layer unit's per-step data (weight codes, biases, run-time parameters) comes from:
// - `embedded`: one constant table (`rom`: a `case` in `always_comb`) of the packed step words,
//   read at the step index (combinational; the RTL depends on the values);
// - `memory`: SRAM banks of at most 32 bits, read at the step index with one cycle of latency,
//   initialised from `$readmemh` images (`<unit>_<store><bank>.hex`) and writable through the
//   unit's weight-load port, so the RTL is the same for any values (docs/ir.md "Weight storage").
// A store collects named fields (one value per step each); `finish` lays them out side by side in
// one word per step (field 0 in the low bits), splits the word into banks and returns the images
// (memory) or makes the table of those words (embedded); the fields are slices of the word.
import { cat, type Expr, lit, type MemImage, type ModuleBuilder, rom, u } from '../hdl/index.js';
import type { WeightsStorage } from './graph.js';
import { internalError } from '../hdl/index.js';
import { packSignedCodes } from '../components/index.js';

/** Bits per SRAM bank (and per weight-load data word). */
export const BANK_BITS = 32;

/** Bits per constant table of an embedded store (its packed step word is split above this). */
export const ROM_BITS = 1 << 16;

/** Codes packed into one word, element t at bits [w·t + w - 1 : w·t]. */
export { packSignedCodes as packWord } from '../components/index.js';

/** Bits of a bias word in memory mode (a 32-bit bias moved to the lanes' LSB by up to 8 bits). */
export const BIAS_BITS = 40;
/** Bits of the run-time output shift (signed) in memory mode. */
export const SHIFT_BITS = 16;

/** Widths of the weight-load port's SRAM select and row fields. */
export const LOAD_SEL_BITS = 16;
export const LOAD_ROW_BITS = 24;

/** The weight-load port of a unit: one `BANK_BITS` word per cycle into SRAM `sel`, row `row`. */
export interface LoadPort {
  readonly valid: Expr;
  /** Unit-local SRAM index (u LOAD_SEL_BITS) and row (u LOAD_ROW_BITS). */
  readonly sel: Expr;
  readonly row: Expr;
  readonly data: Expr;
}

/** The load port's inputs on a unit module (`wl_valid`, `wl_sel`, `wl_row`, `wl_data`). */
export function loadPortInputs(m: ModuleBuilder): LoadPort {
  return {
    valid: m.input('wl_valid', u(1)),
    sel: m.input('wl_sel', u(LOAD_SEL_BITS)),
    row: m.input('wl_row', u(LOAD_ROW_BITS)),
    data: m.input('wl_data', u(BANK_BITS)),
  };
}

const addrBits = (depth: number): number => Math.max(1, Math.ceil(Math.log2(depth)));

/** One SRAM of a unit, in the unit's load-address order (manifest memory map). */
export interface UnitSram {
  readonly name: string;
  readonly file: string;
  readonly width: number;
  readonly depth: number;
}

interface Field {
  readonly name: string;
  readonly width: number;
  readonly value: (step: number) => bigint;
  readonly wire?: ReturnType<ModuleBuilder['wire']>;
}

export class DataStore {
  private readonly fields: Field[] = [];

  /**
   * `index`: the step whose data is wanted (embedded: this cycle; memory: the data appears one
   * cycle later). `depth`: the number of steps.
   */
  private streamAt = 0;

  /**
   * `index`: the step whose data is wanted (embedded: this cycle; memory: the data appears one
   * cycle later). `depth`: the number of steps. `stream`: the register holding the port beat of
   * the step being fed (stream mode; its fields are slices of it).
   */
  constructor(
    private readonly m: ModuleBuilder,
    readonly storage: WeightsStorage,
    private readonly prefix: string,
    private readonly index: Expr,
    readonly depth: number,
    private readonly stream?: Expr,
  ) {}

  /** A `width`-bit field whose value at step i is `value(i)`. */
  field(name: string, width: number, value: (step: number) => bigint): Expr {
    if (this.storage === 'stream') {
      if (!this.stream)
        throw internalError(`DataStore ${this.prefix}: stream mode needs the port register`);
      const lo = this.streamAt;
      this.streamAt += width;
      this.fields.push({ name, width, value });
      return this.stream.bits(lo + width - 1, lo);
    }
    const wire = this.m.wire(`${this.prefix}_${name}`, u(width));
    this.fields.push({ name, width, value, wire });
    return wire;
  }

  /** Total bits per step. */
  get wordBits(): number {
    return this.fields.reduce((a, f) => a + f.width, 0);
  }

  /** The packed word of every step (field 0 in the low bits): SRAM images or the port's stream. */
  stepWords(): bigint[] {
    const out = new Array<bigint>(this.depth);
    for (let i = 0; i < this.depth; i++) {
      let w = 0n;
      let at = 0;
      for (const f of this.fields) {
        w |= (f.value(i) & ((1n << BigInt(f.width)) - 1n)) << BigInt(at);
        at += f.width;
      }
      out[i] = w;
    }
    return out;
  }

  /**
   * Memory mode: creates the SRAM banks (read at `index` when `en`), drives the field wires and
   * connects the banks' write ports to `load` starting at SRAM index `first`; returns the banks
   * and their images. Embedded mode: one constant table of the packed step words (`rom`, read
   * at `index`; split in words of at most ROM_BITS) drives the field wires as its slices.
   */
  finish(
    en: Expr,
    load: LoadPort | undefined,
    first: number,
    fileBase: string,
  ): { srams: UnitSram[]; images: Map<string, MemImage>; hit: Expr } {
    const images = new Map<string, MemImage>();
    const srams: UnitSram[] = [];
    if (this.fields.length === 0 || this.storage === 'stream')
      return { srams, images, hit: lit(0, u(1)) };
    if (this.storage === 'embedded') {
      const steps = this.stepWords();
      const total = this.wordBits;
      const outs: Expr[] = [];
      for (let lo = 0; lo < total; lo += ROM_BITS) {
        const width = Math.min(ROM_BITS, total - lo);
        const m = (1n << BigInt(width)) - 1n;
        const words = steps.map((w) => (w >> BigInt(lo)) & m);
        const name = total > ROM_BITS ? `${this.prefix}_rom${lo / ROM_BITS}` : `${this.prefix}_rom`;
        outs.push(rom(this.index, words, u(width)).named(name));
      }
      this.driveFields(outs, ROM_BITS);
      return { srams, images, hit: lit(0, u(1)) };
    }
    const total = this.wordBits;
    const banks = Math.ceil(total / BANK_BITS);
    // Images: the packed word of every step, split into banks.
    const words: bigint[][] = Array.from({ length: banks }, () => new Array<bigint>(this.depth));
    const steps = this.stepWords();
    for (let i = 0; i < this.depth; i++) {
      const w = steps[i] ?? 0n;
      for (let b = 0; b < banks; b++)
        (words[b] as bigint[])[i] = (w >> BigInt(b * BANK_BITS)) & ((1n << BigInt(BANK_BITS)) - 1n);
    }
    const outs: Expr[] = [];
    const rowOk = load
      ? this.m.wire(`${this.prefix}_wl_ok`, u(1)).set(load.valid.and(load.row.lt(this.depth)))
      : undefined;
    const hit =
      load && rowOk
        ? (first === 0 ? rowOk : rowOk.and(load.sel.ge(first))).and(load.sel.lt(first + banks))
        : lit(0, u(1));
    for (let b = 0; b < banks; b++) {
      const width = Math.min(BANK_BITS, total - b * BANK_BITS);
      const file = `${fileBase}_${this.prefix}${b}.hex`;
      const name = `${this.prefix}${b}`;
      const mem = this.m.sram(name, { width, depth: this.depth, init: file });
      const aw = addrBits(this.depth);
      if (load && rowOk)
        mem.write(
          aw < load.row.width ? load.row.trunc(aw) : load.row,
          width < load.data.width ? load.data.trunc(width) : load.data,
          rowOk.and(load.sel.eq(first + b)),
        );
      outs.push(mem.read(this.index.width > aw ? this.index.trunc(aw) : this.index, en));
      images.set(file, {
        width,
        words: (words[b] as bigint[]).map((x) => x & ((1n << BigInt(width)) - 1n)),
      });
      srams.push({ name, file, width, depth: this.depth });
    }
    this.driveFields(outs, BANK_BITS);
    return { srams, images, hit };
  }

  /**
   * Each field wire from the banks it spans (`bits` per bank; no concatenation of the whole
   * word: it can be thousands of bits wide).
   */
  private driveFields(outs: readonly Expr[], bits: number): void {
    let at = 0;
    for (const f of this.fields) {
      const parts: Expr[] = [];
      for (let lo = at; lo < at + f.width;) {
        const b = Math.floor(lo / bits);
        const bank = outs[b] as Expr;
        const hi = Math.min(at + f.width, (b + 1) * bits, b * bits + bank.width) - 1;
        const x =
          hi - b * bits === bank.width - 1 && lo === b * bits
            ? bank
            : bank.bits(hi - b * bits, lo - b * bits);
        parts.push(x);
        lo = hi + 1;
      }
      f.wire?.set(parts.length === 1 ? (parts[0] as Expr) : cat(...parts.reverse()));
      at += f.width;
    }
  }
}

/**
 * Finishes a unit's stores in load order (each with its read enable): their SRAMs, images and
 * the unit's `wl_hit` output (memory and stream modes, `load` given).
 */
export function finishStores(
  m: ModuleBuilder,
  stores: readonly (readonly [DataStore, Expr])[],
  load: LoadPort | undefined,
  fileBase: string,
): { srams: UnitSram[]; images: Map<string, MemImage> } {
  const srams: UnitSram[] = [];
  const images = new Map<string, MemImage>();
  let hit: Expr = lit(0, u(1));
  for (const [st, en] of stores) {
    const r = st.finish(en, load, srams.length, fileBase);
    srams.push(...r.srams);
    for (const [k, v] of r.images) images.set(k, v);
    hit = hit.or(r.hit);
  }
  if (load) m.output('wl_hit', u(1)).set(hit);
  return { srams, images };
}

/**
 * Lane p's weight row of each group g (row j = g·P + p) as one block per step, for lanes that
 * take a whole block per step: its 8-bit scale `s<p>`, then the `extra` per-row field if any,
 * then its codes `e<p>` (k codes of `bits`, the row's codes then +0).
 */
export function rowBlockFields(
  st: DataStore,
  p: number,
  lanes: number,
  rows: {
    readonly scales: readonly number[];
    readonly codes: readonly (readonly number[])[];
    readonly extra?: {
      readonly name: string;
      readonly bits: number;
      readonly values: readonly number[];
    };
  },
  bits: number,
  k: number,
): { scale: Expr; extra: Expr | undefined; elems: Expr } {
  const row = (g: number): number => g * lanes + p;
  const scale = st.field(`s${p}`, 8, (g) => BigInt(rows.scales[row(g)] ?? 0));
  const x = rows.extra;
  const extra = x
    ? st.field(`${x.name}${p}`, x.bits, (g) => BigInt(x.values[row(g)] ?? 0))
    : undefined;
  const elems = st.field(`e${p}`, bits * k, (g) => packSignedCodes(rows.codes[row(g)] ?? [], bits));
  return { scale, extra, elems };
}
