// `emit`: the top module of the token-serial pipeline: the unit instances of `lower` connected by
// valid/ready streams (docs/streams.md) along the graph (forks and join FIFOs for a DAG). Top ports: in_valid, in_x
// (packed element codes), in_x_scale (MX inputs only), out_ready; in_ready, out_valid, out_y.
import {
  cat,
  digestName,
  type Expr,
  type InstanceHandle,
  formatMemHex,
  lit,
  type MemImage,
  ModuleBuilder,
  mux,
  connectStream,
  driveStream,
  type PayloadField,
  type Stream,
  streamAccept,
  streamOut,
  streamReady,
  u,
  Sram,
} from '../hdl/index.js';
import { hasScale, joinFifo, type Sink, streamSinks, streamSource } from './dag.js';
import { generateAdd } from './hw-add.js';
import { generateCast, mxCastScaleBits } from './hw-cast.js';
import { generateFifo, generateFork } from './hw-stream.js';
import type { Graph } from './graph.js';
import { generateRelu } from './hw-relu.js';
import { type GeneratedUnit, inScaleBits, linearUnitOf } from './units/index.js';
import { BANK_BITS, LOAD_ROW_BITS, LOAD_SEL_BITS } from './hw-weights.js';
import { codeBits, elementBits } from './formats.js';
import type { Pass } from './passes.js';
import { outScaleBits, type UnitConfig, unitHardwareConfig } from './units.js';
import { generateRowUnit } from './row-ops/index.js';
import { internalError, MxgenError } from '../hdl/index.js';

/** The units of a lowered graph, in pipeline order. */
export function pipelineUnits(g: Graph): UnitConfig[] {
  return g.nodes.flatMap((n) => (n.unit ? [n.unit] : []));
}

export interface StreamInterface {
  readonly inFields: readonly string[];
  readonly outFields: readonly string[];
  /** Bits of one code of the golden vectors (`QVector.codes`; OliVe codes are bytes). */
  readonly inElementBits: number;
  readonly outElementBits: number;
  /** Width of the output beat's `y` field. */
  readonly yBits: number;
  /** Widths of `x_scale` / `y_scale` (8 per 32-element MX block; 0 when absent). */
  readonly xScaleBits: number;
  readonly yScaleBits: number;
}

/** The top's output payload (y, then y_scale of an MX output): the layout packBeat packs. */
export function outPayload(io: StreamInterface): PayloadField[] {
  return [
    { name: 'y', width: io.yBits },
    ...(io.yScaleBits > 0 ? [{ name: 'y_scale', width: io.yScaleBits }] : []),
  ];
}

/** Element format name of a unit's input port (`in`, or an add's `a`/`b`). */
function portElement(c: UnitConfig, port: 'in' | 'a' | 'b'): string {
  if (c.kind === 'linear-unit') return c.input.element;
  if (c.kind === 'add-unit') return port === 'b' ? c.b.element : c.a.element;
  if (c.kind === 'cast-unit') return c.input.element;
  if (c.kind === 'row-unit')
    return (c.inputs.find((x) => x.port === port) ?? c.inputs[0])?.element ?? 'int8';
  return c.element;
}

/** Element format name of a unit's output vector. */
function outName(c: UnitConfig): string {
  return c.kind === 'relu-unit' ? c.element : c.outElement;
}

function outBits(c: UnitConfig): number {
  return c.kind === 'relu-unit' ? elementBits(c.element) : c.outBits;
}

function outFeatures(c: UnitConfig): number {
  return c.kind === 'linear-unit' ? c.outFeatures : c.features;
}

function unitOf(g: Graph, name: string): UnitConfig | undefined {
  return g.nodes.find((n) => n.name === name)?.unit;
}

/** The graph input's node and the first unit port that reads its stream. */
function inputPort(g: Graph): { name: string; unit: UnitConfig; port: 'in' | 'a' | 'b' } {
  const input = g.nodes.find((n) => n.op === 'input');
  const s = streamSinks(g)
    .get(input?.name ?? '')
    ?.find((x) => x.kind === 'unit');
  const unit = s?.kind === 'unit' ? unitOf(g, s.node) : undefined;
  if (!input || s?.kind !== 'unit' || !unit)
    throw new MxgenError('usage', 'streamInterface: no unit reads the graph input; run lower', {
      hint: 'compileGraph runs every pass; run the lower pass before emit',
    });
  return { name: input.name, unit, port: s.port };
}

/** The unit whose stream is the graph output. */
function outputUnit(g: Graph): UnitConfig {
  const u = streamSource(g, g.outputs[0] ?? '').unit;
  if (!u)
    throw new MxgenError(
      'usage',
      'streamInterface: the graph output is not computed by a unit; run lower',
      { hint: 'compileGraph runs every pass; run the lower pass before emit' },
    );
  return u;
}

/** Bits of a unit's `in_x_scale` (an MX linear or cast input), 0 when it has none. */
function unitScaleBits(c: UnitConfig): number {
  if (c.kind === 'linear-unit') return c.input.mx ? inScaleBits(c) : 0;
  return c.kind === 'cast-unit' ? mxCastScaleBits(c) : 0;
}

export function streamInterface(g: Graph): StreamInterface {
  const first = inputPort(g);
  const last = outputUnit(g);
  const mx = unitScaleBits(first.unit) > 0;
  const mxOut = hasScale(last);
  return {
    inFields: mx ? ['x', 'x_scale'] : ['x'],
    outFields: mxOut ? ['y', 'y_scale'] : ['y'],
    inElementBits: codeBits(portElement(first.unit, first.port)),
    outElementBits: codeBits(outName(last)),
    yBits: outBits(last) * outFeatures(last),
    xScaleBits: unitScaleBits(first.unit),
    yScaleBits: mxOut ? outScaleBits(last) : 0,
  };
}

export function generateUnit(c: UnitConfig): GeneratedUnit {
  const plain = (module: ModuleBuilder): GeneratedUnit => ({
    module,
    srams: [],
    images: new Map(),
  });
  if (c.kind === 'relu-unit') return plain(generateRelu(c));
  if (c.kind === 'add-unit') return plain(generateAdd(c));
  if (c.kind === 'cast-unit') return plain(generateCast(c));
  if (c.kind === 'row-unit') return generateRowUnit(c);
  return linearUnitOf(c).generate(c);
}

/** One SRAM of the design in weight-load order: `wl_sel` = `sel` writes it. */
export interface DesignSram {
  readonly unit: string;
  readonly sel: number;
  readonly name: string;
  readonly file: string;
  readonly width: number;
  readonly depth: number;
}

/**
 * A stream-mode layer's weight port at the top (`<prefix>_valid/ready/data`) and the words it
 * takes for one token, in order (the modelled external memory repeats them every token).
 */
export interface WeightStream {
  readonly unit: string;
  readonly prefix: string;
  readonly bits: number;
  readonly words: readonly bigint[];
}

/** The SRAMs of an emitted design (the memory map) and their initial images. */
/** A unit's SRAM outside the memory map: a token buffer (decisions 50, 53), not loadable. */
export interface DesignBuffer {
  readonly unit: string;
  readonly name: string;
  readonly width: number;
  readonly depth: number;
}

export interface DesignMemories {
  readonly srams: readonly DesignSram[];
  /** The token buffers (input `x_buf`, output `y_buf*`) of real-size units, unit by unit. */
  readonly buffers: readonly DesignBuffer[];
  readonly images: ReadonlyMap<string, MemImage>;
  readonly streams: readonly WeightStream[];
}

/** The `$readmemh` data files of a design (written next to its SV), in memory-map order. */
export function memoryFiles(m: DesignMemories): { name: string; text: string }[] {
  return m.srams.map((s) => {
    const img = m.images.get(s.file);
    if (!img) throw internalError(`memoryFiles: no image for ${s.file}`);
    return { name: s.file, text: formatMemHex(img) };
  });
}

/**
 * The top module of a lowered graph: one instance per unit; a stream read by several ports goes
 * through an eager fork, and an add's short-branch operand through a FIFO (dag.ts `joinFifo`).
 */
export function assembleTop(g: Graph): { top: ModuleBuilder; memories: DesignMemories } {
  const units = pipelineUnits(g);
  if (units.length === 0)
    throw new MxgenError('usage', 'assembleTop: the graph has no units; run lower', {
      hint: 'compileGraph runs every pass; run the lower pass before emit',
    });
  const hw = units.map(unitHardwareConfig);
  const top = new ModuleBuilder(digestName(`mxgen_${g.name}`, hw), {
    config: { design: g.name, units: hw },
  });
  const first = inputPort(g);
  const last = outputUnit(g);
  const inWidth =
    first.unit.kind === 'linear-unit'
      ? first.unit.inFeatures * elementBits(first.unit.input.element)
      : outFeatures(first.unit) * elementBits(portElement(first.unit, first.port));
  const inValid = top.input('in_valid', u(1));
  const inX = top.input('in_x', u(inWidth));
  const inScale =
    unitScaleBits(first.unit) > 0
      ? top.input('in_x_scale', u(unitScaleBits(first.unit)))
      : undefined;
  const outReady = top.input('out_ready', u(1));
  const inReady = top.output('in_ready', u(1));
  const outValid = top.output('out_valid', u(1));
  const outY = top.output('out_y', u(outFeatures(last) * outBits(last)));
  const outYScale = hasScale(last) ? top.output('out_y_scale', u(outScaleBits(last))) : undefined;
  const nodes = g.nodes.filter((n) => n.unit);
  const insts = new Map<string, InstanceHandle>();
  const generated = new Map<string, GeneratedUnit>();
  nodes.forEach((n, i) => {
    if (!n.unit) return;
    const gen = generateUnit(n.unit);
    generated.set(n.name, gen);
    insts.set(n.name, top.instance(gen.module, `u${i}_${n.name.replace(/\W/g, '_')}`));
  });
  // The token buffers: the units' own SRAMs that are not in the memory map.
  const buffers = nodes.flatMap((n) => {
    const gen = generated.get(n.name);
    const mapped = new Set(gen?.srams.map((x) => x.name));
    return (gen?.module.mems ?? []).flatMap((x) =>
      x instanceof Sram && !mapped.has(x.name)
        ? [{ unit: n.name, name: x.name, width: x.shape.width, depth: x.depth }]
        : [],
    );
  });
  const memories = {
    buffers,
    ...connectLoadPort(
      top,
      nodes.map((n) => n.name),
      generated,
      insts,
    ),
    streams: connectWeightStreams(
      top,
      nodes.map((n) => n.name),
      generated,
      insts,
    ),
  };
  const inst = (name: string): InstanceHandle => {
    const h = insts.get(name);
    if (!h) throw internalError(`assembleTop: no instance for ${name}`);
    return h;
  };
  const shared = new Map<string, ModuleBuilder>();
  const memo = (key: string, make: () => ModuleBuilder): ModuleBuilder => {
    const m = shared.get(key) ?? make();
    shared.set(key, m);
    return m;
  };
  /** Connects stream `s` (payload `y`, and `y_scale` when MX) to a reader; returns its ready. */
  const connectSink = (sink: Sink, s: Stream): Expr => {
    const data = s.payload.y as Expr;
    const scale = s.payload.y_scale;
    if (sink.kind === 'top') {
      outValid.set(s.valid);
      outY.set(data);
      if (outYScale && scale) outYScale.set(scale);
      return outReady;
    }
    const h = inst(sink.node);
    const n = g.nodes.find((x) => x.name === sink.node);
    const c = n?.unit;
    if (sink.port === 'in') {
      const mxIn = c !== undefined && unitScaleBits(c) > 0;
      if (mxIn && !scale) throw internalError(`assembleTop: ${sink.node} needs an MX scale`);
      const payload: Record<string, Expr> =
        mxIn && scale ? { x: data, x_scale: scale } : { x: data };
      return connectStream(h, { valid: s.valid, payload });
    }
    const p = sink.port;
    const fifo = n ? joinFifo(g, n) : undefined;
    // an MX operand of an add: the block scales travel beside the codes (through the FIFO too)
    const mxOp = c?.kind === 'add-unit' && (p === 'a' ? c.a : c.b).mx === true;
    if (mxOp && !scale) throw internalError(`assembleTop: ${sink.node}.${p} needs an MX scale`);
    const scaled = mxOp && scale ? scale : undefined;
    // A join operand's ports: in_<p>_valid, in_<p> (the payload field ''), in_<p>_scale (MX),
    // in_<p>_ready.
    const operand = (codes: Expr, sc: Expr | undefined): Record<string, Expr> =>
      sc ? { '': codes, scale: sc } : { '': codes };
    if (fifo?.port !== p)
      return connectStream(h, { valid: s.valid, payload: operand(data, scaled) }, `in_${p}`);
    const dw = data.width;
    const w = dw + (scaled?.width ?? 0);
    const f = top.instance(
      memo(`fifo${w}x${fifo.depth}`, () => generateFifo(w, fifo.depth)),
      `fifo_${sink.node.replace(/\W/g, '_')}_${p}`,
    );
    const fo = streamOut(f, ['y'], streamReady(h, `in_${p}`));
    const y = fo.payload.y as Expr;
    driveStream(
      h,
      {
        valid: fo.valid,
        payload: operand(scaled ? y.bits(dw - 1, 0) : y, scaled ? y.bits(w - 1, dw) : undefined),
      },
      `in_${p}`,
    );
    return connectStream(f, {
      valid: s.valid,
      payload: { x: scaled ? cat(scaled, data) : data },
    });
  };
  for (const [src, sinks] of streamSinks(g)) {
    const n = g.nodes.find((x) => x.name === src);
    const isInput = n?.op === 'input';
    const h = isInput ? undefined : inst(src);
    const s: Stream = h
      ? streamOut(h, hasScale(n?.unit) ? ['y', 'y_scale'] : ['y'])
      : { valid: inValid, payload: inScale ? { y: inX, y_scale: inScale } : { y: inX } };
    const setReady = (r: Expr): void => {
      if (h) streamAccept(h, r);
      else inReady.set(r);
    };
    const only = sinks[0];
    if (sinks.length === 1 && only) {
      setReady(connectSink(only, s));
      continue;
    }
    const w = (s.payload.y as Expr).width;
    const fork = top.instance(
      memo(`fork${w}x${sinks.length}`, () => generateFork(w, sinks.length)),
      `fork_${src.replace(/\W/g, '_')}`,
    );
    setReady(connectStream(fork, { valid: s.valid, payload: { x: s.payload.y as Expr } }));
    sinks.forEach((sink, i) =>
      streamAccept(
        fork,
        connectSink(sink, streamOut(fork, ['y'], undefined, `out${i}`)),
        `out${i}`,
      ),
    );
  }
  return { top, memories };
}

/** Stream-mode layers: a weight port `w_<layer>_valid/ready/data` on the top per layer. */
function connectWeightStreams(
  top: ModuleBuilder,
  names: readonly string[],
  generated: ReadonlyMap<string, GeneratedUnit>,
  insts: ReadonlyMap<string, InstanceHandle>,
): WeightStream[] {
  const out: WeightStream[] = [];
  for (const name of names) {
    const st = generated.get(name)?.stream;
    const h = insts.get(name);
    if (!st || !h) continue;
    const prefix = `w_${name.replace(/\W/g, '_')}`;
    const ready = connectStream(
      h,
      {
        valid: top.input(`${prefix}_valid`, u(1)),
        payload: { data: top.input(`${prefix}_data`, u(st.bits)) },
      },
      'ws',
    );
    top.output(`${prefix}_ready`, u(1)).set(ready);
    out.push({ unit: name, prefix, bits: st.bits, words: st.words });
  }
  return out;
}

/**
 * The weight-load port of the top (docs/ir.md "Weight storage"): `wl_valid`, `wl_sel` (the
 * SRAM's index in the memory map), `wl_row`, `wl_data` (one word per cycle, the low `width` bits
 * are written); `wl_error` is set (sticky until reset) by a write that hits no SRAM row, which is
 * ignored. Each unit gets its local select `wl_sel − base` and checks its own ranges.
 */
function connectLoadPort(
  top: ModuleBuilder,
  names: readonly string[],
  generated: ReadonlyMap<string, GeneratedUnit>,
  insts: ReadonlyMap<string, InstanceHandle>,
): Omit<DesignMemories, 'streams' | 'buffers'> {
  const srams: DesignSram[] = [];
  const images = new Map<string, MemImage>();
  const users = names.filter((n) => (generated.get(n)?.srams.length ?? 0) > 0);
  if (users.length === 0) return { srams, images };
  const valid = top.input('wl_valid', u(1));
  const sel = top.input('wl_sel', u(LOAD_SEL_BITS));
  const row = top.input('wl_row', u(LOAD_ROW_BITS));
  const data = top.input('wl_data', u(BANK_BITS));
  let hit: Expr = lit(0, u(1));
  for (const name of users) {
    const gen = generated.get(name) as GeneratedUnit;
    const h = insts.get(name) as InstanceHandle;
    const base = srams.length;
    gen.srams.forEach((s, j) => srams.push({ unit: name, sel: base + j, ...s }));
    for (const [k, v] of gen.images) images.set(k, v);
    // The load port is a stream without a ready: every unit takes each word offered to it.
    driveStream(
      h,
      {
        valid: base === 0 ? valid : valid.and(sel.ge(base)),
        payload: { sel: base === 0 ? sel : sel.subWrap(base), row, data },
      },
      'wl',
    );
    hit = hit.or(h.out('wl_hit'));
  }
  if (srams.length >= 2 ** LOAD_SEL_BITS)
    throw new MxgenError(
      'config',
      `assembleTop: ${srams.length} SRAMs exceed the ${LOAD_SEL_BITS}-bit wl_sel`,
      { hint: 'fewer memory-mode layers, or weights_storage: embedded for some' },
    );
  const err = top.reg('wl_err', u(1), { init: 0 });
  err.next(mux(valid.and(hit.not()), lit(1, u(1)), err));
  top.output('wl_error', u(1)).set(err);
  return { srams, images };
}

const TOPS = new WeakMap<Graph, { top: ModuleBuilder; memories: DesignMemories }>();

/** The top builder made by the emit pass for this graph object. */
export function topOf(g: Graph): ModuleBuilder {
  const t = TOPS.get(g);
  if (!t)
    throw new MxgenError('usage', 'topOf: run the emit pass on this graph first', {
      hint: 'compileGraph runs every pass; run the emit pass first',
    });
  return t.top;
}

/** The memory map and images made by the emit pass for this graph object. */
export function memoriesOf(g: Graph): DesignMemories {
  const t = TOPS.get(g);
  if (!t)
    throw new MxgenError('usage', 'memoriesOf: run the emit pass on this graph first', {
      hint: 'compileGraph runs every pass; run the emit pass first',
    });
  return t.memories;
}

export const emitPass: Pass = {
  name: 'emit',
  requires: ['lowered'],
  provides: ['emitted'],
  run(g) {
    TOPS.set(g, assembleTop(g));
  },
};
