// Component generators: generation time of a 64×64 MAC array (target: under 2 s for build +
// elaborate), and native simulator throughput (cycles/s, beats/s) for every component kind's
// first example, driven through its valid/ready streams without stalls.
import {
  getComponent,
  listComponents,
  makeRng,
  parseConfig,
  type AnyComponentKind,
} from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import type { BenchRecord } from '../bench.js';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

function generation(rows: number, cols: number): BenchRecord {
  const kind = getComponent('mac-array');
  const config = parseConfig(kind, { rows, cols, aFormat: 'int4', bFormat: 'int4', depth: 4 });
  const t0 = process.hrtime.bigint();
  const nl = elaborate(kind.generate(config));
  const generateMs = ms(t0);
  const t1 = process.hrtime.bigint();
  const sv = emitSv(nl);
  const emitMs = ms(t1);
  const cells = nl.modules.reduce((n, m) => n + m.nets.length, 0);
  return {
    name: 'mac-array-generation',
    module: kind.moduleName(config),
    nets: cells,
    generateMs,
    emitMs,
    svLines: sv.files.reduce((n, f) => n + f.text.split('\n').length, 0),
    targetMs: 2000,
  };
}

function throughput(kind: AnyComponentKind, count: number): BenchRecord {
  const ex = kind.examples[0];
  if (!ex) throw new Error(`${kind.kind} has no example`);
  const config = parseConfig(kind, ex.config);
  const fields = kind.stream(config);
  const rng = makeRng(1);
  const beats = Array.from({ length: count }, () => kind.randomBeat(config, rng));
  const want = kind.reference(config, beats);
  const sim = compile(elaborate(kind.generate(config)));
  // A cycle limit from the datasheet: a unit that takes a beat every `intervalCycles` (the KV
  // attention unit: 3·seqLen + 5) needs that many cycles per beat.
  const d = kind.derive(config);
  const interval = typeof d.intervalCycles === 'number' ? Math.max(1, d.intervalCycles) : 1;
  const opts = {
    inFields: fields.in.map((f) => f.name),
    outFields: fields.out.map((f) => f.name),
    expectedOutBeats: want.length,
    maxCycles: 64 + d.latencyCycles + 8 * (count + want.length) * interval,
  };
  const warm = beats.slice(0, Math.max(1, Math.round(count / 10)));
  const wantWarm = kind.reference(config, warm).length;
  runStream(sim, warm, { ...opts, expectedOutBeats: wantWarm }); // warm-up
  const t0 = process.hrtime.bigint();
  const r = runStream(compile(elaborate(kind.generate(config))), beats, opts);
  const s = ms(t0) / 1000;
  return {
    name: 'component-native-sim',
    kind: kind.kind,
    example: ex.name,
    beats: beats.length,
    cycles: r.cycles,
    cyclesPerSecond: r.cycles / s,
    beatsPerSecond: beats.length / s,
  };
}

export interface ComponentsBenchOptions {
  /** MAC array sizes whose generation is timed (default 16×16 and 64×64). */
  readonly arrays?: readonly number[];
  /** Random beats per component kind (default 2000). */
  readonly beats?: number;
}

export async function run(o: ComponentsBenchOptions = {}): Promise<BenchRecord[]> {
  const records = (o.arrays ?? [16, 64]).map((n) => generation(n, n));
  for (const kind of listComponents()) records.push(throughput(kind, o.beats ?? 2000));
  return records;
}
