// Use analysis of one module: how often each net is read, which bits are read, and which nets
// must have a name because the printer refers to them by name (part-select bases, memory ports).
import type { ModuleDef, Ref } from '../../hdl/index.js';
import { bitsFor } from './expr.js';

export interface Usage {
  /** Number of places each net is read. */
  readonly uses: readonly number[];
  /** Per net: bit ranges `[lo, hi]` that are read, or `all`. */
  readonly bits: readonly (readonly (readonly [number, number])[] | 'all')[];
  /** Nets that the printer refers to by name (never inlined). */
  readonly mustName: ReadonlySet<Ref>;
}

export function analyzeUsage(m: ModuleDef): Usage {
  const n = m.nets.length;
  const uses = new Array<number>(n).fill(0);
  const bits: ([number, number][] | 'all')[] = Array.from({ length: n }, () => []);
  const mustName = new Set<Ref>();
  const useAll = (r: Ref): void => {
    uses[r] = (uses[r] ?? 0) + 1;
    bits[r] = 'all';
  };
  const width = (r: Ref): number => m.nets[r]?.width ?? 0;

  m.nets.forEach((net, self) => {
    const d = net.driver;
    if (d.kind === 'wire') useAll(d.src);
    if (d.kind !== 'cell') return;
    const c = d.cell;
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
  return { uses, bits, mustName };
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
