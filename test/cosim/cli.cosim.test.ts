// `mxgen cosim` end to end through the real CLI (under mocha an ESM design file would get its own
// copy of src/hdl): native simulator and Verilator agree, every value counted; bad flags exit 1.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';

function mxgen(args: string[]): { code: number; out: string } {
  const r = spawnSync('node', ['bin/mxgen.js', ...args], {
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

describe('mxgen cosim', function () {
  this.timeout(10 * 60_000);

  it('co-simulates a design file and compares every output every cycle', () => {
    const r = mxgen([
      'cosim',
      'test/cosim/fixtures/acc-demo.ts',
      '--cycles',
      '300',
      '--vectors',
      '2',
      '--opt',
      'O0',
    ]);
    expect(r.code, r.out).to.equal(0);
    // 2 outputs x 300 cycles x 2 vector sets.
    expect(r.out).to.contain(
      'cosim acc-demo: 2 vector sets x 300 cycles, 1200 output values equal',
    );
  });

  it('rejects a bad --opt with exit code 1 and a usage message', () => {
    const r = mxgen(['cosim', 'test/cosim/fixtures/acc-demo.ts', '--opt', 'O9']);
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('error[usage]: --opt must be one of O0, O1, O2, O3; got "O9"');
  });
});
