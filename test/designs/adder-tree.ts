// adder_tree: exact sum of eight u8 inputs as a balanced tree (u9, u10, u11): no bit is dropped.
import { type Expr, ModuleBuilder, u } from '../../src/hdl/index.js';

export function adderTree(): ModuleBuilder {
  const m = new ModuleBuilder('adder_tree_8x8', { config: { n: 8, width: 8 } });
  let level: Expr[] = Array.from({ length: 8 }, (_, i) => m.input(`x${i}`, u(8)));
  let depth = 0;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i] as Expr;
      const b = level[i + 1] as Expr;
      const w = m.wire(`sum_l${depth}_${i / 2}`, u(a.width + 1));
      w.set(a.add(b));
      next.push(w);
    }
    level = next;
    depth++;
  }
  m.output('sum', u(11)).set(level[0] as Expr);
  return m;
}
