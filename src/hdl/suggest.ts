// "Did you mean": the known names closest to a mistyped one (case, `_`/`-` and up to two edits).

/** Levenshtein distance (small strings only). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

const norm = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/** Up to three candidates within a small edit distance of `name`, closest first. */
export function closestNames(name: string, candidates: readonly string[], max = 2): string[] {
  const n = norm(name);
  return (
    candidates
      .map((c) => ({
        c,
        d: norm(c) === n ? 0 : Math.min(editDistance(name, c), editDistance(n, norm(c)) + 0.5),
      }))
      .filter((x) => x.d <= max && x.c !== name)
      .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
      .filter((x, _, all) => x.d === all[0]?.d)
      // Many equally close names (int9 → int2…int8) suggest nothing useful.
      .filter((_, __, all) => all.length <= 3)
      .map((x) => x.c)
  );
}

/** ` (did you mean int8?)`, or '' when nothing is close. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const c = closestNames(name, candidates);
  return c.length === 0 ? '' : `; did you mean ${c.join(' or ')}?`;
}
