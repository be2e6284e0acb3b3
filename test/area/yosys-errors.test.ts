// A missing Yosys, a Yosys error and a timeout each give one clear line (a `tool` MxgenError whose
// message names the Yosys), for the system binary and for @yowasp/yosys.
import { expect } from 'chai';
import { MxgenError } from '../../src/hdl/index.js';
import { synthArea, type AreaOptions } from '../../src/backends/index.js';
import { suiteReport } from './fixtures.js';

const BROKEN = {
  name: 'broken.sv',
  text: 'module broken (input logic a, output logic y);\n  assign y = a +;\nendmodule\n',
};
const OK = {
  name: 'inv.sv',
  text: 'module inv (input logic a, output logic y);\n  assign y = ~a;\nendmodule\n',
};

async function failure(p: Promise<unknown>): Promise<MxgenError> {
  try {
    await p;
  } catch (e) {
    expect(e).to.be.instanceOf(MxgenError);
    return e as MxgenError;
  }
  throw new Error('expected a failure');
}

describe('yosys area errors', () => {
  it('a missing system Yosys is one line naming the command and the fix', async () => {
    const e = await failure(
      synthArea([OK], 'inv', { tool: 'system', yosysPath: '/nonexistent/yosys', cacheDir: null }),
    );
    expect(e.kind).to.equal('tool');
    expect(e.message).to.equal('Yosys not found: `/nonexistent/yosys -V` did not run');
    expect(e.hint).to.match(/scripts\/setup\.sh.*--tool yowasp/);
  });

  it('auto falls back to @yowasp/yosys when the system Yosys is missing', async () => {
    const r = await suiteReport({ tool: 'auto', yosysPath: '/nonexistent/yosys' });
    expect(r.tool.kind).to.equal('yowasp');
  });

  it('a bad top name is refused before Yosys runs', async () => {
    const e = await failure(synthArea([OK], 'no such', { cacheDir: null }));
    expect(e.kind).to.equal('usage');
  });

  for (const tool of ['system', 'yowasp'] as const) {
    const opts: AreaOptions = { tool, cacheDir: null };

    it(`${tool}: a syntax error is one line with Yosys's ERROR`, async () => {
      const e = await failure(synthArea([BROKEN], 'broken', opts));
      expect(e.kind).to.equal('tool');
      expect(e.message).to.not.include('\n');
      expect(e.message).to.match(
        /^(Yosys 0\.23 \(yosys\)|@yowasp\/yosys 0\.55\.944) failed: broken\.sv:2: ERROR: syntax error/,
      );
    });

    it(`${tool}: an unknown top module is one line naming it`, async () => {
      const e = await failure(synthArea([OK], 'not_there', opts));
      expect(e.message).to.not.include('\n');
      expect(e.message).to.match(/failed: ERROR: .*not_there/);
    });

    it(`${tool}: a timeout is one line with the limit and a hint`, async () => {
      const e = await failure(synthArea([OK], 'inv', { ...opts, timeoutMs: 1 }));
      expect(e.kind).to.equal('tool');
      expect(e.message).to.match(
        /^(Yosys 0\.23 \(yosys\)|@yowasp\/yosys 0\.55\.944) timed out after 1 ms$/,
      );
      expect(e.hint).to.include('--timeout');
    });
  }
});
