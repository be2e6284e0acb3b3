// The mutation profiles of stryker.config.mjs (docs/mutation.md) list some specs by name, in the
// order a mutant runs them (cheapest first): a spec added to the folder later must not be left
// out of the profile by accident. No Stryker run here (that is mutation-smoke.test.ts).
import { expect } from 'chai';
import { existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Profile {
  mutate: string[];
  spec: string[];
}

describe('mutation testing: profiles of stryker.config.mjs', () => {
  it('the sim profile names every spec of test/unit/sim but cli, emit-ts and property, once each', async () => {
    const { profiles } = (await import(pathToFileURL('stryker.config.mjs').href)) as {
      profiles: Record<string, Profile>;
    };
    const spec = profiles.sim?.spec ?? [];
    expect(new Set(spec).size, 'no spec twice').to.equal(spec.length);
    for (const f of spec) expect(existsSync(f), f).to.equal(true);
    const left = ['cli', 'emit-ts', 'property'].map((n) => `test/unit/sim/${n}.test.ts`);
    const all = readdirSync('test/unit/sim')
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => `test/unit/sim/${f}`)
      .filter((f) => !left.includes(f));
    expect(spec.filter((f) => f.startsWith('test/unit/sim/')).sort()).to.deep.equal(all.sort());
    expect(spec).to.include.members([
      'test/property/hdl/ops.prop.test.ts',
      'test/unit/hdl/ops.test.ts',
    ]);
  });
});
