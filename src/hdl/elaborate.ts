// elaborate(top): lower every module reachable from `top` to the frozen, normalized Netlist of
// netlist.ts (dependency order, deduplicated by name), after collecting every problem of every
// module; throws them together as MxgenErrors.
import { checkCombLoops, checkDrivers, combDeps } from './checks.js';
import { MxgenError, MxgenErrors } from './errors.js';
import { type Lowered, lowerModule, toNet } from './lower.js';
import { simplifyModule } from './simplify.js';
import { ModuleBuilder } from './module.js';
import type { ModuleDef, Netlist } from './netlist.js';
import { atLoc, problemError } from './problems.js';
import { resolveLoc } from './srcloc.js';

interface Ctx {
  readonly byBuilder: Map<ModuleBuilder, ModuleDef>;
  /** `bare`: the module as lowered, without locations (what a name collision compares). */
  readonly byName: Map<
    string,
    { builder: ModuleBuilder; def: ModuleDef; bare: ModuleDef; key?: string }
  >;
  readonly order: ModuleDef[];
  readonly errors: MxgenError[];
  readonly active: ModuleBuilder[];
  readonly deps: WeakMap<ModuleDef, Map<string, string[]>>;
  readonly simplify: boolean;
}

export interface ElaborateOptions {
  /**
   * Simplify every module (simplify.ts: constant folding, identities, constant-select and
   * equal-arm muxes, structural hashing, dead logic). Default true; `false` keeps the netlist as
   * lowered, for proving the two equal (test/area/equiv-simplify.test.ts).
   */
  readonly simplify?: boolean;
}

export function elaborate(top: ModuleBuilder, opts: ElaborateOptions = {}): Netlist {
  if (!(top instanceof ModuleBuilder))
    throw new MxgenError('usage', 'elaborate() expects a ModuleBuilder', {
      hint: 'pass the builder returned by a generator',
    });
  const ctx: Ctx = {
    byBuilder: new Map(),
    byName: new Map(),
    order: [],
    errors: [],
    active: [],
    deps: new WeakMap(),
    simplify: opts.simplify ?? true,
  };
  const def = visit(top, ctx);
  if (ctx.errors.length > 0) throw new MxgenErrors(ctx.errors);
  return deepFreeze({ top: def.name, modules: ctx.order });
}

function visit(b: ModuleBuilder, ctx: Ctx): ModuleDef {
  const done = ctx.byBuilder.get(b);
  if (done) return done;
  if (ctx.active.includes(b)) {
    const chain = [...ctx.active.slice(ctx.active.indexOf(b)), b].map((x) => x.name).join(' -> ');
    throw new MxgenError('name', `module ${b.name} instantiates itself: ${chain}`, {
      ...locOf(b),
      hint: 'hardware recursion must end at generate time',
    });
  }
  ctx.active.push(b);
  const children: ModuleDef[] = b.instances.map((i) => {
    if (!(i.child instanceof ModuleBuilder)) {
      // Reachable through the public InstanceHandle constructor plus b.instances.push(...).
      const loc = resolveLoc(i.site);
      throw new MxgenError(
        'usage',
        `instance ${i.name} of ${i.child.name} in module ${b.name}: the instantiated module is not a ModuleBuilder`,
        {
          ...(loc === undefined ? {} : { loc }),
          hint: `create instances with ${b.name}.instance(childBuilder, name)`,
        },
      );
    }
    return visit(i.child, ctx);
  });
  ctx.active.pop();
  const { def: bare, low } = build(b, children, ctx);
  const prev = ctx.byName.get(bare.name);
  if (prev) {
    // Keys are computed only on a name collision (most modules never need one).
    prev.key ??= defKey(prev.bare);
    if (prev.key !== defKey(bare))
      ctx.errors.push(
        new MxgenError('name', `two different modules are named ${bare.name}`, {
          ...locOf(b),
          hint: 'derive module names from every config field that changes the hardware (see configDigest)',
          notes: [`the other one was created ${atLoc(prev.builder.site)}`],
        }),
      );
    ctx.byBuilder.set(b, prev.def);
    return prev.def;
  }
  // Kept: now resolve the source locations of its nets (skipped for merged duplicates).
  const lowered: ModuleDef = { ...bare, nets: low.nets.map((n) => toNet(n)) };
  const def = ctx.simplify ? simplifyModule(lowered) : lowered;
  ctx.byName.set(def.name, { builder: b, def, bare });
  ctx.byBuilder.set(b, def);
  ctx.order.push(def);
  return def;
}

function locOf(b: ModuleBuilder): { loc?: string } {
  const loc = resolveLoc(b.site);
  return loc === undefined ? {} : { loc };
}

/** The module without net locations (cheap to compare), and its lowering. */
function build(
  b: ModuleBuilder,
  children: readonly ModuleDef[],
  ctx: Ctx,
): { def: ModuleDef; low: Lowered } {
  const low = lowerModule(b);
  const childDeps = (i: number): Map<string, string[]> => {
    const c = children[i] as ModuleDef;
    let d = ctx.deps.get(c);
    if (!d) ctx.deps.set(c, (d = combDeps(c, (j) => childDepsOf(c, j, ctx))));
    return d;
  };
  ctx.errors.push(
    ...b.problems.map(problemError),
    ...checkDrivers(b),
    ...checkCombLoops(b.name, low, childDeps),
  );
  const def: ModuleDef = {
    name: b.name,
    ports: low.ports,
    nets: low.nets.map((n) => toNet(n, false)),
    regs: low.regs,
    mems: low.mems,
    instances: low.instances.map((x, i) => ({
      name: x.name,
      module: (children[i] as ModuleDef).name,
      inputs: x.inputs,
      loc: x.loc,
    })),
    clocked: low.regs.length > 0 || low.mems.length > 0 || children.some((c) => c.clocked),
    ...(b.configDigest === undefined ? {} : { configDigest: b.configDigest }),
    loc: resolveLoc(b.site),
  };
  return { def, low };
}

/** Comb deps of instance `j` inside an already elaborated module `c`. */
function childDepsOf(c: ModuleDef, j: number, ctx: Ctx): Map<string, string[]> {
  const inst = c.instances[j];
  const child = ctx.order.find((m) => m.name === inst?.module);
  if (!child) return new Map();
  let d = ctx.deps.get(child);
  if (!d) ctx.deps.set(child, (d = combDeps(child, (k) => childDepsOf(child, k, ctx))));
  return d;
}

/** Structural identity of a module, ignoring source locations. */
function defKey(def: ModuleDef): string {
  return JSON.stringify(def, (k, v: unknown) =>
    k === 'loc' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
  );
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}
