// `emit`: the top module of the token-serial pipeline: the unit instances of `lower` in chain
// order, connected by valid/ready streams (docs/streams.md). Top ports: in_valid, in_x
// (packed element codes), in_x_scale (MX inputs only), out_ready; in_ready, out_valid, out_y.
import { digestName, type Expr, ModuleBuilder, u } from '../hdl/index.js';
import type { Graph } from './graph.js';
import { generateLinear } from './hw-linear.js';
import { generateRelu } from './hw-relu.js';
import { generateLaneLinear } from './hw-lane-linear.js';
import { codeBits, elementBits } from './formats.js';
import { generateMxDotLinear } from './hw-mxdot-linear.js';
import type { Pass } from './passes.js';
import type { UnitConfig } from './units.js';

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
}

/** One number per output beat for comparisons: `y`, with the MX scale (if any) above it. */
export function beatKey(y: bigint, yScale: bigint | undefined, yBits: number): bigint {
  return ((yScale ?? 0n) << BigInt(yBits)) | y;
}

/** Bits per element of a unit's input vector on its stream. */
function inBits(c: UnitConfig): number {
  return elementBits(c.kind === 'linear-unit' ? c.input.element : c.element);
}

/** Element format name of a unit's output vector. */
function outName(c: UnitConfig): string {
  return c.kind === 'linear-unit' ? c.outElement : c.element;
}

function outBits(c: UnitConfig): number {
  return c.kind === 'linear-unit' ? c.outBits : elementBits(c.element);
}

export function streamInterface(g: Graph): StreamInterface {
  const units = pipelineUnits(g);
  const first = units[0];
  const last = units[units.length - 1];
  if (!first || !last) throw new Error('streamInterface: the graph has no units; run lower');
  const mx = first.kind === 'linear-unit' && first.input.mx;
  const mxOut = last.kind === 'linear-unit' && last.outMx === true;
  return {
    inFields: mx ? ['x', 'x_scale'] : ['x'],
    outFields: mxOut ? ['y', 'y_scale'] : ['y'],
    inElementBits: codeBits(first.kind === 'linear-unit' ? first.input.element : first.element),
    outElementBits: codeBits(outName(last)),
    yBits: outBits(last) * (last.kind === 'linear-unit' ? last.outFeatures : last.features),
  };
}

export function generateUnit(c: UnitConfig): ModuleBuilder {
  if (c.kind === 'relu-unit') return generateRelu(c);
  const lane = c.component?.kind;
  if (lane === 'olive-pe' || lane === 'scalable-pe' || lane === 'mac-array')
    return generateLaneLinear(c);
  if (c.component?.kind === 'mx-dot') return generateMxDotLinear(c);
  return generateLinear(c);
}

/** The top module of a lowered graph. */
export function assembleTop(g: Graph): ModuleBuilder {
  const units = pipelineUnits(g);
  const first = units[0];
  const last = units[units.length - 1];
  if (!first || !last) throw new Error('assembleTop: the graph has no units; run lower');
  const top = new ModuleBuilder(digestName(`mxgen_${g.name}`, units), {
    config: { design: g.name, units },
  });
  const features = (c: UnitConfig): number =>
    c.kind === 'linear-unit' ? c.inFeatures : c.features;
  const outFeatures = (c: UnitConfig): number =>
    c.kind === 'linear-unit' ? c.outFeatures : c.features;
  const inValid = top.input('in_valid', u(1));
  const inX = top.input('in_x', u(features(first) * inBits(first)));
  const mx = first.kind === 'linear-unit' && first.input.mx;
  const inScale = mx ? top.input('in_x_scale', u(8)) : undefined;
  const outReady = top.input('out_ready', u(1));
  const inReady = top.output('in_ready', u(1));
  const outValid = top.output('out_valid', u(1));
  const outY = top.output('out_y', u(outFeatures(last) * outBits(last)));
  const hasScale = (c: UnitConfig | undefined): boolean =>
    c?.kind === 'linear-unit' && c.outMx === true;
  const outYScale = hasScale(last) ? top.output('out_y_scale', u(8)) : undefined;
  const insts = units.map((c, i) =>
    top.instance(generateUnit(c), `u${i}_${c.node.replace(/\W/g, '_')}`),
  );
  let valid: Expr = inValid;
  let data: Expr = inX;
  let scale: Expr | undefined = inScale;
  insts.forEach((inst, i) => {
    const c = units[i];
    inst.connect('in_valid', valid);
    inst.connect('in_x', data);
    if (c?.kind === 'linear-unit' && c.input.mx) {
      if (!scale) throw new Error(`assembleTop: ${c.node} needs an MX scale`);
      inst.connect('in_x_scale', scale);
    }
    const next = insts[i + 1];
    inst.connect('out_ready', next ? next.out('in_ready') : outReady);
    valid = inst.out('out_valid');
    data = inst.out('out_y');
    scale = hasScale(c) ? inst.out('out_y_scale') : undefined;
  });
  const i0 = insts[0];
  if (!i0) throw new Error('assembleTop: no units');
  inReady.set(i0.out('in_ready'));
  outValid.set(valid);
  outY.set(data);
  if (outYScale && scale) outYScale.set(scale);
  return top;
}

const TOPS = new WeakMap<Graph, ModuleBuilder>();

/** The top builder made by the emit pass for this graph object. */
export function topOf(g: Graph): ModuleBuilder {
  const t = TOPS.get(g);
  if (!t) throw new Error('topOf: run the emit pass on this graph first');
  return t;
}

export const emitPass: Pass = {
  name: 'emit',
  requires: ['lowered'],
  provides: ['emitted'],
  run(g) {
    TOPS.set(g, assembleTop(g));
  },
};
