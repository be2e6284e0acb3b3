// Golden SystemVerilog snapshots (test/golden/<module>.sv). A change in the emitted text fails
// here; review the diff, then rewrite the snapshots with MXGEN_UPDATE_GOLDEN=1.
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';
import { catalogueEntry } from '../../designs/index.js';

const GOLDEN = 'test/golden';
const UPDATE = process.env.MXGEN_UPDATE_GOLDEN === '1';

describe('golden SystemVerilog snapshots', () => {
  for (const name of ['counter', 'adder_tree', 'mac_array_2x2', 'regfile']) {
    it(`${name} matches its reviewed snapshot`, () => {
      const sv = emitSv(elaborate(catalogueEntry(name).build()));
      for (const f of sv.files) {
        const path = join(GOLDEN, f.name);
        if (UPDATE) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(path, f.text);
          continue;
        }
        expect(existsSync(path), `${path} is missing; run with MXGEN_UPDATE_GOLDEN=1`).to.equal(
          true,
        );
        expect(f.text, `${path} differs; review, then MXGEN_UPDATE_GOLDEN=1`).to.equal(
          readFileSync(path, 'utf8'),
        );
      }
    });
  }
});
