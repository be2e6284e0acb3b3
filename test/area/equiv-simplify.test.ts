// The simplification in elaboration (src/hdl/simplify.ts) proven with Yosys: for a small
// configuration of every component kind, the SV of the simplified netlist equals the SV of the
// netlist as lowered (elaborate(..., { simplify: false })).
import { expect } from 'chai';
import { proveEquivalent, type EquivDesign } from '../../src/backends/index.js';
import { getComponent } from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { SMALL, smallConfig } from '../support/small-configs.js';

function side(kind: string, simplify: boolean): EquivDesign {
  const sv = emitSv(elaborate(getComponent(kind).generate(smallConfig(kind)), { simplify }), {
    tempNames: 'index',
  });
  const top = sv.modules.at(-1);
  return {
    label: `${kind} ${simplify ? 'simplified' : 'as lowered'}`,
    files: sv.files,
    top: sv.top,
    clocked: top?.clocked ?? false,
    ports: (top?.ports ?? []).map((p) => ({ name: p.svName, dir: p.dir, width: p.width })),
  };
}

/**
 * The kinds whose proof closes in seconds. Not listed (measured on the loaded 2-core machine):
 * olive-pe (equiv_simple over 10 minutes) and the kinds whose proof was not run in time; see
 * docs/equiv.md.
 */
export const PROVEN = [
  'mx-scale',
  'mx-dot',
  'mac-array',
  'scalable-pe',
  'olive-encoder',
  'mx-quantize',
];

describe('simplified netlists are proven equal to the lowered ones (Yosys, small configs)', () => {
  it('every listed kind is registered', () => {
    for (const k of PROVEN) expect(Object.keys(SMALL)).to.include(k);
  });
  for (const kind of PROVEN)
    it(kind, async () => {
      const r = await proveEquivalent(side(kind, false), side(kind, true), {
        tool: 'system',
        cycles: 4,
      });
      expect(r.kind, JSON.stringify(r)).to.equal('equal');
    });
});
