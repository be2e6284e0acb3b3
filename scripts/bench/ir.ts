// The dataflow flow on every bundled design: pass pipeline time, golden-model throughput (tokens
// per second through goldenToken + FP64), and native simulation throughput (cycles per second)
// of the generated pipeline without stalls.
import type { BenchRecord } from '../bench.js';
import { readdirSync } from 'node:fs';
import { readDesignFile } from '../../src/flow/design-file.js';
import { elaborate } from '../../src/hdl/index.js';
import { compileGraph, cycleBudget, designVectors, streamInterface } from '../../src/ir/index.js';
import { compile, runStream } from '../../src/sim/index.js';

export interface IrBenchOptions {
  /** Design names (file names without .yaml); default: every small bundled design. */
  readonly designs?: readonly string[];
  /** Random input tensors per design (default 20, as `mxgen run`). */
  readonly tensors?: number;
}

export async function run(o: IrBenchOptions = {}): Promise<BenchRecord[]> {
  const recs: BenchRecord[] = [];
  // The real-size designs (ffn-gpt2*) have their own module, scripts/bench/real-size.ts.
  const files = readdirSync('templates/designs')
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('ffn-gpt2'))
    .filter((f) => !o.designs || o.designs.includes(f.replace(/\.yaml$/, '')))
    .sort();
  for (const f of files) {
    const t0 = performance.now();
    const c = compileGraph(readDesignFile(`templates/designs/${f}`));
    const t1 = performance.now();
    const v = designVectors(c.graph, o.tensors ?? 20);
    const t2 = performance.now();
    const nl = elaborate(c.top);
    const io = streamInterface(c.graph);
    const sim = compile(nl, { images: c.memories.images });
    const t3 = performance.now();
    const r = runStream(sim, v.inBeats, {
      inFields: io.inFields,
      outFields: io.outFields,
      expectedOutBeats: v.outBeats.length,
      maxCycles: cycleBudget(c.graph, v.inBeats.length, 0, 0),
      sources: c.memories.streams,
    });
    const t4 = performance.now();
    recs.push({
      name: `ir.${f.replace(/\.yaml$/, '')}`,
      passesMs: t1 - t0,
      goldenTokensPerSecond: v.inBeats.length / ((t2 - t1) / 1000),
      simCyclesPerSecond: r.cycles / ((t4 - t3) / 1000),
      cyclesPerToken: r.cycles / v.inBeats.length,
    });
  }
  return recs;
}
