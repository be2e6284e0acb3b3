// Mocha reporter: the spec reporter's output, plus a JSON summary of the counts written to the
// file named by MXGEN_MOCHA_STATS (read by scripts/run-tests.ts to print the final tally), and
// the time spent in each test file (the slowest are printed at the end, so a suite that grows
// past its budget shows where the time went).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // Per file: the sum of its tests' durations (hooks such as a Verilator build in before() are
    // not in it), and, when files run one after another, the wall time from first to last event.
    const files = new Map();
    const entry = (file) => {
      const key = path.relative(process.cwd(), file || '(unknown)');
      if (!files.has(key)) files.set(key, { tests: 0, first: Date.now(), last: Date.now() });
      return files.get(key);
    };
    runner.on('suite', (s) => {
      if (s.file) entry(s.file).last = Date.now();
    });
    runner.on('suite end', (s) => {
      if (s.file) entry(s.file).last = Date.now();
    });
    runner.on('test end', (t) => {
      const e = entry(t.file);
      e.tests += t.duration || 0;
      e.last = Date.now();
    });
    runner.once('end', () => {
      const rows = [...files].map(([file, e]) => ({
        file,
        testsMs: e.tests,
        wallMs: e.last - e.first,
      }));
      rows.sort((a, b) => Math.max(b.wallMs, b.testsMs) - Math.max(a.wallMs, a.testsMs));
      const top = rows.slice(0, 12);
      if (top.length > 1) {
        console.log('\n  slowest test files (s; wall is meaningless under --parallel):');
        for (const r of top)
          console.log(
            `    ${(Math.max(r.wallMs, r.testsMs) / 1000).toFixed(1).padStart(7)}  ${r.file}`,
          );
      }
      const timesFile = process.env.MXGEN_TEST_TIMES;
      if (timesFile) fs.writeFileSync(timesFile, JSON.stringify(rows, null, 1));
      const file = process.env.MXGEN_MOCHA_STATS;
      if (!file) return;
      const s = runner.stats || {};
      fs.writeFileSync(
        file,
        JSON.stringify({ passed: s.passes || 0, failed: s.failures || 0, pending: s.pending || 0 }),
      );
    });
  }
}
module.exports = CountReporter;
