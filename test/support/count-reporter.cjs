// Mocha reporter: the spec reporter's output, plus a JSON summary of the counts written to the
// file named by MXGEN_MOCHA_STATS (read by scripts/run-tests.ts to print the final tally).
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
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
