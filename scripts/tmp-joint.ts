import { join } from 'node:path';
import { readDesignFile } from '../src/flow/design-file.js';
import { simulateNative } from '../src/flow/flow.js';
import { compileGraph } from '../src/ir/index.js';
import { flatten } from '../src/sim/flatten.js';
import { levelize, depsOf } from '../src/sim/levelize.js';
import { optimize, observedSlots } from '../src/sim/optimize.js';
for (const design of process.argv.slice(2)) {
  const compiled = compileGraph(readDesignFile(join('templates/designs', `${design}.yaml`)));
  const { netlist } = simulateNative(compiled, 1);
  const flat = flatten(netlist);
  const { design: d, order } = optimize(flat, levelize(flat.slots), false);
  const ext = observedSlots(d);
  const inOrder = new Uint8Array(d.slots.length);
  for (const s of order) inOrder[s] = 1;
  const uses = new Int32Array(d.slots.length);
  for (const s of order) for (const a of depsOf(d.slots[s]!)) uses[a]++;
  for (const r of d.regs) { uses[r.d]++; if (r.en !== undefined) uses[r.en]++; }
  // single-register cones
  const coneOf = (roots: number[]): number[] => {
    const cone: number[] = [];
    const seen = new Map<number, number>();
    for (const r of roots) { if (!inOrder[r] || ext[r]) continue; const n = (seen.get(r) ?? 0) + 1; seen.set(r, n); if (n === uses[r]) cone.push(r); }
    for (let q = 0; q < cone.length; q++)
      for (const a of depsOf(d.slots[cone[q]!]!)) {
        if (!inOrder[a] || ext[a]) continue;
        const n = (seen.get(a) ?? 0) + 1; seen.set(a, n);
        if (n === uses[a]) cone.push(a);
      }
    return cone;
  };
  let single = 0;
  const byEn = new Map<number, number[]>();
  for (const r of d.regs) {
    if (r.en === undefined) continue;
    const cc = coneOf([r.d]); single += cc.length; if (cc.length > 200) console.log('  cone', d.slots[r.q]!.label, r.width, 'en', d.slots[r.en]!.label, cc.length);
    byEn.set(r.en, [...(byEn.get(r.en) ?? []), r.d]);
  }
  let joint = 0; let groups = 0;
  for (const [, ds] of byEn) { const c = coneOf(ds); joint += c.length; if (ds.length > 1) groups++; }
  // memory write data under write enable
  console.log(design, { comb: order.length, single, joint, groups, enabled: d.regs.filter((r) => r.en !== undefined).length, regs: d.regs.length });
}
