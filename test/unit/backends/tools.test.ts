// `mxgen doctor` logic without running any tool: version ranges (a minimum, and an exclusive
// maximum for cocotb) and the one-line problem with a fix that fits the problem (setup.sh only
// installs what is missing, so a too-old or too-new tool gets its own fix).
import { expect } from 'chai';
import {
  compareVersions,
  describeProblem,
  statusOf,
  TOOLS,
  type ToolSpec,
  versionProblem,
} from '../../../src/backends/index.js';

function spec(name: string): ToolSpec {
  const s = TOOLS.find((t) => t.name === name);
  if (!s) throw new Error(`no tool spec ${name}`);
  return s;
}

describe('backends tools: version ranges and doctor lines', () => {
  it('compares dotted versions numerically, missing parts as 0', () => {
    expect(compareVersions('5.006', '5.6')).to.equal(0);
    expect(compareVersions('1.10.0', '1.9')).to.equal(1);
    expect(compareVersions('1.8.1', '1.9')).to.equal(-1);
    expect(compareVersions('1.9.0', '1.9')).to.equal(0);
  });

  it('a version is missing, too old, in range, or at/above the exclusive maximum', () => {
    expect(versionProblem(null, '1.8.1', '1.9')).to.equal('missing');
    expect(versionProblem('1.8.0', '1.8.1', '1.9')).to.equal('too-old');
    expect(versionProblem('1.8.1', '1.8.1', '1.9')).to.equal(null);
    expect(versionProblem('1.8.9', '1.8.1', '1.9')).to.equal(null);
    expect(versionProblem('1.9.0', '1.8.1', '1.9')).to.equal('too-new');
    expect(versionProblem('2.0.0', '1.8.1', '1.9')).to.equal('too-new');
    expect(versionProblem('99.0', '5.006')).to.equal(null);
  });

  it('cocotb is bounded above by 1.9 (1.9 needs Verilator 5.022+, 2.x needs 5.036+)', () => {
    const c = spec('cocotb (.venv)');
    expect(c.max).to.equal('1.9');
    expect(statusOf(c, '1.8.1').ok).to.equal(true);
    const s = statusOf(c, '1.9.0');
    expect(s.ok).to.equal(false);
    expect(s.problem).to.equal('too-new');
    expect(describeProblem(s)).to.equal(
      'cocotb (.venv): found 1.9.0, need 1.8.1 or newer and below 1.9 (for cocotb bridge); ' +
        'fix: rm -rf .venv && scripts/setup.sh (reinstalls the pinned cocotb 1.8.1; ' +
        'cocotb 1.9 needs Verilator 5.022+ and 2.x needs 5.036+)',
    );
    expect(describeProblem(statusOf(c, '2.0.1'))).to.contain('found 2.0.1, need 1.8.1 or newer');
  });

  it('a too-old system tool gets an upgrade command, not setup.sh (which skips present tools)', () => {
    const s = statusOf(spec('verilator'), '4.038');
    expect(s.problem).to.equal('too-old');
    expect(describeProblem(s)).to.equal(
      'verilator: found 4.038, need 5.006 or newer (for co-simulation and lint); ' +
        "fix: apt-get update && apt-get install --only-upgrade verilator (Debian 12's package " +
        'is 5.006; an older release needs a newer Debian or Ubuntu)',
    );
    for (const name of ['verilator', 'yosys', 'iverilog', 'g++', 'make']) {
      const line = describeProblem(statusOf(spec(name), '0.1'));
      expect(line, name).to.contain(`apt-get install --only-upgrade ${name}`);
      expect(line, name).not.to.contain('setup.sh');
    }
  });

  it('a too-old venv package rebuilds the venv; a missing tool runs setup.sh', () => {
    const ml = describeProblem(statusOf(spec('ml_dtypes (.venv)'), '0.5.1'));
    expect(ml).to.equal(
      'ml_dtypes (.venv): found 0.5.1, need 0.6.0 or newer (for numerics oracle tests); ' +
        'fix: rm -rf .venv && scripts/setup.sh (reinstalls the pinned ml_dtypes 0.6.0)',
    );
    const gone = statusOf(spec('iverilog'), null);
    expect(gone.ok).to.equal(false);
    expect(gone.problem).to.equal('missing');
    expect(describeProblem(gone)).to.equal(
      'iverilog: found nothing, need 11.0 or newer (for cocotb and compile checks); ' +
        'fix: run scripts/setup.sh (installs missing tools with apt-get)',
    );
    expect(describeProblem(statusOf(spec('cocotb (.venv)'), null))).to.contain(
      'fix: rm -rf .venv && scripts/setup.sh',
    );
  });

  it('every tool has a fix for each problem it can have', () => {
    for (const t of TOOLS) {
      for (const found of [null, '0.0.1', ...(t.max ? ['999.0.0'] : [])]) {
        const line = describeProblem(statusOf(t, found));
        expect(line, t.name).to.match(/; fix: \S/);
      }
      expect(statusOf(t, t.min).ok, t.name).to.equal(true);
    }
  });
});
