// Where each slot's value lives in the generated model: narrow values in `N`, wide ones as
// ceil(w / 32) consecutive words (least significant first) in `W`, all Uint32Arrays; register
// outputs in `R` / `RW`, whose next values are written into `RX` / `RWX` during evaluation and
// copied in on the rising edge (double buffering). A wide slot's index is its first word.
import type { Slot } from './flatten.js';
import { isWide, literal } from './repr.js';
import { literalWords, wordsOf } from './wide.js';

export type StoreArray = 'N' | 'W' | 'R' | 'RW';

export interface Layout {
  /** Index of each slot within its array (wide slots: index of the first word). */
  readonly index: Int32Array;
  /** The array of each slot. */
  readonly array: readonly StoreArray[];
  /** Elements of each array (words for W and RW). */
  readonly counts: Readonly<Record<StoreArray, number>>;
}

export function layoutOf(slots: readonly Slot[]): Layout {
  const index = new Int32Array(slots.length);
  const array: StoreArray[] = [];
  const counts: Record<StoreArray, number> = { N: 0, W: 0, R: 0, RW: 0 };
  slots.forEach((s, i) => {
    const wide = isWide(s.width);
    const a: StoreArray = s.def.kind === 'reg' ? (wide ? 'RW' : 'R') : wide ? 'W' : 'N';
    array.push(a);
    index[i] = counts[a];
    counts[a] += wide ? wordsOf(s.width) : 1;
  });
  return { index, array, counts };
}

/** Storage reference of a slot: `N[3]`, `W[0]`, `R[5]` (current register value) or `RW[1]`. */
export function storeRef(layout: Layout, slot: number): string {
  return `${layout.array[slot] ?? 'N'}[${layout.index[slot]}]`;
}

/** The next-value reference of a register output slot: `RX[5]` or `RWX[1]`. */
export function nextRef(layout: Layout, slot: number): string {
  return `${layout.array[slot] === 'RW' ? 'RWX' : 'RX'}[${layout.index[slot]}]`;
}

/** Value expression of a slot read from storage (constants inline). */
export function readRef(slots: readonly Slot[], layout: Layout, slot: number): string {
  const s = slots[slot] as Slot;
  return s.def.kind === 'const' ? literal(s.def.value, s.width) : storeRef(layout, slot);
}

/** Storage references of a wide slot's words: `W[4]`, `W[5]`, ... (or `RW[..]`). */
export function wordRefs(layout: Layout, slot: number, width: number): string[] {
  const a = layout.array[slot] ?? 'W';
  const i = layout.index[slot] ?? 0;
  return Array.from({ length: wordsOf(width) }, (_, j) => `${a}[${i + j}]`);
}

/** Next-value references of a wide register output's words: `RWX[4]`, ... */
export function nextWordRefs(layout: Layout, slot: number, width: number): string[] {
  const i = layout.index[slot] ?? 0;
  return Array.from({ length: wordsOf(width) }, (_, j) => `RWX[${i + j}]`);
}

/** The words of a wide slot read from storage (constants as literals). */
export function readWords(slots: readonly Slot[], layout: Layout, slot: number): string[] {
  const s = slots[slot] as Slot;
  return s.def.kind === 'const' ? literalWords(s.def.value, s.width) : wordRefs(layout, slot, s.width);
}
