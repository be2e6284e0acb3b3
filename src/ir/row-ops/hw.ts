// The row unit: one registered component (softmax, layernorm, rmsnorm, gelu, silu, mul) that
// takes the whole token per beat, wrapped in the pipeline's stream ports. One operand: `in_valid`,
// `in_x`, `in_ready`; two: a join like the add unit (a token transfers when both are valid and
// the component is ready). Per-feature constants (γ, β): literals (`embedded`), or one SRAM word
// read when the token is accepted into a register stage in front of the component (`memory`; the
// SV does not depend on the values, which are a `.hex` image writable through the load port).
// A token longer than the op's chunk (config `chunk`, row-ops/chunk.ts) goes through
// `generateChunkedRowUnit` instead: the component is `chunk` lanes wide and takes the token in
// beats.
import {
  cat,
  driveStream,
  type Expr,
  lit,
  ModuleBuilder,
  mux,
  streamOut,
  streamReady,
  u,
} from '../../hdl/index.js';
import { getComponent, parseConfig } from '../../components/index.js';
import type { GeneratedUnit } from '../units/index.js';
import { DataStore, finishStores, loadPortInputs, packWord } from '../hw-weights.js';
import { type RowUnitConfig, unitHardwareConfig } from '../units.js';

/** The unit's operand ports: one stream (`in_valid`, `in_x`), or `in_a_*`, `in_b_*` to join. */
function inputPorts(m: ModuleBuilder, c: RowUnitConfig) {
  return c.inputs.map((x) => {
    const p = x.port === 'in' ? 'in' : `in_${x.port}`;
    return {
      ...x,
      valid: m.input(`${p}_valid`, u(1)),
      data: m.input(x.port === 'in' ? 'in_x' : `in_${x.port}`, u(x.features * x.bits)),
      ready: `${p}_ready`,
    };
  });
}

export function generateRowUnit(c: RowUnitConfig): GeneratedUnit {
  if (c.chunk !== undefined) return generateChunkedRowUnit(c, c.chunk);
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const kind = getComponent(c.component.kind);
  const op = m.instance(
    kind.generate(parseConfig(kind, c.component.config, `${c.node}.component`)),
    'op',
  );
  const N = c.features;
  // 1. Input ports: one stream, or two joined
  const ins = inputPorts(m, c);
  const outReady = m.input('out_ready', u(1));
  const valid = ins.map((x) => x.valid as Expr).reduce((a, b) => a.and(b));
  const mem = c.storage === 'memory' && c.params.length > 0;
  // 2. The component's input beat: straight from the ports, or from a register stage (memory)
  let opValid: Expr = valid;
  let ready: Expr = streamReady(op);
  const data = new Map<string, Expr>(ins.map((x) => [x.field, x.data]));
  let srams: GeneratedUnit['srams'] = [];
  let images: GeneratedUnit['images'] = new Map();
  if (mem) {
    const v = m.reg('valid', u(1));
    ready = v.not().or(streamReady(op));
    const accept = valid.and(ready);
    v.next(mux(accept, lit(1, u(1)), mux(streamReady(op), lit(0, u(1)), v)));
    opValid = v;
    for (const x of ins) {
      const r = m.reg(`${x.field}_s0`, u(x.features * x.bits), { enable: accept });
      r.next(x.data);
      data.set(x.field, r);
    }
    // γ/β: one word (every param's N codes side by side), read on accept, valid with the token.
    const store = new DataStore(m, 'memory', 'p', lit(0, u(1)), 1);
    for (const p of c.params)
      data.set(
        p.field,
        store.field(p.field, p.codes.length * p.bits, () => packWord(p.codes, p.bits)),
      );
    ({ srams, images } = finishStores(
      m,
      [[store, accept]],
      loadPortInputs(m),
      c.imagePrefix ?? c.node,
    ));
  } else
    for (const p of c.params)
      data.set(p.field, lit(packWord(p.codes, p.bits), u(p.codes.length * p.bits)));
  driveStream(op, { valid: opValid, payload: Object.fromEntries(data) });
  const res = streamOut(op, [c.outField], outReady);
  // 3. Readies (a join: each input is taken when the others are valid too) and the output
  for (const x of ins) {
    const others = ins.filter((y) => y !== x).map((y) => y.valid as Expr);
    m.output(x.ready, u(1)).set(others.reduce((a, b) => a.and(b), ready));
  }
  m.output('out_valid', u(1)).set(res.valid);
  m.output('out_y', u(N * c.outBits)).set(res.payload[c.outField] as Expr);
  return { module: m, srams, images };
}

const bitLen = (v: number): number => Math.max(1, Math.ceil(Math.log2(v + 1)));

/** Chunk `k` (of R, `w` bits each, zero-padded past the end) of `data`: a balanced mux tree. */
function chunkSelect(k: Expr, data: Expr, w: number, R: number): Expr {
  const padded = data.width < R * w ? cat(lit(0, u(R * w - data.width)), data) : data;
  let level = Array.from({ length: R }, (_, i) => padded.bits(i * w + w - 1, i * w));
  for (let b = 0; level.length > 1; b++) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const lo = level[i] as Expr;
      const hi = level[i + 1];
      next.push(hi ? mux(k.bit(b), hi, lo) : lo);
    }
    level = next;
  }
  return level[0] as Expr;
}

/**
 * A token of N features through a component of C = `chunk` lanes (docs/ir.md "Row ops"): the
 * unit takes the token into its input register (so the producer goes on at once), feeds the
 * component chunk k = 0..R-1 of it (R = ceil(N / C); γ/β from a constant table, or in `memory`
 * mode from an SRAM of R words read one cycle ahead) and takes the next token with the last
 * chunk; it collects the component's R output beats into the output register and offers the
 * token when the last one is in. The wide ports (N codes) stay the interface between units; the
 * input and output registers and the chunk multiplexer are all that grows with N.
 */
export function generateChunkedRowUnit(c: RowUnitConfig, C: number): GeneratedUnit {
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const kind = getComponent(c.component.kind);
  const op = m.instance(
    kind.generate(parseConfig(kind, c.component.config, `${c.node}.component`)),
    'op',
  );
  const N = c.features;
  const R = Math.ceil(N / C);
  const kb = bitLen(R - 1);
  const ins = inputPorts(m, c);
  const outReady = m.input('out_ready', u(1));
  const valid = ins.map((x) => x.valid as Expr).reduce((a, b) => a.and(b));
  // 1. Feeding: chunk k of the held token
  const held = m.reg('held', u(1));
  const k = m.reg('feed', u(kb));
  const lastK = k.eq(R - 1);
  const mem = c.storage === 'memory' && c.params.length > 0;
  // memory: the γ/β word of chunk k is read the cycle before (one idle cycle after reset)
  const primed = mem ? m.reg('primed', u(1)).next(lit(1, u(1))) : lit(1, u(1));
  const opValid = held.and(primed);
  const feed = m.wire('feed_fire', u(1)).set(opValid.and(streamReady(op)));
  const release = feed.and(lastK);
  const canTake = m.wire('can_take', u(1)).set(held.not().or(release));
  const take = valid.and(canTake);
  held.next(mux(take, lit(1, u(1)), mux(release, lit(0, u(1)), held)));
  const kInc = mux(lastK, lit(0, u(kb)), k.add(lit(1, u(kb))).bits(kb - 1, 0));
  k.next(kInc, feed);
  const opIn: Record<string, Expr> = {};
  for (const x of ins) {
    const r = m.reg(`${x.field}_held`, u(x.features * x.bits), { enable: take });
    r.next(x.data);
    opIn[x.field] = chunkSelect(k, r, C * x.bits, R);
  }
  const chunkWord = (codes: readonly number[], bits: number, i: number): bigint =>
    packWord(codes.slice(i * C, (i + 1) * C), bits);
  let srams: GeneratedUnit['srams'] = [];
  let images: GeneratedUnit['images'] = new Map();
  if (mem) {
    const store = new DataStore(m, 'memory', 'p', mux(feed, kInc, k), R);
    for (const p of c.params)
      opIn[p.field] = store.field(p.field, C * p.bits, (i) => chunkWord(p.codes, p.bits, i));
    ({ srams, images } = finishStores(
      m,
      [[store, lit(1, u(1))]],
      loadPortInputs(m),
      c.imagePrefix ?? c.node,
    ));
  } else
    for (const p of c.params)
      opIn[p.field] = chunkSelect(k, lit(packWord(p.codes, p.bits), u(N * p.bits)), C * p.bits, R);
  driveStream(op, { valid: opValid, payload: opIn });
  // a join: each operand is taken when the others are valid too
  for (const x of ins) {
    const others = ins.filter((y) => y !== x).map((y) => y.valid as Expr);
    m.output(x.ready, u(1)).set(others.reduce((a, b) => a.and(b), canTake as Expr));
  }
  // 2. Collecting: output beat j into its segment of the output register
  const full = m.reg('full', u(1));
  const j = m.reg('collect', u(kb));
  const outFire = full.and(outReady);
  const opReady = m.wire('op_out_ready', u(1)).set(full.not().or(outFire));
  const res = streamOut(op, [c.outField], opReady);
  const got = res.valid.and(opReady);
  const y = res.payload[c.outField] as Expr;
  const segs = Array.from({ length: R }, (_, i) => {
    const w = Math.min(C, N - i * C) * c.outBits;
    return m.reg(`y_${i}`, u(w)).next(y.bits(w - 1, 0), got.and(j.eq(i)));
  });
  const lastJ = j.eq(R - 1);
  j.next(mux(lastJ, lit(0, u(kb)), j.add(lit(1, u(kb))).bits(kb - 1, 0)), got);
  full.next(mux(got.and(lastJ), lit(1, u(1)), mux(outFire, lit(0, u(1)), full)));
  m.output('out_valid', u(1)).set(full);
  m.output('out_y', u(N * c.outBits)).set(cat(...segs.reverse()));
  return { module: m, srams, images };
}
