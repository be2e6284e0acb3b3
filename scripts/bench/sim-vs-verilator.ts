// Native simulator vs Verilator (-O3) on N x N INT8 output-stationary MAC arrays (N = 4, 8, 16,
// 32; the array of scripts/bench/sim-native.ts), like with like:
// - Same stimulus: one precomputed buffer of u32 words for 10^5 cycles (rst = 0, en = 1, random
//   a/b bytes), the MXS1 words of the co-simulation harness; the native side gets the same words
//   minus the rst column. Both start from all-zero state.
// - Same work per cycle: apply every input, evaluate, clock edge; outputs are sampled on the last
//   cycle only (the harness's --last mode; native runVectors records that cycle), and every
//   output of that cycle must be equal on both sides or the bench throws.
// - Same timing window: CPU time of the cycle loop only. File I/O, process start, model
//   construction and compilation are EXCLUDED on both sides. Verilator runs through the
//   co-simulation harness code (harnessSource: the wrapper's apply/sample/tick lines, built by
//   buildVerilator with -O3) in a bench template that reads the stimulus file first and times the
//   loop with CLOCK_PROCESS_CPUTIME_ID; the native side times runVectors with process.cpuUsage.
//   Each side: best of REPS runs on a fresh state; native runs after a V8 warm-up (the cold first
//   run is reported as nativeColdCps and counts in the time to first result).
// ratio = nativeCps / verilatorCps (> 1: native faster). firstResultRatio = Verilator time to
// first result (emit + build + harness process, file I/O included) / native (compile + cold
// 10^5 cycles): > 1 means native answers first. Builds are cached in sim/build; the wall time of
// the build that filled the cache is kept in sim/bench-verilator-builds.json for that ratio.
// verilatorProcessCps: 10^5 cycles / wall time of one whole harness process (start, file I/O).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildVerilator,
  decodeOutputs,
  harnessSource,
  interfaceOf,
  mergeSv,
  runTool,
  STIM_MAGIC,
  WRAPPER_TOP,
  wrapDesigns,
  type VerilatorBuild,
} from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, type Netlist } from '../../src/hdl/index.js';
import { compile, type Simulator } from '../../src/sim/index.js';
import type { BenchRecord } from '../bench.js';
import { benchFull } from '../bench-full.js';
import { macArrayOs } from './sim-native.js';

export interface SimVsVerilatorOptions {
  /** Array sizes N (default MXGEN_BENCH_N or 4, 8, 16, 32). */
  readonly sizes?: readonly number[];
  /** Cycles per timed run (default 10^5). */
  readonly cycles?: number;
  /** Native warm-up before the timed runs, ms (default 1000). */
  readonly warmupMs?: number;
}

const REPS = 3;
const BUILD_TIMES = 'sim/bench-verilator-builds.json';

/** The harness's per-cycle code ({{APPLY}}, {{SAMPLE}}, {{TICK}}) with a timed loop. */
export const TIMED_TEMPLATE = `// mxgen bench harness: the co-simulation harness's apply/eval/sample/tick, loop timed.
#include "Vdut.h"
#include "verilated.h"
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <vector>
// {{IN_COUNT}} inputs: {{IN_LIST}}; {{OUT_COUNT}} outputs: {{OUT_LIST}}
static const size_t IN_WORDS = {{IN_WORDS}};
static const size_t OUT_WORDS = {{OUT_WORDS}};
static void apply(Vdut* top, const uint32_t* w) {
{{APPLY}}
}
static void sample(Vdut* top, uint32_t* w) {
{{SAMPLE}}
}
static void tick(Vdut* top) {
{{TICK}}
}
static double cpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}
int main(int argc, char** argv) {
  if (argc != 4) return 1;
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) return 2;
  std::vector<uint32_t> stim;
  uint32_t buf[4096];
  size_t n;
  while ((n = std::fread(buf, sizeof(uint32_t), 4096, f)) > 0) stim.insert(stim.end(), buf, buf + n);
  std::fclose(f);
  if (stim.size() < 2 || stim[0] != 0x${STIM_MAGIC.toString(16)}U) return 2;
  const size_t cycles = stim[1];
  if (stim.size() != 2 + cycles * IN_WORDS) return 2;
  std::vector<uint32_t> out(OUT_WORDS, 0);
  const int reps = std::atoi(argv[3]);
  for (int r = 0; r < reps; ++r) {
    std::unique_ptr<VerilatedContext> ctx{new VerilatedContext};
    std::unique_ptr<Vdut> top{new Vdut{ctx.get(), "dut"}};
    const double t0 = cpuSeconds();
    for (size_t t = 0; t < cycles; ++t) {
      apply(top.get(), &stim[2 + t * IN_WORDS]);
      top->eval();
      if (t + 1 == cycles) sample(top.get(), out.data());
      tick(top.get());
    }
    const double t1 = cpuSeconds();
    std::printf("cpu %.9f\\n", t1 - t0);
    top->final();
  }
  f = std::fopen(argv[2], "wb");
  const uint32_t head[2] = {0x314f584dU, 1};
  std::fwrite(head, sizeof(uint32_t), 2, f);
  std::fwrite(out.data(), sizeof(uint32_t), out.size(), f);
  std::fclose(f);
  return 0;
}
`;

/** Deterministic words: rst = 0, en = 1, then 2N random bytes (LCG) per cycle. */
function stimulusWords(n: number, cycles: number): Uint32Array {
  const per = 2 + 2 * n;
  const words = new Uint32Array(2 + cycles * per);
  words[0] = STIM_MAGIC;
  words[1] = cycles;
  let x = 12345;
  for (let t = 0; t < cycles; t++) {
    const at = 2 + t * per;
    words[at + 1] = 1;
    for (let k = 0; k < 2 * n; k++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      words[at + 2 + k] = x >>> 24;
    }
  }
  return words;
}

function buildTimes(): Record<string, number> {
  return existsSync(BUILD_TIMES)
    ? (JSON.parse(readFileSync(BUILD_TIMES, 'utf8')) as Record<string, number>)
    : {};
}

/** Emit + wrap + build (cached); the wall seconds of the uncached build, when known. */
async function verilatorModel(
  nl: Netlist,
): Promise<{ build: VerilatorBuild; w: ReturnType<typeof wrapDesigns>; buildMs: number }> {
  const v0 = performance.now();
  const out = emitSv(nl);
  const w = wrapDesigns([
    interfaceOf(nl, { text: out.files.map((f) => f.text).join('\n'), top: out.top }),
  ]);
  const build = await buildVerilator(
    {
      sv: mergeSv([...out.files.map((f) => f.text), w.sv]),
      top: WRAPPER_TOP,
      harness: harnessSource(w.spec, TIMED_TEMPLATE),
    },
    { opt: 'O3' },
  );
  const times = buildTimes();
  if (!build.hit) {
    times[build.key] = performance.now() - v0;
    writeFileSync(BUILD_TIMES, `${JSON.stringify(times, null, 2)}\n`);
  }
  return { build, w, buildMs: times[build.key] ?? Number.NaN };
}

/** Native: `cycles` cycles from `inputs`, outputs of the last cycle into `last`; CPU ms. */
function nativeRun(
  sim: Simulator,
  inputs: Uint32Array,
  nIn: number,
  last: Uint32Array,
  cycles: number,
): number {
  const c0 = process.cpuUsage();
  sim.runVectors(inputs, cycles - 1);
  sim.runVectors(inputs.subarray((cycles - 1) * nIn), 1, last);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function one(n: number, o: SimVsVerilatorOptions): Promise<BenchRecord> {
  const CYCLES = o.cycles ?? 100_000;
  const nl = elaborate(macArrayOs(n));
  const words = stimulusWords(n, CYCLES);
  const { build, w, buildMs } = await verilatorModel(nl);
  const layout = w.designs[0];
  if (!layout) throw new Error('wrapper has no design');

  // Native inputs: the wrapper columns of the design's inputs (all <= 32 bits, one word each).
  const n0 = performance.now();
  const sim = compile(nl);
  const compileMs = performance.now() - n0;
  const ins = sim.ports.filter((p) => p.dir === 'in');
  const outs = sim.ports.filter((p) => p.dir === 'out');
  const per = 2 + 2 * n;
  const col = (port: string): number => layout.inputs.find((c) => c.port === port)?.column ?? -1;
  const inputs = new Uint32Array(CYCLES * ins.length);
  ins.forEach((p, k) => {
    const c = col(p.name);
    for (let t = 0; t < CYCLES; t++) inputs[t * ins.length + k] = words[2 + t * per + c] as number;
  });
  const last = new Uint32Array(outs.length);
  const coldMs = nativeRun(sim, inputs, ins.length, last, CYCLES);
  const nativeFirstMs = performance.now() - n0;
  const want = Array.from(last);
  // Warm-up (at least 1 s of runs, and until the form chooser has warmed both forms and made
  // its choice: src/sim/adaptive.ts), then REPS timed runs, each from the reset state (all zero).
  const tw = performance.now();
  while (performance.now() - tw < (o.warmupMs ?? 1000) || !sim.settled)
    sim.runVectors(inputs, Math.max(1, Math.round(CYCLES / 10)));
  let nativeMs = Infinity;
  for (let r = 0; r < REPS; r++) {
    sim.reset();
    nativeMs = Math.min(nativeMs, nativeRun(sim, inputs, ins.length, last, CYCLES));
    if (Array.from(last).some((v, i) => v !== want[i]))
      throw new Error(`N=${n}: native warm run ${r} differs from the cold run`);
  }

  const dir = mkdtempSync(join(tmpdir(), 'mxgen-bench-vl-'));
  try {
    const stim = join(dir, 'stim.bin');
    writeFileSync(stim, words);
    const p0 = performance.now();
    await runTool(build.exe, [stim, join(dir, 'one.bin'), '1']);
    const processMs = performance.now() - p0;
    const r = await runTool(build.exe, [stim, join(dir, 'out.bin'), String(REPS)]);
    const verilatorMs = Math.min(
      ...[...r.stdout.matchAll(/cpu ([\d.]+)/g)].map((m) => Number(m[1]) * 1000),
    );
    const vl = decodeOutputs(w.spec.outputs, readFileSync(join(dir, 'out.bin')))[0] ?? [];
    outs.forEach((p, k) => {
      const c = layout.outputs.find((o) => o.port === p.name)?.column ?? -1;
      if (vl[c] !== BigInt(want[k] ?? -1))
        throw new Error(`N=${n}: final ${p.name} differs: native ${want[k]}, Verilator ${vl[c]}`);
    });
    const nativeCps = (CYCLES / nativeMs) * 1000;
    const verilatorCps = (CYCLES / verilatorMs) * 1000;
    const verilatorFirstMs = buildMs + processMs;
    return {
      name: 'sim-vs-verilator',
      N: n,
      nativeCps,
      verilatorCps,
      ratio: nativeCps / verilatorCps,
      firstResultRatio: verilatorFirstMs / nativeFirstMs,
      nativeColdCps: (CYCLES / coldMs) * 1000,
      verilatorProcessCps: (CYCLES / processMs) * 1000,
      nativeCompileMs: compileMs,
      nativeFirstResultMs: nativeFirstMs,
      verilatorBuildMs: buildMs,
      verilatorFirstResultMs: verilatorFirstMs,
      outputsCompared: outs.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(o: SimVsVerilatorOptions = {}): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  // MXGEN_BENCH_N=4,8 sets the sizes; N = 32 (its -O3 build takes minutes the first time) is in
  // the full profile (MXGEN_BENCH_FULL=1) only.
  const sizes =
    o.sizes ??
    (process.env.MXGEN_BENCH_N ?? (benchFull() ? '4,8,16,32' : '4,8,16')).split(',').map(Number);
  for (const n of sizes) records.push(await one(n, o));
  return records;
}
