// `lower` for linear/matmul nodes: picks the lanes by the precision pair (registry components
// where one fits, the unit's own multipliers otherwise) and the output stage by the output format
// (signed int cast, OliVe via binary32 + olive-encoder, MX via mx-dot + mx-quantize).
import { getComponent, PE_MODES } from '../components/index.js';
import { internalError, MxgenError } from '../hdl/index.js';
import { type Exact, getFormat } from '../numerics/index.js';
import { locate } from './design.js';
import { type ConstCache, formatOf } from './eval.js';
import {
  elementBits,
  formatLabel,
  OLIVE_DYN_OFFSET,
  type QVector,
  type TensorFormat,
} from './formats.js';
import {
  type Graph,
  type LinearNode,
  type MatmulNode,
  type Node,
  nodeByName,
  type WeightsStorage,
} from './graph.js';
import { linearModuleName } from './units/name.js';
import { vectorAccBits } from './units/lanes/vector-lane.js';
import { LINEAR_UNITS } from './units/registry.js';
import { outputSpec } from './lower-out.js';
import { staticExponent, weightExponent, weightName } from './quantize.js';
import { type LinearUnitConfig, type UnitInput, weightCodesOf } from './units.js';

export function unsupported(g: Graph, n: Node, what: string): never {
  throw new MxgenError('config', `${locate(g, n.name)}: unsupported precision pair: ${what}`, {
    hint: `supported: ${SUPPORTED_PAIRS}`,
  });
}

/** The data operand of a compute node. */
export function dataOperand(n: Node): string | undefined {
  switch (n.op) {
    case 'linear':
    case 'relu':
    case 'cast':
      return n.input;
    case 'matmul':
      return n.a;
    default:
      return undefined;
  }
}

export function mxElementName(name: string): string {
  const m: Record<string, string> = {
    mxint8: 'mxint8_element',
    mxfp8_e4m3: 'fp8_e4m3',
    mxfp8_e5m2: 'fp8_e5m2',
    mxfp6_e2m3: 'fp6_e2m3',
    mxfp6_e3m2: 'fp6_e3m2',
    mxfp4_e2m1: 'fp4_e2m1',
  };
  return m[name] ?? name;
}

/** Quantized values as signed integers at 2^exp (exact; every value is a multiple of 2^exp). */
function foldAt(g: Graph, n: Node, values: readonly Exact[], exp: number): string[] {
  return values.map((v) => {
    if (v.kind !== 'finite') unsupported(g, n, 'weights with NaN or Inf');
    if (v.sig !== 0n && v.exp < exp)
      throw new MxgenError('config', `${locate(g, n.name)}: a weight is finer than 2^${exp}`);
    const i = v.sig === 0n ? 0n : v.sig << BigInt(v.exp - exp);
    return String(v.neg ? -i : i);
  });
}

/** The weight storage a layer asks for: its own `weights_storage`, else the design's. */
export function layerStorage(g: Graph, n: LinearNode | MatmulNode): WeightsStorage {
  return n.weightsStorage ?? g.weightsStorage;
}

/**
 * Stream mode: one port beat is one step, so lanes · tile · (weight bits) = the port width; the
 * largest tile that divides K with lanes dividing N (the bandwidth sets the MACs, not the budget).
 */
function streamShape(
  g: Graph,
  n: LinearNode | MatmulNode,
  k: number,
  nOut: number,
  wb: number,
): { lanes: number; tile: number } {
  const bits = n.weightPortBits ?? g.weightPortBits;
  const field =
    n.weightPortBits !== undefined
      ? `${g.where[n.name] ?? n.name}.weight_port_bits`
      : 'weight_port_bits';
  const file = g.where.$file ?? g.name;
  if (bits % wb !== 0)
    throw new MxgenError(
      'config',
      `${file}: ${field}: ${bits} is not a multiple of the ${wb}-bit weight codes of ${n.name}`,
      { hint: `use a multiple of ${wb}, e.g. ${Math.max(wb, Math.round(bits / wb) * wb)}` },
    );
  const macs = bits / wb;
  for (let tile = Math.min(macs, k); tile >= 1; tile--)
    if (k % tile === 0 && macs % tile === 0 && nOut % (macs / tile) === 0)
      return { lanes: macs / tile, tile };
  throw new MxgenError(
    'config',
    `${file}: ${field}: ${bits} bits carry ${macs} weights per cycle, which no lanes × tile of ${n.name} (${nOut} × ${k}) uses exactly`,
    { hint: 'pick a port width whose weights per cycle divide K·N, e.g. a power of two' },
  );
}

/** The largest divisor of n that is at most `cap` (at least 1). */
export function lanesFor(n: number, cap: number): number {
  let l = 1;
  for (let d = 1; d <= n; d++) if (n % d === 0 && d <= cap) l = d;
  return l;
}

/** What the lane table decides on: the precision pair and the layer's settings. */
export interface Pair {
  readonly g: Graph;
  readonly n: LinearNode | MatmulNode;
  readonly outF: TensorFormat;
  /** Activation (input) and weight formats. */
  readonly fx: TensorFormat;
  readonly wf: TensorFormat;
  readonly k: number;
  readonly N: number;
  readonly bias: boolean;
  readonly storage: WeightsStorage;
  /** The layer's `pe:` (default auto). */
  readonly want: NonNullable<LinearNode['pe']>;
  /** The BitFusion mode of a signed int × signed int pair, if one has these widths. */
  readonly mode: (typeof PE_MODES)[number] | undefined;
  /** The olive-pe activation kind (olive4/olive8, or int8), if the input is one. */
  readonly act: string | undefined;
  /** Element (or MX) activations × element weights: vector lanes can take them. */
  readonly vectorFits: boolean;
  /** The input carries a per-token scale (MX or olive4_dyn). */
  readonly inputMx: boolean;
}

/** The lowering state of a layer once its lanes take a non-MX output (see `unitContext`). */
interface UnitContext {
  readonly input: UnitInput;
  readonly inputExp: number;
  readonly par: NonNullable<LinearNode['parallelism']>;
  readonly out: ReturnType<typeof outputSpec>;
  readonly rows: readonly QVector[];
  /** Bias codes at 2^(inputExp + ew), if the layer has a bias. */
  readonly bias: string[] | undefined;
  /** The smallest exponent of a nonzero weight. */
  readonly ew: number;
  readonly finish: (
    c: Pick<LinearUnitConfig, 'lanes' | 'tile' | 'weights' | 'weightExp' | 'bias' | 'component'>,
  ) => LinearUnitConfig;
  /** Biases moved from 2^(inputExp + ew) to the lanes' accumulator LSB 2^(inputExp + we). */
  readonly biasAt: (we: number) => string[] | undefined;
}

/**
 * One row of the precision-pair → lanes table. Rows are tried in order; the first whose `when`
 * holds decides: an accepting row builds the unit, a rejecting row (no `pairs`) explains why the
 * pair cannot be built. The accepting rows' `pairs` make the supported-pairs message.
 */
export interface LaneRow {
  /** What the row builds (a registry component or the unit's own multipliers), or `reject`. */
  readonly lanes: string;
  /** Accepting rows: the layer unit that builds it (its folder, src/ir/units/<unit>). */
  readonly unit?: string;
  /** The pairs the row takes, as the supported-pairs message says them (accepting rows). */
  readonly pairs?: string;
  readonly when: (p: Pair) => boolean;
  readonly build: (p: Pair, ctx: () => UnitContext, consts: ConstCache) => LinearUnitConfig;
  /**
   * Decided before the unit context exists (the MX rows and the input checks); every later row
   * first builds the context, whose own checks (output format, bias LSB) come first.
   */
  readonly early?: true;
}

const isMx = (f: TensorFormat): f is Extract<TensorFormat, { kind: 'mx' }> => f.kind === 'mx';

/** The config of unit `name` by its own lowering rule (units/<name>/lower.ts). */
function lowerBy(name: string, p: Pair, consts: ConstCache): LinearUnitConfig {
  const lower = LINEAR_UNITS.find((u) => u.name === name)?.lower;
  if (!lower) throw internalError(`unit ${name} has no lowering rule`);
  return lower(p, consts.quantized(weightName(p.n)));
}

/** The rows in priority order. */
export const LANE_TABLE: readonly LaneRow[] = [
  {
    lanes: 'mx-dot blocks (fp32-blockwise)',
    early: true,
    pairs:
      'mx* activations of several 32-element blocks (K a multiple of 32) × mx* weights, no bias; output signed int, or MX (N ≤ 32 or a multiple of 32)',
    unit: 'mx-blocks',
    when: (p) => isMx(p.fx) && (p.k > 32 || (isMx(p.outF) && p.N > 32)),
    build: (p, _c, consts) => lowerBy('mx-blocks', p, consts),
  },
  {
    lanes: 'mx-dot + mx-quantize',
    early: true,
    pairs: 'mx* activations (one block, K ≤ 32) × mx* weights, no bias, MX output (N ≤ 32)',
    unit: 'mx-dot',
    when: (p) => isMx(p.outF),
    build: (p, _c, consts) => lowerBy('mx-dot', p, consts),
  },
  {
    lanes: 'dialect-mac',
    early: true,
    pairs:
      'blockdialect activations (one block, K ≤ 32) × blockdialect weights, no bias, signed int output',
    unit: 'dialect',
    when: (p) => p.fx.kind === 'dialect' || p.wf.kind === 'dialect',
    build: (p, _c, consts) => lowerBy('dialect', p, consts),
  },
  {
    lanes: 'mixed-lane',
    early: true,
    pairs:
      'mixed × mixed activations and weights with the same format map (2..8-bit ranges), no bias, signed int output',
    unit: 'mixed',
    when: (p) => p.fx.kind === 'mixed' || p.wf.kind === 'mixed',
    build: (p, _c, consts) => lowerBy('mixed', p, consts),
  },
  {
    lanes: 'reject',
    early: true,
    when: (p) => !['element', 'mx', 'olive', 'olive-dyn'].includes(p.fx.kind),
    build: (p) => unsupported(p.g, p.n, `input ${formatLabel(p.fx)}`),
  },
  {
    lanes: 'reject',
    early: true,
    when: (p) =>
      p.fx.kind === 'olive-dyn' && (p.outF.kind === 'olive' || p.outF.kind === 'olive-dyn'),
    build: (p) =>
      unsupported(
        p.g,
        p.n,
        `output ${formatLabel(p.outF)} from ${p.fx.kind === 'olive-dyn' ? p.fx.name : ''} input (a per-token σ)`,
      ),
  },
  {
    lanes: 'olive-pe',
    pairs:
      'olive4/olive8 weights × int8, olive4/olive8 or olive4_dyn activations (K even; olive4_dyn: int outputs, no bias)',
    unit: 'lanes',
    when: (p) => p.wf.kind === 'olive' && p.act !== undefined && p.k % 2 === 0,
    build: (p, ctx) => {
      // The tile is the largest even divisor of K that is at most max(2, the chosen tile) and 64
      // (32 pairs per beat).
      const c = ctx();
      const { k, wf } = p;
      if (wf.kind !== 'olive') throw new MxgenError('config', `${p.n.name}: not olive weights`);
      let tile = 2;
      for (let t = 2; t <= Math.min(64, Math.max(2, c.par.tile)); t += 2) if (k % t === 0) tile = t;
      const wb = wf.name === 'olive4' ? 4 : 8;
      const pairWords: number[] = [];
      for (const r of c.rows)
        for (let i = 0; i < k / 2; i++)
          pairWords.push(
            wb === 4 ? (r.codes[i] ?? 0) : (r.codes[2 * i] ?? 0) | ((r.codes[2 * i + 1] ?? 0) << 8),
          );
      const b = c.biasAt(wf.sigmaExp);
      return c.finish({
        lanes: c.par.lanes,
        tile,
        weights: [], // lanes take the codes (component)
        weightExp: wf.sigmaExp,
        ...(b ? { bias: b } : {}),
        component: {
          kind: 'olive-pe',
          config: { weights: wf.name, activations: p.act ?? 'int8', pairs: tile / 2, elements: k },
          pairWords,
          pairBits: 2 * wb,
        },
      });
    },
  },
  {
    lanes: 'reject',
    when: (p) => p.fx.kind === 'olive' || p.fx.kind === 'olive-dyn',
    build: (p) =>
      unsupported(
        p.g,
        p.n,
        `${p.fx.kind === 'olive' || p.fx.kind === 'olive-dyn' ? p.fx.name : ''} activations need olive4/olive8 weights and an even K`,
      ),
  },
  {
    lanes: 'vector',
    pairs:
      'int/fp element or mx* (one block) activations × int/fp element weights with weights_storage: memory (pe: auto) or stream, or pe: vector',
    unit: 'lanes',
    when: (p) =>
      p.want === 'vector' ||
      p.storage === 'stream' ||
      (p.want === 'auto' && p.storage === 'memory' && p.vectorFits),
    build: (p, ctx) => {
      const { g, n, k, N, wf, fx } = p;
      if (!p.vectorFits || wf.kind !== 'element')
        unsupported(
          g,
          n,
          `${p.storage === 'stream' ? 'weights_storage: stream' : 'pe: vector'} takes int/fp element (or MX) activations × int/fp element weights (vector lanes); got ${formatLabel(fx)} × ${formatLabel(wf)}`,
        );
      const c = ctx();
      const we = getFormat(wf.name).lsbExp + wf.scaleExp;
      const b = c.biasAt(we);
      const shape = p.storage === 'stream' ? streamShape(g, n, k, N, elementBits(wf.name)) : c.par;
      return c.finish({
        lanes: shape.lanes,
        tile: shape.tile,
        weights: [], // lanes take the codes (component)
        weightExp: we,
        ...(b ? { bias: b } : {}),
        component: {
          kind: 'vector',
          aElement: c.input.element,
          bElement: wf.name,
          accBits: vectorAccBits(c.input.element, wf.name, k),
          weightCodes: weightCodesOf(c.rows),
        },
      });
    },
  },
  {
    lanes: 'reject',
    when: (p) => p.want === 'scalable-pe' && !scalableFits(p),
    build: (p) =>
      unsupported(
        p.g,
        p.n,
        `pe: scalable-pe needs signed int × signed int weights with a BitFusion mode (8×8, 8×4, 4×4, 4×2, 2×2), K a multiple of the products per beat; got ${formatLabel(p.fx)} × ${formatLabel(p.wf)}`,
      ),
  },
  {
    lanes: 'reject',
    when: (p) => p.want === 'mac-array' && !(p.fx.kind === 'element' && p.wf.kind === 'element'),
    build: (p) =>
      unsupported(
        p.g,
        p.n,
        `pe: mac-array needs statically scaled element × element formats; got ${formatLabel(p.fx)} × ${formatLabel(p.wf)}`,
      ),
  },
  {
    lanes: 'scalable-pe',
    pairs:
      'signed int × signed int weights of a BitFusion mode (8×8, 8×4, 4×4, 4×2, 2×2; K a multiple of the products per beat), embedded weights or pe: scalable-pe',
    unit: 'lanes',
    when: (p) => p.want !== 'mac-array' && scalableFits(p),
    build: (p, ctx) => {
      // One scalable-pe per lane in the mode of the (activation, weight) widths, `products`
      // elements per beat; as many lanes (dividing N) as fit the budget.
      const c = ctx();
      const { mode, wf, k, N } = p;
      if (!mode || wf.kind !== 'element') throw new MxgenError('config', `${p.n.name}: no mode`);
      const b = c.biasAt(wf.scaleExp);
      return c.finish({
        lanes: lanesFor(N, Math.max(1, Math.floor(c.par.macs / mode.products))),
        tile: mode.products,
        weights: [], // lanes take the codes (component)
        weightExp: wf.scaleExp,
        ...(b ? { bias: b } : {}),
        component: {
          kind: 'scalable-pe',
          config: { maxBeats: k / mode.products },
          mode: mode.code,
          wa: mode.wa,
          wb: mode.wb,
          weightCodes: weightCodesOf(c.rows),
        },
      });
    },
  },
  {
    lanes: 'mac-array',
    pairs:
      'int/fp element activations × int/fp element weights that the mac-array takes (one k-step per beat), embedded weights or pe: mac-array',
    unit: 'lanes',
    when: (p) => p.want !== 'scalable-pe' && macArrayOf(p) !== undefined,
    build: (p, ctx) => {
      // Element × element (fp, or int/fp mixed): one output-stationary mac-array of 1 × lanes
      // PEs, depth K: one k-step per beat, exact sums in units of 2^(lsbA + lsbB) · the scales.
      const c = ctx();
      const m = macArrayOf(p);
      const { fx, wf } = p;
      if (!m || fx.kind !== 'element' || wf.kind !== 'element')
        throw new MxgenError('config', `${p.n.name}: no mac-array`);
      const we = m.accLsbExp + fx.scaleExp + wf.scaleExp - c.inputExp;
      const b = c.biasAt(we);
      return c.finish({
        lanes: m.lanes,
        tile: 1,
        weights: [], // lanes take the codes (component)
        weightExp: we,
        ...(b ? { bias: b } : {}),
        component: {
          kind: 'mac-array',
          config: m.raw,
          weightCodes: weightCodesOf(c.rows),
          bBits: m.bBits,
        },
      });
    },
  },
  {
    lanes: 'reject',
    when: (p) => p.outF.kind === 'olive' || p.outF.kind === 'olive-dyn',
    build: (p) =>
      unsupported(
        p.g,
        p.n,
        `output ${formatLabel(p.outF)} from ${formatLabel(p.fx)} × ${formatLabel(p.wf)} (the unit's own multipliers cast to ints only)`,
      ),
  },
  {
    lanes: 'mx-dot',
    pairs: 'mx* activations (one block, K ≤ 32) × mx* weights, no bias, int output',
    unit: 'mx-dot',
    when: (p) => isMx(p.wf) && isMx(p.fx) && !p.bias && p.k <= 32,
    build: (p, ctx) => {
      // One mx-dot per lane, a whole block (the token × one weight row) per beat.
      const c = ctx();
      const { fx, wf, k, N } = p;
      return c.finish({
        lanes: lanesFor(N, Math.max(1, Math.floor(c.par.macs / k))),
        tile: k,
        weights: [], // lanes take the codes (component)
        weightExp: c.ew,
        component: {
          kind: 'mx-dot',
          config: {
            format: fx.kind === 'mx' ? fx.name : '',
            bFormat: wf.kind === 'mx' ? wf.name : '',
            k,
            fp32: false,
          },
          rowScales: c.rows.map((r) => r.scales[0] ?? 0),
          rowCodes: c.rows.map((r) => [...r.codes]),
        },
      });
    },
  },
  {
    lanes: "the unit's own multipliers (embedded weights)",
    pairs:
      'any other int/fp/mx*/olive activations × int, fp, mx* or olive weights (weights as constants in the logic)',
    unit: 'own',
    when: () => true,
    build: (p, ctx) => {
      const c = ctx();
      return c.finish({
        lanes: c.par.lanes,
        tile: c.par.tile,
        weights: foldAt(
          p.g,
          p.n,
          c.rows.flatMap((r) => [...r.values]),
          c.ew,
        ),
        weightExp: c.ew,
        ...(c.bias ? { bias: c.bias } : {}),
      });
    },
  },
];

/** A BitFusion scalable-pe takes the pair: signed int widths of a mode, K a multiple of its products. */
function scalableFits(p: Pair): boolean {
  return (
    p.mode !== undefined && p.wf.kind === 'element' && !p.inputMx && p.k % p.mode.products === 0
  );
}

/** The mac-array of an element × element pair, if the registry takes its formats. */
function macArrayOf(
  p: Pair,
):
  | { lanes: number; raw: Record<string, string | number>; accLsbExp: number; bBits: number }
  | undefined {
  if (p.fx.kind !== 'element' || p.wf.kind !== 'element') return undefined;
  const kind = getComponent('mac-array');
  const lanes = lanesFor(p.N, Math.min(16, p.n.parallelism?.macs ?? 1));
  const raw = {
    rows: 1,
    cols: lanes,
    dataflow: 'os',
    aFormat: p.fx.name,
    bFormat: p.wf.name,
    depth: p.k,
  };
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) return undefined;
  const d = kind.derive(parsed.data);
  return { lanes, raw, accLsbExp: Number(d['accLsbExp']), bBits: Number(d['bBits']) };
}

/** The output rules that hold whatever the lanes (the rest of the supported-pairs message). */
const OUTPUT_RULES =
  'linear outputs: signed int2..int8, olive4/olive8/olive4_dyn (even, ≤ 64 features, int/fp/olive inputs; not on MX or olive4_dyn inputs or the unit’s own multipliers), or MX for MX × MX layers (≤ 32 features, or a multiple of 32); relu on int/fp elements, or on the MX output of a multi-block MX × MX linear it alone reads';

/** The supported pairs, one clause per accepting row of LANE_TABLE, then the output rules. */
export const SUPPORTED_PAIRS = `${LANE_TABLE.filter((r) => r.pairs)
  .map((r) => `${r.pairs} → ${r.lanes}`)
  .join('; ')}; ${OUTPUT_RULES}`;

/** The row of LANE_TABLE that decides a pair. */
export function laneRowOf(p: Pair): LaneRow {
  const row = LANE_TABLE.find((r) => r.when(p));
  if (!row) throw new MxgenError('config', `${p.n.name}: no lane row`);
  return row;
}

/** The precision pair of a linear/matmul node and the settings the lane table reads. */
export function pairOf(
  g: Graph,
  n: LinearNode | MatmulNode,
  consts: ConstCache,
  outF: TensorFormat,
): Pair {
  const src = nodeByName(g, dataOperand(n) ?? '');
  if (!src) throw new MxgenError('config', `${locate(g, n.name)}: missing input`);
  const fx = formatOf(src);
  const k = src.type?.shape[1] ?? 1;
  const wf = formatOf(nodeByName(g, weightName(n)) ?? n);
  const inEl = fx.kind === 'element' ? getFormat(fx.name) : undefined;
  const wEl = wf.kind === 'element' ? getFormat(wf.name) : undefined;
  return {
    g,
    n,
    outF,
    fx,
    wf,
    k,
    N: consts.quantized(weightName(n)).length,
    bias: n.op === 'linear' && n.bias !== undefined,
    storage: layerStorage(g, n),
    want: n.pe ?? 'auto',
    mode: PE_MODES.find(
      (md) =>
        inEl?.kind === 'int' &&
        inEl.signed &&
        md.wa === inEl.bits &&
        wEl?.kind === 'int' &&
        wEl.signed &&
        md.wb === wEl.bits,
    ),
    act:
      fx.kind === 'olive'
        ? fx.name
        : fx.kind === 'olive-dyn'
          ? fx.variant
          : fx.kind === 'element' && fx.name === 'int8'
            ? 'int8'
            : undefined,
    vectorFits: wf.kind === 'element' && (fx.kind === 'element' || fx.kind === 'mx'),
    inputMx: fx.kind === 'mx' || fx.kind === 'olive-dyn',
  };
}

export function lowerLinear(
  g: Graph,
  n: LinearNode | MatmulNode,
  consts: ConstCache,
  outF: TensorFormat,
): LinearUnitConfig {
  const pair = pairOf(g, n, consts, outF);
  const rows = consts.quantized(weightName(n));
  let ctx: UnitContext | undefined;
  const context = (): UnitContext => (ctx ??= unitContext(pair, rows, consts));
  const row = laneRowOf(pair);
  if (!row.early) context();
  return row.build(pair, context, consts);
}

/** The input, output stage, biases and `finish` of a layer whose lanes are not the MX rows. */
function unitContext(p: Pair, rows: readonly QVector[], consts: ConstCache): UnitContext {
  const { g, n, fx, outF, k, N } = p;
  // olive4_dyn: pair codes plus the token's X (`in_x_scale`); σ_a = 2^(X - 127 + offset).
  const input: UnitInput =
    fx.kind === 'mx'
      ? { element: mxElementName(fx.name), mx: true }
      : fx.kind === 'olive-dyn'
        ? { element: fx.variant, mx: true }
        : { element: fx.kind === 'element' || fx.kind === 'olive' ? fx.name : '', mx: false };
  const inputExp =
    fx.kind === 'mx'
      ? getFormat(input.element).lsbExp
      : fx.kind === 'olive-dyn'
        ? OLIVE_DYN_OFFSET
        : (staticExponent(fx) ?? 0);
  const par = n.parallelism;
  if (!par) throw new MxgenError('config', `${n.name} has no parallelism; run parallelize`);
  const out = outputSpec(g, n, outF, N);
  const bias =
    n.op === 'linear' && n.bias ? consts.quantized(n.bias)[0]?.codes.map(String) : undefined;
  const ew = weightExponent(rows);
  const biasF = n.op === 'linear' && n.bias ? nodeByName(g, n.bias)?.type?.format : undefined;
  if (biasF && (biasF.kind !== 'fixed' || biasF.exp !== inputExp + ew))
    throw new MxgenError(
      'config',
      `${locate(g, n.name)}: the bias is ${formatLabel(biasF)}, not at the accumulator LSB 2^${inputExp + ew}; re-run quantize after changing the input format`,
    );
  const finish: UnitContext['finish'] = (c) => {
    // Memory mode needs a datapath whose widths and shifts do not depend on the values: the
    // registry lanes with an int output. Other layers keep their weights embedded (the graph
    // and the manifest say so: `storage`).
    const want = p.storage;
    const memoryOk = c.component !== undefined && !out.outOlive;
    const storage =
      want === 'stream' ? want : want === 'memory' && memoryOk ? want : ('embedded' as const);
    const base = {
      kind: 'linear-unit' as const,
      storage,
      ...(storage === 'stream' ? { portBits: n.weightPortBits ?? g.weightPortBits } : {}),
      ...(storage === 'embedded' ? {} : { imagePrefix: `${g.name}_${n.name}` }),
      node: n.name,
      inFeatures: k,
      outFeatures: N,
      input,
      inputExp,
      ...c,
      ...out,
    };
    n.parallelism = {
      lanes: c.lanes,
      tile: c.tile,
      macs: c.lanes * c.tile,
      cyclesPerToken: (N / c.lanes) * (k / c.tile),
    };
    return { ...base, module: linearModuleName(base) };
  };
  return {
    input,
    inputExp,
    par,
    out,
    rows,
    bias,
    ew,
    finish,
    biasAt: (we) => bias?.map((b) => String(BigInt(b) << BigInt(ew - we))),
  };
}
