// Joins the SystemVerilog of several designs into one source for one Verilator model: module
// definitions are split out by name and kept once; two different bodies under one name are a
// `name` error (Verilator would silently keep only one).
import { MxgenError } from '../../hdl/index.js';

export interface SvModule {
  readonly name: string;
  /** The text from `module` to `endmodule`, inclusive. */
  readonly text: string;
}

const MODULE_RE = /^\s*module\s+([A-Za-z_][A-Za-z0-9_$]*)/;

/** Splits SV text into its module definitions (text outside modules, e.g. headers, is dropped). */
export function splitModules(sv: string): SvModule[] {
  const out: SvModule[] = [];
  let current: { name: string; lines: string[] } | null = null;
  for (const line of sv.split('\n')) {
    if (current === null) {
      const m = MODULE_RE.exec(line);
      if (m?.[1]) current = { name: m[1], lines: [line] };
      continue;
    }
    current.lines.push(line);
    if (/^\s*endmodule\b/.test(line)) {
      out.push({ name: current.name, text: current.lines.join('\n') });
      current = null;
    }
  }
  if (current !== null)
    throw new MxgenError('io', `module ${current.name} has no endmodule`, {
      hint: 'pass complete SystemVerilog text from emitSv',
    });
  return out;
}

/** Module names defined by `sv` that another text defines differently (for batching). */
export function conflicts(a: readonly SvModule[], b: readonly SvModule[]): string[] {
  const byName = new Map(a.map((m) => [m.name, m.text]));
  return b.filter((m) => byName.has(m.name) && byName.get(m.name) !== m.text).map((m) => m.name);
}

/** One source holding every module of `texts` once, in first-seen order. */
export function mergeSv(texts: readonly string[]): string {
  const seen = new Map<string, string>();
  const order: string[] = [];
  for (const t of texts) {
    for (const m of splitModules(t)) {
      const prev = seen.get(m.name);
      if (prev === undefined) {
        seen.set(m.name, m.text);
        order.push(m.text);
      } else if (prev !== m.text) {
        throw new MxgenError('name', `two designs define module ${m.name} differently`, {
          hint: 'build them in separate batches (batchDesigns does this) or rename one',
        });
      }
    }
  }
  return `${order.join('\n\n')}\n`;
}
