// `npm run mutate` (docs/mutation.md): one Stryker run per profile of stryker.config.mjs, in
// sequence, so each folder's mutants run only that profile's specs. Prints and writes
// reports/mutation/summary.md: wall and CPU minutes and the load average per profile, the score per file and per folder, and
// every surviving or uncovered mutant (file:line, mutator, replacement).
// MXGEN_MUTATE=a,b picks profiles (default: all); other MXGEN_MUTATE_* settings pass through.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { profiles } from '../stryker.config.mjs';
import { EXPLAINED, loadExplanations, survivorLine, survivorsOf, VERDICTS } from './survivors.mjs';

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

/** The 1-minute load average (/proc/loadavg), NaN where there is none. */
function load1() {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** Runs one profile's Stryker run; samples the load average every 30 s while it runs. */
function runProfile(name, loads) {
  return new Promise((resolve) => {
    const timer = setInterval(() => loads.push(load1()), 30_000);
    loads.push(load1());
    const child = spawn('npx', ['stryker', 'run', 'stryker.config.mjs'], {
      stdio: 'inherit',
      env: { ...process.env, MXGEN_MUTATE: name, MXGEN_MUTATE_TMP: `.stryker-tmp-${name}` },
    });
    child.on('close', (status) => {
      clearInterval(timer);
      loads.push(load1());
      resolve(status);
    });
  });
}

const times = [];
let failed = false;
// MXGEN_MUTATE_SUMMARY_ONLY=1: no runs, only the summary of the reports already written.
for (const name of process.env.MXGEN_MUTATE_SUMMARY_ONLY ? [] : names) {
  const t0 = Date.now();
  const c0 = childCpu();
  const loads = [];
  console.log(`\n== mutate ${name} (${new Date().toISOString()})`);
  const status = await runProfile(name, loads);
  const ok = loads.filter((x) => !Number.isNaN(x));
  const mean = ok.reduce((a, x) => a + x, 0) / ok.length;
  const loadText = ok.length
    ? `${Math.min(...ok).toFixed(1)}-${Math.max(...ok).toFixed(1)} (mean ${mean.toFixed(1)})`
    : 'n/a';
  times.push([name, (Date.now() - t0) / 60_000, (childCpu() - c0) / 60, loadText]);
  if (status !== 0) {
    console.error(`mutate: profile ${name} exited ${status}`);
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
  // CPU min: user + system of every process the profile's run started (/proc/self/stat of this
  // script): the figure that carries over between machines; wall min depends on the load
  // (1-minute load average, sampled every 30 s) of the cores the run shared.
  '| profile | wall min | CPU min | load average |',
  '| --- | --- | --- | --- |',
];
for (const [n, m, c, l] of times) out.push(`| ${n} | ${m.toFixed(1)} | ${c.toFixed(1)} | ${l} |`);
const sum = (i) => times.reduce((a, t) => a + t[i], 0).toFixed(1);
out.push(`| **all** | ${sum(1)} | ${sum(2)} | |`, '');
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
// Every survivor explained (docs/mutants/**/*.yaml, scripts/survivors.mjs): the count per verdict
// and the survivors no entry explains.
const { entries } = loadExplanations('.');
const judged = survivorsOf(reportDir, entries);
const unexplained = judged.filter((s) => !s.entry || !EXPLAINED.has(s.entry.verdict));
out.push(
  '## Survivors explained (docs/mutants)',
  '',
  `${judged.length} surviving or uncovered mutants: ` +
    VERDICTS.map((v) => `${judged.filter((s) => s.entry?.verdict === v).length} ${v}`).join(', ') +
    `, ${judged.filter((s) => !s.entry).length} without an entry; **${unexplained.length} not explained** ` +
    `(reports/mutation/unexplained.txt)`,
  '',
);
writeFileSync(join(reportDir, 'unexplained.txt'), unexplained.map(survivorLine).join('\n') + '\n');
writeFileSync(join(reportDir, 'summary.md'), out.join('\n'));
writeFileSync(join(reportDir, 'survivors.txt'), survivors.join('\n') + '\n');
console.log(
  `\n${out.join('\n')}\n(${survivors.length} surviving or uncovered mutants: ${join(reportDir, 'survivors.txt')})`,
);
process.exit(failed ? 1 : 0);
