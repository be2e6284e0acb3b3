// The area sweep (scripts/area-sweep.ts): a small subset synthesized for real with the system
// Yosys (cached), checked for properties that hold whatever the exact gate counts; and the CSV,
// Markdown and SVG writers on a hand-made run (exact bytes, determinism, bar geometry).
import { expect } from 'chai';
import type { AreaTotals } from '../../src/backends/index.js';
import { listComponents } from '../../src/components/index.js';
import {
  runSweep,
  SWEEP_K,
  SWEEP_ROWS,
  sweepCsv,
  sweepRatios,
  type SweepRow,
  type SweepRun,
} from '../../scripts/area-sweep.js';
import { sweepSvg, tickStep } from '../../scripts/area-sweep-chart.js';
import { sweepMarkdown } from '../../scripts/area-sweep-doc.js';

const row = (id: string): SweepRow => {
  const r = SWEEP_ROWS.find((x) => x.id === id);
  if (!r) throw new Error(`no sweep row ${id}`);
  return r;
};

function totals(ge: number): AreaTotals {
  return {
    cells: 10,
    cellsByType: {},
    flipFlops: 2,
    transistors: 60,
    gateEquivalents: ge,
    memoryBits: 0,
    memoryGateEquivalents: 0,
    libCellsByType: {},
    logicDepth: 3,
  };
}

// Hand-made run: int4 100 GE, int8 250 GE, one MX dot 3200 GE (32 products: 100 GE/product),
// the OliVe kind missing.
const FAKE: SweepRun = {
  yosys: 'Yosys 0.0 (test)',
  results: [
    { row: row('int4'), status: 'ok', module: 'pe_int4', totals: totals(100) },
    { row: row('int8'), status: 'ok', module: 'pe_int8', totals: totals(250) },
    { row: row('olive4'), status: 'missing', reason: 'kind olive-pe is not registered' },
    { row: row('mx-dot-mxfp8_e4m3'), status: 'ok', module: 'dot', totals: totals(3200) },
  ],
};

describe('area sweep: writers', () => {
  it('CSV: one line per row, missing rows keep their reason', () => {
    expect(sweepCsv(FAKE).split('\n')).to.deep.equal([
      'id,label,group,kind,module,products_per_cycle,cells,flip_flops,transistors,gate_equivalents,ge_per_product,logic_depth,status,yosys',
      'int4,int4,pe,mac-array,pe_int4,1,10,2,60,100.000,100.000,3,ok,Yosys 0.0 (test)',
      'int8,int8,pe,mac-array,pe_int8,1,10,2,60,250.000,250.000,3,ok,Yosys 0.0 (test)',
      'olive4,olive4,pe,olive-pe,,,,,,,,,kind olive-pe is not registered,',
      'mx-dot-mxfp8_e4m3,MX e4m3,mx-dot,mx-dot,dot,32,10,2,60,3200.000,100.000,3,ok,Yosys 0.0 (test)',
      '',
    ]);
  });

  it('ratios: 250 / 100 = 2.5 for int8/int4, undefined where a row is missing', () => {
    const r = new Map(sweepRatios(FAKE).map((x) => [x.name, x.value]));
    expect(r.get('int8 PE / int4 PE')).to.equal(2.5);
    expect(r.get('olive4 PE / int4 PE')).to.equal(undefined);
    expect(r.get('scalable 8/2 PE / int8 PE')).to.equal(undefined);
  });

  it('tick steps are 1, 2 or 5 times a power of ten, about five per axis', () => {
    // 250/5 = 50 → 50; 1059/5 = 211.8 → 500; 3200/5 = 640 → 1000; 100/5 = 20 → 20.
    expect([250, 1059, 3200, 100].map(tickStep)).to.deep.equal([50, 500, 1000, 20]);
  });

  it('SVG: one bar per measured row, heights proportional to GE, n/a for a missing row', () => {
    const svg = sweepSvg(FAKE);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true);
    expect(svg.endsWith('</svg>\n')).to.equal(true);
    const bars = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"/g)];
    expect(bars.length).to.equal(3);
    const [h4, h8] = bars.map((b) => Number(b[1]));
    // Same panel, same axis: 250 GE is 2.5 times as tall as 100 GE (0.1 px rounding).
    expect(Math.abs((h8 ?? 0) - 2.5 * (h4 ?? 0))).to.be.lessThan(0.3);
    for (const label of ['int4', 'int8', 'olive4', 'MX e4m3', 'area (GE, NAND2 = 1)'])
      expect(svg).to.include(`>${label}</text>`);
    expect(svg).to.include('>n/a</text>');
    expect(svg).to.include('Yosys 0.0 (test)');
  });

  it('the writers are deterministic (same run, same bytes)', () => {
    const copy = JSON.parse(JSON.stringify(FAKE)) as SweepRun;
    expect(sweepSvg(copy)).to.equal(sweepSvg(FAKE));
    expect(sweepCsv(copy)).to.equal(sweepCsv(FAKE));
    const md = sweepMarkdown(FAKE, sweepRatios(FAKE));
    expect(sweepMarkdown(copy, sweepRatios(copy))).to.equal(md);
    expect(md).to.include('| int8 PE / int4 PE | 2.50× |');
    expect(md).to.include('- olive4 (`olive-pe`): kind olive-pe is not registered.');
  });
});

describe('area sweep: a subset synthesized with the system Yosys', () => {
  const kinds = new Set(listComponents().map((k) => k.kind));
  let run: SweepRun;
  const ids = ['int4', 'int8', 'scalable-8-2'];
  before(async () => {
    run = await runSweep(ids.map(row), { tool: 'system' });
  });
  const ge = (id: string): number => {
    const r = run.results.find((x) => x.row.id === id);
    if (r?.status !== 'ok') throw new Error(`${id} was not measured`);
    return r.totals.gateEquivalents;
  };

  it('records the system Yosys 0.23 and measures the registered kinds', () => {
    expect(run.yosys).to.match(/^Yosys 0\.23 /);
    for (const r of run.results)
      expect(r.status, r.row.id).to.equal(kinds.has(r.row.kind) ? 'ok' : 'missing');
  });

  it('an int4 PE is smaller than an int8 PE (K = 32 both)', () => {
    expect(row('int4').config).to.deep.include({ depth: SWEEP_K });
    expect(ge('int4')).to.be.lessThan(ge('int8'));
  });

  it('the precision-scalable 8/2 PE is larger than the fixed int8 PE', () => {
    expect(kinds.has('scalable-pe')).to.equal(true);
    expect(ge('scalable-8-2')).to.be.greaterThan(ge('int8'));
  });

  it('a second run gives the same CSV bytes (cached, deterministic)', async () => {
    const again = await runSweep(ids.map(row), { tool: 'system' });
    expect(sweepCsv(again)).to.equal(sweepCsv(run));
  });
});
