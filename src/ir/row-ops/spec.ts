// The formats a row op accepts, checked once after `quantize` (by `lower` and the golden model):
// signed int2..int8 inputs and γ/β at power-of-two scales within the golden definition's range,
// at most the op's `maxFeatures` (64 for the one-beat-only ops; chunked ops take rows longer than
// their chunk, row-ops/chunk.ts), a chunk that fits, and a signed int (softmax: uint2..uint8 at 2^-bits)
// output. Anything else is a one-line error naming the op and the field.
import { MxgenError } from '../../hdl/index.js';
import { getFormat } from '../../numerics/index.js';
import { locate } from '../design.js';
import { formatLabel } from '../formats.js';
import { type Graph, nodeByName, type RowOpNode } from '../graph.js';
import { rowOpDef } from './registry.js';
import type { IntSpec, RowSpec } from './types.js';

/** Most features of a row op that has no chunked form (hadamard): one whole row per beat. */
export const ROW_MAX_FEATURES = 64;

const PARAM_EXP_RANGE: readonly [number, number] = [-32, 32];

function fail(g: Graph, n: RowOpNode, field: string, what: string, hint: string): never {
  const at = field.startsWith('precision.')
    ? `${g.where.$file ?? g.name}: ${field}`
    : `${locate(g, n.name)}.${field}`;
  throw new MxgenError('config', `${at}: ${what}`, { hint });
}

function intOf(
  g: Graph,
  n: RowOpNode,
  tensor: string,
  field: string,
  signed: boolean,
  range: readonly [number, number],
  role: string,
): IntSpec {
  const f = nodeByName(g, tensor)?.type?.format;
  const el = f?.kind === 'element' ? getFormat(f.name) : undefined;
  const want = signed ? 'signed int2..int8' : 'uint2..uint8';
  const op = rowOpDef(n.op).designOp ?? n.op;
  if (!f || f.kind !== 'element' || el?.kind !== 'int' || el.signed !== signed)
    fail(
      g,
      n,
      field,
      `unsupported format: ${op} ${role} ${tensor} is ${f ? formatLabel(f) : 'unquantized'}; ${op} takes ${want}`,
      `cast ${tensor} to ${signed ? 'int8' : 'uint8'} first, or change its format in precision`,
    );
  const exp = el.lsbExp + f.scaleExp;
  if (exp < range[0] || exp > range[1])
    fail(
      g,
      n,
      field,
      `unsupported format: ${op} ${role} ${tensor} is ${formatLabel(f)}; ${op} takes scales 2^${range[0]}..2^${range[1]}`,
      `the calibrated scale is out of the integer definition's range; use a wider or narrower int for ${tensor}`,
    );
  return { tensor, element: f.name, bits: el.bits, signed, exp };
}

/** The checked formats of a row-op node (after `quantize`). */
export function rowSpec(g: Graph, n: RowOpNode): RowSpec {
  const def = rowOpDef(n.op);
  const features = n.type?.shape[1] ?? 1;
  const op = def.designOp ?? n.op;
  const max = def.maxFeatures ?? ROW_MAX_FEATURES;
  if (features > max)
    fail(
      g,
      n,
      def.operandFields[0] ?? 'input',
      `shape mismatch: ${op} over ${features} features; the ${op} unit takes at most ${max} features per token`,
      `reduce the features of ${n.inputs[0] ?? 'its input'} to ${max} or fewer`,
    );
  const inputs = n.inputs.map((t, i) => ({
    ...intOf(g, n, t, def.operandFields[i] ?? 'input', true, def.inExpRange, 'input'),
    features: nodeByName(g, t)?.type?.shape[1] ?? features,
  }));
  const params = n.params.map((t, i) => {
    const role = def.params[i] ?? 'gamma';
    return intOf(g, n, t, `precision.tensors.${t}`, true, PARAM_EXP_RANGE, role);
  });
  const own = g.precision.tensors[n.name] !== undefined;
  const out = intOf(
    g,
    n,
    n.name,
    own ? `precision.tensors.${n.name}` : 'precision.activations',
    def.outSigned,
    [-32, 32],
    'output',
  );
  return { features, inputs, params, out, attrs: n.attrs };
}
