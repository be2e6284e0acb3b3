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

/** Every `*.test.ts` of `dir` but `left` (names without `.test.ts`), as paths. */
const specsOf = (dir: string, left: string[]): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && !left.includes(f.slice(0, -'.test.ts'.length)))
    .map((f) => `${dir}/${f}`)
    .sort();

const load = async (): Promise<Record<string, Profile>> =>
  (
    (await import(pathToFileURL('stryker.config.mjs').href)) as {
      profiles: Record<string, Profile>;
    }
  ).profiles;

describe('mutation testing: profiles of stryker.config.mjs', () => {
  for (const [name, dir, left, others] of [
    [
      'sim',
      'test/unit/sim',
      ['cli', 'emit-ts', 'property'],
      ['test/property/hdl/ops.prop.test.ts', 'test/unit/hdl/ops.test.ts'],
    ],
    [
      'numerics',
      'test/unit/numerics',
      ['cli', 'ml-dtypes-oracle'],
      ['test/components/spec-vectors.test.ts'],
    ],
  ] as const)
    it(`the ${name} profile names every spec of ${dir} but ${left.join(', ')}, once each`, async () => {
      const spec = (await load())[name]?.spec ?? [];
      expect(new Set(spec).size, 'no spec twice').to.equal(spec.length);
      for (const f of spec) expect(existsSync(f), f).to.equal(true);
      expect(spec.filter((f) => f.startsWith(`${dir}/`)).sort()).to.deep.equal(
        specsOf(dir, [...left]),
      );
      expect(spec).to.include.members([...others]);
    });
});
