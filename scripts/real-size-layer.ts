// Child process of scripts/bench/real-size.ts (kept outside scripts/bench/, which holds only bench
// modules): generates the
// single-layer design file given as argument (passes, elaborate, SV) and simulates one token
// natively; prints one JSON line with the phase times, cycles and peak RSS.
import { performance } from 'node:perf_hooks';
import { readDesignFile } from '../src/flow/design-file.js';
import { emitSv } from '../src/emit/sv/index.js';
import { elaborate } from '../src/hdl/index.js';
import { compileGraph, cycleBudget, streamInterface } from '../src/ir/index.js';
import { compile, runStream } from '../src/sim/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: real-size-layer.ts <design.yaml>');
// A failure is one JSON line too (the parent records its message, not a stack trace).
process.on('uncaughtException', (e) => {
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
});
const t0 = performance.now();
const c = compileGraph(readDesignFile(file));
const nl = elaborate(c.top);
const svBytes = emitSv(nl).files.reduce((a, f) => a + Buffer.byteLength(f.text), 0);
const genMs = performance.now() - t0;
// One all-zero token (no golden model here: its exact sums are not what this measures).
const io = streamInterface(c.graph);
const t1 = performance.now();
const sim = compile(nl, { images: c.memories.images, signals: false });
const x = { x: 0n };
const r = runStream(sim, [x], {
  inFields: io.inFields,
  outFields: io.outFields,
  expectedOutBeats: 1,
  maxCycles: cycleBudget(c.graph, 1, 0, 0),
  sources: c.memories.streams,
});
const simMs = performance.now() - t1;
console.log(
  JSON.stringify({
    genMs,
    simMs,
    svBytes,
    cycles: r.cycles,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
