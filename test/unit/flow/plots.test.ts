// The report plots (src/flow/plots): Vega-Lite rendered to static SVG with axes, tick labels and
// titles from the library; byte-identical when rendered again in the same process (no counters
// or random ids leak between plots); element ids prefixed per plot. The sweep's chosen point is
// the Pareto point nearest the ideal corner.
import { expect } from 'chai';
import { barSpec, paretoSpec, scatterSpec } from '../../../src/flow/plots/charts.js';
import { renderPlot } from '../../../src/flow/plots/render.js';
import { chosenPoint } from '../../../src/flow/sweep-choice.js';

describe('flow: report plots', () => {
  it('a bar chart and a scatter: axis titles, tick labels, the same bytes twice', async () => {
    const bars = barSpec(
      [
        { label: 'fc1', value: 10661, part: 'logic' },
        { label: 'fc2', value: 6348, part: 'logic' },
        { label: 'fc2', value: 368, part: 'SRAM (modelled)' },
      ],
      { x: 'area (NAND2 gate equivalents)', y: 'layer' },
    );
    const a = await renderPlot(bars, 'area');
    const sc = await renderPlot(
      scatterSpec(
        [
          [-0.5, -0.4],
          [0.25, 0.3],
        ],
        { x: 'FP64', y: 'quantized', diagonal: true },
      ),
      'golden',
    );
    expect(await renderPlot(bars, 'area')).to.equal(a);
    expect(a).to.match(/^<svg /);
    expect(a).to.include('>area (NAND2 gate equivalents)</text>').and.include('>layer</text>');
    expect(a).to.include('>10,000</text>').and.include('>fc2</text>');
    expect(sc).to.include('>FP64</text>').and.include('>quantized</text>');
    for (const m of `${a}${sc}`.matchAll(/\bid="([^"]+)"/g))
      expect(m[1]).to.match(/^(area|golden)-/);
  });

  it('the chosen point: the Pareto point nearest the ideal corner, marked in the plot', async () => {
    const row = (index: number, area: number, err: number, cycles: number) => ({
      index,
      ok: true,
      areaGE: area,
      relativeError: err,
      cyclesPerToken: cycles,
    });
    // 0: small but inaccurate; 1: balanced; 2: accurate but large; 3: dominated by 1.
    const rows = [row(0, 1000, 0.5, 40), row(1, 2000, 0.05, 40), row(2, 9000, 0.01, 40)];
    const all = [...rows, row(3, 2500, 0.06, 40), { index: 4, ok: false }];
    expect(chosenPoint(all, new Set([0, 1, 2]))).to.equal(1);
    expect(chosenPoint([{ index: 0, ok: false }], new Set())).to.equal(null);
    const svg = await renderPlot(
      paretoSpec(
        all.flatMap((r) =>
          r.ok && 'areaGE' in r
            ? [
                {
                  x: r.areaGE,
                  error: r.relativeError,
                  cyclesPerToken: r.cyclesPerToken,
                  label: `chosen: point ${r.index}`,
                  pareto: r.index < 3,
                  chosen: r.index === 1,
                },
              ]
            : [],
        ),
        'area (NAND2 gate equivalents)',
      ),
      'pareto',
    );
    expect(svg).to.include('>chosen: point 1</text>').and.not.include('>chosen: point 0<');
    expect(svg).to.include('relative error vs FP64').and.include('chosen (Pareto)');
  });
});
