// A typed view of Yosys `write_json` output (the generic netlist after `synth`) and the module
// hierarchy under the top: a deterministic post-order and each module's instance count.
import { MxgenError } from '../../hdl/index.js';
import { isMemoryCell } from './area-model.js';

/** A net bit: a number (net id) or a constant "0" / "1" / "x" / "z". */
export type Bit = number | string;

export interface JsonPort {
  readonly direction: 'input' | 'output' | 'inout';
  readonly bits: readonly Bit[];
}

export interface JsonCell {
  readonly type: string;
  readonly portDirections: ReadonlyMap<string, 'input' | 'output' | 'inout'>;
  readonly connections: ReadonlyMap<string, readonly Bit[]>;
}

export interface JsonModule {
  readonly name: string;
  readonly ports: ReadonlyMap<string, JsonPort>;
  /** Sorted by cell name, so every traversal is deterministic. */
  readonly cells: readonly JsonCell[];
  /** Σ WIDTH × SIZE over the module's own memory cells (`$mem`, `$mem_v2`). */
  readonly memoryBits: number;
}

/** A Yosys integer parameter: a JSON number, or a string of binary digits (write_json). */
function intParam(v: unknown, where: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^[01]+$/.test(v)) return parseInt(v, 2);
  throw bad(`${where} is not an integer parameter`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(what: string): MxgenError {
  return new MxgenError('tool', `cannot read the Yosys JSON netlist: ${what}`);
}

function bits(v: unknown, where: string): Bit[] {
  if (!Array.isArray(v)) throw bad(`${where} has no bit list`);
  return v.map((b: unknown) => {
    if (typeof b === 'number' || typeof b === 'string') return b;
    throw bad(`${where} has a bit that is neither a net nor a constant`);
  });
}

function direction(v: unknown, where: string): 'input' | 'output' | 'inout' {
  if (v === 'input' || v === 'output' || v === 'inout') return v;
  throw bad(`${where} has direction ${String(v)}`);
}

const byName = <T>(r: Record<string, T>): [string, T][] =>
  Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function parseNetlistJson(text: string): Map<string, JsonModule> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  if (!isRecord(doc) || !isRecord(doc.modules)) throw bad('no "modules" object');
  const out = new Map<string, JsonModule>();
  for (const [name, m] of Object.entries(doc.modules)) {
    if (!isRecord(m)) throw bad(`module ${name}`);
    const ports = new Map<string, JsonPort>();
    for (const [p, v] of Object.entries(isRecord(m.ports) ? m.ports : {})) {
      if (!isRecord(v)) throw bad(`port ${name}.${p}`);
      ports.set(p, {
        direction: direction(v.direction, `port ${name}.${p}`),
        bits: bits(v.bits, p),
      });
    }
    const cells: JsonCell[] = [];
    let memoryBits = 0;
    for (const [c, v] of byName(isRecord(m.cells) ? m.cells : {})) {
      if (!isRecord(v) || typeof v.type !== 'string') throw bad(`cell ${name}.${c}`);
      if (isMemoryCell(v.type)) {
        const params = isRecord(v.parameters) ? v.parameters : {};
        memoryBits +=
          intParam(params.WIDTH, `cell ${name}.${c} WIDTH`) *
          intParam(params.SIZE, `cell ${name}.${c} SIZE`);
      }
      const dirs = new Map<string, 'input' | 'output' | 'inout'>();
      for (const [p, d] of Object.entries(isRecord(v.port_directions) ? v.port_directions : {}))
        dirs.set(p, direction(d, `cell ${name}.${c} port ${p}`));
      const conns = new Map<string, readonly Bit[]>();
      for (const [p, b] of Object.entries(isRecord(v.connections) ? v.connections : {}))
        conns.set(p, bits(b, `cell ${name}.${c} port ${p}`));
      cells.push({ type: v.type, portDirections: dirs, connections: conns });
    }
    out.set(name, { name, ports, cells, memoryBits });
  }
  return out;
}

/** Modules under `top`, each after everything it instantiates (children in name order). */
export function hierarchyOrder(mods: ReadonlyMap<string, JsonModule>, top: string): string[] {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: readonly string[]): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'open')
      throw new MxgenError(
        'config',
        `module ${name} instantiates itself: ${[...path, name].join(' -> ')}`,
      );
    const m = mods.get(name);
    if (!m) throw bad(`module ${name} is missing`);
    state.set(name, 'open');
    const kids = [...new Set(m.cells.map((c) => c.type).filter((t) => mods.has(t)))].sort();
    for (const k of kids) visit(k, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  visit(top, []);
  return order;
}

/** Direct submodule instances of a module: name → count, names sorted. */
export function directInstances(
  m: JsonModule,
  mods: ReadonlyMap<string, JsonModule>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of m.cells) if (mods.has(c.type)) out.set(c.type, (out.get(c.type) ?? 0) + 1);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** How many times each module occurs under `top` (`order` from hierarchyOrder). */
export function instanceCounts(
  mods: ReadonlyMap<string, JsonModule>,
  order: readonly string[],
): Map<string, number> {
  const counts = new Map<string, number>(order.map((n) => [n, 0]));
  const top = order[order.length - 1];
  if (top === undefined) return counts;
  counts.set(top, 1);
  for (const name of [...order].reverse()) {
    const m = mods.get(name);
    const n = counts.get(name) ?? 0;
    if (!m) continue;
    for (const [kid, k] of directInstances(m, mods))
      counts.set(kid, (counts.get(kid) ?? 0) + n * k);
  }
  return counts;
}
