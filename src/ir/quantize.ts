// `quantize`: applies the precision mix. Every tensor gets a concrete format: power-of-two tensor
// scales (int/fp elements) and OliVe σ are calibrated on an FP64 run of seeded calibration inputs
// (never the test vectors); biases become 32-bit integers at their layer's accumulator LSB.
import { MxgenError } from '../hdl/index.js';
import { checkFormatMap, getFormat, kvChannelShift, NumericsError } from '../numerics/index.js';
import { kvChannelScales, kvSpec, type KvAttentionConfig } from '../components/index.js';
import { locate } from './design.js';
import { ConstCache, fp64Token, formatOf, type SeqState } from './eval.js';
import { inputReals, inputRows } from './data.js';
import {
  calibrate,
  intRowOf,
  isMixedName,
  mixedMapOf,
  type QVector,
  type TensorFormat,
} from './formats.js';
import {
  type Graph,
  isRowOp,
  type LinearNode,
  type MatmulNode,
  nodeByName,
  type RowOpNode,
} from './graph.js';
import { rowOpDef } from './row-ops/index.js';
import { KV_SCALES_ATTR } from './row-ops/attention.js';
import { rowSpec } from './row-ops/spec.js';
import type { Pass } from './passes.js';

/** Calibration inputs: tensors numbered from here on (test vectors count from 0). */
export const CALIBRATION_BASE = 1_000_000;
const CALIBRATION_TENSORS = 8;
/** With real input data (`values`, `--inputs`), calibration runs on up to this many tensors of it. */
export const MAX_DATA_CALIBRATION_TENSORS = 256;

interface Stats {
  amax: number;
  sumsq: number;
  n: number;
}

function stats(xs: readonly number[], s: Stats = { amax: 0, sumsq: 0, n: 0 }): Stats {
  for (const x of xs) {
    s.amax = Math.max(s.amax, Math.abs(x));
    s.sumsq += x * x;
    s.n++;
  }
  return s;
}

/** Exponent of a statically scaled activation element (value = sig·2^exp; OliVe: σ), or null for MX. */
export function staticExponent(f: TensorFormat): number | null {
  if (f.kind === 'element') return getFormat(f.name).lsbExp + f.scaleExp;
  if (f.kind === 'olive') return f.sigmaExp; // OliVe terms are integers in units of σ
  return null;
}

/** The smallest exponent of a nonzero quantized weight (0 when all are zero). */
export function weightExponent(rows: readonly QVector[]): number {
  let e: number | null = null;
  for (const r of rows) {
    const int = intRowOf(r);
    if (int) {
      // Integer codes: the exponent of c·2^s is s + the trailing zeros of |c|.
      let z = 64;
      for (const c of r.codes) if (c !== 0) z = Math.min(z, 31 - Math.clz32(c & -c));
      if (z < 64) e = e === null ? int.s + z : Math.min(e, int.s + z);
      continue;
    }
    for (const v of r.values)
      if (v.kind === 'finite' && v.sig !== 0n) e = e === null ? v.exp : Math.min(e, v.exp);
  }
  return e ?? 0;
}

export function weightName(n: LinearNode | MatmulNode): string {
  return n.op === 'linear' ? n.weight : n.b;
}

/** The `precision:` field that gave tensor `name` its format (for messages). */
function precisionField(g: Graph, name: string): string {
  const p = g.precision;
  const n = nodeByName(g, name);
  if (n?.op === 'cast') return `${g.where[name] ?? name}.to`;
  if (p.tensors[name] !== undefined) return `precision.tensors.${name}`;
  if (n?.op === 'input' && p.input !== undefined) return 'precision.input';
  return n?.op === 'const' ? 'precision.weights' : 'precision.activations';
}

/** A format map must cover the tensor's channels exactly: one line naming the field otherwise. */
function checkMixedCover(g: Graph, name: string, format: string, channels: number): void {
  const field = precisionField(g, name);
  const at = `${g.where.$file ?? g.name}: ${field}`;
  const atom = /^mixed_atom_o(\d+)g/.exec(format);
  if (atom && Number(atom[1]) > channels)
    throw new MxgenError(
      'config',
      `${at}: outliers ${atom[1]} is more than the ${channels} channels of ${name}`,
    );
  try {
    checkFormatMap(mixedMapOf(format, channels) ?? [], channels, atom ? 'the map' : 'ranges');
  } catch (e) {
    if (!(e instanceof NumericsError)) throw e;
    throw new MxgenError(
      'config',
      `${at}: ${e.message.replace('.groupSize', '.group')} (${name} has ${channels} channels)`,
    );
  }
}

/** The largest positive and negative real of each channel of a tensor over the calibration run. */
interface ChannelRange {
  pos: number[];
  neg: number[];
}

function channelRange(xs: readonly number[], r?: ChannelRange): ChannelRange {
  const out = r ?? { pos: xs.map(() => 0), neg: xs.map(() => 0) };
  xs.forEach((x, i) => {
    out.pos[i] = Math.max(out.pos[i] ?? 0, x);
    out.neg[i] = Math.max(out.neg[i] ?? 0, -x);
  });
  return out;
}

/** kv_attention nodes with per-channel KV scales (decision 44): they need their input's channel ranges. */
function perChannelKv(g: Graph): RowOpNode[] {
  return g.nodes.filter(
    (n): n is RowOpNode =>
      n.op === 'kv_attention' &&
      (n.attrs.kv_kind === 'int_per_channel' || n.attrs.kv_kind === 'int_k_channel_v_token'),
  );
}

/**
 * The static KV channel shifts of a per-channel kv_attention (decision 44, docs/numerics.md
 * "KV-cache formats"): for each K (then V) channel, the largest ones'-complement code magnitude
 * its calibration values take at the input's exponent, → numerics kvChannelShift.
 */
function calibrateKvScales(g: Graph, n: RowOpNode, r: ChannelRange | undefined): void {
  const cfg = rowOpDef(n.op).component(rowSpec(g, n)).config as unknown as KvAttentionConfig;
  const cs = kvChannelScales(cfg);
  const Q = cfg.heads * cfg.headDim;
  const KV = cfg.kvHeads * cfg.headDim;
  const e = cfg.inScaleExp;
  const mag = (i: number): number => {
    const p = Math.round((r?.pos[i] ?? 0) * 2 ** -e);
    const q = Math.round((r?.neg[i] ?? 0) * 2 ** -e) - 1; // -c - 1 for a negative code c
    return Math.max(0, p, q);
  };
  const shifts = [
    ...Array.from({ length: cs.k }, (_, i) => kvChannelShift(kvSpec(cfg, 'k'), mag(Q + i))),
    ...Array.from({ length: cs.v }, (_, i) => kvChannelShift(kvSpec(cfg, 'v'), mag(Q + KV + i))),
  ];
  (n as { attrs: RowOpNode['attrs'] }).attrs = { ...n.attrs, [KV_SCALES_ATTR]: shifts.join(',') };
}

export const quantizePass: Pass = {
  name: 'quantize',
  requires: ['shapes', 'formats'],
  provides: ['quantized'],
  run(g) {
    const consts = new ConstCache(g);
    const acts = new Map<string, Stats>();
    const kvNodes = perChannelKv(g);
    const ranges = new Map<string, ChannelRange | undefined>(
      kvNodes.map((n) => [n.inputs[0] ?? '', undefined]),
    );
    const input = g.nodes.find((n) => n.op === 'input');
    const tokens = input?.type?.shape[0] ?? 1;
    // Real input data: calibrate on (up to 256 tensors of) it; else 8 seeded tensors.
    const rows = input ? inputRows(g, input.name) : 0;
    const count =
      rows > 0
        ? Math.min(MAX_DATA_CALIBRATION_TENSORS, Math.ceil(rows / tokens))
        : CALIBRATION_TENSORS;
    for (let v = 0; v < count; v++) {
      const seq: SeqState = new Map(); // one sequence per tensor (KV caches)
      for (let t = 0; t < tokens; t++) {
        const ins = new Map<string, number[]>();
        for (const n of g.nodes)
          if (n.op === 'input')
            ins.set(n.name, inputReals(g, n.name, n.shape[1] ?? 1, CALIBRATION_BASE + v, t));
        for (const [name, xs] of fp64Token(g, ins, consts, seq)) {
          acts.set(name, stats(xs, acts.get(name)));
          if (ranges.has(name)) ranges.set(name, channelRange(xs, ranges.get(name)));
        }
      }
    }
    for (const n of g.nodes) {
      const t = n.type;
      if (!t?.formatName) continue;
      let f: TensorFormat;
      const src = n.op === 'relu' ? nodeByName(g, n.input)?.type?.format : undefined;
      const fixed = isRowOp(n) ? rowOpDef(n.op).fixedOutput?.(t.formatName) : undefined;
      if (src)
        f = src; // relu keeps its input's format (codes pass through or become +0)
      else if (fixed)
        f = { kind: 'element', name: t.formatName, scaleExp: fixed.scaleExp }; // softmax: 2^-bits
      else if (t.formatName === 'exact') f = { kind: 'exact' };
      else if (t.formatName === 'fixed')
        continue; // biases: below, once the weights are known
      else {
        const s = n.op === 'const' ? stats(consts.reals(n.name)) : acts.get(n.name);
        if (!s) throw new MxgenError('config', `${locate(g, n.name)}: no calibration data`);
        const channels = t.shape[t.shape.length - 1] ?? 1;
        if (isMixedName(t.formatName)) checkMixedCover(g, n.name, t.formatName, channels);
        f = calibrate(t.formatName, s.amax, Math.sqrt(s.sumsq / Math.max(1, s.n)), channels);
        // blockdialect weights pick each block's dialect offline (least squared error).
        if (f.kind === 'dialect' && n.op === 'const') f = { ...f, rule: 'offline' };
      }
      if (f.kind === 'olive-dyn' && (n.op === 'const' || n.op === 'input'))
        throw new MxgenError(
          'config',
          `${locate(g, n.name)}: ${f.name} has a per-token σ computed on chip from a linear's outputs, so it cannot be the format of ${n.op === 'const' ? 'a weight' : 'a graph input'} ${n.name}`,
          { hint: 'use olive4 (a calibrated σ) here; olive4_dyn is for the output of a linear' },
        );
      n.type = { ...t, format: f };
    }
    for (const n of kvNodes) calibrateKvScales(g, n, ranges.get(n.inputs[0] ?? ''));
    for (const n of g.nodes) {
      if (n.op !== 'linear' || !n.bias) continue;
      const b = nodeByName(g, n.bias);
      const fx = formatOf(nodeByName(g, n.input) ?? n);
      const ea = staticExponent(fx);
      if (ea === null)
        throw new MxgenError(
          'config',
          `${locate(g, n.name)}: unsupported precision pair: a bias needs a statically scaled input, and ${n.input} is ${fx.kind === 'mx' || fx.kind === 'olive-dyn' ? `${fx.name} (a per-token scale)` : fx.kind}`,
          { hint: 'use an int, fp or olive4 format for the input of a linear with bias' },
        );
      const ew = weightExponent(consts.quantized(n.weight));
      if (b?.type) b.type = { ...b.type, format: { kind: 'fixed', bits: 32, exp: ea + ew } };
    }
  },
};
