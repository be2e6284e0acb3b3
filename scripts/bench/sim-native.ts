// Native simulator speed on N x N INT8 output-stationary MAC arrays (N = 4, 8, 16, 32): compile
// time (builder netlist -> runnable model) and cycles/s with random inputs poked every cycle
// (cyclesPerSec per CPU second of this process, as the machine is shared; wall rate beside it).
// The Verilator side of the comparison is measured by the Verilator benchmark.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { ModuleBuilder, elaborate, s, u, type Netlist } from '../../src/hdl/index.js';
import { compile, emitTypedModelSource, type Simulator } from '../../src/sim/index.js';
import type { BenchRecord } from '../bench.js';

/** PE: a and b pass through registers to the right and down; acc += a * b while en. */
function osPe(): ModuleBuilder {
  const m = new ModuleBuilder('os_pe_s8_acc32', { config: { element: 's8', acc: 32 } });
  const en = m.input('en', u(1));
  const a = m.input('a_in', s(8));
  const b = m.input('b_in', s(8));
  const aq = m.reg('a_q', s(8), { init: 0 });
  const bq = m.reg('b_q', s(8), { init: 0 });
  const acc = m.reg('acc', s(32), { init: 0 });
  aq.next(a);
  bq.next(b);
  acc.next(acc.addWrap(a.mul(b).extend(32)), en);
  m.output('a_out', s(8)).set(aq);
  m.output('b_out', s(8)).set(bq);
  m.output('acc_out', s(32)).set(acc);
  return m;
}

/** An N x N output-stationary array: row i's a enters at the left, column j's b at the top. */
export function macArrayOs(n: number): ModuleBuilder {
  const pe = osPe();
  const m = new ModuleBuilder(`mac_array_os_${n}x${n}_s8_acc32`, { config: { n } });
  const en = m.input('en', u(1));
  const a = Array.from({ length: n }, (_, i) => m.input(`a_${i}`, s(8)));
  const b = Array.from({ length: n }, (_, j) => m.input(`b_${j}`, s(8)));
  const grid: ReturnType<ModuleBuilder['instance']>[][] = [];
  for (let i = 0; i < n; i++) {
    const row: ReturnType<ModuleBuilder['instance']>[] = [];
    for (let j = 0; j < n; j++) {
      const inst = m.instance(pe, `u_pe_${i}_${j}`);
      const left = row[j - 1];
      const up = grid[i - 1]?.[j];
      inst.connect({
        en,
        a_in: left ? left.out('a_out') : (a[i] as ReturnType<typeof m.input>),
        b_in: up ? up.out('b_out') : (b[j] as ReturnType<typeof m.input>),
      });
      m.output(`acc_${i}_${j}`, s(32)).set(inst.out('acc_out'));
      row.push(inst);
    }
    grid.push(row);
  }
  return m;
}

/**
 * Drives `cycles` cycles with random a/b every cycle, through `pokeFast` handles (as a harness
 * sets model fields) or through `poke` by name; returns [wall ms, CPU ms of this process].
 */
function drive(
  sim: Simulator,
  n: number,
  cycles: number,
  seed: number,
  byName = false,
): [number, number] {
  let x = seed >>> 0;
  const names = Array.from({ length: n }, (_, i) => [`a_${i}`, `b_${i}`]).flat();
  const handles = names.map((p) => sim.inputHandle(p));
  sim.poke('en', 1);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let c = 0; c < cycles; c++) {
    if (byName)
      for (const p of names) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        sim.poke(p, x >>> 24);
      }
    else
      for (const h of handles) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        sim.pokeFast(h, x >>> 24);
      }
    sim.step();
  }
  const cpu = process.cpuUsage(c0);
  return [performance.now() - t0, (cpu.user + cpu.system) / 1000];
}

/** `runVectors`: a harness-style loop over a buffer of random inputs, recording every output. */
function vectorsRate(sim: Simulator, cycles: number, warmupMs: number): number {
  const nIn = sim.ports.filter((p) => p.dir === 'in').length;
  const nOut = sim.ports.filter((p) => p.dir === 'out').length;
  const inputs = new Uint32Array(cycles * nIn);
  let x = 9;
  for (let i = 0; i < inputs.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    inputs[i] = i % nIn === 0 ? 1 : x >>> 24; // port 0 is en
  }
  const outputs = new Uint32Array(cycles * nOut);
  const tw = performance.now(); // warm-up: at least 1 s
  while (performance.now() - tw < warmupMs)
    sim.runVectors(inputs, Math.max(1, Math.round(cycles / 10)), outputs);
  const c0 = process.cpuUsage();
  sim.runVectors(inputs, cycles, outputs);
  const cpu = process.cpuUsage(c0);
  return (cycles / (cpu.user + cpu.system)) * 1e6;
}

type TypedModel = Record<string, number> & { step(n?: number): void; reset(n?: number): void };

/** The --emit-ts model of the same array, driven through its typed accessors (CPU ms per run). */
async function typedModelRate(nl: Netlist, n: number, cycles: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-bench-'));
  try {
    const file = join(dir, 'model.ts');
    writeFileSync(file, await emitTypedModelSource(nl));
    const mod = (await import(pathToFileURL(file).href)) as Record<string, new () => TypedModel>;
    const Model = Object.values(mod)[0];
    if (!Model) throw new Error('typed model has no class');
    const m = new Model();
    const names = Array.from({ length: n }, (_, i) => [`a_${i}`, `b_${i}`]).flat();
    m.en = 1;
    m.reset();
    // Static property names, as in a hand-written testbench (m.a_0 = ...), not m[name].
    const body = names
      .map((p) => `x = (Math.imul(x, 1664525) + 1013904223) >>> 0; m.${p} = x >>> 24;`)
      .join(' ');
    const loop = new Function(
      'm',
      'count',
      `let x = 5; for (let c = 0; c < count; c++) { ${body} m.step(); }`,
    ) as (m: TypedModel, count: number) => void;
    const go = (count: number): number => {
      const c0 = process.cpuUsage();
      loop(m, count);
      const cpu = process.cpuUsage(c0);
      return (count / (cpu.user + cpu.system)) * 1e6;
    };
    for (let r = 0; r < 5; r++) go(Math.round(cycles / 5)); // warm-up
    return go(cycles);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SimNativeOptions {
  /** Array sizes N (default 4, 8, 16, 32). */
  readonly sizes?: readonly number[];
  /** Cycles per timed run (default max(2000, 8·10^6 / N²)). */
  readonly cycles?: number;
  /** Least warm-up before the timed runs, ms (default 1000; at most 30 s until the rate is flat). */
  readonly warmupMs?: number;
}

export async function run(o: SimNativeOptions = {}): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [];
  const minWarmMs = o.warmupMs ?? 1000;
  for (const n of o.sizes ?? [4, 8, 16, 32]) {
    const t0 = performance.now();
    const nl: Netlist = elaborate(macArrayOs(n));
    const t1 = performance.now();
    const sim = compile(nl);
    sim.reset();
    sim.eval();
    const t2 = performance.now();
    const cycles = o.cycles ?? Math.max(2000, Math.round(8_000_000 / (n * n)));
    // Warm-up until V8 has optimized every chunk: at least 1 s, then until the rate has not
    // risen by 5% for two rounds (at most 30 s). Rates use CPU time: the machine is shared.
    const round = Math.max(200, Math.round(cycles / 10));
    const tw = performance.now();
    let best = 0;
    let flat = 0;
    for (let r = 0; performance.now() - tw < Math.max(30 * minWarmMs, 1); r++) {
      const rate = round / drive(sim, n, round, 1 + r)[1];
      flat = rate < best * 1.05 ? flat + 1 : 0;
      best = Math.max(best, rate);
      if (flat >= 2 && performance.now() - tw > minWarmMs) break;
    }
    const warmupMs = performance.now() - tw;
    const [wallMs, cpuMs] = drive(sim, n, cycles, 2);
    const [, pokeCpuMs] = drive(sim, n, cycles, 3, true);
    const vectorRate = vectorsRate(sim, cycles, minWarmMs);
    // The kernel alone: inputs held, `step(cycles)` in one call.
    const c0 = process.cpuUsage();
    sim.step(cycles);
    const stepCpu = process.cpuUsage(c0);
    records.push({
      name: `sim-native mac_array_os ${n}x${n}`,
      n,
      elaborateMs: t1 - t0,
      // Time to first result: compile, one reset cycle and the first settled outputs (the
      // netlist is shared with the Verilator flow, which needs it for emission too).
      firstResultMs: t2 - t1,
      warmupMs,
      cycles,
      cyclesPerSec: (cycles / cpuMs) * 1000,
      cyclesPerWallSec: (cycles / wallMs) * 1000,
      cyclesPerSecPokeByName: (cycles / pokeCpuMs) * 1000,
      cyclesPerSecVectors: vectorRate,
      cyclesPerSecTypedModel: await typedModelRate(nl, n, cycles),
      stepOnlyCyclesPerSec: (cycles / (stepCpu.user + stepCpu.system)) * 1e6,
      checksum: Number(sim.peek('acc_0_0')),
    });
  }
  return records;
}
