// report.html of `mxgen run`: a self-contained page (no scripts, no dates, no network: the plots
// are Vega-Lite charts rendered to inline SVG on the server, src/flow/plots) with the summary,
// a per-layer table (format, SQNR vs FP64, cycles per token, utilization, logic GE, memory bits),
// and plots of the error per op, the area per layer and the quantized graph against FP64.
import type { Throughput } from './throughput.js';
import type { AreaReport } from '../backends/index.js';
import { formatLabel, type Graph, type OpError } from '../ir/index.js';
import type { CosimSummary } from './flow.js';
import { barSpec, type BarRow, scatterSpec } from './plots/charts.js';
import { renderPlot } from './plots/render.js';
import { inclusiveArea, layerRows, type LayerRow } from './report-layers.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Fixed-precision number text (deterministic). */
export const fmt = (x: number, digits = 4): string =>
  Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);

function table(head: readonly string[], rows: readonly (readonly string[])[], id?: string): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const cell = (c: string): string =>
    /^[-+]?[\d.]+(e[-+]?\d+)?( \/ [\d.]+)?$/.test(c)
      ? `<td class="num">${esc(c)}</td>`
      : `<td>${esc(c)}</td>`;
  const trs = rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n');
  return `<table${id ? ` id="${id}"` : ''}><thead><tr>${th}</tr></thead>\n<tbody>${trs}</tbody></table>`;
}

export interface ReportInput {
  readonly graph: Graph;
  readonly cosim: CosimSummary;
  readonly area: AreaReport | null;
  readonly error: { readonly relative: number; readonly maxAbs: number };
  readonly golden: readonly number[];
  readonly fp64: readonly number[];
  /** Measured throughput (manifest.json `throughput`), when the flow measured it. */
  readonly throughput?: Throughput;
  /** Error vs FP64 at every op's output (designVectors `perOp`). */
  readonly perOp?: readonly OpError[];
}

const num = (x: number | null, digits = 6): string => (x === null ? '-' : fmt(x, digits));

/** The per-layer table: every op's output, with its unit's figures when it has one. */
function layerTable(rows: readonly LayerRow[]): string {
  return table(
    [
      'op output',
      'op',
      'format',
      'weights',
      'SQNR vs FP64 (dB)',
      'unit',
      'lanes × tile',
      'cycles / token',
      'latency (cycles)',
      'utilization',
      'logic (NAND2 GE)',
      'memory (bits)',
    ],
    rows.map((r) => [
      r.node,
      r.op,
      r.format,
      r.weights ?? '-',
      r.sqnrDb === null ? '-' : Number.isFinite(r.sqnrDb) ? r.sqnrDb.toFixed(1) : 'exact',
      r.unitKind ? `${r.unitKind}${r.storage ? ` (${r.storage})` : ''}` : 'none (fused or free)',
      r.lanesTile ?? '-',
      num(r.cyclesPerToken),
      num(r.latency),
      r.utilization === null ? '-' : fmt(r.utilization, 3),
      r.logicGE === null ? (r.module ? 'not run' : '-') : fmt(r.logicGE, 6),
      r.memoryBits === null ? '-' : String(r.memoryBits),
    ]),
    'layers',
  );
}

/** Bars of the area per layer (logic and modelled SRAM) plus the top level's own glue. */
function areaBars(rows: readonly LayerRow[], area: AreaReport): BarRow[] {
  const bitGe = area.areaModel.sramBitGe;
  const bars: BarRow[] = [];
  let logic = 0;
  let mem = 0;
  for (const r of rows) {
    if (r.logicGE === null || r.module === null) continue;
    logic += r.logicGE;
    mem += r.memoryBits ?? 0;
    bars.push({ label: r.node, value: r.logicGE, part: 'logic' });
    if ((r.memoryBits ?? 0) > 0)
      bars.push({ label: r.node, value: (r.memoryBits ?? 0) * bitGe, part: 'SRAM (modelled)' });
  }
  const top = inclusiveArea(area, area.top);
  const glue = (top?.logicGE ?? area.total.gateEquivalents) - logic;
  if (glue > 0.5)
    bars.push({ label: 'top level (forks, FIFOs, wiring)', value: glue, part: 'logic' });
  const glueMem = (top?.memoryBits ?? 0) - mem;
  if (glueMem > 0)
    bars.push({
      label: 'top level (forks, FIFOs, wiring)',
      value: glueMem * bitGe,
      part: 'SRAM (modelled)',
    });
  return bars;
}

function figure(id: string, caption: string, svg: string): string {
  return `<figure class="plot" id="plot-${id}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

export async function reportHtml(r: ReportInput): Promise<string> {
  const g = r.graph;
  const c = r.cosim;
  const total = r.area?.total.gateEquivalents ?? 0;
  const summary = table(
    ['item', 'value'],
    [
      ['design', g.name],
      ['MAC budget', String(g.macs)],
      ['input tensors × tokens', `${c.tensors} × ${c.tokensPerTensor}`],
      [
        'output beats compared (native / Verilator)',
        `${c.vectorsCompared.native} / ${c.vectorsCompared.verilator}`,
      ],
      [
        'mismatches (golden vs native, golden vs Verilator, native vs Verilator per cycle)',
        `${c.native.mismatches} / ${c.verilator?.mismatches ?? '-'} / ${c.nativeVsVerilator?.mismatches ?? '-'}`,
      ],
      ['cycles (native run, 10% producer gaps and consumer stalls)', String(c.cycles)],
      ['logic area (NAND2 gate equivalents)', r.area ? fmt(total, 6) : 'not run'],
      [
        'SRAM: bits, modelled area (NAND2 GE)',
        r.area
          ? `${r.area.total.memoryBits} bits, ${fmt(r.area.total.memoryGateEquivalents, 6)} GE (docs/area.md)`
          : 'not run',
      ],
      ...(r.throughput
        ? [
            [
              'cycles per token (measured, back to back) / ideal',
              `${fmt(r.throughput.cyclesPerToken, 6)} / ${fmt(r.throughput.idealCyclesPerToken, 6)} (utilization ${fmt(r.throughput.utilization, 3)})`,
            ],
            ...(r.throughput.bandwidthBoundCyclesPerToken !== undefined
              ? [
                  [
                    'weight-port bandwidth bound (cycles per token)',
                    fmt(r.throughput.bandwidthBoundCyclesPerToken, 6),
                  ],
                ]
              : []),
            [`tokens/s at ${r.throughput.clockMHz} MHz`, fmt(r.throughput.tokensPerSecond, 4)],
            ['weight bits / SRAM bits', `${r.throughput.weightBits} / ${r.throughput.memoryBits}`],
            ...(r.throughput.bufferBits > 0
              ? [['token buffer SRAM bits (not in the above)', String(r.throughput.bufferBits)]]
              : []),
          ]
        : []),
      ['relative error ‖q − f‖₂/‖f‖₂ vs FP64', fmt(r.error.relative)],
      ['max |q − f|', fmt(r.error.maxAbs)],
    ],
    'summary',
  );
  const precision = table(
    ['tensor', 'shape', 'format'],
    g.nodes
      .filter((n) => n.type?.format)
      .map((n) => [
        n.name,
        `[${n.type?.shape.join(', ')}]`,
        n.type?.format ? formatLabel(n.type.format) : '',
      ]),
    'precision',
  );
  const rows = layerRows(g, r.perOp ?? [], r.throughput, r.area);
  const sqnr = rows.filter((x) => x.sqnrDb !== null && Number.isFinite(x.sqnrDb));
  const exact = rows.filter((x) => x.sqnrDb === Infinity).map((x) => x.node);
  const plots: string[] = [];
  if (sqnr.length > 0)
    plots.push(
      figure(
        'sqnr',
        `Error of every op's output against FP64 (it includes the ops before it).${exact.length > 0 ? ` Exact (no error): ${exact.join(', ')}.` : ''}`,
        await renderPlot(
          barSpec(
            sqnr.map((x) => ({ label: `${x.node} (${x.format})`, value: x.sqnrDb ?? 0 })),
            { x: 'SQNR vs FP64 (dB, higher is better)', y: 'op output (format)' },
          ),
          'sqnr',
        ),
      ),
    );
  if (r.area)
    plots.push(
      figure(
        'area',
        `Area per layer: logic from Yosys (${r.area.tool.detail}, NAND2 gate equivalents, the unit's module with its submodules) and SRAM bits × ${fmt(r.area.areaModel.sramBitGe, 4)} GE (a model, docs/area.md).`,
        await renderPlot(
          barSpec(areaBars(rows, r.area), { x: 'area (NAND2 gate equivalents)', y: 'layer' }),
          'area',
        ),
      ),
    );
  const pts: [number, number][] = r.fp64.map((f, i) => [f, r.golden[i] ?? 0]);
  const errPts: [number, number][] = r.fp64.map((f, i) => [f, (r.golden[i] ?? 0) - f]);
  plots.push(
    figure(
      'golden',
      'Every output element of every token: the golden (bit-exact hardware) value against FP64; the dashed line is y = x.',
      await renderPlot(
        scatterSpec(pts, {
          x: 'FP64 output value',
          y: 'quantized output value',
          diagonal: true,
        }),
        'golden',
      ),
    ),
    figure(
      'error',
      'The error of every output element against its FP64 value.',
      await renderPlot(
        scatterSpec(errPts, { x: 'FP64 output value', y: 'quantized − FP64' }),
        'error',
      ),
    ),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mxgen: ${esc(g.name)}</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
figure.plot{display:inline-block;margin:1em 2em 1em 0;vertical-align:top;max-width:36em}
figcaption{font-size:13px;color:#555;margin-top:.3em}
</style>
</head><body>
<h1>mxgen run: ${esc(g.name)}</h1>
<h2>Summary</h2>
${summary}
<h2>Layers</h2>
<p>Per op output: its format, the SQNR of its golden output against the FP64 graph (over every element of every token; it includes the error of the ops before it, so a drop from one row to the next is what that op costs), and for ops with a hardware unit: cycles per token and latency from the unit's schedule (checked against the simulator), utilization = ideal K·N/(lanes·tile) / cycles per token, logic area of the unit's module with its submodules, and its SRAM bits.</p>
${layerTable(rows)}
<h2>Plots</h2>
${plots.join('\n')}
<h2>Precision mix</h2>
${precision}
</body></html>
`;
}
