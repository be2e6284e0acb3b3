// The chosen point of a sweep: among the Pareto-optimal points (area — MACs used without Yosys —,
// relative error, cycles per token), the one nearest the ideal corner after scaling each of the
// three to [0, 1] over the accepted points (the "compromise" point of multi-objective design;
// docs/ir.md "Sweeps"). Ties go to the lower index. Pure: same rows, same choice.

/** The fields of a sweep row (sweep.ts SweepRow) the choice looks at. */
export interface SweepRowFigures {
  readonly index: number;
  readonly ok: boolean;
  readonly relativeError?: number;
  readonly areaGE?: number;
  readonly macsUsed?: number;
  readonly cyclesPerToken?: number;
}

/** Objectives of a row: area (or MACs used), relative error, cycles per token. */
export function objectives(r: SweepRowFigures): [number, number, number] {
  return [r.areaGE ?? r.macsUsed ?? 0, r.relativeError ?? 0, r.cyclesPerToken ?? 0];
}

export function chosenPoint(
  rows: readonly SweepRowFigures[],
  pareto: ReadonlySet<number>,
): number | null {
  const ok = rows.filter((r) => r.ok && r.relativeError !== undefined);
  if (ok.length === 0) return null;
  const objs = ok.map(objectives);
  const lo = [0, 1, 2].map((k) => Math.min(...objs.map((o) => o[k] ?? 0)));
  const hi = [0, 1, 2].map((k) => Math.max(...objs.map((o) => o[k] ?? 0)));
  let best: number | null = null;
  let bestD = Infinity;
  ok.forEach((r, i) => {
    if (!pareto.has(r.index)) return;
    const d = (objs[i] ?? [0, 0, 0]).reduce((a, v, k) => {
      const span = (hi[k] ?? 0) - (lo[k] ?? 0);
      const x = span > 0 ? (v - (lo[k] ?? 0)) / span : 0;
      return a + x * x;
    }, 0);
    if (d < bestD || (d === bestD && best !== null && r.index < best)) {
      bestD = d;
      best = r.index;
    }
  });
  return best;
}
