// Yosys cells and logic GE of the small configuration of each component kind
// (test/support/small-configs.ts) before and after the SV changes of issue 15: "before" is the
// netlist as lowered (elaborate(..., { simplify: false })) printed with the products' extensions
// spelled out and tables as `?:` trees; "after" is the default. Rewrites the marked table of
// docs/area-sweep.md (inside the section scripts/area-native-width.ts writes, which carries it).
// Run: node --import tsx scripts/area-kinds.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { synthArea } from '../src/backends/index.js';
import { getComponent, listComponents } from '../src/components/index.js';
import { emitSv } from '../src/emit/sv/index.js';
import { elaborate } from '../src/hdl/index.js';
import { smallConfig } from '../test/support/small-configs.js';

export const KINDS_BEGIN = '<!-- kinds:begin -->';
export const KINDS_END = '<!-- kinds:end -->';

/** Kinds left out, and why. */
export const SKIPPED: Readonly<Record<string, string>> = {
  softmax: 'its "before" synthesis ran past 5 minutes on the loaded machine',
  'softmax-chunked': 'not run, multipliers like softmax',
  layernorm: 'not run, multipliers like softmax',
  'layernorm-chunked': 'not run, multipliers like softmax',
  rmsnorm: 'not run, multipliers like softmax',
  'rmsnorm-chunked': 'not run, multipliers like softmax',
  'kv-attention': 'not run, multipliers like softmax',
};

async function measure(kind: string, after: boolean): Promise<{ cells: number; ge: number }> {
  const nl = elaborate(getComponent(kind).generate(smallConfig(kind)), { simplify: after });
  const sv = emitSv(nl, after ? {} : { nativeProducts: false, tablesAsCase: false });
  const rep = await synthArea(sv.files, sv.top, { tool: 'system' });
  return { cells: rep.total.cells, ge: rep.total.gateEquivalents };
}

async function main(): Promise<void> {
  const lines = [
    KINDS_BEGIN,
    '| kind | cells before | cells after | GE before | GE after |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  const higher: string[] = [];
  for (const { kind } of listComponents()) {
    if (SKIPPED[kind] !== undefined) continue;
    const b = await measure(kind, false);
    const a = await measure(kind, true);
    const mark = (x: number, y: number): string => (y > x ? `**${y}**` : `${y}`);
    lines.push(
      `| ${kind} | ${b.cells} | ${mark(b.cells, a.cells)} | ${Math.round(b.ge)} | ${mark(Math.round(b.ge), Math.round(a.ge))} |`,
    );
    if (a.cells > b.cells || Math.round(a.ge) > Math.round(b.ge)) higher.push(kind);
    console.error(lines[lines.length - 1]);
  }
  lines.push(
    '',
    `Not measured: ${Object.entries(SKIPPED)
      .map(([k, why]) => `${k} (${why})`)
      .join(', ')}.`,
    `Higher after (bold): ${higher.length === 0 ? 'none' : higher.join(', ')}.`,
    KINDS_END,
  );
  const path = resolve('docs/area-sweep.md');
  const doc = readFileSync(path, 'utf8');
  const i = doc.indexOf(KINDS_BEGIN);
  const j = doc.indexOf(KINDS_END);
  if (i < 0 || j < i) throw new Error(`docs/area-sweep.md has no ${KINDS_BEGIN} block`);
  writeFileSync(path, `${doc.slice(0, i)}${lines.join('\n')}${doc.slice(j + KINDS_END.length)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
