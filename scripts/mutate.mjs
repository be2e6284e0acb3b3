// `npm run mutate` (docs/mutation.md): one Stryker run per profile of stryker.config.mjs, in
// sequence, so each folder's mutants run only that profile's specs. Prints and writes
// reports/mutation/summary.md: wall time per profile, the score per file and per folder, and
// every surviving or uncovered mutant (file:line, mutator, replacement).
// MXGEN_MUTATE=a,b picks profiles (default: all); other MXGEN_MUTATE_* settings pass through.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profiles } from '../stryker.config.mjs';

const names = process.env.MXGEN_MUTATE
  ? process.env.MXGEN_MUTATE.split(',').filter((x) => x !== '')
  : Object.keys(profiles);
const reportDir = process.env.MXGEN_MUTATE_REPORTS ?? 'reports/mutation';
mkdirSync(reportDir, { recursive: true });

/** CPU seconds (user + system) of every waited-for descendant so far: /proc/self/stat cutime + cstime. */
function childCpu() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return NaN;
  }
}

const times = [];
let failed = false;
// MXGEN_MUTATE_SUMMARY_ONLY=1: no runs, only the summary of the reports already written.
for (const name of process.env.MXGEN_MUTATE_SUMMARY_ONLY ? [] : names) {
  const t0 = Date.now();
  const c0 = childCpu();
  console.log(`\n== mutate ${name} (${new Date().toISOString()})`);
  const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MXGEN_MUTATE: name, MXGEN_MUTATE_TMP: `.stryker-tmp-${name}` },
  });
  times.push([name, (Date.now() - t0) / 60_000, (childCpu() - c0) / 60]);
  if (r.status !== 0) {
    console.error(`mutate: profile ${name} exited ${r.status}`);
    failed = true;
  }
}

const scored = ['Killed', 'Timeout', 'Survived', 'NoCoverage'];
const blank = () => ({
  Killed: 0,
  Timeout: 0,
  Survived: 0,
  NoCoverage: 0,
  CompileError: 0,
  Ignored: 0,
  RuntimeError: 0,
});
const pct = (c) => {
  const n = scored.reduce((a, k) => a + c[k], 0);
  return n === 0 ? 'n/a' : ((100 * (c.Killed + c.Timeout)) / n).toFixed(1);
};
const row = (label, c) =>
  `| ${label} | ${pct(c)} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError} | ${c.Ignored} |`;
const head = [
  '| file | score % | killed | timeout | survived | no coverage | compile error | ignored (static) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
const out = [
  '# npm run mutate: summary',
  '',
  `${new Date().toISOString()}`,
  '',
  '| profile | wall min |',
  '| --- | --- |',
];
for (const [n, m] of times) out.push(`| ${n} | ${m.toFixed(1)} |`);
out.push(`| **all** | ${times.reduce((a, [, m]) => a + m, 0).toFixed(1)} |`, '');
const folders = new Map();
const survivors = [];
for (const name of names) {
  let report;
  try {
    report = JSON.parse(readFileSync(join(reportDir, `${name}.json`), 'utf8'));
  } catch {
    out.push(`(no report for ${name})`, '');
    continue;
  }
  const folder = profiles[name].folder;
  const f = folders.get(folder) ?? { total: blank(), files: new Map() };
  folders.set(folder, f);
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    const c = f.files.get(file) ?? blank();
    f.files.set(file, c);
    const lines = source.split('\n');
    for (const m of mutants) {
      c[m.status] = (c[m.status] ?? 0) + 1;
      f.total[m.status] = (f.total[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const l = m.location.start.line;
        survivors.push(
          `${file}:${l}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}   <- ${(lines[l - 1] ?? '').trim().slice(0, 100)}`,
        );
      }
    }
  }
}
for (const [folder, { total, files }] of folders) {
  out.push(`## ${folder}`, '', ...head);
  for (const [file, c] of [...files].sort()) out.push(row(`\`${file}\``, c));
  out.push(row('**all**', total), '');
}
writeFileSync(join(reportDir, 'summary.md'), out.join('\n'));
writeFileSync(join(reportDir, 'survivors.txt'), survivors.join('\n') + '\n');
console.log(
  `\n${out.join('\n')}\n(${survivors.length} surviving or uncovered mutants: ${join(reportDir, 'survivors.txt')})`,
);
process.exit(failed ? 1 : 0);
