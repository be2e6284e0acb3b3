// `lower`: each op of the token-serial pipeline becomes a unit config (units.ts); a cast right
// after a linear is fused into the linear's output conversion. Unsupported precision pairs and
// graph shapes get one-line errors naming the node and what is supported.
import { MxgenError } from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import { locate } from './design.js';
import { ConstCache, formatOf } from './eval.js';
import { formatLabel, type TensorFormat } from './formats.js';
import { type Graph, type LinearNode, type MatmulNode, type Node, nodeByName } from './graph.js';
import { linearModuleName } from './hw-linear.js';
import { reluModuleName } from './hw-relu.js';
import type { Pass } from './passes.js';
import { staticExponent, weightExponent, weightName } from './quantize.js';
import type { LinearUnitConfig, UnitInput } from './units.js';

/** scalable-pe modes (activation bits wa × weight bits wb, products per beat), in_mode codes. */
const SCALABLE_MODES = [
  { code: 0, wa: 8, wb: 8, products: 1 },
  { code: 1, wa: 8, wb: 4, products: 2 },
  { code: 2, wa: 4, wb: 4, products: 4 },
  { code: 3, wa: 4, wb: 2, products: 8 },
  { code: 4, wa: 2, wb: 2, products: 16 },
] as const;

export const SUPPORTED_PAIRS =
  'activations int2..int8, uint2..uint8, fp8/fp6/fp4 elements or mx* (one block, ≤ 32 features) × weights of any int, fp, mx* or olive format; linear outputs signed int2..int8, or MX for MX × MX layers (≤ 32 features); relu on int/fp elements';

function unsupported(g: Graph, n: Node, what: string): never {
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

function unitInput(g: Graph, n: Node, f: TensorFormat, k: number): UnitInput {
  if (f.kind === 'element') return { element: f.name, mx: false };
  if (f.kind === 'mx' && k <= 32) return { element: mxElementName(f.name), mx: true };
  return unsupported(g, n, `input ${formatLabel(f)} of ${k} features`);
}

function mxElementName(name: string): string {
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

function lowerLinear(
  g: Graph,
  n: LinearNode | MatmulNode,
  consts: ConstCache,
  outF: TensorFormat,
): LinearUnitConfig {
  const src = nodeByName(g, dataOperand(n) ?? '');
  if (!src) throw new MxgenError('config', `${locate(g, n.name)}: missing input`);
  const fx = formatOf(src);
  const k = src.type?.shape[1] ?? 1;
  const input = unitInput(g, n, fx, k);
  const rows = consts.quantized(weightName(n));
  if (outF.kind === 'mx') return lowerMxOut(g, n, consts, outF, fx, rows.length);
  const out = outF.kind === 'element' ? getFormat(outF.name) : undefined;
  if (outF.kind !== 'element' || out?.kind !== 'int' || !out.signed)
    unsupported(g, n, `output ${formatLabel(outF)} (linear outputs must be signed ints)`);
  const ew = weightExponent(rows);
  const weights: string[] = [];
  for (const r of rows)
    for (const v of r.values) {
      if (v.kind !== 'finite') unsupported(g, n, 'weights with NaN or Inf');
      const i = v.sig << BigInt(v.exp - ew);
      weights.push(String(v.neg ? -i : i));
    }
  const el = getFormat(input.element);
  const inputExp = fx.kind === 'element' ? (staticExponent(fx) ?? 0) : el.lsbExp;
  const par = n.parallelism;
  if (!par) throw new MxgenError('config', `${n.name} has no parallelism; run parallelize`);
  const bias =
    n.op === 'linear' && n.bias ? consts.quantized(n.bias)[0]?.codes.map(String) : undefined;
  const wf = formatOf(nodeByName(g, weightName(n)) ?? n);
  const k2 = Math.floor(k / 2) * 2;
  if (wf.kind === 'olive' && input.element === 'int8' && !input.mx && k === k2) {
    // Registry lanes: one olive-pe per lane; the tile is the largest even divisor of K that is
    // at most max(2, the chosen tile) and 64 (32 pairs per beat).
    let tile = 2;
    for (let t = 2; t <= Math.min(64, Math.max(2, par.tile)); t += 2) if (k % t === 0) tile = t;
    const wb = wf.name === 'olive4' ? 4 : 8;
    const pairWords: number[] = [];
    for (const r of rows)
      for (let i = 0; i < k / 2; i++)
        pairWords.push(
          wb === 4 ? (r.codes[i] ?? 0) : (r.codes[2 * i] ?? 0) | ((r.codes[2 * i + 1] ?? 0) << 8),
        );
    const shift = BigInt(ew - wf.sigmaExp);
    const peWeights = weights.map((w) => String(BigInt(w) << shift));
    const peBias = bias?.map((b) => String(BigInt(b) << shift));
    const peBase = {
      kind: 'linear-unit' as const,
      node: n.name,
      inFeatures: k,
      outFeatures: rows.length,
      lanes: par.lanes,
      tile,
      input,
      inputExp,
      weights: peWeights,
      weightExp: wf.sigmaExp,
      ...(peBias ? { bias: peBias } : {}),
      component: {
        kind: 'olive-pe' as const,
        config: { weights: wf.name, activations: 'int8', pairs: tile / 2, elements: k },
        pairWords,
        pairBits: 2 * wb,
      },
      outElement: outF.name,
      outBits: out.bits,
      outExp: out.lsbExp + outF.scaleExp,
    };
    return { ...peBase, module: linearModuleName(peBase) };
  }
  const inEl = getFormat(input.element);
  const wEl = wf.kind === 'element' ? getFormat(wf.name) : undefined;
  const mode = SCALABLE_MODES.find(
    (md) =>
      inEl.kind === 'int' &&
      inEl.signed &&
      md.wa === inEl.bits &&
      wEl?.kind === 'int' &&
      wEl.signed &&
      md.wb === wEl.bits,
  );
  if (mode && wf.kind === 'element' && !input.mx && k % mode.products === 0) {
    // Registry lanes: one scalable-pe per lane in the mode of the (activation, weight) widths,
    // `products` elements per beat; as many lanes (dividing N) as fit the budget.
    let lanes = 1;
    for (let l = 1; l <= rows.length; l++)
      if (rows.length % l === 0 && l * mode.products <= Math.max(mode.products, par.macs))
        lanes = l;
    const shift = BigInt(ew - wf.scaleExp);
    const spBias = bias?.map((b) => String(BigInt(b) << shift));
    const spBase = {
      kind: 'linear-unit' as const,
      node: n.name,
      inFeatures: k,
      outFeatures: rows.length,
      lanes,
      tile: mode.products,
      input,
      inputExp,
      weights: weights.map((w) => String(BigInt(w) << shift)),
      weightExp: wf.scaleExp,
      ...(spBias ? { bias: spBias } : {}),
      component: {
        kind: 'scalable-pe' as const,
        config: { maxBeats: k / mode.products },
        mode: mode.code,
        wa: mode.wa,
        wb: mode.wb,
        weightCodes: rows.flatMap((r) => [...r.codes]),
      },
      outElement: outF.name,
      outBits: out.bits,
      outExp: out.lsbExp + outF.scaleExp,
    };
    return { ...spBase, module: linearModuleName(spBase) };
  }
  if (wf.kind === 'mx' && fx.kind === 'mx' && !bias && k <= 32) {
    // Registry lanes: one mx-dot per lane, a whole block (the token × one weight row) per beat;
    // as many lanes (dividing N) as fit the budget at K multipliers each.
    let lanes = 1;
    for (let l = 1; l <= rows.length; l++)
      if (rows.length % l === 0 && l * k <= Math.max(k, par.macs)) lanes = l;
    const mxBase = {
      kind: 'linear-unit' as const,
      node: n.name,
      inFeatures: k,
      outFeatures: rows.length,
      lanes,
      tile: k,
      input,
      inputExp,
      weights,
      weightExp: ew,
      component: {
        kind: 'mx-dot' as const,
        config: { format: fx.name, bFormat: wf.name, k, fp32: false },
        rowScales: rows.map((r) => r.scales[0] ?? 0),
        rowCodes: rows.map((r) => [...r.codes]),
      },
      outElement: outF.name,
      outBits: out.bits,
      outExp: out.lsbExp + outF.scaleExp,
    };
    return { ...mxBase, module: linearModuleName(mxBase) };
  }
  const base = {
    kind: 'linear-unit' as const,
    node: n.name,
    inFeatures: k,
    outFeatures: rows.length,
    lanes: par.lanes,
    tile: par.tile,
    input,
    inputExp,
    weights,
    weightExp: ew,
    ...(bias ? { bias } : {}),
    outElement: outF.name,
    outBits: out.bits,
    outExp: out.lsbExp + outF.scaleExp,
  };
  return { ...base, module: linearModuleName(base) };
}

/**
 * An MX output: mx-dot lanes with their binary32 (RNE) result, then one mx-quantize block over
 * the output vector: exactly the golden MX cast (binary32 RNE, then quantizeBlock, floor).
 */
function lowerMxOut(
  g: Graph,
  n: LinearNode | MatmulNode,
  consts: ConstCache,
  outF: Extract<TensorFormat, { kind: 'mx' }>,
  fx: TensorFormat,
  nOut: number,
): LinearUnitConfig {
  const wf = formatOf(nodeByName(g, weightName(n)) ?? n);
  const k = nodeByName(g, dataOperand(n) ?? '')?.type?.shape[1] ?? 1;
  const hasBias = n.op === 'linear' && n.bias !== undefined;
  if (fx.kind !== 'mx' || wf.kind !== 'mx' || hasBias || k > 32 || nOut > 32)
    unsupported(
      g,
      n,
      `output ${outF.name} needs an MX input and MX weights, at most 32 features in and out, no bias`,
    );
  const rows = consts.quantized(weightName(n));
  const par = n.parallelism;
  let lanes = 1;
  for (let l = 1; l <= nOut; l++)
    if (nOut % l === 0 && l * k <= Math.max(k, par?.macs ?? 1)) lanes = l;
  const el = mxElementName(outF.name);
  const base = {
    kind: 'linear-unit' as const,
    node: n.name,
    inFeatures: k,
    outFeatures: nOut,
    lanes,
    tile: k,
    input: { element: mxElementName(fx.name), mx: true },
    inputExp: getFormat(mxElementName(fx.name)).lsbExp,
    weights: [],
    weightExp: 0,
    component: {
      kind: 'mx-dot' as const,
      config: { format: fx.name, bFormat: wf.name, k, fp32: true },
      rowScales: rows.map((r) => r.scales[0] ?? 0),
      rowCodes: rows.map((r) => [...r.codes]),
      quantize: { format: outF.name, k: nOut },
    },
    outElement: el,
    outBits: getFormat(el).bits,
    outExp: 0,
    outMx: true,
  };
  return { ...base, module: linearModuleName(base) };
}

export const lowerPass: Pass = {
  name: 'lower',
  requires: ['quantized', 'parallel'],
  provides: ['lowered'],
  run(g) {
    const consts = new ConstCache(g);
    const inputs = g.nodes.filter((n) => n.op === 'input');
    if (inputs.length !== 1 || g.outputs.length !== 1)
      throw new MxgenError(
        'config',
        `${g.where.$file ?? g.name}: lower supports one graph input and one output; got ${inputs.length} and ${g.outputs.length}`,
      );
    let prev = inputs[0]?.name ?? '';
    let fusedCast: string | undefined;
    for (const n of g.nodes) {
      if (n.op === 'input' || n.op === 'const') continue;
      if (n.op === 'add')
        throw new MxgenError(
          'config',
          `${locate(g, n.name)}: add is not lowered yet: the pipeline is a chain of linear, matmul, relu and cast`,
        );
      const operand = dataOperand(n);
      if (operand !== prev)
        throw new MxgenError(
          'config',
          `${locate(g, n.name)}: reads ${operand}, but lower supports only a chain (each op reading the one before, here ${prev})`,
        );
      prev = n.name;
      if (n.op === 'cast') {
        if (fusedCast === n.name) continue;
        const from = formatOf(nodeByName(g, n.input) ?? n);
        if (formatLabel(from) === formatLabel(formatOf(n))) continue;
        unsupported(
          g,
          n,
          `cast ${formatLabel(from)} → ${formatLabel(formatOf(n))} outside a linear`,
        );
      }
      if (n.op === 'relu') {
        const f = formatOf(n);
        if (f.kind !== 'element') unsupported(g, n, `relu on ${formatLabel(f)}`);
        const el = getFormat(f.name);
        const signed = el.kind === 'float' || (el.kind === 'int' && el.signed);
        const base = {
          kind: 'relu-unit' as const,
          node: n.name,
          features: n.type?.shape[1] ?? 1,
          element: f.name,
          signed,
        };
        n.unit = { ...base, module: reluModuleName(base) };
        continue;
      }
      let outF = formatOf(n);
      if (outF.kind === 'exact') {
        const cast = g.nodes.find((c) => c.op === 'cast' && c.input === n.name);
        if (!cast) unsupported(g, n, 'an exact output without a cast');
        outF = formatOf(cast);
        fusedCast = cast.name;
      }
      n.unit = lowerLinear(g, n, consts, outF);
    }
  },
};
