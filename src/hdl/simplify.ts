// Simplification of one elaborated module (run by elaborate): constants fold, identities forward
// their operand (`x & 0`, `x | 0`, `x ^ 0`, `x + 0`, `x * 1`, shifts by 0, full-width slices and
// extensions), muxes with a constant select or equal arms pick their arm, identical unnamed cells
// are merged (structural hashing), and unnamed logic that nothing reads is dropped. Named nets
// stay (a name is a promise to the waveform); one that becomes a copy is a wire to its source.
import { foldCell, mask } from './fold.js';
import type { Cell, Driver, ModuleDef, Net, Ref } from './netlist.js';

type Result = { readonly alias: Ref } | { readonly cell: Cell };

function constValue(nets: readonly Net[], r: Ref): bigint | undefined {
  const d = nets[r]?.driver;
  return d?.kind === 'cell' && d.cell.op === 'const' ? (d.cell.value ?? 0n) : undefined;
}

/** A simpler form of `cell` (operands already remapped), or the cell itself. */
function simplifyCell(cell: Cell, w: number, nets: readonly Net[]): Result {
  const args = cell.args;
  const width = (r: Ref): number => nets[r]?.width ?? -1;
  const k = args.map((a) => constValue(nets, a));
  const same = (r: Ref): Result | undefined => (width(r) === w ? { alias: r } : undefined);
  const konst = (v: bigint): Result => ({ cell: { op: 'const', args: [], value: v & mask(w) } });
  if (cell.op !== 'const' && args.length > 0 && k.every((v) => v !== undefined)) {
    const vals = k as bigint[];
    return konst(
      foldCell(cell.op, w, vals, args.map(width), cell.lo ?? 0, cell.amount ?? 0, cell.table),
    );
  }
  const [a, b] = [args[0] ?? -1, args[1] ?? -1];
  const [ka, kb] = [k[0], k[1]];
  const ones = mask(w);
  switch (cell.op) {
    case 'mux': {
      const [t, f] = [b, args[2] ?? -1];
      if (ka !== undefined) return same(ka === 1n ? t : f) ?? { cell };
      if (t === f) return same(t) ?? { cell };
      return { cell };
    }
    case 'and':
      if (ka === 0n || kb === 0n) return konst(0n);
      if (ka === ones) return same(b) ?? { cell };
      if (kb === ones || a === b) return same(a) ?? { cell };
      return { cell };
    case 'or':
      if (ka === ones || kb === ones) return konst(ones);
      if (ka === 0n) return same(b) ?? { cell };
      if (kb === 0n || a === b) return same(a) ?? { cell };
      return { cell };
    case 'xor':
      if (a === b) return konst(0n);
      if (ka === 0n) return same(b) ?? { cell };
      if (kb === 0n) return same(a) ?? { cell };
      return { cell };
    case 'add':
      if (ka === 0n) return same(b) ?? { cell };
      if (kb === 0n) return same(a) ?? { cell };
      return { cell };
    case 'sub':
      if (kb === 0n) return same(a) ?? { cell };
      return { cell };
    case 'mul':
      if (ka === 0n || kb === 0n) return konst(0n);
      if (ka === 1n) return same(b) ?? { cell };
      if (kb === 1n) return same(a) ?? { cell };
      return { cell };
    case 'shl':
    case 'shrU':
    case 'shrS':
      return (cell.amount ?? 0) === 0 ? (same(a) ?? { cell }) : { cell };
    case 'slice':
      return (cell.lo ?? 0) === 0 ? (same(a) ?? { cell }) : { cell };
    case 'zext':
    case 'sext':
      return same(a) ?? { cell };
    default:
      return { cell };
  }
}

function keyOf(c: Cell, n: Net): string {
  return `${c.op}|${n.width}|${n.signed ? 's' : 'u'}|${c.args.join(',')}|${c.value ?? ''}|${c.lo ?? ''}|${c.amount ?? ''}`;
}

/** Refs every port, register, memory port, instance and named net reads (the roots of liveness). */
function roots(m: ModuleDef): Ref[] {
  const out: Ref[] = [];
  for (const p of m.ports) out.push(p.net);
  for (const r of m.regs) out.push(r.q, r.d, ...(r.enable === undefined ? [] : [r.enable]));
  for (const mem of m.mems) {
    for (const p of mem.readPorts) out.push(p.addr, p.data, ...(p.en === undefined ? [] : [p.en]));
    for (const p of mem.writePorts) out.push(p.addr, p.data, p.en);
  }
  for (const i of m.instances) for (const c of i.inputs) out.push(c.net);
  m.nets.forEach((n, r) => {
    if (n.name !== undefined || (n.driver.kind !== 'cell' && n.driver.kind !== 'wire')) out.push(r);
  });
  return out;
}

/** Drops unnamed cells and wires nothing live reads; renumbers the rest in creation order. */
function removeDead(m: ModuleDef): ModuleDef {
  const live = new Uint8Array(m.nets.length);
  const stack = roots(m);
  while (stack.length > 0) {
    const r = stack.pop() as Ref;
    if (live[r]) continue;
    live[r] = 1;
    const d = m.nets[r]?.driver;
    if (d?.kind === 'cell') stack.push(...d.cell.args);
    else if (d?.kind === 'wire') stack.push(d.src);
  }
  if (live.every((x) => x === 1)) return m;
  const map = new Array<Ref>(m.nets.length).fill(-1);
  let next = 0;
  m.nets.forEach((_, r) => {
    if (live[r]) map[r] = next++;
  });
  const f = (x: Ref): Ref => map[x] ?? -1;
  const nets = m.nets.flatMap((n, r) =>
    live[r] ? [{ ...n, driver: remapDriver(n.driver, f) }] : [],
  );
  return remapModule(m, nets, f);
}

function remapDriver(d: Driver, f: (r: Ref) => Ref): Driver {
  if (d.kind === 'cell') return { kind: 'cell', cell: { ...d.cell, args: d.cell.args.map(f) } };
  if (d.kind === 'wire') return { kind: 'wire', src: f(d.src) };
  return d;
}

function remapModule(m: ModuleDef, nets: Net[], f: (r: Ref) => Ref): ModuleDef {
  return {
    ...m,
    nets,
    ports: m.ports.map((p) => ({ ...p, net: f(p.net) })),
    regs: m.regs.map((r) => ({
      ...r,
      q: f(r.q),
      d: f(r.d),
      ...(r.enable === undefined ? {} : { enable: f(r.enable) }),
    })),
    mems: m.mems.map((mem) => ({
      ...mem,
      readPorts: mem.readPorts.map((p) => ({
        ...p,
        addr: f(p.addr),
        data: f(p.data),
        ...(p.en === undefined ? {} : { en: f(p.en) }),
      })),
      writePorts: mem.writePorts.map((p) => ({ addr: f(p.addr), data: f(p.data), en: f(p.en) })),
    })),
    instances: m.instances.map((i) => ({
      ...i,
      inputs: i.inputs.map((c) => ({ ...c, net: f(c.net) })),
    })),
  };
}

/** The simplified module: the same ports, registers, memories and instances, in the same order. */
export function simplifyModule(m: ModuleDef): ModuleDef {
  const map = new Array<Ref>(m.nets.length).fill(-1);
  const f = (r: Ref): Ref => map[r] ?? -1;
  const nets: Net[] = [];
  const hashed = new Map<string, Ref>();
  const fresh = new Set<Ref>(); // wires made here: their source is already a new ref
  m.nets.forEach((n, r) => {
    const d = n.driver;
    // Wires may read nets made after them (a wire is declared, then set): their sources are
    // remapped at the end, with the rest of the module.
    if (d.kind !== 'cell') {
      map[r] = nets.length;
      nets.push(n);
      return;
    }
    const res = simplifyCell({ ...d.cell, args: d.cell.args.map(f) }, n.width, nets);
    if ('alias' in res) {
      if (n.name === undefined) map[r] = res.alias;
      else {
        map[r] = nets.length;
        fresh.add(nets.length);
        nets.push({ ...n, driver: { kind: 'wire', src: res.alias } });
      }
      return;
    }
    const key = keyOf(res.cell, n);
    // A rom's key would need its table: roms are not merged.
    const hashable = n.name === undefined && res.cell.op !== 'rom';
    const prev = hashable ? hashed.get(key) : undefined;
    if (prev !== undefined) {
      map[r] = prev;
      return;
    }
    map[r] = nets.length;
    nets.push({ ...n, driver: { kind: 'cell', cell: res.cell } });
    if (hashable) hashed.set(key, map[r]);
  });
  const wired = nets.map((n, i) =>
    n.driver.kind === 'wire' && !fresh.has(i) ? { ...n, driver: remapDriver(n.driver, f) } : n,
  );
  return removeDead(remapModule(m, wired, f));
}
