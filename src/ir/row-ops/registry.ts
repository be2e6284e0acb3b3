// Every row op, by name. A new element-wise / row-wise op is one more file here (a `RowOpDef`)
// plus its line below and its name in graph.ts `ROW_OP_KINDS`.
import type { RowOpKind } from '../graph.js';
import { geluOp, siluOp } from './activation.js';
import { kvAttentionOp } from './attention.js';
import { hadamardOp } from './hadamard.js';
import { actMatmulOp } from './matmul.js';
import { mulOp } from './mul.js';
import { layernormOp, rmsnormOp } from './norm.js';
import { ropeOp } from './rope.js';
import { softmaxOp } from './softmax.js';
import type { RowOpDef } from './types.js';
import { internalError } from '../../hdl/index.js';

const ROW_OPS: ReadonlyMap<RowOpKind, RowOpDef> = new Map(
  [
    layernormOp,
    rmsnormOp,
    geluOp,
    siluOp,
    softmaxOp,
    mulOp,
    hadamardOp,
    actMatmulOp,
    kvAttentionOp,
    ropeOp,
  ].map((d) => [d.op, d]),
);

export function rowOpDef(op: RowOpKind): RowOpDef {
  const d = ROW_OPS.get(op);
  if (!d) throw internalError(`row op ${op} has no definition in src/ir/row-ops/registry.ts`);
  return d;
}
