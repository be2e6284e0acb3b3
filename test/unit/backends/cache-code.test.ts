// Cache keys cover the code: every cache (Verilator runtime and model builds, Yosys area and
// iCE40 reports, sweep points) hashes the project files that produce or read its entries
// (CACHE_CODE). Each test copies that code into a temp folder (the same relative paths, so the
// copy hashes like the project), shows the cache hits while the code is unchanged, edits one file
// of the copy and shows the next lookup misses. The builds and syntheses are real.
import { expect } from 'chai';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  buildRuntime,
  buildVerilator,
  CACHE_CODE,
  codeHash,
  harnessSource,
  PROJECT_ROOT,
  synthArea,
} from '../../../src/backends/index.js';
import { pointKey } from '../../../src/flow/sweep.js';

/** A temp copy of `paths` (relative to the project root), at the same relative paths. */
function copyCode(tmp: string, paths: readonly string[]): string {
  const root = join(tmp, 'code');
  for (const p of paths) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    cpSync(join(PROJECT_ROOT, p), join(root, p), { recursive: true });
  }
  return root;
}

/** Cache entries (finished builds) under a cache root. */
const entries = (dir: string): string[] => readdirSync(dir).filter((e) => !e.startsWith('.'));

describe('cache keys cover the code that makes and reads the entries', function () {
  this.timeout(5 * 60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'mxgen-cache-code-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('codeHash: a copy hashes like the project; an edit, a new file or a removed file changes it', () => {
    for (const paths of Object.values(CACHE_CODE)) {
      if ((paths as readonly string[]).includes('src')) continue; // the whole tree: covered by the sweep test below
      const root = copyCode(tmp, paths);
      expect(codeHash(paths, root)).to.equal(codeHash(paths));
      rmSync(root, { recursive: true, force: true });
    }
    const root = copyCode(tmp, CACHE_CODE.yosys);
    const h0 = codeHash(CACHE_CODE.yosys, root);
    appendFileSync(join(root, 'src/backends/yosys/area-model.ts'), '\n');
    const h1 = codeHash(CACHE_CODE.yosys, root);
    expect(h1).to.not.equal(h0);
    appendFileSync(join(root, 'src/backends/yosys/extra.ts'), '// new\n');
    const h2 = codeHash(CACHE_CODE.yosys, root);
    expect(h2).to.not.equal(h1);
    rmSync(join(root, 'src/backends/yosys/depth.ts'));
    expect(codeHash(CACHE_CODE.yosys, root)).to.not.equal(h2);
  });

  it('Yosys area and iCE40 reports: an edit of the area model misses both caches', async () => {
    const code = copyCode(tmp, CACHE_CODE.yosys);
    const cache = join(tmp, 'yosys-cache');
    const sv = join(PROJECT_ROOT, 'test/area/fixtures/small.sv');
    const opts = { tool: 'system' as const, cacheDir: cache, codeRoot: code, ice40: true };
    const first = await synthArea([sv], 'reg8', opts);
    expect(entries(cache)).to.have.length(2); // the generic report and the iCE40 report
    expect(await synthArea([sv], 'reg8', opts)).to.deep.equal(first);
    expect(entries(cache), 'unchanged code: both hit').to.have.length(2);
    // The planted bug of issue 17: every cell weighs 1 GE. Any edit must miss.
    appendFileSync(join(code, 'src/backends/yosys/area-model.ts'), '\n// edited\n');
    await synthArea([sv], 'reg8', opts);
    expect(entries(cache), 'edited area model: both miss').to.have.length(4);
    appendFileSync(join(code, 'templates/yosys/mxgen_ge.lib'), '\n');
    await synthArea([sv], 'reg8', { ...opts, ice40: false });
    expect(entries(cache), 'edited liberty file in the hashed code: miss').to.have.length(5);
  });

  it('Verilator model builds: an edit of the code that reads the harness output misses', async () => {
    // The runtime library is shared: link the project's cached one into the temp cache root
    // (its key covers build.ts and cache.ts, unchanged in the copy, so it is the same key).
    const cache = join(tmp, 'build');
    mkdirSync(cache);
    const runtime = dirname(await buildRuntime());
    symlinkSync(runtime, join(cache, basename(runtime)));
    const code = copyCode(tmp, CACHE_CODE.verilatorModel);
    const input = {
      sv: 'module inv(input logic [3:0] a, output logic [3:0] y);\n  assign y = ~a;\nendmodule\n',
      top: 'inv',
      harness: harnessSource({
        inputs: [{ name: 'a', width: 4 }],
        outputs: [{ name: 'y', width: 4 }],
        clock: null,
      }),
    };
    const opts = { cacheRoot: cache, codeRoot: code, opt: 'O0' as const };
    const a = await buildVerilator(input, opts);
    expect(a.hit).to.equal(false);
    const b = await buildVerilator(input, opts);
    expect([b.hit, b.key]).to.deep.equal([true, a.key]);
    appendFileSync(join(code, 'src/backends/verilator/run.ts'), '\n// edited\n');
    const c = await buildVerilator(input, opts);
    expect(c.hit, 'edited run.ts: the model is rebuilt').to.equal(false);
    expect(c.key).to.not.equal(a.key);
    // The runtime's own code: an edit of build.ts changes the runtime key too.
    const rt = copyCode(join(tmp, 'rt'), CACHE_CODE.verilatorRuntime);
    const before = codeHash(CACHE_CODE.verilatorRuntime, rt);
    appendFileSync(join(rt, 'src/backends/verilator/build.ts'), '\n');
    expect(codeHash(CACHE_CODE.verilatorRuntime, rt)).to.not.equal(before);
  });

  it('sweep points: the key covers the whole source tree (an edit anywhere in src misses)', () => {
    const code = copyCode(tmp, ['src/numerics', 'src/sim']);
    const pt = {
      design: {},
      file: 'd.yaml',
      mix: {},
      mixLabel: 'design',
      macs: 8,
      tensors: 2,
      area: false,
    };
    const k0 = pointKey('0.1.0', pt, codeHash(CACHE_CODE.sweep, code));
    expect(pointKey('0.1.0', pt, codeHash(CACHE_CODE.sweep, code))).to.equal(k0);
    appendFileSync(join(code, 'src/numerics/index.ts'), '\n');
    expect(pointKey('0.1.0', pt, codeHash(CACHE_CODE.sweep, code))).to.not.equal(k0);
  });
});
