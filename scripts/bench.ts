// `npm run bench`: runs every benchmark module in scripts/bench/ (each exports
// `run(): Promise<BenchRecord[]>`), prints one table and writes all records to sim/bench.json.
// Speed targets live here, never in timed tests; figures are ratios measured side by side.
// The default profile finishes in about 40 minutes on a loaded 2-core machine; MXGEN_BENCH_FULL=1
// runs the full sizes (scripts/bench-full.ts). Every record carries its `profile`.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchFull } from './bench-full.js';

export interface BenchRecord {
  name: string;
  [key: string]: string | number | boolean | null;
}

interface BenchModule {
  run: () => Promise<BenchRecord[]>;
}

const only = process.argv.slice(2);
const dir = resolve('scripts/bench');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

const profile = benchFull() ? 'full' : 'default';
console.log(
  `profile: ${profile}${profile === 'default' ? ' (MXGEN_BENCH_FULL=1 for the full sizes)' : ''}`,
);
const records: BenchRecord[] = [];
for (const f of files) {
  console.log(`== ${f}`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as BenchModule;
  const recs = await mod.run();
  for (const r of recs) {
    console.log(
      `  ${Object.entries(r)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : String(v)}`)
        .join('  ')}`,
    );
  }
  records.push(...recs.map((r) => ({ ...r, profile })));
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3);
}

mkdirSync('sim', { recursive: true });
writeFileSync('sim/bench.json', `${JSON.stringify(records, null, 2)}\n`);
console.log(`wrote sim/bench.json (${records.length} records)`);
