// Plots of the reports, drawn by Vega-Lite (compiled to Vega) and rendered to static SVG on the
// server by Vega's own SVG renderer (`View.toSVG`, no DOM, no canvas): axes with ticks, tick
// labels and titles come from the library. The SVG is inlined in report.html, so the page needs
// no scripts and no network. Deterministic: the same spec gives the same bytes (no dates, no
// random ids; Vega's element ids are renamed per plot so several plots share one page safely).
import type { TopLevelSpec } from 'vega-lite';

/** Font and sizes shared by every plot of the reports. */
const CONFIG: NonNullable<TopLevelSpec['config']> = {
  font: 'sans-serif',
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
  title: { fontSize: 13, anchor: 'start' },
  view: { stroke: '#ccc' },
};

/**
 * Renders a Vega-Lite spec to an SVG string. `id` prefixes every element id inside (clip paths,
 * gradients) so that ids stay unique when several plots are inlined in one page.
 */
export async function renderPlot(spec: TopLevelSpec, id: string): Promise<string> {
  // Loaded on first use: Vega is a third of the CLI's start-up when imported eagerly.
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const full = { ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new View(parse(compile(full).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg
      .replace(/\bid="([^"]+)"/g, (_m, x: string) => `id="${id}-${x}"`)
      .replace(/url\(#([^)]+)\)/g, (_m, x: string) => `url(#${id}-${x})`)
      .replace(/href="#([^"]+)"/g, (_m, x: string) => `href="#${id}-${x}"`);
  } finally {
    view.finalize();
  }
}
