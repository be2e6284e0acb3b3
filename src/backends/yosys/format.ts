// Printing an AreaReport: an aligned text table for the terminal and a CSV for spreadsheets. One
// row per module (its own cells, times its instance count in the `count` column), then the total.
// A design with memories gets two more columns: memory bits and their modelled GE.
import type { AreaReport } from './types.js';

const HEAD = ['module', 'count', 'cells', 'flip-flops', 'transistors', 'GE', 'depth'] as const;
const MEM_HEAD = ['memory bits', 'memory GE (model)'] as const;

const hasMemories = (r: AreaReport): boolean => (r.total.memoryBits ?? 0) > 0;

function rows(r: AreaReport): string[][] {
  const mem = hasMemories(r);
  const memCols = (bits: number | undefined, ge: number | undefined): string[] =>
    mem ? [String(bits ?? 0), (ge ?? 0).toFixed(3)] : [];
  const body = r.modules.map((m) => [
    m.name,
    String(m.instances),
    String(m.cells),
    String(m.flipFlops),
    String(m.transistors),
    m.gateEquivalents.toFixed(3),
    String(m.logicDepth),
    ...memCols(m.memoryBits, m.memoryGateEquivalents),
  ]);
  const t = r.total;
  body.push([
    'total',
    '',
    String(t.cells),
    String(t.flipFlops),
    String(t.transistors),
    t.gateEquivalents.toFixed(3),
    String(t.logicDepth),
    ...memCols(t.memoryBits, t.memoryGateEquivalents),
  ]);
  return body;
}

/** The terminal table; numbers right-aligned, per-module rows count each module once. */
export function formatAreaTable(r: AreaReport): string {
  const head: string[] = [...HEAD, ...(hasMemories(r) ? MEM_HEAD : [])];
  const all = [head, ...rows(r)];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const title = `${r.top}: ${r.tool.detail}; area in ${r.areaModel.unit}`;
  const lines = [title, line(head), ...rows(r).map(line)];
  if (hasMemories(r)) lines.push(`memory model: ${r.areaModel.sramModel}`);
  return lines.join('\n');
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with the same columns as the table, plus the Yosys used on every row. */
export function areaCsv(r: AreaReport): string {
  const head = [
    'module',
    'instances',
    'cells',
    'flip_flops',
    'transistors',
    'gate_equivalents',
    'logic_depth',
    ...(hasMemories(r) ? ['memory_bits', 'memory_gate_equivalents'] : []),
    'yosys',
  ];
  const lines = [head, ...rows(r).map((row) => [...row, r.tool.detail])];
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\n')}\n`;
}
