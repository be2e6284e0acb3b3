// `mxgen area` end to end through bin/mxgen.js with the real system Yosys: a generated folder and
// a design file give a table, area.json and area.csv, byte-identical on a second run; a Yosys
// error is one line with exit code 2; a bad --tool is exit code 1.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FIXTURES } from './fixtures.js';

const BIN = resolve('bin/mxgen.js');

function mxgen(args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('mxgen area', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-area-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a generated folder and writes area.json and area.csv deterministically', () => {
    const d = join(dir, 'rca8');
    rmSync(d, { recursive: true, force: true });
    spawnSync('mkdir', ['-p', d]);
    copyFileSync(join(FIXTURES, 'rca8.sv'), join(d, 'rca8.sv'));
    writeFileSync(join(d, 'manifest.json'), JSON.stringify({ top: 'rca8', files: ['rca8.sv'] }));
    const a = mxgen(['area', d, '--tool', 'system'], dir);
    expect(a.code, a.err).to.equal(0);
    expect(a.out).to.match(/^total\s+40\s+0\s+336\s/m); // 8 full adders x 5 gates, x 42 transistors
    const json1 = readFileSync(join(d, 'area.json'), 'utf8');
    const csv1 = readFileSync(join(d, 'area.csv'), 'utf8');
    const rep = JSON.parse(json1) as {
      tool: { kind: string; version: string };
      total: Record<string, number>;
    };
    expect(rep.tool).to.include({ kind: 'system', version: '0.23' });
    for (const k of ['cells', 'transistors', 'gateEquivalents', 'logicDepth'])
      expect(rep.total).to.have.property(k);
    expect(rep.total.logicDepth).to.equal(17);
    expect(csv1.split('\n')[0]).to.equal(
      'module,instances,cells,flip_flops,transistors,gate_equivalents,logic_depth,yosys',
    );
    const b = mxgen(['area', d, '--tool', 'system'], dir);
    expect(b.code, b.err).to.equal(0);
    expect(readFileSync(join(d, 'area.json'), 'utf8')).to.equal(json1);
    expect(readFileSync(join(d, 'area.csv'), 'utf8')).to.equal(csv1);
    expect(b.out).to.equal(a.out);
  });

  it('emits a design file into <out>/<name>/ with area.json beside the SV', () => {
    const design = join(dir, 'tiny_mac.mts');
    const hdl = resolve('src/hdl/index.ts');
    writeFileSync(
      design,
      `import { ModuleBuilder, s, u } from ${JSON.stringify(hdl)};\n` +
        `export default () => {\n` +
        `  const m = new ModuleBuilder('tiny_mac');\n` +
        `  const a = m.input('a', s(4));\n  const b = m.input('b', s(4));\n` +
        `  const acc = m.reg('acc', s(12), { init: 0 });\n` +
        `  acc.next(acc.addWrap(a.mul(b).extend(12)));\n` +
        `  m.output('y', s(12)).set(acc);\n  return m;\n};\n`,
    );
    const r = mxgen(['area', design, '--tool', 'system', '--out', join(dir, 'out')], dir);
    expect(r.code, r.err).to.equal(0);
    const rep = JSON.parse(readFileSync(join(dir, 'out', 'tiny_mac', 'area.json'), 'utf8')) as {
      top: string;
      total: { flipFlops: number };
    };
    expect(rep.top).to.equal('tiny_mac');
    expect(rep.total.flipFlops).to.equal(12); // the 12-bit accumulator
    expect(readFileSync(join(dir, 'out', 'tiny_mac', 'manifest.json'), 'utf8')).to.include('"top"');
  });

  it('a Yosys error is one line and exit code 2; a bad --tool is exit code 1', () => {
    const d = join(dir, 'broken');
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(
      join(d, 'broken.sv'),
      'module broken (input logic a, output logic y);\n  assign y = a +;\nendmodule\n',
    );
    writeFileSync(
      join(d, 'manifest.json'),
      JSON.stringify({ top: 'broken', files: ['broken.sv'] }),
    );
    const r = mxgen(['area', d, '--tool', 'system'], dir);
    expect(r.code).to.equal(2);
    expect(r.err.split('\n')[0]).to.equal(
      "error[tool]: Yosys 0.23 (yosys) failed: broken.sv:2: ERROR: syntax error, unexpected ';'",
    );
    const t = mxgen(['area', d, '--tool', 'nope'], dir);
    expect(t.code).to.equal(1);
    expect(t.err).to.match(/^error\[usage\]: --tool must be system, yowasp or auto; got nope/);
  });
});
