// The GPT-2 block with its KV cache (issue 13): a gpt2-block design at d_model D (heads of 64
// features when D ≥ 64, like GPT-2-small's 12 × 64 at D = 768; else heads of 16), decoding
// `tokens` tokens: generation time (passes + elaborate + SV; wall and CPU), the measured cycles
// per decoded token (tokens back to back), the attention unit's cycles for the last position,
// the KV-cache bits, and native vs Verilator cycles/s on the same recorded stimulus
// (sim-designs.ts `one`). A size the generator refuses is recorded with its one-line error.
// At D = 768 the layernorms and the GELU are chunked row units (64 features per beat, the row
// in an SRAM buffer; docs/ir.md "Row ops").
// MXGEN_BENCH_DMODEL sets D (default 768), MXGEN_BENCH_CYCLES the replayed cycles,
// Verilator runs in the full profile (MXGEN_BENCH_FULL=1, scripts/bench-full.ts) or with
// MXGEN_BENCH_VERILATOR=1; MXGEN_BENCH_VERILATOR=0 leaves it out (native figures only).
// MXGEN_BENCH_VERILATOR_OPT (O0..O3, default O3) is the g++ level of the Verilator build (O0/O1
// build a 4.7 MB design in a fraction of O3's time; the build's wall time is in
// verilatorFirstResultMs and sim/bench-verilator-builds.json).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readDesignFile } from '../../src/flow/design-file.js';
import { measureThroughput } from '../../src/flow/throughput.js';
import { kvCacheBits, type KvAttentionConfig } from '../../src/components/index.js';
import type { CxxOpt } from '../../src/backends/verilator/build.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, MxgenError } from '../../src/hdl/index.js';
import { compileGraph, designVectors } from '../../src/ir/index.js';
import type { BenchRecord } from '../bench.js';
import { benchFull } from '../bench-full.js';
import { one } from './sim-designs.js';

export interface AttentionBenchOptions {
  readonly dModel?: number;
  readonly tokens?: number;
  readonly cycles?: number;
  /** Also build and run Verilator on the same stimulus (default: yes, unless the env says 0). */
  readonly verilator?: boolean;
}

/** The gpt2-block graph at d_model `d` (templates/designs/gpt2-block.yaml at any width). */
export function gpt2BlockYaml(d: number, tokens: number): string {
  const headDim = d >= 64 ? 64 : 16;
  return [
    `design: gpt2_block_d${d}`,
    'seed: 41',
    `macs: ${Math.max(256, d)}`,
    `tokens: ${tokens}`,
    'graph:',
    `  - { op: input, name: x, features: ${d} }`,
    '  - { op: layernorm, name: ln1, input: x }',
    `  - { op: attention, name: attn, input: ln1, features: ${d}, heads: ${d / headDim}, bias: true, kv_format: int8 }`,
    '  - { op: add, name: res1, a: attn, b: x }',
    '  - { op: layernorm, name: ln2, input: res1 }',
    `  - { op: linear, name: fc, input: ln2, features: ${4 * d}, bias: true }`,
    '  - { op: gelu, name: act, input: fc, form: tanh }',
    `  - { op: linear, name: proj, input: act, features: ${d}, bias: true }`,
    '  - { op: add, name: out, a: proj, b: res1 }',
    'precision: { weights: int8, activations: int8 }',
    '',
  ].join('\n');
}

export async function run(o: AttentionBenchOptions = {}): Promise<BenchRecord[]> {
  const d = o.dModel ?? (Number(process.env.MXGEN_BENCH_DMODEL ?? '') || 768);
  const tokens = o.tokens ?? 8;
  const cycles = o.cycles ?? (Number(process.env.MXGEN_BENCH_CYCLES ?? '') || 20_000);
  const name = `attention.gpt2-block-d${d}`;
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-bench-attn-'));
  const file = join(dir, `gpt2-block-d${d}.yaml`);
  try {
    writeFileSync(file, gpt2BlockYaml(d, tokens));
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let c;
    try {
      c = compileGraph(readDesignFile(file));
    } catch (e) {
      if (!(e instanceof MxgenError)) throw e;
      return [{ name, dModel: d, finished: false, error: e.message }];
    }
    const sv = emitSv(elaborate(c.top));
    const genMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const core = c.graph.nodes.find((n) => n.op === 'kv_attention');
    const cfg = core?.unit?.kind === 'row-unit' ? core.unit.component.config : undefined;
    const t = measureThroughput(c, designVectors(c.graph, 1), 500, 2);
    // The D = 768 Verilator -O3 build is most of half an hour here: full profile only.
    const env = process.env.MXGEN_BENCH_VERILATOR;
    const verilator = o.verilator ?? (env === undefined || env === '' ? benchFull() : env !== '0');
    const opt = (process.env.MXGEN_BENCH_VERILATOR_OPT ?? 'O3') as CxxOpt;
    if (!['O0', 'O1', 'O2', 'O3'].includes(opt))
      throw new MxgenError('usage', `MXGEN_BENCH_VERILATOR_OPT must be O0..O3; got ${opt}`);
    const sim = await one(file, { cycles, tensors: 1, opts: verilator ? [opt] : [] });
    return [
      {
        name,
        dModel: d,
        finished: true,
        genMs,
        genCpuMs: (cpu.user + cpu.system) / 1000,
        svBytes: sv.files.reduce((a, f) => a + Buffer.byteLength(f.text), 0),
        cyclesPerToken: t.cyclesPerToken,
        attentionCyclesLastToken: core?.parallelism?.cyclesPerToken ?? null,
        kvCacheBits: cfg ? kvCacheBits(cfg as unknown as KvAttentionConfig) : null,
        nativeCps: sim.nativeCps ?? null,
        nativeBeatsVsGolden: sim.nativeBeatsVsGolden ?? null,
        nativeMismatches: sim.nativeMismatches ?? null,
        verilatorCps: sim.verilatorCps ?? null,
        verilatorOpt: verilator ? opt : null,
        verilatorFirstResultMs: sim.verilatorFirstResultMs ?? null,
        ratio: sim.ratio ?? null,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
