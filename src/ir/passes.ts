// The pass manager: each pass declares the facts it requires and provides; running a pass whose
// requirements are missing names the pass that provides them (PyMTL3's PassOrderError). Passes
// never change their input graph; the graph can be dumped as JSON after any pass.
import { MxgenError } from '../hdl/index.js';
import { cloneGraph, type Graph, graphJson } from './graph.js';

export interface Pass {
  readonly name: string;
  readonly requires: readonly string[];
  readonly provides: readonly string[];
  /** Transforms a private copy of the graph in place. */
  run(g: Graph): void;
}

export interface PassRecord {
  readonly pass: string;
  readonly ms: number;
}

export interface RunPassesOptions {
  /** Called with the graph JSON after each pass. */
  readonly dump?: (pass: string, json: string) => void;
}

/** Runs `passes` in order on a copy of `g`. */
export function runPasses(
  g: Graph,
  passes: readonly Pass[],
  known: readonly Pass[] = passes,
  opts: RunPassesOptions = {},
): { graph: Graph; timings: PassRecord[] } {
  let cur = g;
  const timings: PassRecord[] = [];
  for (const p of passes) {
    for (const need of p.requires) {
      if (cur.facts.includes(need)) continue;
      const provider = known.find((k) => k.provides.includes(need));
      throw new MxgenError(
        'usage',
        `pass ${p.name} needs ${need}, which ${provider ? `pass ${provider.name} provides` : 'no pass provides'}; run ${provider?.name ?? 'it'} before ${p.name}`,
      );
    }
    const next = cloneGraph(cur);
    const t0 = performance.now();
    p.run(next);
    timings.push({ pass: p.name, ms: performance.now() - t0 });
    for (const f of p.provides) if (!next.facts.includes(f)) next.facts.push(f);
    opts.dump?.(p.name, graphJson(next));
    cur = next;
  }
  return { graph: cur, timings };
}
