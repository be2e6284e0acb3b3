// Structural checks run by elaborate(): every output and wire driven, every register given a
// next value, every instance input connected, and no combinational loop (each hop listed with
// its location). Problems are returned, never thrown here.
import { MxgenError } from './errors.js';
import type { DraftNet, Lowered } from './lower.js';
import type { ModuleBuilder } from './module.js';
import type { Mem, ModuleDef, Ref } from './netlist.js';
import { Output } from './signal.js';
import { resolveLoc } from './srcloc.js';

const MAX_LOOPS_REPORTED = 8;

export function checkDrivers(b: ModuleBuilder): MxgenError[] {
  const errors: MxgenError[] = [];
  const err = (message: string, hint: string, loc: string | undefined): void => {
    errors.push(new MxgenError('driver', message, { ...(loc ? { loc } : {}), hint }));
  };
  for (const p of b.ports)
    if (p instanceof Output && !p.setCalled)
      err(
        `output ${p.name} of module ${b.name} is never driven`,
        `call ${p.name}.set(expr)`,
        resolveLoc(p.site),
      );
  for (const w of b.wires)
    if (!w.setCalled)
      err(
        `wire ${w.name} of module ${b.name} is never driven`,
        `call ${w.name}.set(expr)`,
        resolveLoc(w.site),
      );
  for (const r of b.regs)
    if (!r.nextCalled)
      err(
        `reg ${r.name} of module ${b.name} has no next value`,
        `call ${r.name}.next(expr) (use ${r.name}.next(${r.name}) for a register that holds)`,
        resolveLoc(r.site),
      );
  for (const i of b.instances)
    for (const p of i.child.ports)
      if (p.kind === 'input' && !i.connections.has(p.name))
        err(
          `instance ${i.name} of ${i.child.name}: input ${p.name} (${p.signed ? 's' : 'u'}${p.width}) is not connected`,
          `call ${i.name}.connect('${p.name}', expr)`,
          resolveLoc(i.site),
        );
  return errors;
}

/** For each output of `def`, the names of the inputs it depends on combinationally. */
export function combDeps(
  def: ModuleDef,
  childDeps: (inst: number) => ReadonlyMap<string, readonly string[]>,
): Map<string, string[]> {
  const memo = new Map<Ref, Set<number>>();
  const inputsOf = (root: Ref): Set<number> => {
    // Iterative post-order: a net's inputs are the union of its combinational sources' inputs.
    const stack: [Ref, boolean][] = [[root, false]];
    while (stack.length > 0) {
      const [n, done] = stack.pop() as [Ref, boolean];
      if (memo.has(n)) continue;
      const srcs = sources(def.nets, def, n, childDeps);
      if (!done) {
        stack.push([n, true]);
        for (const s of srcs) if (!memo.has(s)) stack.push([s, false]);
        continue;
      }
      const set = new Set<number>();
      const d = def.nets[n]?.driver;
      if (d?.kind === 'input') set.add(d.port);
      for (const s of srcs) for (const i of memo.get(s) ?? []) set.add(i);
      memo.set(n, set);
    }
    return memo.get(root) as Set<number>;
  };
  const out = new Map<string, string[]>();
  for (const p of def.ports)
    if (p.dir === 'out')
      out.set(
        p.name,
        [...inputsOf(p.net)].sort((a, b) => a - b).map((i) => def.ports[i]?.name ?? ''),
      );
  return out;
}

interface NetSource {
  readonly nets: readonly { readonly driver: DraftNet['driver'] }[];
}

interface Shell {
  readonly mems: readonly Mem[];
  readonly instances: readonly { readonly inputs: readonly { port: string; net: Ref }[] }[];
}

/** The nets a net reads combinationally. */
function sources(
  nets: NetSource['nets'],
  m: Shell,
  n: Ref,
  childDeps: (inst: number) => ReadonlyMap<string, readonly string[]>,
): Ref[] {
  const d = nets[n]?.driver;
  if (!d) return [];
  switch (d.kind) {
    case 'cell':
      return [...d.cell.args];
    case 'wire':
      return d.src >= 0 ? [d.src] : [];
    case 'memRead': {
      // An SRAM's read data is a register: it reads nothing combinationally.
      if (m.mems[d.mem]?.kind === 'sram') return [];
      const a = m.mems[d.mem]?.readPorts[d.port]?.addr;
      return a === undefined || a < 0 ? [] : [a];
    }
    case 'inst': {
      const deps = childDeps(d.inst).get(d.port) ?? [];
      const conns = m.instances[d.inst]?.inputs ?? [];
      return conns.filter((c) => deps.includes(c.port)).map((c) => c.net);
    }
    default:
      return [];
  }
}

function describe(net: DraftNet, i: Ref): string {
  const what =
    net.name ?? net.hint ?? (net.driver.kind === 'cell' ? net.driver.cell.op : net.driver.kind);
  return `${what} (net ${i}, ${net.signed ? 's' : 'u'}${net.width}) at ${resolveLoc(net.site) ?? 'an unknown location'}`;
}

/** Every combinational loop (one per strongly connected group, at most a few), hop by hop. */
export function checkCombLoops(
  moduleName: string,
  low: Lowered,
  childDeps: (inst: number) => ReadonlyMap<string, readonly string[]>,
): MxgenError[] {
  const { nets } = low;
  const color = new Uint8Array(nets.length); // 0 new, 1 on the stack, 2 done
  const inLoop = new Uint8Array(nets.length);
  const errors: MxgenError[] = [];
  for (let root = 0; root < nets.length && errors.length < MAX_LOOPS_REPORTED; root++) {
    if (color[root] !== 0) continue;
    const path: Ref[] = [];
    const iters: Ref[][] = [];
    color[root] = 1;
    path.push(root);
    iters.push(sources(nets, low, root, childDeps));
    while (path.length > 0) {
      const next = (iters[iters.length - 1] as Ref[]).shift();
      if (next === undefined) {
        color[path.pop() as Ref] = 2;
        iters.pop();
        continue;
      }
      if (color[next] === 1) {
        const cycle = path.slice(path.indexOf(next));
        if (cycle.some((c) => inLoop[c] === 0) && errors.length < MAX_LOOPS_REPORTED) {
          for (const c of cycle) inLoop[c] = 1;
          errors.push(loopError(moduleName, nets, cycle));
        }
        continue;
      }
      if (color[next] === 2) continue;
      color[next] = 1;
      path.push(next);
      iters.push(sources(nets, low, next, childDeps));
    }
  }
  return errors;
}

function loopError(moduleName: string, nets: readonly DraftNet[], cycle: Ref[]): MxgenError {
  // The path goes from a net to the nets it reads; print it in dataflow order, starting at the
  // first named net so the message reads naturally.
  const flow = [...cycle].reverse();
  const start = Math.max(
    0,
    flow.findIndex((i) => nets[i]?.name !== undefined),
  );
  const hops = [...flow.slice(start), ...flow.slice(0, start)];
  const first = nets[hops[0] as Ref] as DraftNet;
  const label = (i: Ref): string => {
    const n = nets[i] as DraftNet;
    return n.name ?? n.hint ?? (n.driver.kind === 'cell' ? n.driver.cell.op : `net ${i}`);
  };
  const loc = resolveLoc(first.site);
  return new MxgenError(
    'comb-loop',
    `combinational loop in module ${moduleName}: ${[...hops, hops[0] as Ref].map(label).join(' -> ')}`,
    {
      ...(loc ? { loc } : {}),
      hint: 'break the loop with a register (m.reg(...).next(expr)) or remove the feedback path',
      notes: hops.map((i, k) => `hop ${k + 1}: ${describe(nets[i] as DraftNet, i)}`),
    },
  );
}
