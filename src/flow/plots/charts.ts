// The Vega-Lite specs of the report plots: a horizontal bar chart (one bar per labelled row,
// stacked by a category), a scatter of two quantities (optionally with the y = x diagonal), and
// the Pareto plot of a sweep (Pareto points and the chosen point marked). Each axis has a title
// with its unit; the library draws ticks and tick labels.
import type { TopLevelSpec } from 'vega-lite';

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** Stack category (one colour each, in a legend); omit for one colour. */
  readonly part?: string;
}

/** Horizontal bars: `label` on the y axis (in the order given), `value` on a linear x axis. */
export function barSpec(rows: readonly BarRow[], o: { x: string; y: string }): TopLevelSpec {
  const parts = [...new Set(rows.flatMap((r) => (r.part ? [r.part] : [])))];
  return {
    width: 420,
    height: { step: 22 },
    data: { values: rows.map((r) => ({ label: r.label, value: r.value, part: r.part ?? '' })) },
    mark: { type: 'bar', tooltip: false },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: [...new Set(rows.map((r) => r.label))],
        title: o.y,
      },
      x: { field: 'value', type: 'quantitative', title: o.x },
      ...(parts.length > 0
        ? {
            color: {
              field: 'part',
              type: 'nominal',
              sort: parts,
              title: null,
              legend: { orient: 'bottom' },
            },
            order: { field: 'part', sort: 'ascending' },
          }
        : { color: { value: '#4a7bb7' } }),
    },
  };
}

/** A scatter of (x, y) points; `diagonal` adds the y = x line (perfect agreement). */
export function scatterSpec(
  points: readonly (readonly [number, number])[],
  o: { x: string; y: string; diagonal?: boolean; title?: string },
): TopLevelSpec {
  const values = points.map(([x, y]) => ({ x, y }));
  const dots = {
    // aria: false: no per-point description (thousands of points would bloat the page).
    mark: {
      type: 'point' as const,
      filled: true,
      size: 14,
      opacity: 0.55,
      color: '#c0392b',
      aria: false,
    },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const, title: o.x, scale: { zero: false } },
      y: { field: 'y', type: 'quantitative' as const, title: o.y, scale: { zero: false } },
    },
  };
  const xs = points.map((p) => p[0]);
  const lo = Math.min(...xs, ...(o.diagonal ? points.map((p) => p[1]) : []));
  const hi = Math.max(...xs, ...(o.diagonal ? points.map((p) => p[1]) : []));
  const diagonal = {
    data: {
      values: [
        { x: lo, y: lo },
        { x: hi, y: hi },
      ],
    },
    mark: { type: 'line' as const, color: '#888', strokeDash: [4, 3] },
    encoding: {
      x: { field: 'x', type: 'quantitative' as const },
      y: { field: 'y', type: 'quantitative' as const },
    },
  };
  return {
    width: 340,
    height: 300,
    ...(o.title ? { title: o.title } : {}),
    data: { values },
    layer: o.diagonal && points.length > 0 ? [diagonal, dots] : [dots],
  };
}

export interface ParetoPoint {
  readonly x: number;
  readonly error: number;
  readonly cyclesPerToken: number;
  readonly label: string;
  readonly pareto: boolean;
  readonly chosen: boolean;
}

/**
 * The sweep's Pareto plot: x = area (or MACs used), y = relative error vs FP64 (log scale when
 * every error is positive), size = cycles per token; Pareto points in red, the others grey, the
 * chosen point ringed and labelled.
 */
export function paretoSpec(points: readonly ParetoPoint[], xTitle: string): TopLevelSpec {
  const values = points.map((p) => ({
    ...p,
    kind: p.chosen ? 'chosen (Pareto)' : p.pareto ? 'Pareto' : 'dominated',
  }));
  const log = points.length > 0 && points.every((p) => p.error > 0);
  const x = { field: 'x', type: 'quantitative' as const, title: xTitle };
  const y = {
    field: 'error',
    type: 'quantitative' as const,
    title: 'relative error vs FP64 (‖q − f‖₂ / ‖f‖₂)',
    scale: log ? { type: 'log' as const } : { zero: true },
    axis: { format: '~g' },
  };
  return {
    width: 460,
    height: 320,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, opacity: 0.75 },
        encoding: {
          x,
          y,
          size: {
            field: 'cyclesPerToken',
            type: 'quantitative',
            title: 'cycles / token',
            legend: { orient: 'right' },
          },
          color: {
            field: 'kind',
            type: 'nominal',
            title: 'point',
            scale: {
              domain: ['chosen (Pareto)', 'Pareto', 'dominated'],
              range: ['#c0392b', '#e67e22', '#95a5a6'],
            },
            legend: { orient: 'right' },
          },
        },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'point', shape: 'circle', size: 420, strokeWidth: 2, color: '#c0392b' },
        encoding: { x, y },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'text', align: 'left', dx: 14, dy: -10, fontSize: 11 },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  };
}
