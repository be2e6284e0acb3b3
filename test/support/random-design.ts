// Random designs for differential testing, built through the public builder. A fast-check
// arbitrary produces a plain-data recipe (so counter-examples shrink and print), and
// `buildRecipe` interprets it: every step picks operands from the pool of values made so far and
// conforms their shapes (asSigned/toSigned/extend/trunc) so that every builder operator is legal.
// Covers every builder operator, widths 1..130, signed and unsigned, registers with enables,
// with and without reset, a memory with several ports, an SRAM (synchronous read with or without
// enable, optional write port, optional init image, out-of-range addresses), child-module
// instances and deep trees. `recipeImages` gives the init images a recipe's SRAMs need.
import fc from 'fast-check';
import {
  cat,
  elaborate,
  fromPattern,
  lit,
  ModuleBuilder,
  mux,
  s,
  u,
  type Expr,
  type MemImage,
  type Netlist,
  type Shape,
  type Sram,
} from '../../src/hdl/index.js';

export const STEP_OPS = [
  'add', 'sub', 'mul', 'neg', 'addWrap', 'subWrap', 'mulWrap', 'and', 'or', 'xor', 'not',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'shl', 'shr', 'shlBy', 'shrBy', 'mux', 'cat', 'bits',
  'bit', 'andR', 'orR', 'xorR', 'asSigned', 'asUnsigned', 'toSigned', 'extend', 'trunc', 'lit',
  'addConst', 'memRead', 'wire', 'partSelect', 'rom', 'prio',
] as const; // prettier-ignore
export type StepOp = (typeof STEP_OPS)[number];

export interface PortRecipe {
  readonly width: number;
  readonly signed: boolean;
}

export interface Step {
  readonly op: StepOp;
  /** Operand picks (index back from the newest pool value) and a free parameter. */
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly k: number;
}

export interface RegRecipe extends PortRecipe {
  /** 'zero' = init 0, 'none' = no reset, 'value' = init from `initBits`. */
  readonly reset: 'zero' | 'none' | 'value';
  readonly initBits: bigint;
  readonly enable: boolean;
  /** Pool pick for d and enable (from the end of the pool). */
  readonly d: number;
  readonly en: number;
}

export interface MemRecipe {
  readonly width: number;
  readonly depth: number;
  /** Write ports: picks for addr, data, en, and address width slack (0..2 extra bits). */
  readonly writes: readonly { readonly addr: number; readonly data: number; readonly en: number; readonly slack: number }[];
} // prettier-ignore

export interface SramRecipe {
  readonly width: number;
  readonly depth: number;
  /** Whether the SRAM has an init image (its words derive from `seed`). */
  readonly init: boolean;
  readonly seed: number;
  /** Read: picks for addr and enable (-1 = no enable), address width slack (0..2 extra bits). */
  readonly raddr: number;
  readonly ren: number;
  readonly rslack: number;
  /** The write port, or null for a ROM. */
  readonly write: { readonly addr: number; readonly data: number; readonly en: number; readonly slack: number } | null;
} // prettier-ignore

export interface ModuleRecipe {
  readonly inputs: readonly PortRecipe[];
  readonly regs: readonly RegRecipe[];
  readonly mem: MemRecipe | null;
  /** Optional (recipes saved before SRAMs existed have none). */
  readonly sram?: SramRecipe | null;
  readonly steps: readonly Step[];
  /** Pool picks that become outputs. */
  readonly outputs: readonly number[];
}

export interface DesignRecipe {
  /** Widest value the builder makes (default 130; the wide recipes use 1 024). */
  readonly maxWidth?: number;
  readonly top: ModuleRecipe;
  /** A child module instantiated `instances` times in the top (0 = none). */
  readonly child: ModuleRecipe | null;
  readonly instances: number;
}

const MAX_W = 130;
const INTERESTING = [
  1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 96, 127, 128, 129, 130,
];

const widthArb = fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 1, max: MAX_W }));
const portArb = fc.record({ width: widthArb, signed: fc.boolean() });
const pick = fc.nat({ max: 40 });
const stepArb: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom(...STEP_OPS),
  a: pick,
  b: pick,
  c: pick,
  k: fc.nat({ max: 1000 }),
});
const regArb: fc.Arbitrary<RegRecipe> = fc.record({
  width: widthArb,
  signed: fc.boolean(),
  reset: fc.constantFrom('zero', 'none', 'value'),
  initBits: fc.bigInt({ min: 0n, max: (1n << 130n) - 1n }),
  enable: fc.boolean(),
  d: pick,
  en: pick,
});
const memArb: fc.Arbitrary<MemRecipe> = fc.record({
  width: widthArb,
  depth: fc.integer({ min: 1, max: 9 }),
  writes: fc.array(fc.record({ addr: pick, data: pick, en: pick, slack: fc.nat({ max: 2 }) }), {
    minLength: 1,
    maxLength: 2,
  }),
});

const sramArb: fc.Arbitrary<SramRecipe> = fc.record({
  width: fc.oneof(fc.constantFrom(1, 8, 31, 32, 33, 64, 65), widthArb),
  depth: fc.oneof(fc.constantFrom(1, 2, 5, 8, 16, 37), fc.integer({ min: 1, max: 70 })),
  init: fc.boolean(),
  seed: fc.nat(),
  raddr: pick,
  ren: fc.oneof(fc.constant(-1), pick),
  rslack: fc.nat({ max: 2 }),
  write: fc.option(fc.record({ addr: pick, data: pick, en: pick, slack: fc.nat({ max: 2 }) }), {
    freq: 5,
  }),
});

function moduleArb(maxSteps: number): fc.Arbitrary<ModuleRecipe> {
  return fc.record({
    inputs: fc.array(portArb, { minLength: 1, maxLength: 4 }),
    regs: fc.array(regArb, { maxLength: 3 }),
    mem: fc.option(memArb, { freq: 3 }),
    sram: fc.option(sramArb, { freq: 2 }),
    steps: fc.array(stepArb, { minLength: 1, maxLength: maxSteps }),
    outputs: fc.array(pick, { minLength: 1, maxLength: 4 }),
  });
}

/** The fast-check arbitrary of design recipes. */
export const designRecipe: fc.Arbitrary<DesignRecipe> = fc.record({
  top: moduleArb(30),
  child: fc.option(moduleArb(10), { freq: 2 }),
  instances: fc.integer({ min: 1, max: 2 }),
});

const WIDE_MAX = 1024;
const WIDE_INTERESTING = [
  1, 32, 33, 64, 65, 95, 96, 97, 127, 128, 129, 200, 255, 256, 257, 511, 512, 513, 1000, 1023, 1024,
];
const wideWidthArb = fc.oneof(
  fc.constantFrom(...WIDE_INTERESTING),
  fc.integer({ min: 65, max: WIDE_MAX }),
);
const widePortArb = fc.record({ width: wideWidthArb, signed: fc.boolean() });

/** Modules dominated by wide values (65..1 024 bits) with many ports. */
function wideModuleArb(maxSteps: number): fc.Arbitrary<ModuleRecipe> {
  return fc.record({
    inputs: fc.array(widePortArb, { minLength: 2, maxLength: 12 }),
    regs: fc.array(
      fc.record({
        width: wideWidthArb,
        signed: fc.boolean(),
        reset: fc.constantFrom('zero', 'none', 'value'),
        initBits: fc.bigInt({ min: 0n, max: (1n << BigInt(WIDE_MAX)) - 1n }),
        enable: fc.boolean(),
        d: pick,
        en: pick,
      }),
      { maxLength: 4 },
    ),
    mem: fc.option(
      fc.record({
        width: wideWidthArb,
        depth: fc.integer({ min: 1, max: 9 }),
        writes: fc.array(
          fc.record({ addr: pick, data: pick, en: pick, slack: fc.nat({ max: 2 }) }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { freq: 3 },
    ),
    sram: fc.option(
      fc.record({
        width: wideWidthArb,
        depth: fc.integer({ min: 1, max: 40 }),
        init: fc.boolean(),
        seed: fc.nat(),
        raddr: pick,
        ren: fc.oneof(fc.constant(-1), pick),
        rslack: fc.nat({ max: 2 }),
        write: fc.option(
          fc.record({ addr: pick, data: pick, en: pick, slack: fc.nat({ max: 2 }) }),
          { freq: 5 },
        ),
      }),
      { freq: 2 },
    ),
    steps: fc.array(stepArb, { minLength: 1, maxLength: maxSteps }),
    outputs: fc.array(pick, { minLength: 2, maxLength: 12 }),
  });
}

/** Recipes whose values are mostly 65..1 024 bits wide, with up to 12 inputs and 12 outputs. */
export const wideDesignRecipe: fc.Arbitrary<DesignRecipe> = fc.record({
  maxWidth: fc.constant(WIDE_MAX),
  top: wideModuleArb(30),
  child: fc.option(wideModuleArb(10), { freq: 3 }),
  instances: fc.integer({ min: 1, max: 2 }),
});

/** Makes `x` exactly `sh`: reinterpret the sign, then extend or truncate. */
export function conform(x: Expr, sh: Shape): Expr {
  let y = x;
  if (y.signed !== sh.signed) y = sh.signed ? y.asSigned() : y.asUnsigned();
  if (y.width < sh.width) y = y.extend(sh.width);
  else if (y.width > sh.width) y = y.trunc(sh.width);
  return y;
}

const shapeOf = (w: number, signed: boolean): Shape => (signed ? s(w) : u(w));

/** Widest value of the recipe being built (set by buildRecipe). */
let MAX = MAX_W;

/** Keeps widths bounded: values wider than the maximum are truncated to a recipe-chosen width. */
function bound(x: Expr, k: number): Expr {
  return x.width > MAX ? x.trunc(1 + (k % MAX)) : x;
}

/** Same signedness as `a`: reinterpret, or (k odd, unsigned to signed) widen by one. */
function sameSign(a: Expr, b: Expr, k: number): Expr {
  if (a.signed === b.signed) return b;
  if (a.signed) return k % 2 === 1 && b.width < MAX ? b.toSigned() : b.asSigned();
  return b.asUnsigned();
}

function patternOf(k: number, c: number, w: number): bigint {
  // A deterministic pattern from the recipe numbers: corners and mixed bits.
  const all = (1n << BigInt(w)) - 1n;
  const mixed = BigInt(k) * 0x9e3779b97f4a7c15n + BigInt(c) * 0x632be59bd9b4e019n;
  return [0n, 1n, all, 1n << BigInt(w - 1), all >> 1n][k % 6] ?? BigInt.asUintN(w, mixed);
}

interface Ctx {
  readonly m: ModuleBuilder;
  readonly pool: Expr[];
  mem: ReturnType<ModuleBuilder['mem']> | null;
  wires: number;
}

/** The init file name of a module's SRAM (unique per module, so batches can share a folder). */
export const sramInitName = (module: string): string => `${module}_sram0.hex`;

/** The deterministic init image of an SRAM recipe. */
export function sramImage(r: SramRecipe): MemImage {
  const words: bigint[] = [];
  for (let i = 0; i < r.depth; i++)
    words.push(BigInt.asUintN(r.width, patternOf(r.seed + i * 7, i + r.seed, r.width)));
  return { width: r.width, words };
}

function take(ctx: Ctx, i: number): Expr {
  const p = ctx.pool;
  return p[p.length - 1 - (i % p.length)] as Expr;
}

function applyStep(ctx: Ctx, st: Step): Expr | null {
  const a = take(ctx, st.a);
  const b0 = take(ctx, st.b);
  const k = st.k;
  switch (st.op) {
    case 'add':
    case 'sub':
    case 'mul':
      return bound(a[st.op](sameSign(a, b0, k)), k);
    case 'addWrap':
    case 'subWrap':
    case 'mulWrap':
    case 'and':
    case 'or':
    case 'xor':
      return a[st.op](conform(b0, a.shape));
    case 'neg':
      return bound(a.neg(), k);
    case 'not':
      return a.not();
    case 'eq':
    case 'ne':
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge':
      return a[st.op](sameSign(a, b0, k));
    case 'shl':
      return bound(a.shl(k % 9), st.c);
    case 'shr':
      return a.shr(k % (a.width + 3));
    case 'shlBy':
      return bound(a.shlBy(conform(b0, u(1 + (k % 3)))), st.c);
    case 'shrBy':
      return a.shrBy(conform(b0, u(1 + (k % 8))));
    case 'mux':
      return mux(conform(take(ctx, st.c), u(1)), a, conform(b0, a.shape));
    case 'rom': {
      // A ROM written as `?:` on a small index (keys may repeat): the native simulator reads it
      // as a table.
      const x = conform(a, u(1 + (k % 4)));
      const sh = shapeOf(1 + (st.c % 40), false);
      let v: Expr = lit(fromPattern(patternOf(k, st.c, sh.width), sh), sh);
      for (let i = 0; i < 1 + (st.c % 7); i++)
        v = mux(
          x.eq(lit(BigInt((k + 3 * i) % 2 ** x.width), x.shape)),
          lit(fromPattern(patternOf(k + i + 1, st.c + i, sh.width), sh), sh),
          v,
        );
      return v;
    }
    case 'prio': {
      // A priority encoder written as `?:` on consecutive bits of `a` (a float normalizer's
      // leading-zero count), highest or lowest bit first, up to 34 bits (the native simulator
      // reads at most 32 with Math.clz32); now and then a gap in the bits ends the encoder.
      const m = Math.min(a.width, 34);
      const n = m >= 4 && k % 4 !== 0 ? 4 + (st.c % (m - 3)) : 1 + (st.c % m);
      const lo = k % (a.width - n + 1);
      const up = k % 2 === 0;
      const sh = shapeOf(1 + (st.c % 33), false);
      let v: Expr = lit(fromPattern(patternOf(k, st.c, sh.width), sh), sh);
      for (let i = 0; i < n; i++) {
        const gap = (k + i) % 17 === 16 && i + 1 < n ? 1 : 0;
        v = mux(
          a.bit(up ? lo + i + gap : lo + n - 1 - i - gap),
          lit(fromPattern(patternOf(k + i + 1, st.c, sh.width), sh), sh),
          v,
        );
      }
      return v;
    }
    case 'cat':
      return bound(cat(a, b0, ...(k % 3 === 0 ? [take(ctx, st.c)] : [])), st.c);
    case 'bits': {
      const lo = k % a.width;
      return a.bits(lo + (st.c % (a.width - lo)), lo);
    }
    case 'partSelect': {
      // A dynamic part-select `a[n +: w]`: a variable shift read only through a slice (the native
      // simulator extracts the words instead of shifting the whole value).
      const sh = a.shrBy(conform(b0, u(1 + (k % 11))));
      const lo = st.c % sh.width;
      return sh.bits(lo + (k % (sh.width - lo)), lo);
    }
    case 'bit':
      return a.bit(k % a.width);
    case 'andR':
    case 'orR':
    case 'xorR':
      return a[st.op]();
    case 'asSigned':
      return a.asSigned();
    case 'asUnsigned':
      return a.asUnsigned();
    case 'toSigned':
      return a.signed || a.width >= MAX ? a.asUnsigned() : a.toSigned();
    case 'extend':
      return a.extend(Math.min(MAX, a.width + (k % 12)));
    case 'trunc':
      return a.trunc(1 + (k % a.width));
    case 'lit': {
      const sh = shapeOf(1 + (st.c % MAX), k % 2 === 1);
      return lit(fromPattern(patternOf(k >> 1, st.c, sh.width), sh), sh);
    }
    case 'addConst': {
      // A JS bigint operand takes a's shape (PyMTL3's rule); use a value a's shape holds.
      const v = fromPattern(patternOf(k, st.c, a.width), a.shape);
      return bound(k % 3 === 0 ? a.addWrap(v) : k % 3 === 1 ? a.add(v) : a.xor(v), st.c);
    }
    case 'memRead': {
      if (ctx.mem === null) return null;
      const aw = ctx.mem.addrShape.width + (k % 3);
      return ctx.mem.read(conform(a, u(aw)));
    }
    case 'wire': {
      const w = ctx.m.wire(`w${ctx.wires++}`, a.shape);
      w.set(a);
      return w;
    }
  }
}

function buildModule(
  name: string,
  r: ModuleRecipe,
  child: ModuleBuilder | null,
  instances: number,
): ModuleBuilder {
  const m = new ModuleBuilder(name);
  const ctx: Ctx = { m, pool: [], mem: null, wires: 0 };
  r.inputs.forEach((p, i) => ctx.pool.push(m.input(`in${i}`, shapeOf(p.width, p.signed))));
  const regs = r.regs.map((g, i) => {
    const sh = shapeOf(g.width, g.signed);
    const init = g.reset === 'none' ? null : g.reset === 'zero' ? 0n : fromPattern(BigInt.asUintN(g.width, g.initBits), sh);
    const reg = m.reg(`r${i}`, sh, { init });
    ctx.pool.push(reg);
    return reg;
  }); // prettier-ignore
  if (r.mem) {
    ctx.mem = m.mem('mem0', { width: r.mem.width, depth: r.mem.depth });
    ctx.pool.push(ctx.mem.read(conform(take(ctx, 0), ctx.mem.addrShape)));
  }
  let sram: Sram | null = null;
  const sr = r.sram ?? null;
  if (sr) {
    sram = m.sram('sram0', { width: sr.width, depth: sr.depth, ...(sr.init ? { init: sramInitName(name) } : {}) });
    const addr = conform(take(ctx, sr.raddr), u(sram.addrShape.width + sr.rslack));
    ctx.pool.push(sr.ren < 0 ? sram.read(addr) : sram.read(addr, conform(take(ctx, sr.ren), u(1))));
  } // prettier-ignore
  if (child) {
    for (let i = 0; i < instances; i++) {
      const inst = m.instance(child, `u${i}`);
      child.ports.forEach((p) => {
        if (p.kind === 'input') inst.connect(p.name, conform(take(ctx, i + p.width), p.shape));
      });
      inst.allOutputs().forEach((o) => ctx.pool.push(o));
    }
  }
  r.steps.forEach((st) => {
    const e = applyStep(ctx, st);
    if (e !== null) ctx.pool.push(e);
  });
  regs.forEach((reg, i) => {
    const g = r.regs[i] as RegRecipe;
    const d = conform(take(ctx, g.d), reg.shape);
    if (g.enable) reg.next(d, conform(take(ctx, g.en), u(1)));
    else reg.next(d);
  });
  if (ctx.mem && r.mem) {
    const mem = ctx.mem;
    for (const w of r.mem.writes) {
      const aw = mem.addrShape.width + w.slack;
      mem.write(conform(take(ctx, w.addr), u(aw)), conform(take(ctx, w.data), mem.shape), conform(take(ctx, w.en), u(1)));
    }
  } // prettier-ignore
  if (sram && sr?.write) {
    const w = sr.write;
    const aw = sram.addrShape.width + w.slack;
    sram.write(conform(take(ctx, w.addr), u(aw)), conform(take(ctx, w.data), sram.shape), conform(take(ctx, w.en), u(1)));
  } // prettier-ignore
  r.outputs.forEach((o, i) => {
    const e = take(ctx, o);
    m.output(`out${i}`, e.shape).set(e);
  });
  return m;
}

/** Builds the recipe through the builder and elaborates it; module names start with `name`. */
export function buildRecipe(name: string, r: DesignRecipe): Netlist {
  MAX = r.maxWidth ?? MAX_W;
  const child = r.child ? buildModule(`${name}_child`, r.child, null, 0) : null;
  return elaborate(buildModule(name, r.top, child, r.instances));
}

/** The init images the SRAMs of `buildRecipe(name, r)` read (keyed by init file name). */
export function recipeImages(name: string, r: DesignRecipe): Map<string, MemImage> {
  const out = new Map<string, MemImage>();
  if (r.top.sram?.init) out.set(sramInitName(name), sramImage(r.top.sram));
  if (r.child?.sram?.init) out.set(sramInitName(`${name}_child`), sramImage(r.child.sram));
  return out;
}

/** `n` recipes from a fixed seed (deterministic). */
export function sampleRecipes(seed: number, n: number, arb = designRecipe): DesignRecipe[] {
  return fc.sample(arb, { seed, numRuns: n });
}
