// Yosys cells and logic GE of the small configuration of each component kind
// (test/support/small-configs.ts) before and after the SV changes of issue 15: "before" is the
// netlist as lowered (elaborate(..., { simplify: false })) printed with the products' extensions
// spelled out and tables as `?:` trees; "after" is the default. Both sides of a kind are
// synthesized one after the other in the same run. Rewrites the marked table of
// docs/area-sweep.md (inside the section scripts/area-native-width.ts writes, which carries it).
//
// Kinds in CELLS_ONLY get Yosys's generic cells only: the same script as synthArea up to its
// generic `stat` (docs/area.md), without the CMOS and library mappings, whose ABC runs take many
// minutes on their multipliers. For a kind whose GE rises, the GE of each change alone and of the
// same SV with its continuous assigns in reverse order (a change of text only: the same circuit)
// are measured too, to tell a change's cost from the spread of ABC's mapping.
//
// Run: node --import tsx scripts/area-kinds.ts [kind ...]   (kinds: measure those only, print,
// do not write the docs)
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  makeTempDir,
  parseStat,
  runTool,
  synthArea,
  type StatModule,
} from '../src/backends/index.js';
import { areaScript, OUT } from '../src/backends/yosys/script.js';
import { getComponent, listComponents } from '../src/components/index.js';
import { emitSv, type SvFile } from '../src/emit/sv/index.js';
import { elaborate } from '../src/hdl/index.js';
import { smallConfig } from '../test/support/small-configs.js';

export const KINDS_BEGIN = '<!-- kinds:begin -->';
export const KINDS_END = '<!-- kinds:end -->';

/**
 * Kinds measured in cells only, and why: their library mapping (ABC's default script onto
 * mxgen_ge.lib, `&fraig`/`scorr`/`dc2` over about 20 000 gates for softmax) ran past the
 * 10-minute limit of synthArea on the loaded 2-core machine, while their generic synthesis takes
 * well under a minute.
 */
export const CELLS_ONLY: ReadonlySet<string> = new Set([
  'softmax',
  'softmax-chunked',
  'layernorm',
  'layernorm-chunked',
  'rmsnorm',
  'rmsnorm-chunked',
  'kv-attention',
]);

export type Change = 'simplify' | 'nativeProducts' | 'tablesAsCase';
const CHANGES: readonly Change[] = ['simplify', 'nativeProducts', 'tablesAsCase'];

export function emitWith(kind: string, on: ReadonlySet<Change>): { files: SvFile[]; top: string } {
  const nl = elaborate(getComponent(kind).generate(smallConfig(kind)), {
    simplify: on.has('simplify'),
  });
  const sv = emitSv(nl, {
    nativeProducts: on.has('nativeProducts'),
    tablesAsCase: on.has('tablesAsCase'),
  });
  return { files: [...sv.files], top: sv.top };
}

/**
 * The same module text with its continuous assigns (each with its continuation lines) in reverse
 * order, all at the place of the first: the same circuit, a different order of Yosys's cells.
 */
export function reverseAssigns(text: string): string {
  const lines = text.split('\n');
  const stmts: string[][] = [];
  const keep: string[] = [];
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (!l.startsWith('  assign ')) {
      keep.push(l);
      continue;
    }
    if (first < 0) first = keep.length;
    const s = [l];
    while (!(s[s.length - 1] ?? ';').trimEnd().endsWith(';') && i + 1 < lines.length)
      s.push(lines[++i] ?? '');
    stmts.push(s);
  }
  if (first < 0) return text;
  keep.splice(first, 0, ...stmts.reverse().flat());
  return keep.join('\n');
}

/** Total generic cells of `top`: its own cells plus its submodules' times their instances. */
function hierCells(stats: ReadonlyMap<string, StatModule>, top: string): number {
  const memo = new Map<string, number>();
  const cells = (name: string): number => {
    const done = memo.get(name);
    if (done !== undefined) return done;
    const s = stats.get(name);
    if (!s) throw new Error(`generic stat has no module ${name}`);
    let n = 0;
    for (const [type, k] of s.cellsByType) n += stats.has(type) ? k * cells(type) : k;
    memo.set(name, n);
    return n;
  };
  return cells(top);
}

/**
 * Generic cells only: synthArea's script up to its generic `stat` (system Yosys). `mapMemories`:
 * with `memory_map` after the coarse part, so a ROM Yosys inferred from a `case` table is counted
 * as the logic it maps to (synthArea keeps memories as memory bits, docs/area.md).
 */
export async function genericCells(
  files: readonly SvFile[],
  top: string,
  mapMemories = false,
): Promise<number> {
  const all = areaScript({ files: files.map((f) => f.name), top, statFormat: 'json' }).split('\n');
  const end = all.findIndex((l) => l.includes(OUT.generic));
  const coarse = all.findIndex((l) => l.endsWith('-run :fine'));
  const script = all.slice(0, end + 1);
  if (mapMemories) script.splice(coarse + 1, 0, 'memory_map');
  const dir = makeTempDir('area-kinds');
  try {
    for (const f of files) writeFileSync(join(dir, f.name), f.text);
    writeFileSync(join(dir, 'cells.ys'), `${script.join('\n')}\n`);
    await runTool('yosys', ['-q', '-s', 'cells.ys'], { cwd: dir, timeoutMs: 30 * 60_000 });
    return hierCells(parseStat(readFileSync(join(dir, OUT.generic), 'utf8'), 'json'), top);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Figures {
  readonly cells: number;
  readonly ge?: number;
  readonly memoryBits?: number;
}

async function synth(
  sv: { files: readonly SvFile[]; top: string },
  cellsOnly: boolean,
): Promise<Figures> {
  if (cellsOnly) return { cells: await genericCells(sv.files, sv.top) };
  const rep = await synthArea(sv.files, sv.top, { tool: 'system', timeoutMs: 30 * 60_000 });
  return {
    cells: rep.total.cells,
    ge: rep.total.gateEquivalents,
    memoryBits: rep.total.memoryBits,
  };
}

const reversed = (sv: { files: SvFile[]; top: string }) => ({
  top: sv.top,
  files: sv.files.map((f) => ({ name: f.name, text: reverseAssigns(f.text) })),
});

const fmt = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(1));

async function main(only: readonly string[]): Promise<void> {
  const table = [
    '| kind | cells before | cells after | GE before | GE after |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  const spread = [
    '| kind | GE before | simplify alone | native products alone | tables as case alone | GE after | before, assigns reversed | after, assigns reversed |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const roms: string[] = [];
  const higherCells: string[] = [];
  const higherGe: string[] = [];
  const kinds = listComponents()
    .map((k) => k.kind)
    .filter((k) => only.length === 0 || only.includes(k));
  for (const kind of kinds) {
    const cellsOnly = CELLS_ONLY.has(kind);
    const t0 = Date.now();
    const beforeSv = emitWith(kind, new Set());
    const afterSv = emitWith(kind, new Set(CHANGES));
    const b: Figures = await synth(beforeSv, cellsOnly);
    const a: Figures = await synth(afterSv, cellsOnly);
    const bold = (x: number, y: number, s: string): string => (y > x ? `**${s}**` : s);
    const ge = (f: Figures): string => (f.ge === undefined ? '–' : `${Math.round(f.ge)}`);
    table.push(
      `| ${kind} | ${b.cells} | ${bold(b.cells, a.cells, `${a.cells}`)} | ${ge(b)} | ${
        a.ge !== undefined && b.ge !== undefined
          ? bold(Math.round(b.ge), Math.round(a.ge), ge(a))
          : ge(a)
      } |`,
    );
    console.error(`${table[table.length - 1]}  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    if (a.cells > b.cells) higherCells.push(kind);
    if ((a.memoryBits ?? 0) > (b.memoryBits ?? 0)) {
      const [bm, am] = [
        await genericCells(beforeSv.files, beforeSv.top, true),
        await genericCells(afterSv.files, afterSv.top, true),
      ];
      roms.push(`${kind} ${bm} → ${am} (after: ${a.memoryBits ?? 0} ROM bits before mapping)`);
      console.error(roms[roms.length - 1]);
    }
    if (a.ge === undefined || b.ge === undefined || Math.round(a.ge) <= Math.round(b.ge)) continue;
    higherGe.push(kind);
    const alone: (number | undefined)[] = [];
    for (const c of CHANGES) alone.push((await synth(emitWith(kind, new Set([c])), false)).ge);
    const br = (await synth(reversed(beforeSv), false)).ge;
    const ar = (await synth(reversed(afterSv), false)).ge;
    spread.push(
      `| ${kind} | ${fmt(b.ge)} | ${alone.map(fmt).join(' | ')} | ${fmt(a.ge)} | ${fmt(br)} | ${fmt(ar)} |`,
    );
    console.error(spread[spread.length - 1]);
  }
  const lines = [
    KINDS_BEGIN,
    ...table,
    '',
    `Cells only (–: no GE): ${[...CELLS_ONLY].join(', ')}. Higher after (bold): cells ${
      higherCells.length === 0 ? 'none' : higherCells.join(', ')
    }; GE ${higherGe.length === 0 ? 'none' : higherGe.join(', ')}.`,
    '',
    `A \`case\` table that Yosys infers as a ROM is counted as memory bits, not cells or GE, in the`,
    `table above; cells with memories mapped to logic (\`memory_map\`), before → after: ${
      roms.length === 0 ? 'no such kind' : roms.join('; ')
    }.`,
    '',
    'The kinds whose GE rises, measured again with each change alone and with the same SV in',
    'another statement order (continuous assigns reversed: the same circuit):',
    '',
    ...spread,
    KINDS_END,
  ];
  if (only.length > 0) {
    console.log(lines.join('\n'));
    return;
  }
  const path = resolve('docs/area-sweep.md');
  const doc = readFileSync(path, 'utf8');
  const i = doc.indexOf(KINDS_BEGIN);
  const j = doc.indexOf(KINDS_END);
  if (i < 0 || j < i) throw new Error(`docs/area-sweep.md has no ${KINDS_BEGIN} block`);
  writeFileSync(path, `${doc.slice(0, i)}${lines.join('\n')}${doc.slice(j + KINDS_END.length)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.slice(2));
