// Names in the emitted SV (issue 15): declared temporaries carry role names (roles.ts), so at
// most 20 % of the declared signals of all bundled designs, and at most 35 % of any one module,
// are anonymous `_t<n>`. Prints the figures per module.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { readDesignFile } from '../../../src/flow/design-file.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, u } from '../../../src/hdl/index.js';
import { compileGraph } from '../../../src/ir/index.js';

const DECL = /^\s*logic\b[^;=]*?\b([A-Za-z_][A-Za-z0-9_$]*)\s*(?:\[[^\]]*\]\s*)*;/gm;

/** Declared signal names of one SV file. */
function declared(text: string): string[] {
  return [...text.matchAll(DECL)].map((m) => m[1] as string);
}

describe('names of declared signals', function () {
  this.timeout(10 * 60_000);

  it('role names: register next/enable, instance ports, hints, origin + operation', () => {
    const child = new ModuleBuilder('names_child');
    child.output('y', u(8)).set(child.input('a', u(8)).add(1).trunc(8));
    const m = new ModuleBuilder('names_top');
    const a = m.input('a', u(8));
    const b = m.input('b', u(8));
    const en = a.eq(b).or(a.lt(3));
    const acc = m.reg('acc', u(8), { enable: en });
    const sum = a.add(b).named('ab_sum');
    acc.next(sum.add(acc).trunc(8));
    const inst = m.instance(child, 'u_inc');
    inst.connect({ a: sum.trunc(8).xor(b) });
    m.output('y', u(9)).set(inst.out('y').add(sum.trunc(8)));
    m.output('z', u(1)).set(en);
    m.output('w', u(9)).set(sum.add(a).trunc(9));
    const text = emitSv(elaborate(m))
      .files.map((f) => f.text)
      .join('\n');
    const names = declared(text);
    expect(names).to.include.members(['ab_sum', 'u_inc_y', 'acc_en', 'ab_sum_ext', 'ab_sum_sum']);
    expect(text).to.match(/assign ab_sum += \{1'b0, a\} \+ \{1'b0, b\};/);
    expect(text).to.match(/assign acc_en += \(a == b\) \| \(a < 8'h03\);/);
    expect(names.filter((x) => /^_t\d+$/.test(x))).to.deep.equal([]);
  });

  it('at most 20 % anonymous overall and 35 % per module, over every bundled design', () => {
    const per = new Map<string, { anon: number; all: number }>();
    const files = readdirSync('templates/designs').filter((f) => f.endsWith('.yaml'));
    for (const f of files) {
      const c = compileGraph(readDesignFile(`templates/designs/${f}`));
      for (const file of emitSv(elaborate(c.top)).files) {
        const names = declared(file.text);
        per.set(file.name, {
          anon: names.filter((x) => /^_t\d+$/.test(x)).length,
          all: names.length,
        });
      }
    }
    let anon = 0;
    let all = 0;
    const worst: string[] = [];
    for (const [name, x] of [...per].sort((p, q) => (p[0] < q[0] ? -1 : 1))) {
      anon += x.anon;
      all += x.all;
      if (x.all > 0 && x.anon / x.all > 0.35) worst.push(`${name}: ${x.anon}/${x.all}`);
    }
    console.log(
      `      ${per.size} modules, ${all} declared signals, ${anon} anonymous (${((100 * anon) / Math.max(all, 1)).toFixed(1)} %)`,
    );
    expect(all).to.be.greaterThan(1000);
    expect(anon / all).to.be.at.most(0.2);
    expect(worst).to.deep.equal([]);
  });
});
