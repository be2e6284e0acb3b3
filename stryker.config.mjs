// StrykerJS mutation testing (`npm run mutate`, docs/mutation.md). Each profile is a folder of
// src with the mocha specs that test it in-process (tests that only spawn the CLI cannot see a
// mutant: Stryker switches mutants inside the test process). MXGEN_MUTATE=numerics,sim picks
// profiles (default: all); MXGEN_MUTATE_FILES overrides the files to mutate and
// MXGEN_MUTATE_SPECS the specs (the smoke run in test/unit/mutation-smoke.test.ts uses both).
// Per-test coverage: each mutant runs only the tests that execute its code.
const PROFILES = {
  numerics: {
    mutate: ['src/numerics/**/*.ts'],
    // src/numerics imports nothing outside itself: the checker type-checks only that folder.
    tsconfig: 'tsconfig.mutate-numerics.json',
    spec: [
      // cli spawns processes (no mutant switching there); the ml_dtypes oracle needs .venv,
      // which the sandbox does not copy.
      'test/unit/numerics/!(cli|ml-dtypes-oracle).test.ts',
      'test/property/numerics/*.test.ts',
      'test/components/spec-vectors.test.ts',
    ],
  },
  sim: {
    mutate: ['src/sim/**/*.ts'],
    spec: [
      'test/unit/sim/!(cli).test.ts',
      'test/property/hdl/ops.prop.test.ts',
      'test/unit/hdl/ops.test.ts',
      'test/components/spec-vectors.test.ts',
    ],
  },
  emit: {
    mutate: ['src/emit/sv/**/*.ts'],
    spec: [
      'test/unit/emit/emit.test.ts',
      'test/unit/emit/golden.test.ts',
      'test/unit/emit/catalogue.test.ts',
      'test/unit/emit/icarus-equiv.test.ts',
    ],
  },
  cosim: {
    mutate: ['src/backends/verilator/cosim.ts'],
    spec: [
      'test/unit/backends/verilator/cosim.test.ts',
      'test/unit/backends/verilator/comparators.test.ts',
    ],
  },
  components: {
    mutate: [
      'src/components/*/config.ts',
      'src/components/olive/pe-config.ts',
      'src/components/arith/formats.ts',
    ],
    spec: [
      'test/components/spec-vectors.test.ts',
      'test/components/mac-array-unit.test.ts',
      'test/components/mac-array-arith.test.ts',
    ],
  },
};

const list = (v) => (v ? v.split(',').filter((x) => x !== '') : undefined);
const names = list(process.env.MXGEN_MUTATE) ?? Object.keys(PROFILES);
for (const n of names)
  if (!PROFILES[n])
    throw new Error(`MXGEN_MUTATE: unknown profile ${n}; one of ${Object.keys(PROFILES)}`);
const picked = names.map((n) => PROFILES[n]);
const mutate = list(process.env.MXGEN_MUTATE_FILES) ?? picked.flatMap((p) => p.mutate);
const spec = list(process.env.MXGEN_MUTATE_SPECS) ?? [...new Set(picked.flatMap((p) => p.spec))];
const reportDir = process.env.MXGEN_MUTATE_REPORTS ?? 'reports/mutation';
const tag = process.env.MXGEN_MUTATE_FILES ? 'custom' : names.join('+');

export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  testRunnerNodeArgs: ['--import', 'tsx'],
  mochaOptions: { spec, config: '.mocharc.json' },
  checkers: process.env.MXGEN_MUTATE_NO_CHECKER ? [] : ['typescript'],
  // The checker type-checks src only (the tests are not mutated), or one self-contained folder:
  // it re-checks every dependent file of a mutant, the main cost of a run.
  tsconfigFile:
    picked.length === 1 && picked[0].tsconfig ? picked[0].tsconfig : 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code: constant tables run once at import) need a fresh process and
  // the whole spec list each: in src/numerics 12 % of the mutants took ~2 h of a 2-core run. They
  // are left out (reported as Ignored); the tables they touch have spec vectors instead
  // (docs/mutation.md). MXGEN_MUTATE_STATIC=1 includes them.
  ignoreStatic: !process.env.MXGEN_MUTATE_STATIC,
  mutate,
  // The shared machine has 2 cores and other work: one test process by default.
  concurrency: Number(process.env.MXGEN_MUTATE_CONCURRENCY ?? 1),
  timeoutMS: Number(process.env.MXGEN_MUTATE_TIMEOUT_MS ?? 5000),
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/${tag}.html` },
  jsonReporter: { fileName: `${reportDir}/${tag}.json` },
  tempDirName: process.env.MXGEN_MUTATE_TMP ?? '.stryker-tmp',
  cleanTempDir: 'always',
  // Not copied into the sandbox: build caches, outputs, reports, the Python venv (a symlink).
  ignorePatterns: ['/sim', '/rtl-out', '/reports', '/.venv', '/.stryker-tmp*', '/cocotb-bridge'],
  thresholds: { high: 85, low: 75, break: null },
};
