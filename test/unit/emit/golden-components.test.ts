// Golden SystemVerilog of every component kind: one small configuration each, emitted to
// test/golden/components/<kind>/<module>.sv, so a reviewer sees every change of the generators'
// output in a diff. A change fails here; review it, then rewrite with MXGEN_UPDATE_GOLDEN=1.
import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getComponent, listComponents, parseConfig } from '../../../src/components/index.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';

const GOLDEN = 'test/golden/components';
const UPDATE = process.env.MXGEN_UPDATE_GOLDEN === '1';

/** Per kind: overrides of its first registered example that make it small. */
const SMALL: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'mx-scale': { format: 'mxfp4_e2m1', k: 2 },
  'mx-dot': { format: 'mxfp4_e2m1', k: 2, fp32: false },
  'mac-array': { rows: 1, cols: 2, aFormat: 'int4', bFormat: 'int4', depth: 2 },
  'scalable-pe': { maxBeats: 2 },
  'olive-pe': { elements: 2 },
  'olive-encoder': {},
  'mx-quantize': { format: 'mxfp4_e2m1', k: 2 },
  softmax: { n: 2 },
  layernorm: { n: 2 },
  rmsnorm: { n: 2 },
  gelu: { n: 1 },
  silu: { n: 1 },
  mul: { n: 1 },
  'fp32-acc': {},
};

describe('golden SystemVerilog of every component kind', () => {
  it('every registered kind has a small golden configuration', () => {
    expect(
      listComponents()
        .map((k) => k.kind)
        .sort(),
    ).to.deep.equal(Object.keys(SMALL).sort());
  });

  for (const [kindName, small] of Object.entries(SMALL))
    it(`${kindName} matches its reviewed snapshot`, () => {
      const kind = getComponent(kindName);
      const base = kind.examples[0]?.config as Record<string, unknown>;
      const sv = emitSv(elaborate(kind.generate(parseConfig(kind, { ...base, ...small }))));
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
