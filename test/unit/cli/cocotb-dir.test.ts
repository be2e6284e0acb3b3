// The generated cocotb directory (templates/cocotb/) on the bridge's hand-written fixture: run.py
// passes on Icarus with random stalls, and exits 3 with a readable report when an expected value
// is wrong. The fixture's expected beats are hand calculations (cocotb-bridge/tests/fixtures).
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTool, VENV_PYTHON } from '../../../src/backends/index.js';
import { MxgenError } from '../../../src/hdl/index.js';
import { cocotbDirFiles, fillTemplate, pythonIdent } from '../../../src/flow/cocotb.js';

const FIXTURES = 'cocotb-bridge/tests/fixtures';
const PYTHON = resolve(VENV_PYTHON);

describe('cli/cocotb: the generated test directory', () => {
  let root = '';
  let dir = '';

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'mxgen-cocotb-dir-'));
    dir = join(root, 'add2', 'cocotb');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(FIXTURES, 'add2.sv'), join(root, 'add2', 'add2.sv'));
    copyFileSync(join(FIXTURES, 'add2.vectors.json'), join(dir, 'vectors.json'));
    const files = cocotbDirFiles({
      design: 'add2',
      top: 'add2',
      sources: ['../add2.sv'],
      runPath: 'rtl-out/add2/cocotb/run.py',
    });
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('holds the test module, run.py and a Makefile naming the top and the sources', () => {
    const files = cocotbDirFiles({
      design: 'add2',
      top: 'add2',
      sources: ['../a.sv', '../add2.sv'],
      runPath: 'r/run.py',
    });
    expect(files.map((f) => f.name)).to.deep.equal(['test_add2.py', 'run.py', 'Makefile']);
    const [test, run, make] = files.map((f) => f.text);
    expect(test).to.include('async def test_add2(dut):');
    expect(run).to.include('SOURCES = ["../a.sv", "../add2.sv"]');
    expect(run).to.include('TOP = "add2"');
    expect(run).to.include('MODULE = "test_add2"');
    expect(make).to.include('VERILOG_SOURCES = $(abspath ../a.sv) $(abspath ../add2.sv)');
    for (const t of [test, run, make]) expect(t).not.to.match(/\{\{/);
  });

  it('run.py passes on Icarus under random gaps and back-pressure', async () => {
    const r = await runTool(PYTHON, ['run.py', '--seed', '4', '--gap', '0.4', '--stall', '0.5'], {
      cwd: dir,
    });
    expect(r.stdout).to.include(
      'mxgen cocotb: design add2 (top add2): PASS, 10 output beats match',
    );
    expect(r.stdout).to.include('icarus, seed 4, input gaps 0.40, output stalls 0.50');
  });

  it('run.py exits 3 and names beat, port and both values when an expected value is wrong', async () => {
    const text = readFileSync(join(FIXTURES, 'add2.vectors.json'), 'utf8');
    // beat 3 is 0xff + 0xff = 0x1fe; corrupt it to 0x1ff
    const bad = text.replace(
      '{ "sum": "0x1fe", "xor": "0x00" }',
      '{ "sum": "0x1ff", "xor": "0x00" }',
    );
    expect(bad).not.to.equal(text);
    writeFileSync(join(dir, 'bad.json'), bad);
    const r = await runTool(PYTHON, ['run.py', '--vectors', 'bad.json', '--seed', '4'], {
      cwd: dir,
      okCodes: [3],
    });
    expect(r.code).to.equal(3);
    expect(r.stdout).to.match(/beat 3, cycle \d+, port out_sum: expected 0x1ff, actual 0x1fe\n/);
    expect(r.stdout).to.include('    input beat 3: in_a=0xff in_b=0xff');
  });

  it('turns design names into Python identifiers and refuses names that are not safe', () => {
    expect(pythonIdent('mac-array 4x4')).to.equal('mac_array_4x4');
    expect(pythonIdent('4x4')).to.equal('_4x4');
    const bad = (): unknown =>
      cocotbDirFiles({ design: 'a"b', top: 't', sources: ['../t.sv'], runPath: 'r' });
    expect(bad).to.throw(MxgenError, 'design name "a\\"b" cannot name a cocotb test');
    expect(() => fillTemplate('x {{NOPE}}', {}, 't.tmpl')).to.throw(MxgenError, '{{NOPE}}');
  });
});
