// `mxgen sim <design>`: compile a design file with the native simulator, reset it for one cycle,
// run seeded random inputs and write a VCD; `--emit-ts out.ts` writes the typed model instead.
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { elaborate, MxgenError } from '../../hdl/index.js';
import { VcdWriter, compile, emitTypedModelSource } from '../../sim/index.js';
import { action } from '../action.js';
import { collect, DESIGN_ARG, resolveDesign, SET_HELP } from '../resolve.js';

export interface SimOptions {
  set?: string[];
  cycles?: string;
  vcd?: string;
  seed?: string;
  emitTs?: string;
}

export interface SimResult {
  readonly top: string;
  readonly cycles: number;
  readonly vcd?: string;
  readonly emitTs?: string;
  readonly cyclesPerSec?: number;
}

function intOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v))
    throw new MxgenError('usage', `--${name} must be a non-negative integer; got ${text}`);
  return v;
}

/** splitmix32: a small seeded generator; values of any width are built from 32-bit draws. */
export function randomBits(seed: number): (width: number) => bigint {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (width) => {
    let v = 0n;
    for (let i = 0; i < width; i += 32) v = (v << 32n) | BigInt(next());
    return BigInt.asUintN(width, v);
  };
}

/** Buffered file writer that renames into place when closed (no half-written VCDs). */
function fileSink(path: string): { write: (s: string) => void; close: () => void } {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let buf: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (buf.length > 0) writeSync(fd, buf.join(''));
    buf = [];
    size = 0;
  };
  return {
    write: (s) => {
      buf.push(s);
      size += s.length;
      if (size > 1 << 20) flush();
    },
    close: () => {
      flush();
      closeSync(fd);
      renameSync(tmp, path);
    },
  };
}

export async function simulate(spec: string, opts: SimOptions = {}): Promise<SimResult> {
  const cycles = intOption('cycles', opts.cycles, 100);
  const seed = intOption('seed', opts.seed, 1);
  const design = await resolveDesign(spec, opts.set);
  const nl = elaborate(design.build());
  if (opts.emitTs) {
    mkdirSync(dirname(opts.emitTs), { recursive: true });
    writeFileSync(opts.emitTs, await emitTypedModelSource(nl));
    return { top: nl.top, cycles: 0, emitTs: opts.emitTs };
  }
  const sim = compile(nl);
  const vcdPath = opts.vcd ?? `sim/${design.name}.vcd`;
  const sink = fileSink(vcdPath);
  const vcd = new VcdWriter(sim, sink.write);
  const draw = randomBits(seed);
  const inputs = sim.ports.filter((p) => p.dir === 'in');
  const t0 = performance.now();
  sim.reset(1);
  for (let t = 0; t < cycles; t++) {
    for (const p of inputs) sim.poke(p.name, draw(p.width));
    sim.step();
  }
  const ms = performance.now() - t0;
  vcd.close();
  sink.close();
  return { top: nl.top, cycles, vcd: vcdPath, cyclesPerSec: ms > 0 ? (cycles / ms) * 1000 : 0 };
}

export function register(program: Command): void {
  program
    .command('sim')
    .description('simulate a design file natively with seeded random inputs and write a VCD')
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--cycles <n>', 'cycles after the one reset cycle', '100')
    .option('--vcd <file>', 'VCD output (default sim/<design>.vcd)')
    .option('--seed <s>', 'seed of the random inputs', '1')
    .option('--emit-ts <file>', 'write the typed TypeScript model instead of simulating')
    .action(
      action(async (spec: string, opts: SimOptions) => {
        const r = await simulate(spec, opts);
        if (r.emitTs) {
          console.log(
            `wrote ${relative(process.cwd(), r.emitTs) || r.emitTs} (typed model of ${r.top})`,
          );
          return;
        }
        const rate = Math.round(r.cyclesPerSec ?? 0);
        console.log(`simulated ${r.top}: 1 reset + ${r.cycles} cycles (${rate} cycles/s with VCD)`);
        console.log(`wrote ${r.vcd}`);
      }),
    );
}
