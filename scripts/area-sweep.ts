// Area sweep of single PEs across number formats and of MX dot products (k = 32) per element type:
// each row is built through the component registry, emitted, synthesized with the system Yosys
// (cached) and written as docs/area-sweep.{csv,md,svg}. Run: node --import tsx scripts/area-sweep.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  LIBERTY_PATH,
  parseLibertyAreas,
  synthArea,
  type AreaOptions,
  type AreaTotals,
} from '../src/backends/index.js';
import { getComponent, parseConfig } from '../src/components/index.js';
import { emitSv } from '../src/emit/sv/index.js';
import { elaborate, MxgenError } from '../src/hdl/index.js';
import { sweepSvg } from './area-sweep-chart.js';
import { sweepMarkdown } from './area-sweep-doc.js';

const NW_BEGIN = '<!-- native-width:begin -->';
const NW_END = '<!-- native-width:end -->';

/** The section scripts/area-native-width.ts wrote into docs/area-sweep.md, carried over. */
function keepNativeWidthSection(text: string): string {
  let old = '';
  try {
    old = readFileSync(resolve('docs/area-sweep.md'), 'utf8');
  } catch {
    return text;
  }
  const i = old.indexOf(NW_BEGIN);
  const j = old.indexOf(NW_END);
  return i >= 0 && j > i ? `${text.trimEnd()}\n\n${old.slice(i, j + NW_END.length)}\n` : text;
}

/** Products accumulated into one output by every single-PE row (and the MX block size). */
export const SWEEP_K = 32;

export interface SweepRow {
  /** Stable key (CSV, tests). */
  readonly id: string;
  /** Chart and table label. */
  readonly label: string;
  readonly group: 'pe' | 'mx-dot';
  readonly kind: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Multiply-accumulates the row performs per cycle at full throughput. */
  readonly productsPerCycle: number;
}

const mac = (id: string, label: string, format: string): SweepRow => ({
  id,
  label,
  group: 'pe',
  kind: 'mac-array',
  // A 1×1 output-stationary array is one PE plus its stream wrapper; K = 32, exact accumulator.
  config: { rows: 1, cols: 1, dataflow: 'os', aFormat: format, bFormat: format, depth: SWEEP_K },
  productsPerCycle: 1,
});

const dot = (format: string, label: string): SweepRow => ({
  id: `mx-dot-${format}`,
  label,
  group: 'mx-dot',
  kind: 'mx-dot',
  // Fixed-point (S, Eres) output like the PEs' accumulators: no binary32 rounding stage.
  config: { format, k: SWEEP_K, fp32: false, stages: 1 },
  productsPerCycle: SWEEP_K,
});

export const SWEEP_ROWS: readonly SweepRow[] = [
  mac('int4', 'int4', 'int4'),
  mac('int8', 'int8', 'int8'),
  mac('fp8_e4m3', 'fp8 e4m3', 'fp8_e4m3'),
  mac('fp8_e5m2', 'fp8 e5m2', 'fp8_e5m2'),
  mac('fp6_e2m3', 'fp6 e2m3', 'fp6_e2m3'),
  mac('fp6_e3m2', 'fp6 e3m2', 'fp6_e3m2'),
  mac('fp4_e2m1', 'fp4 e2m1', 'fp4_e2m1'),
  {
    id: 'olive4',
    label: 'olive4',
    group: 'pe',
    kind: 'olive-pe',
    // OliVe-4 weights and activations, one outlier-victim pair (2 products) per beat, exact
    // accumulator for 32 elements.
    config: { weights: 'olive4', activations: 'olive4', pairs: 1, elements: SWEEP_K },
    productsPerCycle: 2,
  },
  {
    id: 'scalable-8-2',
    label: 'scalable 8/2',
    group: 'pe',
    kind: 'scalable-pe',
    // BitFusion-style 16 2-bit bricks, modes 8×8 … 2×2, signed or unsigned operands; the
    // accumulator is exact for 32 beats of its widest mode (16 2×2 products per beat).
    config: { maxBeats: SWEEP_K },
    productsPerCycle: 1,
  },
  dot('mxint8', 'MX int8'),
  dot('mxfp8_e4m3', 'MX e4m3'),
  dot('mxfp8_e5m2', 'MX e5m2'),
  dot('mxfp6_e2m3', 'MX e2m3'),
  dot('mxfp6_e3m2', 'MX e3m2'),
  dot('mxfp4_e2m1', 'MX e2m1'),
  {
    id: 'bitmod-pe',
    label: 'BitMoD bit-serial',
    group: 'pe',
    kind: 'bitmod-pe',
    // 8 lanes of int8 activations × INT4/INT3/BitMoD FP3/FP4 weights, one weight bit per cycle
    // (INT4: 4 cycles per beat, so 2 products per cycle; FP4 1.6), exact for 4 beats = 32 products.
    config: { lanes: 8, maxBeats: SWEEP_K / 8 },
    productsPerCycle: 2,
  },
  {
    id: 'dialect-umul',
    label: 'DialectFP4 umul',
    group: 'mx-dot',
    kind: 'dialect-mac',
    // A 32-element DialectFP4 block pair per beat: 4-bit unsigned multipliers and sign XOR.
    config: { variant: 'umul', lanes: SWEEP_K },
    productsPerCycle: SWEEP_K,
  },
  {
    id: 'dialect-int4',
    label: 'DialectFP4 int4',
    group: 'mx-dot',
    kind: 'dialect-mac',
    // The same block dot on INT4 multipliers with residual-bit logic.
    config: { variant: 'int4', lanes: SWEEP_K },
    productsPerCycle: SWEEP_K,
  },
];

export type SweepResult =
  | {
      readonly row: SweepRow;
      readonly status: 'ok';
      readonly module: string;
      readonly totals: AreaTotals;
    }
  | { readonly row: SweepRow; readonly status: 'missing'; readonly reason: string };

/** Yosys identification shared by every measured row (`Yosys 0.23 (git sha1 ...)`). */
export interface SweepRun {
  readonly yosys: string;
  readonly results: readonly SweepResult[];
}

/** Builds one row through the registry and synthesizes it; a kind not registered is `missing`. */
export async function measureRow(
  row: SweepRow,
  opts: AreaOptions,
): Promise<{ result: SweepResult; yosys?: string }> {
  let kind;
  try {
    kind = getComponent(row.kind);
  } catch (e) {
    if (e instanceof MxgenError && e.kind === 'config')
      return { result: { row, status: 'missing', reason: `kind ${row.kind} is not registered` } };
    throw e;
  }
  const cfg = parseConfig(kind, row.config, `${row.id} (${row.kind})`);
  const sv = emitSv(elaborate(kind.generate(cfg)));
  const report = await synthArea(
    sv.files.map((f) => ({ name: f.name, text: f.text })),
    sv.top,
    opts,
  );
  if (report.warnings.length > 0)
    throw new MxgenError('tool', `${row.id}: ${report.warnings[0] ?? ''}`, {
      notes: report.warnings.slice(1),
    });
  return {
    result: { row, status: 'ok', module: report.top, totals: report.total },
    yosys: report.tool.detail,
  };
}

/** Measures the rows in order (one Yosys at a time: the machine is shared). */
export async function runSweep(
  rows: readonly SweepRow[],
  opts: AreaOptions,
  log: (line: string) => void = () => {},
): Promise<SweepRun> {
  const results: SweepResult[] = [];
  const tools = new Set<string>();
  for (const row of rows) {
    const { result, yosys } = await measureRow(row, opts);
    if (yosys) tools.add(yosys);
    results.push(result);
    log(
      result.status === 'ok'
        ? `${row.id}: ${result.totals.gateEquivalents.toFixed(1)} GE (${result.module})`
        : `${row.id}: missing (${result.reason})`,
    );
  }
  if (tools.size > 1)
    throw new MxgenError(
      'tool',
      `the sweep ran on several Yosys versions: ${[...tools].join('; ')}`,
    );
  return { yosys: [...tools][0] ?? 'none', results };
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line per row; numbers fixed to 3 decimals; missing rows keep their reason. */
export function sweepCsv(run: SweepRun): string {
  const head = [
    'id',
    'label',
    'group',
    'kind',
    'module',
    'products_per_cycle',
    'cells',
    'flip_flops',
    'transistors',
    'gate_equivalents',
    'ge_per_product',
    'logic_depth',
    'status',
    'yosys',
  ];
  const lines = run.results.map((r) => {
    const base = [r.row.id, r.row.label, r.row.group, r.row.kind];
    if (r.status !== 'ok') return [...base, '', '', '', '', '', '', '', '', r.reason, ''];
    const t = r.totals;
    return [
      ...base,
      r.module,
      String(r.row.productsPerCycle),
      String(t.cells),
      String(t.flipFlops),
      String(t.transistors),
      t.gateEquivalents.toFixed(3),
      (t.gateEquivalents / r.row.productsPerCycle).toFixed(3),
      String(t.logicDepth),
      'ok',
      run.yosys,
    ];
  });
  return `${[head, ...lines].map((l) => l.map(csvCell).join(',')).join('\n')}\n`;
}

export type GeMeasure = 'unit' | 'product' | 'logic';

/** GE of a measured row (per unit, per product, or without its DFF cells), or undefined. */
export function geOf(run: SweepRun, id: string, how: GeMeasure = 'unit'): number | undefined {
  const r = run.results.find((x) => x.row.id === id);
  if (r?.status !== 'ok') return undefined;
  const t = r.totals;
  if (how === 'product') return t.gateEquivalents / r.row.productsPerCycle;
  if (how === 'unit') return t.gateEquivalents;
  const dff = parseLibertyAreas(readFileSync(LIBERTY_PATH, 'utf8')).get('DFF') ?? 0;
  return t.gateEquivalents - (t.libCellsByType.DFF ?? 0) * dff;
}

/** The ratios the issue asks for, when both rows were measured. */
export function sweepRatios(run: SweepRun): { name: string; value: number | undefined }[] {
  const ratio = (a: string, b: string, how: GeMeasure = 'unit'): number | undefined => {
    const x = geOf(run, a, how);
    const y = geOf(run, b, how);
    return x === undefined || y === undefined ? undefined : x / y;
  };
  return [
    { name: 'scalable 8/2 PE / int8 PE', value: ratio('scalable-8-2', 'int8') },
    {
      name: 'scalable 8/2 PE / int8 PE, flip-flops excluded',
      value: ratio('scalable-8-2', 'int8', 'logic'),
    },
    { name: 'olive4 PE / int4 PE', value: ratio('olive4', 'int4') },
    { name: 'olive4 PE / int4 PE, per product', value: ratio('olive4', 'int4', 'product') },
    { name: 'olive4 PE / int4 PE, flip-flops excluded', value: ratio('olive4', 'int4', 'logic') },
    { name: 'int8 PE / int4 PE', value: ratio('int8', 'int4') },
    { name: 'fp8 e4m3 PE / int8 PE', value: ratio('fp8_e4m3', 'int8') },
    {
      name: 'DialectFP4 umul block dot / MX e2m1 block dot',
      value: ratio('dialect-umul', 'mx-dot-mxfp4_e2m1'),
    },
    {
      name: 'DialectFP4 int4 block dot / DialectFP4 umul block dot',
      value: ratio('dialect-int4', 'dialect-umul'),
    },
    {
      name: 'BitMoD bit-serial PE / int4 PE, per product',
      value: ratio('bitmod-pe', 'int4', 'product'),
    },
    {
      name: 'BitMoD bit-serial PE / int8 PE, per product',
      value: ratio('bitmod-pe', 'int8', 'product'),
    },
  ];
}

/** Writes docs/area-sweep.{csv,md,svg} under `root`. */
export function writeSweep(run: SweepRun, root: string): string[] {
  const out = [
    ['docs/area-sweep.csv', sweepCsv(run)],
    ['docs/area-sweep.md', keepNativeWidthSection(sweepMarkdown(run, sweepRatios(run)))],
    ['docs/area-sweep.svg', sweepSvg(run)],
  ] as const;
  for (const [p, text] of out) writeFileSync(resolve(root, p), text);
  return out.map(([p]) => p);
}

async function main(): Promise<void> {
  const run = await runSweep(SWEEP_ROWS, { tool: 'system' }, (l) => console.log(l));
  for (const p of writeSweep(run, '.')) console.log(`wrote ${p}`);
  const missing = run.results.filter((r) => r.status !== 'ok');
  if (missing.length > 0) console.log(`missing rows: ${missing.map((r) => r.row.id).join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main();
