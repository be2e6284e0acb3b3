// The emitted SV means what the netlist contract says: every catalogue design is simulated in
// Icarus on seeded random stimulus and compared, cycle by cycle and port by port, with the
// reference netlist interpreter (test/support/netlist-interp.ts, written from netlist.ts).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';
import { CATALOGUE } from '../../designs/index.js';
import { checkInIcarus } from './icarus-run.js';

const RESET_CYCLES = 4;
const CYCLES = 48 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

describe('emitted SV simulated in Icarus equals the netlist contract', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-equiv-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const design of CATALOGUE) {
    it(`${design.name}: ${CYCLES} random cycles match port by port`, async () => {
      const nl = elaborate(design.build());
      let seed = 1n;
      for (const ch of design.name) seed = (seed * 131n + BigInt(ch.charCodeAt(0))) % (1n << 61n);
      const r = await checkInIcarus(nl, emitSv(nl), {
        dir,
        label: design.name,
        seed,
        cycles: CYCLES,
        resetCycles: RESET_CYCLES,
      });
      expect(r.mismatches.join('\n')).to.equal('');
      expect(r.checked).to.be.greaterThan(0);
      expect(r.clean).to.equal(true);
    });
  }
});
