// `lower` for linear/matmul nodes: picks the lanes by the precision pair (registry components
// where one fits, the unit's own multipliers otherwise) and the output stage by the output format
// (signed int cast, OliVe via binary32 + olive-encoder, MX via mx-dot + mx-quantize).
import { getComponent, PE_MODES } from '../components/index.js';
import { MxgenError } from '../hdl/index.js';
import { type Exact, getFormat } from '../numerics/index.js';
import { locate } from './design.js';
import { type ConstCache, formatOf } from './eval.js';
import { elementBits, formatLabel, OLIVE_DYN_OFFSET, type TensorFormat } from './formats.js';
import {
  type Graph,
  type LinearNode,
  type MatmulNode,
  type Node,
  nodeByName,
  type WeightsStorage,
} from './graph.js';
import { linearModuleName } from './hw-linear.js';
import { vectorAccBits } from './hw-vector-lane.js';
import { lowerMxBlocks, lowerMxOut } from './lower-mx.js';
import { outputSpec } from './lower-out.js';
import { staticExponent, weightExponent, weightName } from './quantize.js';
import { type LinearUnitConfig, type UnitInput, weightCodesOf } from './units.js';

export const SUPPORTED_PAIRS =
  'activations int2..int8, uint2..uint8, fp8/fp6/fp4 elements, olive4/olive8 (× olive weights), olive4_dyn (× olive weights, int outputs, no bias) or mx* (one block, ≤ 32 features) × weights of any int, fp, mx* or olive format, or mx* of several blocks (K a multiple of 32) × mx* weights without bias; linear outputs signed int2..int8, olive4/olive8/olive4_dyn (even, ≤ 64 features, int/fp/olive inputs; not on MX or olive4_dyn inputs or the unit’s own multipliers), or MX for MX × MX layers (≤ 32 features, or a multiple of 32); relu on int/fp elements, or on the MX output of a multi-block MX × MX linear it alone reads';

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

export function lowerLinear(
  g: Graph,
  n: LinearNode | MatmulNode,
  consts: ConstCache,
  outF: TensorFormat,
): LinearUnitConfig {
  const src = nodeByName(g, dataOperand(n) ?? '');
  if (!src) throw new MxgenError('config', `${locate(g, n.name)}: missing input`);
  const fx = formatOf(src);
  const k = src.type?.shape[1] ?? 1;
  const rows = consts.quantized(weightName(n));
  const N = rows.length;
  // Several MX blocks per token (or an MX output of more than one block): fp32-blockwise.
  if (fx.kind === 'mx' && (k > 32 || (outF.kind === 'mx' && N > 32)))
    return lowerMxBlocks(g, n, rows, outF, fx, k);
  if (outF.kind === 'mx') return lowerMxOut(g, n, rows, outF, fx, k);
  if (fx.kind !== 'element' && fx.kind !== 'mx' && fx.kind !== 'olive' && fx.kind !== 'olive-dyn')
    unsupported(g, n, `input ${formatLabel(fx)}`);
  if (fx.kind === 'olive-dyn' && (outF.kind === 'olive' || outF.kind === 'olive-dyn'))
    unsupported(g, n, `output ${formatLabel(outF)} from ${fx.name} input (a per-token σ)`);
  // olive4_dyn: pair codes plus the token's X (`in_x_scale`); σ_a = 2^(X - 127 + offset).
  const input: UnitInput =
    fx.kind === 'mx'
      ? { element: mxElementName(fx.name), mx: true }
      : fx.kind === 'olive-dyn'
        ? { element: fx.variant, mx: true }
        : { element: fx.name, mx: false };
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
  const wf = formatOf(nodeByName(g, weightName(n)) ?? n);
  const allValues = (): Exact[] => rows.flatMap((r) => [...r.values]);
  const finish = (
    c: Pick<LinearUnitConfig, 'lanes' | 'tile' | 'weights' | 'weightExp' | 'bias' | 'component'>,
  ): LinearUnitConfig => {
    // Memory mode needs a datapath whose widths and shifts do not depend on the values: the
    // registry lanes with an int output. Other layers keep their weights embedded (the graph
    // and the manifest say so: `storage`).
    const want = layerStorage(g, n);
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
  /** Biases moved from 2^(inputExp + ew) to the lanes' accumulator LSB 2^(inputExp + we). */
  const biasAt = (we: number): string[] | undefined =>
    bias?.map((b) => String(BigInt(b) << BigInt(ew - we)));

  // olive weights × int8 or OliVe activations → one olive-pe per lane; the tile is the largest
  // even divisor of K that is at most max(2, the chosen tile) and 64 (32 pairs per beat).
  const act =
    fx.kind === 'olive'
      ? fx.name
      : fx.kind === 'olive-dyn'
        ? fx.variant
        : fx.kind === 'element' && fx.name === 'int8'
          ? 'int8'
          : undefined;
  if (wf.kind === 'olive' && act && k % 2 === 0) {
    let tile = 2;
    for (let t = 2; t <= Math.min(64, Math.max(2, par.tile)); t += 2) if (k % t === 0) tile = t;
    const wb = wf.name === 'olive4' ? 4 : 8;
    const pairWords: number[] = [];
    for (const r of rows)
      for (let i = 0; i < k / 2; i++)
        pairWords.push(
          wb === 4 ? (r.codes[i] ?? 0) : (r.codes[2 * i] ?? 0) | ((r.codes[2 * i + 1] ?? 0) << 8),
        );
    const b = biasAt(wf.sigmaExp);
    return finish({
      lanes: par.lanes,
      tile,
      weights: [], // lanes take the codes (component)
      weightExp: wf.sigmaExp,
      ...(b ? { bias: b } : {}),
      component: {
        kind: 'olive-pe',
        config: { weights: wf.name, activations: act, pairs: tile / 2, elements: k },
        pairWords,
        pairBits: 2 * wb,
      },
    });
  }
  if (fx.kind === 'olive' || fx.kind === 'olive-dyn')
    unsupported(g, n, `${fx.name} activations need olive4/olive8 weights and an even K`);
  const inEl = getFormat(input.element);
  const wEl = wf.kind === 'element' ? getFormat(wf.name) : undefined;
  const mode = PE_MODES.find(
    (md) =>
      inEl.kind === 'int' &&
      inEl.signed &&
      md.wa === inEl.bits &&
      wEl?.kind === 'int' &&
      wEl.signed &&
      md.wb === wEl.bits,
  );
  // Lanes for element × element pairs: `auto` keeps the registry scalable-pe / mac-array rows
  // with embedded weights and uses vector MAC lanes with weights in memory (a fixed-precision
  // lane decoding the stored codes: the smallest datapath that does not depend on the values).
  const want = n.pe ?? 'auto';
  const storage = layerStorage(g, n);
  const vectorFits = wf.kind === 'element' && (fx.kind === 'element' || fx.kind === 'mx');
  if (
    want === 'vector' ||
    storage === 'stream' ||
    (want === 'auto' && storage === 'memory' && vectorFits)
  ) {
    if (!vectorFits)
      unsupported(
        g,
        n,
        `${storage === 'stream' ? 'weights_storage: stream' : 'pe: vector'} takes int/fp element (or MX) activations × int/fp element weights (vector lanes); got ${formatLabel(fx)} × ${formatLabel(wf)}`,
      );
    const we = getFormat(wf.name).lsbExp + wf.scaleExp;
    const b = biasAt(we);
    const shape = storage === 'stream' ? streamShape(g, n, k, N, elementBits(wf.name)) : par;
    return finish({
      lanes: shape.lanes,
      tile: shape.tile,
      weights: [], // lanes take the codes (component)
      weightExp: we,
      ...(b ? { bias: b } : {}),
      component: {
        kind: 'vector',
        aElement: input.element,
        bElement: wf.name,
        accBits: vectorAccBits(input.element, wf.name, k),
        weightCodes: weightCodesOf(rows),
      },
    });
  }
  const explicit = (kind: string, what: string): never =>
    unsupported(g, n, `pe: ${kind} needs ${what}; got ${formatLabel(fx)} × ${formatLabel(wf)}`);
  if (
    want === 'scalable-pe' &&
    !(mode && wf.kind === 'element' && !input.mx && k % mode.products === 0)
  )
    explicit(
      'scalable-pe',
      'signed int × signed int weights with a BitFusion mode (8×8, 8×4, 4×4, 4×2, 2×2), K a multiple of the products per beat',
    );
  if (want === 'mac-array' && !(fx.kind === 'element' && wf.kind === 'element'))
    explicit('mac-array', 'statically scaled element × element formats');
  if (
    want !== 'mac-array' &&
    mode &&
    wf.kind === 'element' &&
    !input.mx &&
    k % mode.products === 0
  ) {
    // One scalable-pe per lane in the mode of the (activation, weight) widths, `products`
    // elements per beat; as many lanes (dividing N) as fit the budget.
    const b = biasAt(wf.scaleExp);
    return finish({
      lanes: lanesFor(N, Math.max(1, Math.floor(par.macs / mode.products))),
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
        weightCodes: weightCodesOf(rows),
      },
    });
  }
  if (fx.kind === 'element' && wf.kind === 'element' && want !== 'scalable-pe') {
    // Element × element (fp, or int/fp mixed): one output-stationary mac-array of 1 × lanes PEs,
    // depth K: one k-step per beat, exact sums in units of 2^(lsbA + lsbB) · the tensor scales.
    const kind = getComponent('mac-array');
    const lanes = lanesFor(N, Math.min(16, par.macs));
    const raw = {
      rows: 1,
      cols: lanes,
      dataflow: 'os',
      aFormat: fx.name,
      bFormat: wf.name,
      depth: k,
    };
    const parsed = kind.schema.safeParse(raw);
    if (parsed.success) {
      const d = kind.derive(parsed.data);
      const we = Number(d['accLsbExp']) + fx.scaleExp + wf.scaleExp - inputExp;
      const b = biasAt(we);
      return finish({
        lanes,
        tile: 1,
        weights: [], // lanes take the codes (component)
        weightExp: we,
        ...(b ? { bias: b } : {}),
        component: {
          kind: 'mac-array',
          config: raw,
          weightCodes: weightCodesOf(rows),
          bBits: Number(d['bBits']),
        },
      });
    }
  }
  if (out.outOlive)
    unsupported(
      g,
      n,
      `output ${formatLabel(outF)} from ${formatLabel(fx)} × ${formatLabel(wf)} (the unit's own multipliers cast to ints only)`,
    );
  if (wf.kind === 'mx' && fx.kind === 'mx' && !bias && k <= 32) {
    // One mx-dot per lane, a whole block (the token × one weight row) per beat.
    return finish({
      lanes: lanesFor(N, Math.max(1, Math.floor(par.macs / k))),
      tile: k,
      weights: [], // lanes take the codes (component)
      weightExp: ew,
      component: {
        kind: 'mx-dot',
        config: { format: fx.name, bFormat: wf.name, k, fp32: false },
        rowScales: rows.map((r) => r.scales[0] ?? 0),
        rowCodes: rows.map((r) => [...r.codes]),
      },
    });
  }
  return finish({
    lanes: par.lanes,
    tile: par.tile,
    weights: foldAt(g, n, allValues(), ew),
    weightExp: ew,
    ...(bias ? { bias } : {}),
  });
}
