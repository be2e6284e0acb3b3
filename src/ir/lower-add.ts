// `lower`: an add of two tensors that are each signed int, a float element format (fp8 e4m3 /
// e5m2, fp6, fp4; static power-of-two tensor scales) or OCP MX (E8M0 block scales on the stream)
// into a signed int or float element tensor
// becomes an add unit (hw-add.ts): exact sum, one RNE to the output, saturation. Other formats get
// a one-line error naming the operand or the output (decision 39).
import { getFormat } from '../numerics/index.js';
import { formatOf } from './eval.js';
import { formatLabel } from './formats.js';
import { type AddNode, type Graph, type Node, nodeByName } from './graph.js';
import { addModuleName } from './hw-add.js';
import { mxElementName, unsupported } from './lower-linear.js';
import type { AddOperand, AddUnitConfig } from './units.js';

const OPERANDS =
  'add operands are signed ints, float elements (fp8_e4m3, fp8_e5m2, fp6, fp4) or OCP MX (mxint8, mxfp8/6/4)';

function operandSpec(g: Graph, at: AddNode, n: Node, what: string): Omit<AddOperand, 'tensor'> {
  const f = formatOf(n);
  if (f.kind === 'mx' && mxElementName(f.name) !== f.name) {
    // an E8M0 block scale per 32 codes on the stream: exp + X is the code's LSB exponent
    const el = getFormat(mxElementName(f.name));
    return { element: el.name, bits: el.bits, exp: el.lsbExp - 127, mx: true };
  }
  const el = f.kind === 'element' ? getFormat(f.name) : undefined;
  if (f.kind !== 'element' || !el || !(el.kind === 'float' || (el.kind === 'int' && el.signed)))
    unsupported(g, at, `add ${what} ${n.name} is ${formatLabel(f)}; ${OPERANDS}`);
  return { element: f.name, bits: el.bits, exp: el.lsbExp + f.scaleExp };
}

/** The output code: a signed int (exp = its LSB's) or a float element (exp = the tensor scale). */
function outputSpec(g: Graph, at: AddNode): Omit<AddOperand, 'tensor'> {
  const f = formatOf(at);
  const el = f.kind === 'element' ? getFormat(f.name) : undefined;
  if (f.kind !== 'element' || !el || !(el.kind === 'float' || (el.kind === 'int' && el.signed)))
    unsupported(
      g,
      at,
      `add output ${at.name} is ${formatLabel(f)}; the add unit writes signed ints or float elements (fp8_e4m3, fp8_e5m2, fp6, fp4) — set precision.tensors.${at.name} to one (or cast after the add)`,
    );
  return {
    element: f.name,
    bits: el.bits,
    exp: el.kind === 'float' ? f.scaleExp : el.lsbExp + f.scaleExp,
  };
}

export function lowerAdd(g: Graph, n: AddNode): AddUnitConfig {
  const operand = (name: string, what: string): AddOperand => {
    const src = nodeByName(g, name);
    if (!src) unsupported(g, n, `add ${what} ${name} does not exist`);
    return { tensor: name, ...operandSpec(g, n, src, what) };
  };
  const a = operand(n.a, 'operand a');
  const b = operand(n.b, 'operand b');
  const out = outputSpec(g, n);
  const base = {
    kind: 'add-unit' as const,
    node: n.name,
    features: n.type?.shape[1] ?? 1,
    a,
    b,
    outElement: out.element,
    outBits: out.bits,
    outExp: out.exp,
  };
  return { ...base, module: addModuleName(base) };
}
