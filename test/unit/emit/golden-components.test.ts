// Golden SystemVerilog of every component kind: one small configuration each, emitted to
// test/golden/components/<kind>/<module>.sv, so a reviewer sees every change of the generators'
// output in a diff. A change fails here; review it, then rewrite with MXGEN_UPDATE_GOLDEN=1.
import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getComponent, listComponents } from '../../../src/components/index.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';
import { SMALL, smallConfig } from '../../support/small-configs.js';

const GOLDEN = 'test/golden/components';
const UPDATE = process.env.MXGEN_UPDATE_GOLDEN === '1';

describe('golden SystemVerilog of every component kind', () => {
  it('every registered kind has a small golden configuration', () => {
    expect(
      listComponents()
        .map((k) => k.kind)
        .sort(),
    ).to.deep.equal(Object.keys(SMALL).sort());
  });

  for (const kindName of Object.keys(SMALL))
    it(`${kindName} matches its reviewed snapshot`, () => {
      const sv = emitSv(elaborate(getComponent(kindName).generate(smallConfig(kindName))));
      const dir = join(GOLDEN, kindName);
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const f of sv.files) writeFileSync(join(dir, f.name), f.text);
        return;
      }
      expect(existsSync(dir), `${dir} is missing; run with MXGEN_UPDATE_GOLDEN=1`).to.equal(true);
      expect(readdirSync(dir).sort(), `${dir}: the module files`).to.deep.equal(
        sv.files.map((f) => f.name).sort(),
      );
      for (const f of sv.files)
        expect(f.text, `${join(dir, f.name)} differs; review, then MXGEN_UPDATE_GOLDEN=1`).to.equal(
          readFileSync(join(dir, f.name), 'utf8'),
        );
    });
});
