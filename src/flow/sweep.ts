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

/** Pareto plot: x = area (or MACs used without area), y = relative error, radius ∝ cycles. */
export function paretoSvg(rows: readonly SweepRow[]): string {
  const ok = rows.filter((r) => r.ok && r.relativeError !== undefined);
  const pareto = paretoSet(rows);
  const W = 560;
  const H = 400;
  const pad = 50;
  const xOf = (r: SweepRow): number => r.areaGE ?? r.macsUsed ?? 0;
  const xs = ok.map(xOf);
  const ys = ok.map((r) => r.relativeError ?? 0);
  const cs = ok.map((r) => r.cyclesPerToken ?? 0);
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  const [y0, y1] = [0, Math.max(...ys, 1e-9)];
  const cmax = Math.max(...cs, 1);
  const sx = (x: number): number => pad + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * pad);
  const sy = (y: number): number => H - pad - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * pad);
  const dots = ok
    .map((r) => {
      const rad = 3 + 9 * ((r.cyclesPerToken ?? 0) / cmax);
      const fill = pareto.has(r.index) ? '#c0392b' : '#7f8c8d';
      return `<circle cx="${sx(xOf(r)).toFixed(1)}" cy="${sy(r.relativeError ?? 0).toFixed(1)}" r="${rad.toFixed(1)}" fill="${fill}" fill-opacity="0.6"><title>${r.mix} macs=${r.macs}: error ${fmt(r.relativeError ?? 0)}, ${fmt(r.cyclesPerToken ?? 0)} cycles/token</title></circle>`;
    })
    .join('');
  const xl = ok.some((r) => r.areaGE !== undefined) ? 'area (NAND2 GE)' : 'MACs used';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect x="${pad}" y="${pad}" width="${W - 2 * pad}" height="${H - 2 * pad}" fill="none" stroke="#ccc"/>${dots}<text x="${W / 2}" y="${H - 12}" font-size="12" text-anchor="middle">${xl} [${fmt(x0, 4)}, ${fmt(x1, 4)}]; red: Pareto (area, error, cycles); radius: cycles/token</text><text x="14" y="${H / 2}" font-size="12" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">relative error vs FP64 [0, ${fmt(y1, 3)}]</text></svg>\n`;
}
