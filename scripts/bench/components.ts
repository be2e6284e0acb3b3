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

function throughput(kind: AnyComponentKind): BenchRecord {
  const ex = kind.examples[0];
  if (!ex) throw new Error(`${kind.kind} has no example`);
  const config = parseConfig(kind, ex.config);
  const fields = kind.stream(config);
  const rng = makeRng(1);
  const beats = Array.from({ length: 2000 }, () => kind.randomBeat(config, rng));
  const want = kind.reference(config, beats);
  const sim = compile(elaborate(kind.generate(config)));
  const opts = {
    inFields: fields.in.map((f) => f.name),
    outFields: fields.out.map((f) => f.name),
    expectedOutBeats: want.length,
  };
  runStream(sim, beats.slice(0, 200), {
    ...opts,
    expectedOutBeats: kind.reference(config, beats.slice(0, 200)).length,
  }); // warm-up
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

export async function run(): Promise<BenchRecord[]> {
  const records: BenchRecord[] = [generation(16, 16), generation(64, 64)];
  for (const kind of listComponents()) records.push(throughput(kind));
  return records;
}
