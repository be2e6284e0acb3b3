// Build a one-operator module from shapes and a body, elaborate it, and evaluate it with the
// reference interpreter AND the native simulator (src/sim), which must agree bit for bit: shared
// by the hdl unit and property tests, so every operator case checks the simulator too.
import {
  type Expr,
  elaborate,
  fromPattern,
  ModuleBuilder,
  type Netlist,
  type Shape,
  toPattern,
} from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';
import { evalComb } from './netlist-interp.js';

export interface Built {
  readonly netlist: Netlist;
  readonly shape: Shape;
}

let counter = 0;

/** A module `op_<n>` with inputs i0.. of `shapes` and output `o` = body(i0, ...). */
export function buildOp(shapes: readonly Shape[], body: (...xs: Expr[]) => Expr): Built {
  const m = new ModuleBuilder(`op_${counter++}`);
  const ins = shapes.map((sh, i) => m.input(`i${i}`, sh));
  const r = body(...ins);
  m.output('o', r.shape).set(r);
  return { netlist: elaborate(m), shape: r.shape };
}

/**
 * Evaluate a built operator on operand values (not patterns) with the reference interpreter and
 * the native simulator; throws when their result patterns differ, else returns the result value.
 */
export function evalOp(b: Built, shapes: readonly Shape[], values: readonly bigint[]): bigint {
  const inputs: Record<string, bigint> = {};
  values.forEach((v, i) => {
    const p = toPattern(v, shapes[i] as Shape);
    if (p === undefined) throw new Error(`operand ${v} does not fit`);
    inputs[`i${i}`] = p;
  });
  const ref = evalComb(b.netlist, inputs, 'o');
  const sim = compile(b.netlist);
  for (const [port, p] of Object.entries(inputs)) sim.poke(port, p);
  const native = sim.peek('o');
  if (native !== ref)
    throw new Error(
      `native simulator 0x${native.toString(16)} != reference interpreter 0x${ref.toString(16)} (${b.netlist.top} on ${values.join(', ')})`,
    );
  return fromPattern(ref, b.shape);
}

/** Build and evaluate in one go: the result shape name and value. */
export function runOp(
  shapes: readonly Shape[],
  body: (...xs: Expr[]) => Expr,
  values: readonly bigint[],
): { shape: string; value: bigint } {
  const b = buildOp(shapes, body);
  const sh = `${b.shape.signed ? 's' : 'u'}${b.shape.width}`;
  return { shape: sh, value: evalOp(b, shapes, values) };
}
