// Real-size layers (issue 12), measured on whole designs:
// - per real-size bundled design (default ffn-gpt2 and ffn-gpt2-w4a8): generation time (passes +
//   elaborate + SV; wall and CPU), total SV bytes, the measured cycles per token and utilization
//   (tokens back to back), the golden model's CPU time for one input tensor, and native vs
//   Verilator cycles/s on the same recorded stimulus with the time to first result
//   (scripts/bench/sim-designs.ts `one`, one input tensor = 4 tokens);
// - a 4096 → 11008 W4A8 layer (a Llama-7B projection) generated and simulated natively for one
//   token in a child process (wall time and peak RSS; a run past the time limit is recorded as
//   unfinished, not a crash).
// Peak RSS is the process's maxRSS (the designs run one after another in this process).
// The default profile runs ffn-gpt2 only; ffn-gpt2-w4a8 and the 4096 → 11008 layer are in the full
// profile (MXGEN_BENCH_FULL=1, scripts/bench-full.ts).
// MXGEN_BENCH_REAL=ffn-gpt2 sets the designs; MXGEN_BENCH_CYCLES the replayed cycles.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDesignFile } from '../../src/flow/design-file.js';
import { measureThroughput } from '../../src/flow/throughput.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compileGraph, designVectors, memoryFiles } from '../../src/ir/index.js';
import type { BenchRecord } from '../bench.js';
import { benchFull } from '../bench-full.js';
import { one } from './sim-designs.js';

export interface RealSizeOptions {
  /** Bundled design names (default ffn-gpt2, ffn-gpt2-w4a8). */
  readonly designs?: readonly string[];
  /** Cycles of the native/Verilator replay (default 20 000). */
  readonly cycles?: number;
  /** The single big layer's shape [K, N] (default [4096, 11008]); null skips it. */
  readonly layer?: readonly [number, number] | null;
  /** Time limit of the big layer's child process, s (default 600). */
  readonly layerTimeoutS?: number;
}

const rssMB = (): number => process.resourceUsage().maxRSS / 1024;

export async function design(name: string, cycles: number): Promise<BenchRecord> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const c = compileGraph(readDesignFile(`templates/designs/${name}.yaml`));
  const sv = emitSv(elaborate(c.top));
  const genMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // CPU time too: on a shared machine the wall time mostly measures the other processes.
  const genCpuMs = (cpu.user + cpu.system) / 1000;
  const svBytes = sv.files.reduce((a, f) => a + Buffer.byteLength(f.text), 0);
  const dataBytes = memoryFiles(c.memories).reduce((a, f) => a + f.text.length, 0);
  // The golden model of one input tensor (tokens × both layers' dot products): decision 64's
  // binary64 paths; `mxgen run` computes 20 of these.
  const g0 = process.cpuUsage();
  const vectors = designVectors(c.graph, 1);
  const gc = process.cpuUsage(g0);
  const goldenCpuMs = (gc.user + gc.system) / 1000;
  const t = measureThroughput(c, vectors, 500, 2);
  const sim = await one(name, { cycles, tensors: 1, opts: ['O3'] });
  return {
    name: `real-size.${name}`,
    genMs,
    genCpuMs,
    svBytes,
    svFiles: sv.files.length,
    dataBytes,
    goldenCpuMs,
    cyclesPerToken: t.cyclesPerToken,
    idealCyclesPerToken: t.idealCyclesPerToken,
    utilization: t.utilization,
    tokensPerSecondAt500MHz: t.tokensPerSecond,
    nativeCps: sim.nativeCps ?? null,
    verilatorCps: sim.verilatorCps ?? null,
    ratio: sim.ratio ?? null,
    firstResultRatio: sim.firstResultRatio ?? null,
    peakRssMB: rssMB(),
  };
}

/** The child process of the big layer: generate, then one token natively; prints one JSON line. */
export const LAYER_CHILD = 'scripts/real-size-layer.ts';

export function layer(k: number, n: number, timeoutS: number): BenchRecord {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-bench-layer-'));
  const file = join(dir, 'layer.yaml');
  writeFileSync(
    file,
    [
      `design: layer_${k}x${n}_w4a8`,
      'seed: 1',
      'macs: 1024',
      'tokens: 1',
      'graph:',
      `  - { op: input, name: x, features: ${k} }`,
      `  - { op: linear, name: proj, input: x, features: ${n} }`,
      'precision: { weights: int4, activations: int8 }',
      '',
    ].join('\n'),
  );
  const t0 = performance.now();
  const r = spawnSync('node', ['--import', 'tsx', LAYER_CHILD, file], {
    encoding: 'utf8',
    timeout: timeoutS * 1000,
    maxBuffer: 1 << 20,
  });
  const wallMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  const line = r.stdout?.trim().split('\n').pop() ?? '';
  let child: Record<string, number> = {};
  try {
    child = JSON.parse(line) as Record<string, number>;
  } catch {
    child = {};
  }
  return {
    name: `real-size.layer-${k}x${n}-w4a8`,
    finished: r.status === 0 && child.cycles !== undefined,
    wallMs,
    timeoutS,
    ...child,
    ...(r.status === 0
      ? {}
      : {
          error:
            (child as { error?: string }).error ??
            (r.signal ? `killed (${r.signal})` : (r.stderr ?? '').trim().split('\n').slice(-1)[0]),
        }),
  };
}

export async function run(o: RealSizeOptions = {}): Promise<BenchRecord[]> {
  const env = process.env.MXGEN_BENCH_REAL?.split(',').filter((s) => s !== '');
  const full = benchFull();
  const designs = o.designs ?? env ?? (full ? ['ffn-gpt2', 'ffn-gpt2-w4a8'] : ['ffn-gpt2']);
  const cycles = o.cycles ?? (Number(process.env.MXGEN_BENCH_CYCLES ?? '') || 20_000);
  const recs: BenchRecord[] = [];
  for (const d of designs) recs.push(await design(d, cycles));
  const shape = o.layer === undefined ? (full ? ([4096, 11008] as const) : null) : o.layer;
  if (shape) recs.push(layer(shape[0], shape[1], o.layerTimeoutS ?? 600));
  return recs;
}
