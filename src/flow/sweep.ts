// Design-space sweeps: precision mixes × MAC budgets, evaluated in a piscina worker pool, each point
// cached by the hash of everything it depends on, split across machines with --shard i/n, written
// as CSV plus a Pareto plot (area vs error, cycles as the marker size).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import {
  CACHE_CODE,
  codeHash,
  contentHash,
  DEFAULT_CACHE_ROOT,
  registerTempRoot,
  removeDeadTemps,
} from '../backends/index.js';
import { canonicalJson, MxgenError } from '../hdl/index.js';
import { fmt } from './html.js';
import { paretoSpec } from './plots/charts.js';
import { renderPlot } from './plots/render.js';
import { chosenPoint, objectives } from './sweep-choice.js';
import type { PointResult, SweepPoint } from './sweep-point.js';

export interface Mix {
  readonly label: string;
  readonly mix: Readonly<Record<string, string>>;
}

/** `weights=olive4,activations=int8,fc1.weight=mxfp4_e2m1` → a mix; errors name the text. */
export function parseMix(text: string): Mix {
  const mix: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_][\w.]*)\s*=\s*([\w+-]+)\s*$/.exec(part);
    if (!m?.[1] || !m[2])
      throw new MxgenError(
        'usage',
        `--mix ${JSON.stringify(text)}: expected key=format pairs separated by commas`,
        {
          hint: 'e.g. --mix weights=olive4,activations=int8,input=mxfp8_e4m3',
        },
      );
    mix[m[1]] = m[2];
  }
  return {
    label: Object.entries(mix)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
    mix,
  };
}

export function parseMacs(text: string): number[] {
  return text.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 1)
      throw new MxgenError('usage', `--macs: ${JSON.stringify(s)} is not a positive integer`, {
        hint: 'e.g. --macs 8,16,32',
      });
    return n;
  });
}

export function parseShard(text: string | undefined): { index: number; count: number } {
  if (text === undefined) return { index: 0, count: 1 };
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count)
    throw new MxgenError('usage', `--shard ${text}: expected i/n with 0 ≤ i < n`, {
      hint: 'e.g. --shard $SLURM_ARRAY_TASK_ID/8',
    });
  return { index, count };
}

/** All points in a fixed order; a shard takes every n-th point starting at i. */
export function sweepPoints(
  mixes: readonly Mix[],
  macs: readonly number[],
  shard: { index: number; count: number },
): { mix: Mix; macs: number; index: number }[] {
  const all = mixes.flatMap((mix) => macs.map((m) => ({ mix, macs: m })));
  return all
    .map((p, index) => ({ ...p, index }))
    .filter((p) => p.index % shard.count === shard.index);
}

export interface SweepOptions {
  readonly design: unknown;
  readonly file: string;
  readonly points: readonly { mix: Mix; macs: number; index: number }[];
  readonly tensors: number;
  readonly area: boolean;
  readonly workers: number;
  readonly cacheRoot?: string;
  readonly version: string;
  /** Root of the project code hashed into every point's key (default: this project). */
  readonly codeRoot?: string;
  /** The Yosys of every point's area (see SweepPoint.yosys). */
  readonly yosys?: SweepPoint['yosys'];
  readonly onPoint?: (done: number, total: number) => void;
  /** Class labels per input token: every point's top-1 accuracy (mxgen search). */
  readonly labels?: readonly number[];
}

export interface SweepRow extends PointResult {
  readonly index: number;
  readonly cached: boolean;
}

/**
 * A point's cache key: mxgen's version and everything the point depends on, the Yosys that
 * measures its area included (kind and version), so results of different tools never mix.
 */
export function pointKey(version: string, pt: SweepPoint, code: string): string {
  return contentHash([version, code, canonicalJson(pt)]);
}

/** Evaluates the points (cached ones are read back), in index order. */
export async function runSweep(o: SweepOptions): Promise<SweepRow[]> {
  const cacheDir = join(o.cacheRoot ?? DEFAULT_CACHE_ROOT, 'sweep');
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot create the sweep cache ${cacheDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { hint: 'run mxgen from a writable working directory' },
    );
  }
  registerTempRoot(cacheDir);
  removeDeadTemps(cacheDir);
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./sweep-worker.js', import.meta.url)),
    maxThreads: o.workers,
    minThreads: 1,
  });
  let done = 0;
  const code = codeHash(CACHE_CODE.sweep, o.codeRoot);
  try {
    const rows = await Promise.all(
      o.points.map(async (p): Promise<SweepRow> => {
        const pt: SweepPoint = {
          design: o.design,
          file: o.file,
          mix: p.mix.mix,
          mixLabel: p.mix.label,
          macs: p.macs,
          tensors: o.tensors,
          area: o.area,
          ...(o.area && o.yosys ? { yosys: o.yosys } : {}),
          ...(o.labels ? { labels: o.labels } : {}),
        };
        const key = pointKey(o.version, pt, code);
        const path = join(cacheDir, `${key}.json`);
        let r: PointResult;
        let cached = false;
        if (existsSync(path)) {
          r = JSON.parse(readFileSync(path, 'utf8')) as PointResult;
          cached = true;
        } else {
          r = (await pool.run(pt)) as PointResult;
          // A rejected point is not cached: its cause (a format, a tool, a limit) may be fixed.
          if (r.error === undefined) {
            const tmp = `${path}.tmp-${process.pid}`;
            writeFileSync(tmp, `${JSON.stringify(r)}\n`);
            renameSync(tmp, path);
          }
        }
        o.onPoint?.(++done, o.points.length);
        return { ...r, index: p.index, cached };
      }),
    );
    return rows.sort((a, b) => a.index - b.index);
  } finally {
    await pool.destroy();
  }
}

const COLUMNS = [
  'index',
  'mix',
  'macs',
  'macs_used',
  'ok',
  'mismatches',
  'beats',
  'cycles_per_token',
  'relative_error',
  'area_ge',
  'tool',
  'pareto',
  'error',
] as const;

const csvCell = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Points not dominated on (area — MACs used without Yosys —, error, cycles): none other is ≤ on all three and < on one. */
export function paretoSet(rows: readonly SweepRow[]): Set<number> {
  const ok = rows.filter((r) => r.ok && r.relativeError !== undefined);
  const key = (r: SweepRow): number[] => [
    r.areaGE ?? r.macsUsed ?? 0,
    r.relativeError ?? 0,
    r.cyclesPerToken ?? 0,
  ];
  const out = new Set<number>();
  for (const r of ok) {
    const a = key(r);
    const dominated = ok.some((s) => {
      const b = key(s);
      return s !== r && b.every((x, i) => x <= (a[i] ?? 0)) && b.some((x, i) => x < (a[i] ?? 0));
    });
    if (!dominated) out.add(r.index);
  }
  return out;
}

export function sweepCsv(rows: readonly SweepRow[]): string {
  const pareto = paretoSet(rows);
  const lines = rows.map((r) =>
    [
      String(r.index),
      r.mix,
      String(r.macs),
      r.macsUsed === undefined ? '' : String(r.macsUsed),
      String(r.ok),
      r.mismatches === undefined ? '' : String(r.mismatches),
      r.beats === undefined ? '' : String(r.beats),
      r.cyclesPerToken === undefined ? '' : fmt(r.cyclesPerToken, 6),
      r.relativeError === undefined ? '' : fmt(r.relativeError, 6),
      r.areaGE === undefined ? '' : fmt(r.areaGE, 8),
      r.tool ?? '',
      String(pareto.has(r.index)),
      r.error ?? '',
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}

/**
 * Pareto plot (Vega-Lite, static SVG): x = area (or MACs used without area), y = relative error
 * vs FP64, size = cycles per token; Pareto points in orange, the chosen point (sweep-choice.ts)
 * in red, ringed and labelled.
 */
export async function paretoSvg(rows: readonly SweepRow[]): Promise<string> {
  const ok = rows.filter((r) => r.ok && r.relativeError !== undefined);
  const pareto = paretoSet(rows);
  const chosen = chosenPoint(rows, pareto);
  const xTitle = ok.some((r) => r.areaGE !== undefined)
    ? 'area (NAND2 gate equivalents)'
    : 'MACs used';
  const points = ok.map((r) => ({
    x: objectives(r)[0],
    error: r.relativeError ?? 0,
    cyclesPerToken: r.cyclesPerToken ?? 0,
    label: `chosen: ${r.mix}, macs=${r.macs}`,
    pareto: pareto.has(r.index),
    chosen: r.index === chosen,
  }));
  return `${await renderPlot(paretoSpec(points, xTitle), 'pareto')}\n`;
}
