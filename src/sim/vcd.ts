// VCD recording of a Simulator: clk, rst, the ports and every named signal, one `$scope module`
// per instance. Cycle t's sampled values are written at time 10t with clk = 1 (the edge that
// ended cycle t-1); clk falls at 10t + 5. Deterministic: no date, identifiers in signal order.
import type { CycleObserver, Simulator } from './simulator.js';

export interface VcdOptions {
  /** Record named internal signals too (default true); ports are always recorded. */
  readonly signals?: boolean;
}

interface Var {
  readonly name: string;
  readonly width: number;
  readonly id: string;
}

interface ScopeNode {
  readonly name: string;
  readonly vars: Var[];
  readonly children: Map<string, ScopeNode>;
}

/** VCD identifier number i: base-94 over the printable characters `!` .. `~`. */
export function vcdId(i: number): string {
  let s = '';
  let n = i;
  do {
    s += String.fromCharCode(33 + (n % 94));
    n = Math.floor(n / 94);
  } while (n > 0);
  return s;
}

export function vcdValue(v: bigint, width: number, id: string): string {
  return width === 1 ? `${v}${id}` : `b${v.toString(2)} ${id}`;
}

export class VcdWriter implements CycleObserver {
  /** Slot and identifier of each recorded value, in identifier order. */
  private readonly tracked: { slot: number; width: number; id: string }[] = [];
  private readonly last: (bigint | undefined)[] = [];
  private lastRst = -1;
  private started = false;
  private closed = false;

  constructor(
    private readonly sim: Simulator,
    private readonly write: (chunk: string) => void,
    opts: VcdOptions = {},
  ) {
    const root: ScopeNode = { name: sim.top, vars: [], children: new Map() };
    const idOfSlot = new Map<number, string>();
    let next = 2; // `!` is clk, `"` is rst
    const idFor = (slot: number, width: number): string => {
      let id = idOfSlot.get(slot);
      if (id === undefined) {
        id = vcdId(next++);
        idOfSlot.set(slot, id);
        this.tracked.push({ slot, width, id });
      }
      return id;
    };
    root.vars.push({ name: 'clk', width: 1, id: vcdId(0) }, { name: 'rst', width: 1, id: vcdId(1) });
    const seen = new Set<string>(['clk', 'rst']);
    for (const p of sim.design.ports) {
      seen.add(p.name);
      root.vars.push({ name: p.name, width: p.width, id: idFor(p.slot, p.width) });
    }
    if (opts.signals !== false)
      for (const s of sim.design.signals) {
        if (s.scope.length === 0 && seen.has(s.leaf)) continue;
        let node = root;
        for (const part of s.scope) {
          let child = node.children.get(part);
          if (!child) {
            child = { name: part, vars: [], children: new Map() };
            node.children.set(part, child);
          }
          node = child;
        }
        node.vars.push({ name: s.leaf, width: s.width, id: idFor(s.slot, s.width) });
      }
    const lines = ['$version mxgen native simulator $end', '$timescale 1ns $end'];
    const emit = (n: ScopeNode): void => {
      lines.push(`$scope module ${n.name} $end`);
      for (const v of n.vars)
        lines.push(`$var wire ${v.width} ${v.id} ${v.name}${v.width > 1 ? ` [${v.width - 1}:0]` : ''} $end`);
      for (const c of n.children.values()) emit(c);
      lines.push('$upscope $end');
    };
    emit(root);
    lines.push('$enddefinitions $end');
    this.write(`${lines.join('\n')}\n`);
    sim.addObserver(this);
  }

  sample(cycle: number): void {
    if (this.closed) return;
    const out: string[] = [`#${cycle * 10}`];
    if (!this.started) out.push('$dumpvars');
    out.push(`1${vcdId(0)}`);
    const rst = this.sim.resetting;
    if (rst !== this.lastRst) out.push(`${rst}${vcdId(1)}`);
    this.lastRst = rst;
    this.tracked.forEach((t, i) => {
      const v = this.sim.rawSlot(t.slot);
      if (v !== this.last[i]) out.push(vcdValue(v, t.width, t.id));
      this.last[i] = v;
    });
    if (!this.started) out.push('$end');
    this.started = true;
    out.push(`#${cycle * 10 + 5}`, `0${vcdId(0)}`);
    this.write(`${out.join('\n')}\n`);
  }

  /** Stops recording and writes the closing timestamp (the start of the next cycle). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sim.removeObserver(this);
    if (this.started) this.write(`#${this.sim.cycle * 10}\n`);
  }
}
