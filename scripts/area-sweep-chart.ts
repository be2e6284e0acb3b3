// The area sweep as an SVG bar chart written as text (no library): two panels, single PEs and
// MX dot products, each with its own GE axis. Deterministic: fixed layout, numbers rounded.
import type { SweepResult, SweepRun } from './area-sweep.js';

const W = 980;
const H = 460;
const TOP = 70;
const BOTTOM = 110;
const LEFT = 70;
const GAP = 70;
const FONT = 'font-family="DejaVu Sans, Arial, sans-serif"';

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A round tick step (1, 2 or 5 × 10^n) giving about five ticks up to `max`. */
export function tickStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

interface Panel {
  readonly title: string;
  readonly results: readonly SweepResult[];
  readonly x: number;
  readonly width: number;
}

function panel(p: Panel): string[] {
  const plotH = H - TOP - BOTTOM;
  const base = TOP + plotH;
  const values = p.results.map((r) => (r.status === 'ok' ? r.totals.gateEquivalents : 0));
  const step = tickStep(Math.max(...values, 1));
  const top = Math.max(step, Math.ceil(Math.max(...values, 1) / step) * step);
  const y = (v: number): number => base - (v / top) * plotH;
  const out: string[] = [
    `<text x="${n(p.x + p.width / 2)}" y="${TOP - 28}" text-anchor="middle" font-size="14" font-weight="bold">${esc(p.title)}</text>`,
    `<text transform="translate(${n(p.x - 52)},${n(TOP + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="12">area (GE, NAND2 = 1)</text>`,
  ];
  for (let v = 0; v <= top + step / 2; v += step) {
    out.push(
      `<line x1="${n(p.x)}" y1="${n(y(v))}" x2="${n(p.x + p.width)}" y2="${n(y(v))}" stroke="#ddd"/>`,
      `<text x="${n(p.x - 6)}" y="${n(y(v) + 4)}" text-anchor="end" font-size="11">${Math.round(v)}</text>`,
    );
  }
  out.push(
    `<line x1="${n(p.x)}" y1="${n(TOP)}" x2="${n(p.x)}" y2="${n(base)}" stroke="#333"/>`,
    `<line x1="${n(p.x)}" y1="${n(base)}" x2="${n(p.x + p.width)}" y2="${n(base)}" stroke="#333"/>`,
  );
  const slot = p.width / Math.max(p.results.length, 1);
  const bw = Math.min(44, slot * 0.7);
  p.results.forEach((r, i) => {
    const cx = p.x + slot * (i + 0.5);
    const lx = n(cx + 4);
    out.push(
      `<text transform="translate(${lx},${n(base + 12)}) rotate(-40)" text-anchor="end" font-size="12">${esc(r.row.label)}</text>`,
    );
    if (r.status !== 'ok') {
      out.push(
        `<text x="${n(cx)}" y="${n(base - 6)}" text-anchor="middle" font-size="10" fill="#a00">n/a</text>`,
      );
      return;
    }
    const v = r.totals.gateEquivalents;
    const fill = r.row.group === 'mx-dot' ? '#d9822b' : '#3a6ea5';
    out.push(
      `<rect x="${n(cx - bw / 2)}" y="${n(y(v))}" width="${n(bw)}" height="${n(base - y(v))}" fill="${fill}"/>`,
      `<text x="${n(cx)}" y="${n(y(v) - 4)}" text-anchor="middle" font-size="10">${Math.round(v)}</text>`,
    );
  });
  return out;
}

/** The chart: left panel single PEs (1 MAC/cycle), right panel MX dot products (k per cycle). */
export function sweepSvg(run: SweepRun): string {
  const pes = run.results.filter((r) => r.row.group === 'pe');
  const dots = run.results.filter((r) => r.row.group === 'mx-dot');
  const usable = W - LEFT - GAP - 20;
  const total = Math.max(pes.length + dots.length, 1);
  const peW = (usable * Math.max(pes.length, 1)) / total;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">mxgen area sweep: NAND2 gate equivalents per unit (${esc(run.yosys)})</text>`,
    ...panel({ title: 'single PEs, K = 32 exact accumulation', results: pes, x: LEFT, width: peW }),
    ...panel({
      title: 'MX dot products, k = 32 (32 products/cycle)',
      results: dots,
      x: LEFT + peW + GAP,
      width: usable - peW,
    }),
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11" fill="#555">mxgen_ge.lib (Nangate45 X1 areas / NAND2_X1); n/a = component kind not registered when the sweep ran</text>`,
    '</svg>',
  ];
  return `${lines.join('\n')}\n`;
}
