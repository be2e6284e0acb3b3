// Name legalization: SV keywords and duplicates get `_1`, `_2`, ... in request order; characters
// that cannot appear in a simple identifier become `_`.
import { SV_KEYWORDS } from './keywords.js';

/** A builder name turned into a legal simple SV identifier (before de-duplication). */
export function sanitize(name: string): string {
  let s = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (s === '' || /^[0-9$]/.test(s)) s = `_${s}`;
  return s;
}

/** Hands out unique, legal names within one SV scope. */
export class Namer {
  private readonly taken = new Set<string>();
  /** Per base: the suffix to try next (many temporaries share a base). */
  private readonly next = new Map<string, number>();

  /** Marks names as used without handing them out (e.g. `clk`, `rst`). */
  reserve(name: string): void {
    this.taken.add(name);
  }

  /** Every name handed out or reserved so far. */
  get names(): ReadonlySet<string> {
    return this.taken;
  }

  /**
   * The first of `base`, `base_1`, `base_2`, ... that is legal and free (and not in `avoid`:
   * names that may not be taken here although this scope does not own them).
   */
  claim(wanted: string, avoid?: ReadonlySet<string>): string {
    const base = sanitize(wanted);
    const free = (n: string): boolean =>
      !SV_KEYWORDS.has(n) && !this.taken.has(n) && !(avoid?.has(n) ?? false);
    if (free(base)) {
      this.taken.add(base);
      return base;
    }
    for (let i = avoid ? 1 : (this.next.get(base) ?? 1); ; i++) {
      const n = `${base}_${i}`;
      if (free(n)) {
        this.taken.add(n);
        if (!avoid) this.next.set(base, i + 1);
        return n;
      }
    }
  }
}
