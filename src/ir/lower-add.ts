// `lower`: an add of two signed int tensors (static power-of-two scales) into a signed int tensor
// becomes an add unit (hw-add.ts); other formats get a one-line error.
import { getFormat } from '../numerics/index.js';
import { formatOf } from './eval.js';
import { formatLabel } from './formats.js';
import { type AddNode, type Graph, type Node, nodeByName } from './graph.js';
import { addModuleName } from './hw-add.js';
import { unsupported } from './lower-linear.js';
import type { AddOperand, AddUnitConfig } from './units.js';

function intSpec(g: Graph, at: AddNode, n: Node, what: string): Omit<AddOperand, 'tensor'> {
  const f = formatOf(n);
  const el = f.kind === 'element' ? getFormat(f.name) : undefined;
  if (f.kind !== 'element' || el?.kind !== 'int' || !el.signed)
    unsupported(g, at, `add ${what} ${n.name} is ${formatLabel(f)} (add supports signed ints)`);
  return { element: f.name, bits: el.bits, exp: el.lsbExp + f.scaleExp };
}

export function lowerAdd(g: Graph, n: AddNode): AddUnitConfig {
  const operand = (name: string, what: string): AddOperand => {
    const src = nodeByName(g, name);
    if (!src) unsupported(g, n, `add ${what} ${name} does not exist`);
    return { tensor: name, ...intSpec(g, n, src, what) };
  };
  const a = operand(n.a, 'operand a');
  const b = operand(n.b, 'operand b');
  const out = intSpec(g, n, n, 'output');
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
