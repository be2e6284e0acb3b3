// `lower`: each op of the token-serial pipeline becomes a unit config (units.ts); a cast right
// after a linear is fused into the linear's output conversion, any other becomes a cast unit; an add joins two streams (a DAG:
// emit forks every stream read more than once, dag.ts). Unsupported precision pairs and
// graph shapes get one-line errors naming the node and what is supported.
import { linkChunkedStreams } from './chunk-link.js';
import { MxgenError } from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import { locate } from './design.js';
import { ConstCache, formatOf } from './eval.js';
import { formatLabel } from './formats.js';
import { consumers, isRowOp, nodeByName } from './graph.js';
import { lowerRow, rowOpDef } from './row-ops/index.js';
import { checkStreams } from './dag.js';
import { lowerAdd } from './lower-add.js';
import { lowerCast } from './lower-cast.js';
import { reluModuleName } from './hw-relu.js';
import { lowerLinear, unsupported } from './lower-linear.js';
import { linearModuleName } from './units/index.js';
import type { Pass } from './passes.js';

export {
  dataOperand,
  LANE_TABLE,
  laneRowOf,
  pairOf,
  SUPPORTED_PAIRS,
  type LaneRow,
  type Pair,
} from './lower-linear.js';

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
    let fusedCast: string | undefined;
    for (const n of g.nodes) {
      if (n.op === 'input' || n.op === 'const') continue;
      if (n.op === 'add') {
        n.unit = lowerAdd(g, n);
        continue;
      }
      if (isRowOp(n)) {
        const u = lowerRow(g, n, consts);
        n.unit = u;
        const cycles = rowOpDef(n.op).cyclesPerToken?.(u.component);
        if (cycles !== undefined)
          n.parallelism = { lanes: 1, tile: 1, macs: 1, cyclesPerToken: cycles };
        continue;
      }
      if (n.op === 'cast') {
        if (fusedCast === n.name) continue;
        const from = formatOf(nodeByName(g, n.input) ?? n);
        if (formatLabel(from) === formatLabel(formatOf(n))) continue;
        n.unit = lowerCast(g, n);
        continue;
      }
      if (n.op === 'relu') {
        const f = formatOf(n);
        // A relu that is the only reader of a linear unit's int output is fused into the
        // unit's output stage (the lanes' codes, before they are collected): no extra
        // register stage and no per-feature logic. An MX output of a multi-block mx-dot unit
        // takes it too (each element code with its sign bit set becomes +0, scales kept).
        const src = nodeByName(g, n.input);
        const lu = src?.unit;
        const mxBlocks =
          lu?.kind === 'linear-unit' &&
          lu.component?.kind === 'mx-dot' &&
          lu.component.blocks !== undefined;
        const fusable =
          src !== undefined && consumers(g, src.name).length === 1 && !g.outputs.includes(src.name);
        if (f.kind !== 'element' && !(f.kind === 'mx' && mxBlocks && fusable))
          unsupported(
            g,
            n,
            `relu on ${formatLabel(f)}${f.kind === 'mx' ? ' (an MX relu is fused into a multi-block MX × MX linear that it alone reads)' : ''}`,
          );
        if (
          src &&
          lu?.kind === 'linear-unit' &&
          lu.component !== undefined &&
          (lu.component.kind !== 'mx-dot' || mxBlocks) &&
          !lu.outOlive &&
          (!lu.outMx || mxBlocks) &&
          !lu.relu &&
          consumers(g, src.name).length === 1 &&
          !g.outputs.includes(src.name)
        ) {
          const fused = { ...lu, relu: true };
          src.unit = { ...fused, module: linearModuleName(fused) };
          continue;
        }
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
        if (consumers(g, n.name).length !== 1)
          throw new MxgenError(
            'config',
            `${locate(g, n.name)}: the exact output of ${n.name} is fused into ${cast.name}, so ${cast.name} must be its only reader`,
          );
        outF = formatOf(cast);
        fusedCast = cast.name;
      }
      n.unit = lowerLinear(g, n, consts, outF);
    }
    linkChunkedStreams(g);
    checkStreams(g);
  },
};
