// Typed parse of Yosys `stat` output, from `stat -json` (Yosys >= 0.10) or from the text report
// (any version). Both give the same per-module numbers; submodule instances stay in `cellsByType`.
import { MxgenError } from '../../hdl/index.js';

export interface StatModule {
  readonly name: string;
  readonly cells: number;
  /** Cell type → count, in Yosys's order. */
  readonly cellsByType: ReadonlyMap<string, number>;
  /** `stat -tech cmos`: the count, and whether Yosys marked it `+` (some cells had no cost). */
  readonly transistors?: { readonly count: number; readonly partial: boolean };
  /** `stat -liberty`: Yosys's chip area of the module's own cells, when it printed one. */
  readonly area?: number;
}

/** Module names in Yosys output carry a leading backslash for public names. */
export function unescapeName(n: string): string {
  return n.startsWith('\\') ? n.slice(1) : n;
}

function bad(what: string): MxgenError {
  return new MxgenError('tool', `cannot parse Yosys stat output: ${what}`, {
    hint: 'this Yosys version prints statistics in a form mxgen does not know; try --tool yowasp',
  });
}

function parseTransistors(v: unknown): StatModule['transistors'] {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const m = /^(\d+)(\+?)$/.exec(String(v).trim());
  if (!m) throw bad(`transistor count ${String(v)}`);
  return { count: Number(m[1]), partial: m[2] === '+' };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseStatJson(text: string): StatModule[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // Yosys 0.23 prints the hierarchy summary ("   name   4") as bare lines inside the JSON;
    // those lines carry no quotes, so dropping every line that is neither quoted nor a bracket
    // restores the document without touching a value.
    const kept = text.split('\n').filter((l) => /"/.test(l) || /^\s*[{}[\],]*\s*$/.test(l));
    try {
      doc = JSON.parse(kept.join('\n'));
    } catch {
      throw bad('stat -json is not JSON');
    }
  }
  if (!isRecord(doc) || !isRecord(doc.modules)) throw bad('no "modules" object');
  const out: StatModule[] = [];
  for (const [rawName, m] of Object.entries(doc.modules)) {
    if (!isRecord(m) || typeof m.num_cells !== 'number') throw bad(`module ${rawName}`);
    const byType = new Map<string, number>();
    const cbt = m.num_cells_by_type;
    if (isRecord(cbt))
      for (const [t, n] of Object.entries(cbt)) {
        if (typeof n !== 'number') throw bad(`cell count of ${t} in ${rawName}`);
        byType.set(unescapeName(t), n);
      }
    const transistors = parseTransistors(m.estimated_num_transistors);
    const area = typeof m.area === 'number' ? m.area : undefined;
    out.push({
      name: unescapeName(rawName),
      cells: m.num_cells,
      cellsByType: byType,
      ...(transistors ? { transistors } : {}),
      ...(area !== undefined ? { area } : {}),
    });
  }
  return out;
}

/** Parses the `=== module ===` sections of a text `stat` report (the hierarchy summary is skipped). */
export function parseStatText(text: string): StatModule[] {
  const out: StatModule[] = [];
  const sections = text.split(/^=== (.+) ===$/m);
  for (let i = 1; i + 1 < sections.length; i += 2) {
    const title = (sections[i] ?? '').trim();
    const body = sections[i + 1] ?? '';
    if (title === 'design hierarchy') continue;
    const lines = body.split('\n');
    const at = lines.findIndex((l) => /^\s*Number of cells:/.test(l));
    if (at < 0) throw bad(`no "Number of cells" for module ${title}`);
    const cells = Number(/(\d+)\s*$/.exec(lines[at] ?? '')?.[1] ?? NaN);
    if (!Number.isInteger(cells)) throw bad(`cell count of module ${title}`);
    const byType = new Map<string, number>();
    for (const l of lines.slice(at + 1)) {
      const m = /^\s+(\S+)\s+(\d+)\s*$/.exec(l);
      if (!m) break;
      byType.set(unescapeName(m[1] ?? ''), Number(m[2]));
    }
    const tr = /Estimated number of transistors:\s*(\d+\+?)/.exec(body)?.[1];
    const transistors = tr === undefined ? undefined : parseTransistors(tr);
    const ar = /Chip area for module '[^']*':\s*([\d.]+)/.exec(body)?.[1];
    out.push({
      name: unescapeName(title),
      cells,
      cellsByType: byType,
      ...(transistors ? { transistors } : {}),
      ...(ar !== undefined ? { area: Number(ar) } : {}),
    });
  }
  if (out.length === 0) throw bad('no "=== module ===" sections');
  return out;
}

export function parseStat(text: string, format: 'json' | 'text'): Map<string, StatModule> {
  const list = format === 'json' ? parseStatJson(text) : parseStatText(text);
  return new Map(list.map((m) => [m.name, m]));
}
