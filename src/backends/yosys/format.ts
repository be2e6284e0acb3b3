// Printing an AreaReport: an aligned text table for the terminal and a CSV for spreadsheets. One
// row per module (its own cells, times its instance count in the `count` column), then the total.
import type { AreaReport } from './types.js';

const HEAD = ['module', 'count', 'cells', 'flip-flops', 'transistors', 'GE', 'depth'] as const;

function rows(r: AreaReport): string[][] {
  const body = r.modules.map((m) => [
    m.name,
    String(m.instances),
    String(m.cells),
    String(m.flipFlops),
    String(m.transistors),
    m.gateEquivalents.toFixed(3),
    String(m.logicDepth),
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
  ]);
  return body;
}

/** The terminal table; numbers right-aligned, per-module rows count each module once. */
export function formatAreaTable(r: AreaReport): string {
  const all = [[...HEAD], ...rows(r)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    row
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const head = `${r.top}: ${r.tool.detail}; area in ${r.areaModel.unit}`;
  return [head, line(HEAD), ...rows(r).map(line)].join('\n');
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
    'yosys',
  ];
  const lines = [head, ...rows(r).map((row) => [...row, r.tool.detail])];
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\n')}\n`;
}
