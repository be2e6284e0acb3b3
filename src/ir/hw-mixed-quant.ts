// The on-chip mixed-precision quantizer (decision 34; golden: numerics.mixedQuantizePow2 through
// formats.quantizeMixed): the exact integer totals t_i (value t_i·2^accExp) of a whole vector,
// per group of the format map, become d (the smallest of 0..15 whose scale 2^(base + d) rounds the
// group's largest magnitude to at most qmax) and codes clamp(RNE(t_i·2^-(base + d − accExp)),
// ±qmax) as bytes. The d test compares the group maximum with one constant per d, so it is a
// priority choice over 16 comparators; the codes reuse the shared int cast with a run-time shift.
import { castToIntLane } from '../components/index.js';
import { cat, type Expr, lit, type ModuleBuilder, mux, s, u } from '../hdl/index.js';
import type { FormatMap } from '../numerics/index.js';
import { MIXED_D_MAX } from './formats.js';

/** Largest integer magnitude a whose RNE(a·2^-sh) is at most qmax (qmax odd: a tie rounds up). */
export function mixedLimit(qmax: bigint, sh: number): bigint {
  return sh >= 0 ? (((2n * qmax + 1n) << BigInt(sh)) - 1n) >> 1n : qmax >> BigInt(-sh);
}

export function mixedQuantizeStage(
  m: ModuleBuilder,
  totals: readonly Expr[],
  accExp: number,
  map: FormatMap,
  base: number,
): { codes: Expr; exps: Expr } {
  const codes: Expr[] = [];
  const exps: Expr[] = [];
  let gi = 0;
  for (const r of map)
    for (let g = r.start; g < r.end; g += r.groupSize, gi++) {
      const ts = totals.slice(g, Math.min(r.end, g + r.groupSize));
      const qmax = (1n << BigInt(r.bits - 1)) - 1n;
      const aw = Math.max(...ts.map((t) => t.width)) + 1;
      const mags = ts.map((t) => {
        const x = t.asSigned().extend(aw);
        return mux(x.bit(aw - 1), lit(0, s(aw)).sub(x).trunc(aw), x).asUnsigned();
      });
      const amax = m.wire(`g${gi}_amax`, u(aw)).set(mags.reduce((a, b) => mux(b.gt(a), b, a)));
      // d: the smallest with amax ≤ its limit, else MIXED_D_MAX.
      let d: Expr = lit(MIXED_D_MAX, u(4));
      for (let k = MIXED_D_MAX - 1; k >= 0; k--) {
        const lim = mixedLimit(qmax, base + k - accExp);
        const ok = lim >= 1n << BigInt(aw) ? lit(1, u(1)) : amax.le(lit(lim, u(aw)));
        d = mux(ok, lit(k, u(4)), d);
      }
      const dg = m.wire(`g${gi}_d`, u(4)).set(d);
      exps.push(dg.extend(8));
      const sh = m.wire(`g${gi}_shift`, s(12)).set(
        lit(base - accExp, s(12))
          .add(dg.toSigned())
          .trunc(12)
          .asSigned(),
      );
      const lo = -(1n << BigInt(r.bits - 1));
      ts.forEach((t, e) => {
        const q = castToIntLane(m, `g${gi}_q${e}`, t, sh, r.bits);
        // symmetric: the one code below -qmax (only when d saturates) clamps to -qmax
        const sym = mux(
          q.eq(lit(lo & ((1n << BigInt(r.bits)) - 1n), u(r.bits))),
          lit(-qmax & ((1n << BigInt(r.bits)) - 1n), u(r.bits)),
          q,
        );
        codes.push(r.bits < 8 ? sym.asSigned().extend(8).asUnsigned() : sym);
      });
    }
  return { codes: cat(...codes.reverse()), exps: cat(...exps.reverse()) };
}
