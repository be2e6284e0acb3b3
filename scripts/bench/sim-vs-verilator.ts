// Native simulator vs Verilator (-O3) on N x N INT8 output-stationary MAC arrays (N = 4, 8, 16,
// 32; the array of scripts/bench/sim-native.ts). Both drive the same random a/b inputs for 10^5
// cycles. cycles/s: native = step loop with pokes; Verilator = the harness process (stimulus file
// in, last cycle's outputs out, process start included). Time to first result = compile or build
// + 10^5 cycles; the Verilator build is uncached (fresh cache root) but reuses the runtime library
// that every build shares. ratio = verilatorCps / nativeCps; firstResultRatio = verilator / native
// time to first result (> 1: native answers first). Both final acc_0_0 values must agree.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  buildRuntime,
  buildVerilator,
  decodeOutputs,
  encodeStimulus,
  harnessSource,
  interfaceOf,
  mergeSv,
  runTool,
  WRAPPER_TOP,
  wrapDesigns,
} from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';
import type { BenchRecord } from '../bench.js';
import { macArrayOs } from './sim-native.js';

const CYCLES = 100_000;

/** Deterministic input bytes: LCG, same stream for both simulators. */
function stimulus(n: number, cycles: number): bigint[][] {
  let x = 12345;
  const rows: bigint[][] = [];
  for (let t = 0; t < cycles; t++) {
    const row: bigint[] = [0n, 1n]; // rst, en
    for (let k = 0; k < 2 * n; k++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      row.push(BigInt(x >>> 24));
    }
    rows.push(row);
  }
  return rows;
}

async function one(n: number, cache: string): Promise<BenchRecord> {
  const nl = elaborate(macArrayOs(n));
  const rows = stimulus(n, CYCLES);
  const names = [
    'en',
    ...Array.from({ length: n }, (_, i) => `a_${i}`),
    ...Array.from({ length: n }, (_, j) => `b_${j}`),
  ];

  // Native: compile, then 10^5 cycles (V8 warm-up included, as a user would see it).
  const n0 = performance.now();
  const sim = compile(nl);
  const n1 = performance.now();
  let nativeLast = -1n;
  rows.forEach((row, t) => {
    for (let k = 0; k < names.length; k++) sim.poke(names[k] as string, row[k + 1] as bigint);
    // The harness's --last sample: cycle 10^5 - 1, before its edge.
    if (t === rows.length - 1) nativeLast = sim.peek('acc_0_0');
    sim.step();
  });
  const n2 = performance.now();

  // Verilator -O3: emit, wrap, build (uncached), run 10^5 cycles.
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-bench-vl-'));
  try {
    const v0 = performance.now();
    const out = emitSv(nl);
    const w = wrapDesigns([
      interfaceOf(nl, { text: out.files.map((f) => f.text).join('\n'), top: out.top }),
    ]);
    const build = await buildVerilator(
      {
        sv: mergeSv([...out.files.map((f) => f.text), w.sv]),
        top: WRAPPER_TOP,
        harness: harnessSource(w.spec),
      },
      { opt: 'O3', cacheRoot: cache },
    );
    const v1 = performance.now();
    // Column order of the wrapper: rst, then the design's inputs in declaration order (en, a_*, b_*).
    writeFileSync(join(dir, 'stim.bin'), encodeStimulus(w.spec.inputs, rows));
    const v2 = performance.now();
    await runTool(build.exe, ['--last', join(dir, 'stim.bin'), join(dir, 'out.bin')]);
    const v3 = performance.now();
    const last = decodeOutputs(w.spec.outputs, readFileSync(join(dir, 'out.bin')))[0];
    const col = w.designs[0]?.outputs.find((p) => p.port === 'acc_0_0')?.column ?? -1;
    const vlLast = last?.[col];
    const nativeCps = (CYCLES / (n2 - n1)) * 1000;
    const verilatorCps = (CYCLES / (v3 - v2)) * 1000;
    const nativeFirst = n2 - n0;
    const verilatorFirst = v3 - v0;
    return {
      name: 'sim-vs-verilator',
      N: n,
      nativeCps,
      verilatorCps,
      ratio: verilatorCps / nativeCps,
      firstResultRatio: verilatorFirst / nativeFirst,
      nativeCompileMs: n1 - n0,
      verilatorBuildMs: v1 - v0,
      nativeFirstResultMs: nativeFirst,
      verilatorFirstResultMs: verilatorFirst,
      agree: vlLast === nativeLast,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchRecord[]> {
  const cache = mkdtempSync(join(tmpdir(), 'mxgen-bench-cache-'));
  const records: BenchRecord[] = [];
  try {
    // The runtime library is shared by every build: made once, outside the timed builds.
    await buildRuntime({ cacheRoot: cache });
    for (const n of [4, 8, 16, 32]) records.push(await one(n, cache));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  return records;
}
