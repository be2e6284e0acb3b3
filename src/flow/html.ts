// report.html of `mxgen run`: a self-contained page (inline SVG plots, no scripts, no dates) with
// area per component, cycles, and the numerical error of the quantized graph against FP64.
import type { Throughput } from './throughput.js';
import type { AreaReport } from '../backends/index.js';
import { formatLabel, type Graph, type OpError, pipelineUnits } from '../ir/index.js';
import type { CosimSummary } from './flow.js';

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Fixed-precision number text (deterministic). */
export const fmt = (x: number, digits = 4): string =>
  Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);

export interface AreaRow {
  readonly module: string;
  readonly instances: number;
  readonly gateEquivalents: number;
}

export function areaRows(area: AreaReport | null): AreaRow[] {
  if (!area) return [];
  return area.modules.map((m) => ({
    module: m.name,
    instances: m.instances,
    gateEquivalents: m.gateEquivalents * m.instances,
  }));
}

export function barChart(rows: readonly { label: string; value: number }[], unit: string): string {
  const w = 640;
  const bh = 22;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const h = rows.length * bh + 10;
  const bars = rows.map((r, i) => {
    const bw = Math.round((r.value / max) * 380);
    return `<text x="0" y="${i * bh + 15}" font-size="12">${esc(r.label)}</text><rect x="230" y="${i * bh + 3}" width="${bw}" height="16" fill="#4a7bb7"/><text x="${235 + bw}" y="${i * bh + 15}" font-size="12">${fmt(r.value)} ${esc(unit)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${bars.join('')}</svg>`;
}

export function scatter(
  points: readonly [number, number][],
  xLabel: string,
  yLabel: string,
  diagonal = true,
): string {
  const size = 360;
  const pad = 40;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const lo = Math.min(...xs, ...(diagonal ? ys : []));
  const hi = Math.max(...xs, ...(diagonal ? ys : []));
  const ylo = diagonal ? lo : Math.min(...ys);
  const yhi = diagonal ? hi : Math.max(...ys);
  const sx = (x: number): number => pad + ((x - lo) / (hi - lo || 1)) * (size - 2 * pad);
  const sy = (y: number): number => size - pad - ((y - ylo) / (yhi - ylo || 1)) * (size - 2 * pad);
  const dots = points
    .map(
      ([x, y]) =>
        `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2" fill="#c0392b" fill-opacity="0.6"/>`,
    )
    .join('');
  const diag = diagonal
    ? `<line x1="${sx(lo)}" y1="${sy(lo)}" x2="${sx(hi)}" y2="${sy(hi)}" stroke="#888"/>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#ccc"/>${diag}${dots}<text x="${size / 2}" y="${size - 8}" font-size="12" text-anchor="middle">${esc(xLabel)} [${fmt(lo, 3)}, ${fmt(hi, 3)}]</text><text x="12" y="${size / 2}" font-size="12" transform="rotate(-90 12 ${size / 2})" text-anchor="middle">${esc(yLabel)} [${fmt(ylo, 3)}, ${fmt(yhi, 3)}]</text></svg>`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><tr>${th}</tr>\n${trs}</table>`;
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

export function reportHtml(r: ReportInput): string {
  const g = r.graph;
  const units = pipelineUnits(g);
  const rows = areaRows(r.area);
  const total = r.area?.total.gateEquivalents ?? 0;
  const c = r.cosim;
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
          ]
        : []),
      ['relative error ‖q − f‖₂/‖f‖₂ vs FP64', fmt(r.error.relative)],
      ['max |q − f|', fmt(r.error.maxAbs)],
    ],
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
  );
  const measured = new Map((r.throughput?.units ?? []).map((x) => [x.node, x]));
  const layers = table(
    [
      'unit',
      'module',
      'lanes × tile',
      'weights',
      'cycles / token (ideal)',
      'measured',
      'utilization',
      'weight bits',
      'SRAM bits',
    ],
    units.map((u) => {
      const t = measured.get(u.node);
      const m = [
        t ? fmt(t.cyclesPerToken, 6) : '-',
        t?.utilization != null ? fmt(t.utilization, 3) : '-',
        t?.weightBits != null ? String(t.weightBits) : '-',
        t ? String(t.memoryBits) : '-',
      ];
      return u.kind === 'linear-unit'
        ? [
            u.node,
            u.module,
            `${u.lanes} × ${u.tile}`,
            u.storage,
            String((u.outFeatures / u.lanes) * (u.inFeatures / u.tile)),
            ...m,
          ]
        : [u.node, u.module, '-', '-', '1', ...m];
    }),
  );
  const perOp = table(
    ['op output', 'op', 'format', 'SQNR vs FP64 (dB)', 'relative error', 'max |q − f|'],
    (r.perOp ?? []).map((e) => [
      e.node,
      e.op,
      e.format,
      Number.isFinite(e.sqnrDb) ? e.sqnrDb.toFixed(1) : 'exact',
      fmt(e.relative),
      fmt(e.maxAbs),
    ]),
  );
  const pts: [number, number][] = r.fp64.map((f, i) => [f, r.golden[i] ?? 0]);
  const errPts: [number, number][] = r.fp64.map((f, i) => [f, (r.golden[i] ?? 0) - f]);
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>mxgen: ${esc(g.name)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style>
</head><body>
<h1>mxgen run: ${esc(g.name)}</h1>
<h2>Summary</h2>
${summary}
<h2>Precision mix</h2>
${precision}
<h2>Error per op vs FP64</h2>
<p>Each op's golden output against the FP64 graph's value of the same tensor, over every element of every token; it includes the error of the ops before it, so a drop from one row to the next is what that op costs.</p>
${perOp}
<h2>Pipeline (throughput measured natively, tokens back to back)</h2>
${layers}
<h2>Area per component (NAND2 GE, all instances)</h2>
${
  r.area
    ? barChart(
        rows.map((x) => ({ label: `${x.module} ×${x.instances}`, value: x.gateEquivalents })),
        'GE',
      )
    : '<p>Yosys was not run.</p>'
}
<h2>Quantized graph vs FP64</h2>
<p>Every output element of every token: the golden (bit-exact hardware) value against the FP64 evaluation of the unquantized graph, and the error.</p>
${scatter(pts, 'FP64', 'quantized')}
${scatter(errPts, 'FP64', 'quantized − FP64', false)}
</body></html>
`;
}
