// Issue 19: careless and hostile invocations of the real CLI. One row per case: the command, the
// exit code and the message. Every row also asserts: at most one error line on stderr (plus an
// optional hint line), no stack and no "internal error", nothing written or deleted in the
// sandbox outside its output folder `out/`, and no temporaries of the run left (in the sandbox or
// in the OS temp dir). Each row runs in a fresh sandbox as the working directory, so bundled
// design names must resolve from anywhere and the build cache is the sandbox's own.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { leftovers } from '../support/leftovers.js';

const REPO = resolve('.');
const BIN = join(REPO, 'bin', 'mxgen.js');
const HDL = join(REPO, 'src', 'hdl', 'index.ts');
const PY = join(REPO, '.venv', 'bin', 'python');
/** Root runs the read-only cases as `nobody`: root may write into a 0555 folder. */
const AS_NOBODY =
  process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];

const linear = (design: string, extra = '', features = 8, weights = ''): string =>
  `design: ${design}\n${extra}graph:\n  - { op: input, name: x, features: ${features} }\n` +
  `  - { op: linear, name: fc1, input: x, features: 4${weights} }\n` +
  `precision: { weights: int8, activations: int8 }\n`;

/** Files planted in each sandbox (relative path → text). */
const FILES: Record<string, string> = {
  'docs.yaml': linear('docs'),
  'big-features.yaml': linear('big_f', '', 1_000_000_000),
  'big-tokens.yaml': linear('big_t', 'tokens: 1000000000\n'),
  'bomb.yaml': [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    ...'bcdefgh'
      .split('')
      .map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
  ].join('\n'),
  'syntax.yaml':
    'design: s\ngraph:\n  - { op: input, name: x, features: 4\nprecision: { weights: int8, activations: int8 }\n',
  'long-name.yaml': linear('n'.repeat(250)),
  'e4m4.yaml': linear('f').replace('weights: int8', 'weights: mxfp8_e4m4'),
  'olive.yaml': linear('f').replace('weights: int8', 'weights: olive_4'),
  'huge-weight.yaml': linear('w', '', 2, ', weights: [[1, 1e300], [0, 0], [0, 0], [0, 0]]'),
  'rejected.yaml': linear('rej').replace('features: 4 }', 'features: 4, bias: true }'),
  'design.json': '{}\n',
  'pkg/package.json': '{ "name": "not-a-module-package" }\n',
  'pkg/good.ts': `import { ModuleBuilder, u } from '${HDL}';
export default function design(): ModuleBuilder {
  const m = new ModuleBuilder('ts_good');
  const a = m.input('a', u(4));
  m.output('y', u(4)).set(a);
  return m;
}
`,
  'pkg/throws.ts': `import type { ModuleBuilder } from '${HDL}';
export default function design(): ModuleBuilder {
  throw new Error('my design is broken');
}
`,
  'pkg/top.ts': `const x: number = 1;\nif (x) throw new Error('top-level failure');\nexport default 1;\n`,
  'pkg/syntax.ts': `export default function design( {\n`,
  'notes.txt': 'my notes\n',
  'docs/README.md': 'the project docs\n',
};

interface Case {
  readonly name: string;
  /** mxgen arguments (paths relative to the sandbox), or a full command when `cmd` is set. */
  readonly args: readonly string[];
  readonly cmd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly code: number;
  /** Matched against the first stderr line (the error), or stdout for exit 0. */
  readonly message?: RegExp;
  /** Run from this sandbox sub-folder (made read-only first when `readOnly`). */
  readonly cwd?: string;
  readonly readOnly?: string;
  readonly check?: (sb: string) => void;
}

const COCOTB_DIR = 'out/mx-scale-e4m3-floor/cocotb';

const CASES: readonly Case[] = [
  // Data loss: a design named like a user folder never replaces it.
  {
    name: 'a design named docs with --out . leaves the user folder docs/ alone',
    args: ['run', 'docs.yaml', '--out', '.', '--no-verilator', '--no-area'],
    code: 1,
    message: /^error\[io\]: docs exists and was not written by mxgen \(no \.mxgen-output\)/,
    check: (sb) =>
      expect(readFileSync(join(sb, 'docs', 'README.md'), 'utf8')).to.equal('the project docs\n'),
  },
  {
    name: 'a user file where the VCD goes is not overwritten',
    args: ['sim', 'mac-array', '--vcd', 'notes.txt'],
    code: 1,
    message: /^error\[io\]: notes\.txt exists and was not written by mxgen/,
  },
  {
    name: 'a user file where the vector file goes is not overwritten',
    args: ['vectors', 'mx-scale', '--file', 'notes.txt'],
    code: 1,
    message: /^error\[io\]: notes\.txt exists and was not written by mxgen/,
  },
  // Size: refused before any work, with the estimate.
  {
    name: '10^9 features',
    args: ['run', 'big-features.yaml', '--out', 'out'],
    code: 1,
    message:
      /^error\[config\]: big-features\.yaml: design too large: a tensor has 1\.00e9 features \(limit 1\.05M\)/,
  },
  {
    name: '10^9 tokens',
    args: ['run', 'big-tokens.yaml', '--out', 'out'],
    code: 1,
    message: /^error\[config\]: big-tokens\.yaml: design too large: .*simulated cycles/,
  },
  {
    name: '10^9 features through generate (the limits apply to every command)',
    args: ['generate', 'big-features.yaml', '--out', 'out'],
    code: 1,
    message:
      /^error\[config\]: big-features\.yaml: design too large: a tensor has 1\.00e9 features/,
  },
  // User mistakes, never internal errors.
  {
    name: 'a YAML alias bomb',
    args: ['run', 'bomb.yaml', '--out', 'out'],
    code: 1,
    message: /^bomb\.yaml: error\[config\]: invalid YAML: Excessive alias count/,
  },
  {
    name: "--set 'k=[1,2'",
    args: ['generate', 'mx-dot', '--set', 'k=[1,2', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --set "k=\[1,2": the value is not valid YAML/,
  },
  {
    name: '--workers 0',
    args: ['sweep', 'docs.yaml', '--workers', '0', '--no-area', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --workers must be an integer from 1 to 256; got "0"/,
  },
  {
    name: '--workers abc',
    args: ['sweep', 'docs.yaml', '--workers', 'abc', '--no-area', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --workers must be an integer/,
  },
  {
    name: '--workers 1.5',
    args: ['sweep', 'docs.yaml', '--workers', '1.5', '--no-area', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --workers must be an integer/,
  },
  {
    name: '--vectors 0',
    args: ['run', 'docs.yaml', '--vectors', '0', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --vectors must be an integer from 1/,
  },
  {
    name: 'cosim --opt O9',
    args: ['cosim', 'mx-dot', '--opt', 'O9'],
    code: 1,
    message: /^error\[usage\]: --opt must be one of O0, O1, O2, O3; got "O9"/,
  },
  {
    name: '--yosys sytem (did you mean)',
    args: ['run', 'docs.yaml', '--yosys', 'sytem', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: --yosys must be one of .*; did you mean system\?/,
  },
  {
    name: 'sim --vcd into a read-only folder',
    args: ['sim', 'mac-array', '--vcd', 'ro/w.vcd'],
    readOnly: 'ro',
    code: 1,
    message: /^error\[io\]: folder .*ro is not writable \(EACCES/,
  },
  {
    name: 'a read-only working directory',
    args: ['sim', 'mac-array'],
    cwd: 'ro',
    readOnly: 'ro',
    code: 1,
    message: /^error\[io\]: folder .*ro\/sim is not writable \(EACCES/,
  },
  {
    name: 'run from a read-only working directory: the build cache, found before the flow runs',
    args: ['run', '../docs.yaml', '--out', '../out'],
    cwd: 'ro',
    readOnly: 'ro',
    code: 1,
    message: /^error\[io\]: build cache folder sim\/build is not writable \(EACCES/,
  },
  {
    name: 'a read-only --out, found before the flow runs',
    args: ['run', 'docs.yaml', '--out', 'ro/out'],
    readOnly: 'ro',
    code: 1,
    message: /^error\[io\]: output folder ro\/out is not writable \(EACCES/,
  },
  {
    name: 'a 250-character design name',
    args: ['run', 'long-name.yaml', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: design name "n{24}…" has 250 characters; at most 100/,
  },
  {
    name: 'an Error thrown by a TypeScript design function',
    args: ['generate', 'pkg/throws.ts', '--out', 'out'],
    code: 1,
    message:
      /pkg\/throws\.ts:3:9: error\[config\]: the design function threw: my design is broken$/,
  },
  {
    name: 'a top-level throw in a TypeScript design keeps its file:line',
    args: ['generate', 'pkg/top.ts', '--out', 'out'],
    code: 1,
    message:
      /pkg\/top\.ts:2:\d+: error\[config\]: loading the design file failed: top-level failure$/,
  },
  {
    name: 'a TypeScript syntax error at file:line:col',
    args: ['generate', 'pkg/syntax.ts', '--out', 'out'],
    code: 1,
    message: /pkg\/syntax\.ts:2:1: error\[config\]: syntax error: Expected identifier/,
  },
  {
    name: 'a .ts design outside a "type": "module" package loads',
    args: ['generate', 'pkg/good.ts', '--out', 'out'],
    code: 0,
    message: /^wrote .*out\/good\/ \(1 module/,
  },
  {
    name: 'mxgen run x.ts names the kind of file it takes',
    args: ['run', 'pkg/good.ts', '--out', 'out'],
    code: 1,
    message:
      /^error\[usage\]: mxgen run takes a dataflow design \(\.yaml\); pkg\/good\.ts is a TypeScript/,
  },
  {
    name: 'an unsupported design file kind',
    args: ['generate', 'design.json', '--out', 'out'],
    code: 1,
    message: /^error\[usage\]: design\.json: a design file of kind "\.json" is not supported/,
  },
  {
    name: 'a YAML syntax error at file:line:col',
    args: ['run', 'syntax.yaml', '--out', 'out'],
    code: 1,
    message: /^syntax\.yaml:4:1: error\[config\]: invalid YAML: /,
  },
  {
    name: 'did you mean: mxfp8_e4m4',
    args: ['run', 'e4m4.yaml', '--out', 'out'],
    code: 1,
    message: /unknown format "mxfp8_e4m4"; did you mean mxfp8_e4m3\?/,
  },
  {
    name: 'did you mean: olive_4',
    args: ['run', 'olive.yaml', '--out', 'out'],
    code: 1,
    message: /unknown format "olive_4"; did you mean olive4\?/,
  },
  {
    name: 'did you mean: INT8',
    args: ['numerics', 'encode', '--format', 'INT8', '1.5'],
    code: 1,
    message: /^error\[usage\]: unknown format "INT8"; did you mean int8\?/,
  },
  {
    name: 'did you mean: a component kind',
    args: ['generate', 'mac-aray', '--out', 'out'],
    code: 1,
    message: /unknown component kind "mac-aray"; did you mean mac-array\?/,
  },
  {
    name: 'a weight of 1e300 names the tensor and the index',
    args: ['run', 'huge-weight.yaml', '--out', 'out'],
    code: 1,
    message:
      /huge-weight\.yaml: graph\[1\]\.weights\.0\.1|graph\[1\]\.weights\[0\]\[1\]: value out of range/,
  },
  {
    name: 'numerics quantize with no values',
    args: ['numerics', 'quantize', '--format', 'mxfp8_e4m3'],
    code: 1,
    message: /^error\[usage\]: no input values given/,
  },
  {
    name: 'sweep: every point rejected is exit 1 and nothing cached',
    args: [
      'sweep',
      'rejected.yaml',
      '--mix',
      'input=mxfp8_e4m3',
      '--no-area',
      '--workers',
      '1',
      '--out',
      'out',
    ],
    code: 1,
    message: /^error\[config\]: rejected\.yaml: every sweep point was rejected/,
    check: (sb) =>
      expect(
        existsSync(join(sb, 'sim/build/sweep'))
          ? readdirSync(join(sb, 'sim/build/sweep')).filter((f) => f.endsWith('.json'))
          : [],
      ).to.deep.equal([]),
  },
  {
    name: 'a bundled design name from another working directory',
    args: ['generate', 'default', '--out', 'out'],
    code: 0,
    message: /^wrote .*out\/default\//,
  },
];

/** Every file below `dir` (relative) with its size and mtime, except those under `skip`. */
function snapshot(dir: string, skip: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out.set(rel, `${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

function runCase(
  c: Case,
  sb: string,
): { code: number | null; stdout: string; stderr: string; pid?: number } {
  if (c.readOnly) {
    mkdirSync(join(sb, c.readOnly), { recursive: true });
    chmodSync(join(sb, '..'), 0o711);
    chmodSync(sb, 0o777);
    chmodSync(join(sb, c.readOnly), 0o555);
  }
  const cmd = c.cmd ?? process.execPath;
  const args = c.cmd ? [...c.args] : [BIN, ...c.args];
  const wrap = c.readOnly ? AS_NOBODY : [];
  const [exe, ...rest] = wrap.length > 0 ? [...wrap, cmd, ...args] : [cmd, ...args];
  const r = spawnSync(exe ?? cmd, rest, {
    cwd: join(sb, c.cwd ?? ''),
    encoding: 'utf8',
    env: { ...process.env, ...c.env, MXGEN_DEBUG: '' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, pid: r.pid };
}

function expectOneErrorLine(stderr: string): void {
  const lines = stderr.trimEnd().split('\n').filter(Boolean);
  expect(lines.length, stderr).to.be.within(1, 2);
  if (lines.length === 2) expect(lines[1], stderr).to.match(/^ {2}hint: /);
  expect(stderr).not.to.match(/internal error|\n\s+at /);
}

describe('e2e: bad input and faults (issue 19), one row per case', function () {
  this.timeout(180_000);
  let root = '';
  before(() => (root = mkdtempSync(join(tmpdir(), 'mxgen-badin-'))));
  after(() => {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  });

  let n = 0;
  for (const c of CASES)
    it(c.name, () => {
      const sb = join(root, `case${n++}`);
      for (const [p, text] of Object.entries(FILES)) {
        mkdirSync(join(sb, p, '..'), { recursive: true });
        writeFileSync(join(sb, p), text);
      }
      const before = snapshot(sb, ['out', c.readOnly ?? '\0']);
      const r = runCase(c, sb);
      if (c.readOnly) chmodSync(join(sb, c.readOnly), 0o755);
      expect(r.code, `${r.stderr}\n${r.stdout}`).to.equal(c.code);
      if (c.code === 0) {
        if (c.message) expect(r.stdout).to.match(c.message);
      } else {
        expectOneErrorLine(r.stderr);
        if (c.message) expect(r.stderr.split('\n')[0]).to.match(c.message);
      }
      // Nothing written or deleted outside out/ (the cache sim/build may appear on success).
      const after = snapshot(sb, ['out', c.readOnly ?? '\0', 'sim/build']);
      expect([...after.entries()]).to.deep.equal([...before.entries()]);
      expect(leftovers(sb, r.pid)).to.deep.equal([]);
      c.check?.(sb);
    });

  describe('cocotb bridge: bad vector files are bad input (exit 1, stderr naming the file)', () => {
    let sb = '';
    before(() => {
      sb = join(root, 'cocotb');
      mkdirSync(sb, { recursive: true });
      const r = runCase(
        { name: 'setup', args: ['cocotb', 'mx-scale', '--count', '2', '--out', 'out'], code: 0 },
        sb,
      );
      expect(r.code, r.stderr).to.equal(0);
      const good = JSON.parse(readFileSync(join(sb, COCOTB_DIR, 'vectors.json'), 'utf8')) as {
        top: string;
        inBeats: unknown[];
        outBeats: unknown[];
      };
      writeFileSync(join(sb, 'corrupt.json'), '{"format": \n');
      writeFileSync(join(sb, 'binary.json'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
      writeFileSync(join(sb, 'empty.json'), JSON.stringify({ ...good, inBeats: [], outBeats: [] }));
      writeFileSync(join(sb, 'wrong-top.json'), JSON.stringify({ ...good, top: 'other' }));
    });
    for (const [file, message] of [
      ['corrupt.json', /^error\[config\]: .*corrupt\.json:2:1: not valid JSON/],
      ['binary.json', /^error\[config\]: .*binary\.json: not a vector file \(binary data/],
      ['empty.json', /^error\[config\]: .*empty\.json: inBeats: .*no input beats/],
      ['wrong-top.json', /^error\[config\]: .*wrong-top\.json: top: .*'other'/],
    ] as const)
      it(file, () => {
        const r = spawnSync(PY, ['run.py', '--vectors', join(sb, file)], {
          cwd: join(sb, COCOTB_DIR),
          encoding: 'utf8',
          env: { ...process.env, PYTHONPATH: join(REPO, 'cocotb-bridge') },
          timeout: 120_000,
        });
        expect(r.status, r.stderr + r.stdout).to.equal(1);
        expect(r.stdout).to.equal('');
        expectOneErrorLine(r.stderr);
        expect(r.stderr).to.match(message);
      });
  });
});
