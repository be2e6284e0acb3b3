// Issue 19: the same design measured by two Yosys builds gives two areas; each area.json names its
// tool, each result has its own cache entry (the tool is part of the key), and `--tool auto`
// says on stderr when it falls back to @yowasp/yosys because no system Yosys is on PATH.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve('bin/mxgen.js');

describe('e2e: tool identity of area results (issue 19)', function () {
  this.timeout(300_000);
  let sb = '';
  before(() => (sb = mkdtempSync(join(tmpdir(), 'mxgen-tool-'))));
  after(() => rmSync(sb, { recursive: true, force: true }));

  it('auto falls back to @yowasp/yosys and says so; system and yowasp results are kept apart', () => {
    // A PATH with node only: no system Yosys.
    const bin = join(sb, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const area = (out: string, env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [BIN, 'area', 'mx-scale', '--out', out], {
        cwd: sb,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const wasm = area('a', { PATH: bin });
    expect(wasm.status, wasm.stderr).to.equal(0);
    expect(wasm.stderr).to.match(
      /^mxgen area: no system Yosys .*; using @yowasp\/yosys \d+\.\d+\.\d+ \(areas differ/,
    );
    const sys = area('b', {});
    expect(sys.status, sys.stderr).to.equal(0);
    expect(sys.stderr).to.equal('');
    const tool = (out: string): { kind: string; detail: string } =>
      (
        JSON.parse(readFileSync(join(sb, out, 'mx-scale-e4m3-floor', 'area.json'), 'utf8')) as {
          tool: { kind: string; detail: string };
        }
      ).tool;
    expect(tool('a').kind).to.equal('yowasp');
    expect(tool('b').kind).to.equal('system');
    const entries = readdirSync(join(sb, 'sim', 'build', 'yosys')).filter(
      (e) => !e.startsWith('.'),
    );
    expect(entries).to.have.length(2);
  });
});
