// The standard pass pipeline and the one-call compile of a graph to a top module builder.
import type { ModuleBuilder } from '../hdl/index.js';
import { type DesignMemories, emitPass, memoriesOf, topOf } from './emit.js';
import type { Graph } from './graph.js';
import { inferPass } from './infer.js';
import { lowerPass } from './lower.js';
import { parallelizePass } from './parallelize.js';
import { type Pass, type PassRecord, runPasses } from './passes.js';
import { quantizePass } from './quantize.js';
import { MxgenError } from '../hdl/index.js';

export const PASSES: readonly Pass[] = [
  inferPass,
  quantizePass,
  parallelizePass,
  lowerPass,
  emitPass,
];

export function passByName(name: string): Pass {
  const p = PASSES.find((x) => x.name === name);
  if (!p)
    throw new MxgenError('usage', `unknown pass ${name}`, {
      hint: `passes: ${PASSES.map((q) => q.name).join(', ')}`,
    });
  return p;
}

export interface Compiled {
  readonly graph: Graph;
  readonly top: ModuleBuilder;
  /** The SRAMs of memory-mode units (load order) and their initial images. */
  readonly memories: DesignMemories;
  readonly timings: readonly PassRecord[];
}

/** Runs every pass; `dump` receives the graph JSON after each one. */
export function compileGraph(g: Graph, dump?: (pass: string, json: string) => void): Compiled {
  const r = runPasses(g, PASSES, PASSES, dump ? { dump } : {});
  return {
    graph: r.graph,
    top: topOf(r.graph),
    memories: memoriesOf(r.graph),
    timings: r.timings,
  };
}
