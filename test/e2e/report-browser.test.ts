// report.html of `mxgen run` (default design, with Yosys area) opened in a real browser: Debian's
// headless Chromium driven by playwright-core. No console errors and no request leaves the file
// (the page works offline), every plot has both axes with tick labels and titles, the per-layer
// table lists every op with its format, SQNR, cycles per token and a real logic area, and a
// full-page screenshot is written beside the report (rtl-out/report-browser/default/report.png,
// for a person or a CI artifact to look at).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const OUT = 'rtl-out/report-browser';
/** Debian's chromium (scripts/setup.sh installs it); MXGEN_CHROMIUM overrides the path. */
const CHROMIUM = process.env.MXGEN_CHROMIUM ?? '/usr/bin/chromium';

// Browser-side code as plain strings: the test's own functions are compiled by tsx, whose helpers
// (e.g. __name) do not exist in the page.
/** Per figure: its id, its axis titles and the non-empty tick labels of its x and y axes. */
const PLOT_AXES = `[...document.querySelectorAll('figure.plot')].map((f) => {
  const axes = [...f.querySelectorAll('g.role-axis')];
  const ticks = (o) => {
    const a = axes.find((x) => (x.getAttribute('aria-label') || '').startsWith(o + '-axis'));
    return a ? [...a.querySelectorAll('g.role-axis-label text')].filter((t) => t.textContent.trim() !== '').length : 0;
  };
  return {
    id: f.id,
    titles: [...f.querySelectorAll('g.role-axis-title text')].map((t) => t.textContent),
    xTicks: ticks('X'),
    yTicks: ticks('Y'),
  };
})`;
/** Texts of the plots that stick out of their SVG (cut off). */
const OUTSIDE = `[...document.querySelectorAll('figure.plot svg')].flatMap((svg) => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() !== '').filter((t) => {
    const b = t.getBoundingClientRect();
    return b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5;
  }).map((t) => t.textContent);
})`;
/** The cells (th or td) of the rows matching `sel`. */
const CELLS = (sel: string): string =>
  `[...document.querySelectorAll(${JSON.stringify(sel)})].map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent))`;

interface PlotAxes {
  id: string;
  titles: string[];
  xTicks: number;
  yTicks: number;
}

describe('e2e: report.html in headless Chromium', () => {
  let browser: Browser | undefined;
  let dir = '';
  before(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (scripts/setup.sh installs chromium)`).to.equal(true);
    const r = spawnSync(
      'node',
      ['bin/mxgen.js', 'run', 'templates/designs/default.yaml', '--out', OUT, '--force'],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).to.equal(0);
    dir = join(OUT, 'default');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  after(async () => {
    await browser?.close();
  });

  it('no console errors or network requests; every plot has labelled axes; the layer table; a screenshot', async () => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    const url = pathToFileURL(resolve(dir, 'report.html')).href;
    page.on('request', (q) => {
      if (q.url() !== url) requests.push(q.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    expect(errors).to.deep.equal([]);
    expect(requests, 'the page fetches nothing').to.deep.equal([]);

    const plots = (await page.evaluate(PLOT_AXES)) as PlotAxes[];
    expect(plots.map((p) => p.id)).to.deep.equal([
      'plot-sqnr',
      'plot-area',
      'plot-golden',
      'plot-error',
    ]);
    for (const p of plots as PlotAxes[]) {
      expect(p.titles.length, `${p.id} axis titles`).to.equal(2);
      for (const t of p.titles) expect(t.trim(), `${p.id} axis title`).to.not.equal('');
      expect(p.xTicks, `${p.id} x tick labels`).to.be.at.least(2);
      expect(p.yTicks, `${p.id} y tick labels`).to.be.at.least(2);
    }
    // Every drawn label lies inside its SVG (nothing cut off at the edges).
    const outside = (await page.evaluate(OUTSIDE)) as string[];
    expect(outside, 'labels cut off').to.deep.equal([]);

    const head = ((await page.evaluate(CELLS('table#layers thead tr'))) as string[][])[0] ?? [];
    expect(head).to.include.members([
      'op output',
      'format',
      'SQNR vs FP64 (dB)',
      'cycles / token',
      'utilization',
      'logic (NAND2 GE)',
      'memory (bits)',
    ]);
    const rows = (await page.evaluate(CELLS('table#layers tbody tr'))) as string[][];
    const col = (name: string): number => head.indexOf(name);
    expect(rows.map((r) => r[0])).to.deep.equal(['fc1', 'act1', 'fc2']);
    for (const r of rows) {
      expect(Number(r[col('SQNR vs FP64 (dB)')]), `${r[0]} SQNR`).to.be.greaterThan(0);
      expect(r[col('format')], `${r[0]} format`).to.not.equal('?');
    }
    // Every op of the default design has a unit: cycles and a real area; the layers utilization.
    for (const r of rows) {
      expect(Number(r[col('cycles / token')]), `${r[0]} cycles`).to.be.greaterThan(0);
      expect(Number(r[col('logic (NAND2 GE)')]), `${r[0]} GE`).to.be.greaterThan(50);
    }
    for (const r of rows.filter((x) => x[0] !== 'act1'))
      expect(Number(r[col('utilization')]), `${r[0]} utilization`).to.be.within(0.01, 1);
    const summary = await page.textContent('table#summary');
    expect(summary).to.match(/tokens\/s at 500 MHz/);

    const png = join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).to.be.greaterThan(10_000);
    expect(readFileSync(png).subarray(1, 4).toString()).to.equal('PNG');
    await page.close();
  });
});
