// A balanced tree of exact additions (widths grow one bit per level, nothing is dropped), in
// index order: level 0 adds terms (0,1), (2,3), ...; an odd last term passes through.
import { type Expr, MxgenError } from '../../hdl/index.js';
import { fitSigned } from './product.js';

/** Exact sum of signed `terms`; with `width`, the result is fitted to that many bits. */
export function adderTree(terms: readonly Expr[], width?: number): Expr {
  if (terms.length === 0)
    throw new MxgenError('usage', 'adderTree needs at least one term', {
      hint: 'pass the products to sum',
    });
  let level = terms.map((t) => (t.signed ? t : t.toSigned()));
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push((level[i] as Expr).add(level[i + 1] as Expr).named('psum'));
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Expr);
    level = next;
  }
  const sum = level[0] as Expr;
  return width === undefined ? sum : fitSigned(sum, width);
}
