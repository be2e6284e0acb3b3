// Simplification of a flattened design before code generation (what Verilator's V3Const and
// V3Gate do for its model): constants propagate across instance boundaries (a PE instantiated
// with a constant mode input loses the logic of the other modes), identities and constant
// selects forward their operand, slices see through concatenations and extensions, and logic
// that nothing observable reads is dropped. Slot indices do not change: a slot that becomes a
// copy of another keeps its storage as a copy only when something outside reads it (a port, a
// named signal, a memory operand); otherwise its readers read the original and it is dead.
import { foldCell, mask } from '../hdl/index.js';
import type { FlatDesign, FlatReg, Slot, SlotDef } from './flatten.js';

/**
 * Slots read from outside the evaluation: ports, memory write operands, and the named signals
 * (every named signal of a design compiled with signals; none otherwise).
 */
export function observedSlots(d: FlatDesign): Uint8Array {
  const ext = new Uint8Array(d.slots.length);
  for (const m of d.mems)
    for (const w of m.writes) {
      ext[w.addr] = 1;
      ext[w.data] = 1;
      ext[w.en] = 1;
    }
  for (const p of d.ports) ext[p.slot] = 1;
  for (const s of d.signals) ext[s.slot] = 1;
  return ext;
}

/** Widest field a tree of muxes on its bits (bitTableOf) is made a table of. */
export const BIT_TABLE_MAX = 10;

/** Muxes a bit-selected constant chain needs before it becomes a priority encoder. */
export const PRIO_MIN = 4;

export interface Optimized {
  readonly design: FlatDesign;
  /** The levelized combinational slots that still have to be evaluated. */
  readonly order: number[];
}

/**
 * Simplifies `d` (its combinational slots in levelized `order`); see the file comment. Without
 * `signals`, named signals are not observable: only those still held in storage anyway
 * (inputs, register outputs, constants, ports) stay in the design's signal list, and logic that
 * fed only the others is dropped (a Verilator model without `--public` does the same).
 */
export function optimize(
  d0: FlatDesign,
  order: readonly number[],
  signals: boolean | ((name: string) => boolean) = true,
): Optimized {
  const portSlots = new Set(d0.ports.map((p) => p.slot));
  const stored = (s: number): boolean => {
    const k = (d0.slots[s] as Slot).def.kind;
    return k === 'reg' || k === 'input' || portSlots.has(s);
  };
  const keep = typeof signals === 'function' ? signals : () => false;
  const d =
    signals === true
      ? d0
      : { ...d0, signals: d0.signals.filter((x) => stored(x.slot) || keep(x.name)) };
  const slots: Slot[] = [...d.slots];
  const ext = observedSlots(d);
  /** rep[s]: the slot whose value s always has (s itself unless s forwards another). */
  const rep = Int32Array.from(slots, (_, i) => i);
  const constOf = (s: number): bigint | undefined => {
    const def = (slots[s] as Slot).def;
    return def.kind === 'const' ? def.value : undefined;
  };
  const width = (s: number): number => (slots[s] as Slot).width;
  const setDef = (s: number, def: SlotDef): void => {
    slots[s] = { ...(slots[s] as Slot), def };
  };
  const forward = (s: number, to: number): void => {
    const v = constOf(to);
    if (v !== undefined) setDef(s, { kind: 'const', value: v });
    else if (ext[s]) setDef(s, { kind: 'cell', op: 'zext', args: [to] });
    rep[s] = v === undefined ? to : s;
  };
  const constant = (s: number, v: bigint): void => setDef(s, { kind: 'const', value: v });
  /** The muxes made priority encoders, with their mux (put back when the chain stays short). */
  const orig = new Map<number, SlotDef>();

  /**
   * Common subexpressions: the first slot computing each (op, width, operands, parameters). A
   * constant operand is keyed by its width and value, not by its slot: the lanes of two units fed
   * the same element (each with its own constant 0 in `0 - x`) compute it once.
   */
  const seen = new Map<string, number>();
  const argKey = (a: number): string => {
    const v = constOf(a);
    return v === undefined ? String(a) : `#${width(a)}:${v}`;
  };
  const share = (s: number): void => {
    const def = (slots[s] as Slot).def;
    if (rep[s] !== s || (def.kind !== 'cell' && def.kind !== 'table' && def.kind !== 'prio')) return;
    // A rom's key would need its table: roms are not shared.
    if (def.kind === 'cell' && def.op === 'rom') return;
    const key =
      def.kind === 'cell'
        ? `${def.op} ${width(s)} ${def.args.map(argKey).join(',')} ${def.lo ?? ''} ${def.amount ?? ''}`
        : `${width(s)} ${JSON.stringify(def)}`;
    const t = seen.get(key);
    if (t === undefined) seen.set(key, s);
    else forward(s, t);
  };
  for (const s of order) {
    simplify(s);
    share(s);
  }

  function simplify(s: number): void {
    const def = (slots[s] as Slot).def;
    if (def.kind === 'memRead') {
      setDef(s, { ...def, addr: rep[def.addr] as number });
      return;
    }
    if (def.kind !== 'cell') return;
    const args = def.args.map((a) => rep[a] as number);
    const w = width(s);
    const cv = args.map(constOf);
    const op = def.op;
    const lo = def.lo ?? 0;
    if (cv.every((v) => v !== undefined)) {
      constant(s, foldCell(op, w, cv as bigint[], args.map(width), lo, def.amount ?? 0, def.table));
      return;
    }
    const [a = -1, b = -1] = args;
    const [ca, cb] = cv;
    const ones = mask(w);
    // Identities and constant operands.
    if (op === 'mux') {
      const [, x = -1, y = -1] = args;
      if (ca !== undefined) forward(s, ca === 1n ? x : y);
      else if (x === y) forward(s, x);
      else {
        const pr = prioOf(a, x, y);
        if (pr) orig.set(s, { ...def, args });
        setDef(s, tableOf(a, x, y) ?? pr ?? bitTableOf(a, x, y) ?? { ...def, args });
      }
      return;
    }
    if ((op === 'and' || op === 'mul') && (ca === 0n || cb === 0n)) constant(s, 0n);
    else if (op === 'or' && (ca === ones || cb === ones)) constant(s, ones);
    else if (op === 'and' && (ca === ones || cb === ones)) forward(s, ca === ones ? b : a);
    else if ((op === 'or' || op === 'xor' || op === 'add') && (ca === 0n || cb === 0n)) forward(s, ca === 0n ? b : a);
    else if (op === 'mul' && (ca === 1n || cb === 1n)) forward(s, ca === 1n ? b : a);
    else if (op === 'sub' && cb === 0n) forward(s, a);
    else if ((op === 'and' || op === 'or') && a === b) forward(s, a);
    else if ((op === 'eq' || op === 'leU' || op === 'leS') && a === b) constant(s, 1n);
    else if ((op === 'ne' || op === 'ltU' || op === 'ltS' || op === 'xor' || op === 'sub') && a === b) constant(s, 0n);
    else if ((op === 'zext' || op === 'sext') && width(a) === w) forward(s, a);
    else if ((op === 'shl' || op === 'shrU' || op === 'shrS') && (def.amount ?? 0) === 0) forward(s, a);
    else if ((op === 'shlV' || op === 'shrUV' || op === 'shrSV') && cb !== undefined) {
      // A constant amount: the constant shift (by >= w: 0, or all sign bits for shrSV).
      const k = Number(cb >= BigInt(w) ? BigInt(w) : cb);
      if (k === 0) forward(s, a);
      else setDef(s, { kind: 'cell', op: op === 'shlV' ? 'shl' : op === 'shrUV' ? 'shrU' : 'shrS', args: [a], amount: k });
    } else if (op === 'slice') sliceThrough(s, a, lo, w);
    else setDef(s, { ...def, args });
  }

  /**
   * `(i == k) ? A : rest` where A is a constant and rest a constant or a table on the same i: a
   * table read (narrow values, i of at most 12 bits). The outer mux wins on a repeated key.
   */
  function tableOf(sel: number, x: number, y: number): SlotDef | undefined {
    const sd = (slots[sel] as Slot).def;
    const A = constOf(x);
    if (sd.kind !== 'cell' || sd.op !== 'eq' || A === undefined || width(x) > 32) return undefined;
    const [p = -1, q = -1] = sd.args;
    const key = constOf(q) ?? constOf(p);
    const index = constOf(q) !== undefined ? p : q;
    if (key === undefined || constOf(index) !== undefined || width(index) > 12) return undefined;
    const yd = (slots[y] as Slot).def;
    const B = constOf(y);
    let values: number[];
    let dflt: number;
    if (B !== undefined) {
      values = [];
      dflt = Number(B);
    } else if (yd.kind === 'table' && yd.index === index && yd.lo === undefined) {
      values = [...yd.values];
      dflt = yd.dflt;
    } else return undefined;
    const k = Number(key);
    while (values.length <= k) values.push(dflt);
    values[k] = Number(A);
    return { kind: 'table', index, values, dflt };
  }

  /**
   * `src[b] ? X : rest` where X is a narrow constant and rest a constant, or a priority encoder
   * on the same src whose bits end next to b: the encoder one bit longer (field of <= 32 bits).
   */
  function prioOf(sel: number, x: number, y: number): SlotDef | undefined {
    const sd = (slots[sel] as Slot).def;
    const X = constOf(x);
    if (sd.kind !== 'cell' || sd.op !== 'slice' || width(sel) !== 1 || X === undefined || width(x) > 32) return undefined;
    const src = sd.args[0] as number;
    const b = sd.lo ?? 0;
    const Y = constOf(y);
    if (Y !== undefined) return { kind: 'prio', src, lo: b, n: 1, up: true, values: [Number(X)], dflt: Number(Y) };
    const yd = (slots[y] as Slot).def;
    if (yd.kind !== 'prio' || yd.src !== src || yd.n >= 32) return undefined;
    if (b === yd.lo + yd.n && (yd.up || yd.n === 1))
      return { ...yd, n: yd.n + 1, up: true, values: [...yd.values, Number(X)] };
    if (b === yd.lo - 1 && (!yd.up || yd.n === 1))
      return { ...yd, lo: b, n: yd.n + 1, up: false, values: [Number(X), ...yd.values] };
    return undefined;
  }

  /**
   * `src[b] ? X : Y` where X and Y are narrow constants or decisions on lower bits of the same
   * src (one-bit encoders, field tables): a table indexed by the field src[lo..b] (at most
   * BIT_TABLE_MAX bits). A lookup table written as a tree of muxes on the bits of its index (the
   * activation LUTs of gpt2-block: 64 x 255 muxes, which made one function V8 never optimized).
   */
  function bitTableOf(sel: number, x: number, y: number): SlotDef | undefined {
    const sd = (slots[sel] as Slot).def;
    if (sd.kind !== 'cell' || sd.op !== 'slice' || width(sel) !== 1 || width(x) > 32) return undefined;
    const src = sd.args[0] as number;
    const b = sd.lo ?? 0;
    /** A child as a function of the field's bits: constant, or [lo, values] on src below b. */
    const child = (c: number): { lo: number; values: readonly number[] } | number | undefined => {
      const v = constOf(c);
      if (v !== undefined) return Number(v);
      const cd = (slots[c] as Slot).def;
      if (cd.kind === 'prio' && cd.src === src && cd.lo + cd.n <= b && cd.n <= BIT_TABLE_MAX) {
        // The encoder's value for every field value f: by its highest (lowest) set bit.
        const values = Array.from({ length: 2 ** cd.n }, (_, f) =>
          f === 0 ? cd.dflt : (cd.values[cd.up ? 31 - Math.clz32(f) : 31 - Math.clz32(f & -f)] as number),
        );
        return { lo: cd.lo, values };
      }
      if (cd.kind === 'table' && cd.index === src && cd.lo !== undefined && cd.lo + Math.log2(cd.values.length) <= b)
        return { lo: cd.lo, values: cd.values };
      return undefined;
    };
    const cx = child(x);
    const cy = child(y);
    if (cx === undefined || cy === undefined || (typeof cx === 'number' && typeof cy === 'number')) return undefined;
    const lo = Math.min(typeof cx === 'number' ? b : cx.lo, typeof cy === 'number' ? b : cy.lo);
    const n = b + 1 - lo;
    if (n > BIT_TABLE_MAX) return undefined;
    const at = (c: { lo: number; values: readonly number[] } | number, i: number): number =>
      typeof c === 'number' ? c : (c.values[(i >>> (c.lo - lo)) & (c.values.length - 1)] as number);
    const values = Array.from({ length: 2 ** n }, (_, i) => at((i >>> (n - 1)) & 1 ? cx : cy, i));
    return { kind: 'table', index: src, lo, values, dflt: 0 };
  }

  /** A slice looks through slices, concatenations and extensions to the part it selects. */
  function sliceThrough(s: number, a: number, lo: number, w: number): void {
    if (lo === 0 && width(a) === w) return forward(s, a);
    const ad = (slots[a] as Slot).def;
    if (ad.kind === 'cell' && ad.op === 'slice') return sliceThrough(s, ad.args[0] as number, lo + (ad.lo ?? 0), w);
    if (ad.kind === 'cell' && ad.op === 'zext') {
      const inner = ad.args[0] as number;
      if (lo >= width(inner)) return constant(s, 0n);
      if (lo + w <= width(inner)) return sliceThrough(s, inner, lo, w);
    }
    if (ad.kind === 'cell' && ad.op === 'concat') {
      // Parts are listed MSB first; find the one holding bits [lo, lo + w).
      let off = 0;
      for (let i = ad.args.length - 1; i >= 0; i--) {
        const p = ad.args[i] as number;
        const pw = width(p);
        if (lo >= off && lo + w <= off + pw) return sliceThrough(s, p, lo - off, w);
        off += pw;
      }
    }
    setDef(s, { kind: 'cell', op: 'slice', args: [a], lo });
  }

  // A short chain costs less as its muxes than as an encoder.
  for (const [s, def] of orig) {
    const pd = (slots[s] as Slot).def;
    if (pd.kind === 'prio' && pd.n < PRIO_MIN) setDef(s, def);
  }

  // Registers and memory ports read the forwarded slots; an enable that is always 1 goes.
  const regs: FlatReg[] = d.regs.map((r) => {
    const en = r.en === undefined ? undefined : (rep[r.en] as number);
    return { ...r, d: rep[r.d] as number, en: en !== undefined && constOf(en) === 1n ? undefined : en };
  });
  const mems = d.mems.map((m) => ({
    ...m,
    reads: m.reads.map((p) => ({ ...p, addr: rep[p.addr] as number })),
    writes: m.writes.map((p) => ({ addr: rep[p.addr] as number, data: rep[p.data] as number, en: rep[p.en] as number })),
  }));
  // Liveness: what registers, memories and the outside read, back through the cells.
  const live = Uint8Array.from(ext);
  for (const r of regs) {
    live[r.d] = 1;
    if (r.en !== undefined) live[r.en] = 1;
  }
  for (const m of mems) for (const p of m.writes) live[p.addr] = live[p.data] = live[p.en] = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const s = order[i] as number;
    if (!live[s]) continue;
    const def = (slots[s] as Slot).def;
    if (def.kind === 'cell') for (const a of def.args) live[a] = 1;
    else if (def.kind === 'memRead') live[def.addr] = 1;
    else if (def.kind === 'table') live[def.index] = 1;
    else if (def.kind === 'prio') live[def.src] = 1;
  }
  const design: FlatDesign = {
    ...d,
    slots,
    regs,
    mems,
    // Without signals: the named signals that folded to constants are still readable.
    signals: signals ? d.signals : d0.signals.filter((x) => stored(x.slot) || (slots[x.slot] as Slot).def.kind === 'const'),
  };
  return { design, order: order.filter((s) => live[s] === 1 && (slots[s] as Slot).def.kind !== 'const') };
}
