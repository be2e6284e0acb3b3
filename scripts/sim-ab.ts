// In-process A/B of native model sources on one bundled design: the stimulus of
// scripts/bench/sim-designs.ts (the recorded stream run's input rows, repeated), run through each
// variant's `runWords`, alternating, best of 6 after one warm-up round; every variant's last-cycle
// outputs must equal the simulator's. Used where the bench's separate runs are too noisy (a
// shared machine moves them by 10-30 %): two code generators compared on the same stimulus in
// the same process.
//   node --import tsx scripts/sim-ab.ts <design> <cycles> <variant>...
// A variant is a model source file (MXGEN_SIM_DUMP=<dir> writes `<top>.js`, e.g. from a checkout
// of an older commit), `plain` (this tree's plain form), `tracked` (its chunk-skipping form) or
// `plainTokens=<n>` (the plain form cut at n tokens) or `trackedChunk=<n>` (the chunk-skipping form
// with chunks of n statements). MXGEN_BENCH_TENSORS sets the recorded
// run's tensors (default 20; 1 for the real-size designs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitSv } from '../src/emit/sv/index.js';
import { readDesignFile } from '../src/flow/design-file.js';
import { simulateNative } from '../src/flow/flow.js';
import { compileGraph } from '../src/ir/index.js';
import { compile, type CompileOptions } from '../src/sim/index.js';
import { stimulus } from './bench/sim-designs.js';

interface Model {
  M: Uint32Array[];
  clearState(): void;
  runWords(i: Uint32Array, o: Uint32Array, n: number, every: boolean): void;
}

const [design, cyclesArg, ...variants] = process.argv.slice(2);
if (!design || !cyclesArg || variants.length === 0) {
  console.error('usage: node --import tsx scripts/sim-ab.ts <design> <cycles> <variant>...');
  process.exit(2);
}
const cycles = Number(cyclesArg);
const compiled = compileGraph(readDesignFile(join('templates/designs', `${design}.yaml`)));
const {
  netlist: nl,
  run,
  memories,
} = simulateNative(compiled, Number(process.env.MXGEN_BENCH_TENSORS ?? 20));
const sv = emitSv(nl);
const { words } = stimulus(nl, sv, run, cycles);

const base: CompileOptions = { images: memories.images, signals: false };
const sim = compile(nl, base);
const last = new Uint32Array(sim.wordCount('out'));
sim.runWords(words, cycles, last);
const want = [...last].join(',');
// SRAM images as loaded at construction (clearState restores them).
sim.clearState();
const images = (sim as unknown as { kernel: Model }).kernel.M.map((a) => a.slice());

const sourceOf = (v: string): string => {
  if (v === 'plain') return compile(nl, { ...base, activity: false }).source;
  if (v === 'tracked') return compile(nl, { ...base, activity: true }).source;
  if (v.startsWith('trackedChunk='))
    return compile(nl, { ...base, activity: true, chunkSize: Number(v.slice(13)) }).source;
  if (v.startsWith('plainTokens='))
    return compile(nl, { ...base, activity: false, plainTokens: Number(v.slice(12)) }).source;
  return readFileSync(v, 'utf8');
};
const models = variants.map(
  (v, i) => new Function('S', `${sourceOf(v)}// sim-ab ${i}\n`)(null) as Model,
);
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const best = models.map(() => Infinity);
for (let rep = 0; rep < 7; rep++)
  models.forEach((m, i) => {
    m.clearState();
    m.M.forEach((a, k) => a.set(images[k] as Uint32Array));
    const o = new Uint32Array(last.length);
    const t0 = cpuMs();
    m.runWords(words, o, cycles, false);
    const dt = cpuMs() - t0;
    if ([...o].join(',') !== want)
      throw new Error(`sim-ab: ${variants[i]} differs from the simulator`);
    if (rep > 0) best[i] = Math.min(best[i] as number, dt);
  });
variants.forEach((v, i) =>
  console.log(
    `${design} ${v}: ${(((cycles / (best[i] as number)) * 1000) / 1e6).toFixed(3)} M cycles/s`,
  ),
);
