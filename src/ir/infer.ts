// `infer`: shapes of every tensor edge and the requested format name of every tensor (from the
// precision mix). Shape mismatches name the design file and the node's field path.
import { MxgenError } from '../hdl/index.js';
import { locate } from './design.js';
import { consumers, type Graph, type Node, nodeByName, type RowOpNode } from './graph.js';
import { rowOpDef } from './row-ops/index.js';
import type { Pass } from './passes.js';

function shapeOf(g: Graph, name: string): readonly number[] {
  const s = nodeByName(g, name)?.type?.shape;
  if (!s) throw new MxgenError('config', `${name} has no shape (it is defined after its use)`);
  return s;
}

const show = (s: readonly number[]): string => `[${s.join(', ')}]`;

function mismatch(g: Graph, n: Node, what: string): never {
  throw new MxgenError('config', `${locate(g, n.name)}: shape mismatch: ${what}`);
}

/** The requested format of a node's output tensor. */
function requestedFormat(g: Graph, n: Node): string {
  const p = g.precision;
  const own = p.tensors[n.name];
  switch (n.op) {
    case 'input':
      return own ?? p.input ?? p.activations;
    case 'const':
      if (n.role === 'bias') return 'fixed';
      // A norm's γ and β: signed int8 unless precision.tensors names another (docs/ir.md).
      return own ?? (n.role === 'weight' ? p.weights : 'int8');
    case 'linear':
    case 'matmul': {
      const users = consumers(g, n.name);
      const fused = users.length === 1 && users[0]?.op === 'cast' && !g.outputs.includes(n.name);
      return fused ? 'exact' : (own ?? p.activations);
    }
    case 'relu': {
      const from = nodeByName(g, n.input)?.type?.formatName ?? p.activations;
      if (own !== undefined && own !== from)
        throw new MxgenError(
          'config',
          `${g.where.$file ?? g.name}: precision.tensors.${n.name}: a relu keeps its input's format (${n.input} is ${from}), so ${own} cannot apply; remove the override or add a cast after ${n.name}`,
        );
      return from;
    }
    case 'add':
      return own ?? p.activations;
    case 'cast':
      return n.to;
    default:
      return own ?? rowOpDef(n.op).defaultOutput?.(p.activations) ?? p.activations;
  }
}

/**
 * A row op keeps its input's shape; two operands (mul) must have equal shapes; each per-feature
 * constant (γ, β) gets one value per feature (given values must match).
 */
function rowShape(g: Graph, n: RowOpNode): readonly number[] {
  const shapes = n.inputs.map((t) => shapeOf(g, t));
  const x = shapes[0] ?? [1, 1];
  const def = rowOpDef(n.op);
  if (def.outFeatures) {
    const f = def.outFeatures(
      n.attrs,
      shapes.map((s) => s[s.length - 1] ?? 1),
    );
    if (typeof f === 'string') mismatch(g, n, f);
    return [...x.slice(0, -1), f];
  }
  shapes.forEach((s, i) => {
    if (show(s) !== show(x))
      mismatch(
        g,
        n,
        `${n.op} of ${n.inputs[0]} ${show(x)} and ${n.inputs[i]} ${show(s)} needs equal shapes`,
      );
  });
  const features = x[x.length - 1] ?? 1;
  const bad = rowOpDef(n.op).checkFeatures?.(features);
  if (bad)
    throw new MxgenError(
      'config',
      `${locate(g, n.name)}.${rowOpDef(n.op).operandFields[0] ?? 'input'}: shape mismatch: ${n.op} over ${features} features: ${bad}`,
      { hint: `give ${n.inputs[0] ?? 'its input'} a power-of-two number of features` },
    );
  for (const name of n.params) {
    const c = nodeByName(g, name);
    if (c?.op !== 'const') continue;
    if (c.values && c.values.length !== features)
      throw new MxgenError(
        'config',
        `${locate(g, c.name)}: shape mismatch: ${n.op} ${n.name} has ${features} features, so ${c.role}_values needs ${features} values; got ${c.values.length}`,
      );
    (c as { shape: readonly number[] }).shape = [features];
    c.type = { shape: [features], formatName: requestedFormat(g, c) };
  }
  return x;
}

export const inferPass: Pass = {
  name: 'infer',
  requires: [],
  provides: ['shapes', 'formats'],
  run(g) {
    for (const n of g.nodes) {
      let shape: readonly number[];
      switch (n.op) {
        case 'input':
          shape = n.shape;
          break;
        case 'const':
          shape = n.shape; // weights get their input width from the linear below
          break;
        case 'linear':
        case 'matmul': {
          const x = shapeOf(g, n.op === 'linear' ? n.input : n.a);
          const w = nodeByName(g, n.op === 'linear' ? n.weight : n.b);
          if (w?.op !== 'const') mismatch(g, n, 'the weight operand must be a constant');
          const k = x[x.length - 1] ?? 0;
          const rows = w.shape[0] ?? 0;
          if (w.values && w.values.length !== rows * k)
            mismatch(
              g,
              n,
              `weights hold ${w.values.length} values; input ${show(x)} and ${rows} features need ${rows} rows of ${k}`,
            );
          w.type = { shape: [rows, k], formatName: requestedFormat(g, w) };
          (w as { shape: readonly number[] }).shape = [rows, k];
          if (n.op === 'linear' && n.bias) {
            const b = nodeByName(g, n.bias);
            if (b?.op === 'const') b.type = { shape: [rows], formatName: 'fixed' };
          }
          shape = [...x.slice(0, -1), rows];
          break;
        }
        case 'relu':
          shape = shapeOf(g, n.input);
          break;
        case 'add': {
          const a = shapeOf(g, n.a);
          const b = shapeOf(g, n.b);
          if (show(a) !== show(b))
            mismatch(g, n, `add of ${n.a} ${show(a)} and ${n.b} ${show(b)} needs equal shapes`);
          shape = a;
          break;
        }
        case 'cast':
          shape = shapeOf(g, n.input);
          break;
        default:
          shape = rowShape(g, n);
      }
      if (n.op !== 'const' || !n.type) n.type = { shape, formatName: requestedFormat(g, n) };
    }
  },
};
