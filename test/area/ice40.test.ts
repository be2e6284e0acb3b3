// iCE40 counts (`synth_ice40 -noflatten`, AreaOptions.ice40 and `mxgen area --ice40`) on a tiny
// hand-written design, with the expected cells derived by hand from the iCE40 logic cell.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  formatIce40Table,
  synthArea,
  type AreaReport,
  type Ice40Report,
  type YosysKind,
} from '../../src/backends/index.js';

// Two 8-bit adders (9-bit exact sums) in their own module, both sums registered with a
// synchronous reset in the top.
const ADD8 = `module ice_add8 (
  input  logic [7:0] a,
  input  logic [7:0] b,
  output logic [8:0] s
);
  assign s = {1'b0, a} + {1'b0, b};
endmodule
`;
const TOP = `module ice_top (
  input  logic       clk,
  input  logic       rst,
  input  logic [7:0] a,
  input  logic [7:0] b,
  input  logic [7:0] c,
  input  logic [7:0] d,
  output logic [8:0] x,
  output logic [8:0] y
);
  logic [8:0] ab;
  logic [8:0] cd;
  ice_add8 u_ab (.a(a), .b(b), .s(ab));
  ice_add8 u_cd (.a(c), .b(d), .s(cd));
  always_ff @(posedge clk)
    if (rst) begin
      x <= 9'd0;
      y <= 9'd0;
    end else begin
      x <= ab;
      y <= cd;
    end
endmodule
`;
const SOURCES = [
  { name: 'ice_add8.sv', text: ADD8 },
  { name: 'ice_top.sv', text: TOP },
];

/**
 * Hand count. An iCE40 logic cell is a LUT4 plus a carry cell: an n-bit adder is n LUT4s
 * (sum_i = a_i ^ b_i ^ carry_i, the carry entering on I3) and n SB_CARRYs (carry_{i+1}, the last
 * one being sum bit n). The top's 18 register bits with synchronous reset and no enable are 18
 * SB_DFFSR and need no LUT.
 */
function expectHandCounts(r: Ice40Report): void {
  expect(r.top).to.equal('ice_top');
  expect(r.modules.map((m) => m.name)).to.deep.equal(['ice_add8', 'ice_top']);
  const [add, top] = r.modules;
  expect(add).to.deep.include({ instances: 2, luts: 8, carries: 8, flipFlops: 0, rams: 0 });
  expect(add?.cellsByType).to.deep.equal({ SB_CARRY: 8, SB_LUT4: 8 });
  expect(top).to.deep.include({ instances: 1, luts: 0, carries: 0, flipFlops: 18, rams: 0 });
  expect(top?.cellsByType).to.deep.equal({ SB_DFFSR: 18 });
  expect(top?.submodules).to.deep.equal({ ice_add8: 2 });
  expect(r.total).to.deep.equal({
    cells: 50,
    luts: 16,
    carries: 16,
    flipFlops: 18,
    rams: 0,
    cellsByType: { SB_CARRY: 16, SB_DFFSR: 18, SB_LUT4: 16 },
  });
}

for (const tool of ['system', 'yowasp'] as const satisfies readonly YosysKind[]) {
  describe(`iCE40 counts with ${tool} Yosys`, () => {
    let r: AreaReport;
    before(async () => {
      r = await synthArea(SOURCES, 'ice_top', { tool, ice40: true });
    });

    it('counts LUT4s, carries and flip-flops per module and in total', () => {
      expect(r.ice40, 'report.ice40').to.not.equal(undefined);
      if (r.ice40) expectHandCounts(r.ice40);
    });

    it('leaves the generic area report as without the option', async () => {
      const plain = await synthArea(SOURCES, 'ice_top', { tool });
      expect(plain.ice40).to.equal(undefined);
      const { ice40: _dropped, ...rest } = r;
      expect(rest).to.deep.equal(plain);
    });
  });
}

describe('iCE40 counts: parse and print', () => {
  it('text and JSON stat give the same report, uncached as cached', async () => {
    const text = await synthArea(SOURCES, 'ice_top', {
      tool: 'system',
      ice40: true,
      statFormat: 'text',
      cacheDir: null,
    });
    const json = await synthArea(SOURCES, 'ice_top', {
      tool: 'system',
      ice40: true,
      statFormat: 'json',
    });
    expect(text.ice40).to.deep.equal(json.ice40);
  });

  it('prints one row per module and the total', async () => {
    const r = await synthArea(SOURCES, 'ice_top', { tool: 'system', ice40: true });
    if (!r.ice40) throw new Error('no ice40 report');
    const lines = formatIce40Table(r.ice40).split('\n');
    expect(lines[0]).to.equal('ice_top: iCE40 (synth_ice40 -noflatten)');
    expect(lines[1]).to.match(/^module\s+count\s+LUT4\s+carry\s+DFF\s+RAM4K\s+cells$/);
    expect(lines[2]).to.match(/^ice_add8\s+2\s+8\s+8\s+0\s+0\s+16$/);
    expect(lines[4]).to.match(/^total\s+16\s+16\s+18\s+0\s+50$/);
  });
});

describe('mxgen area --ice40', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-ice40-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the iCE40 table after the area table and keeps it in area.json', () => {
    for (const s of SOURCES) writeFileSync(join(dir, s.name), s.text);
    const files = SOURCES.map((s) => s.name);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ top: 'ice_top', files }));
    const run = spawnSync(
      process.execPath,
      [resolve('bin/mxgen.js'), 'area', dir, '--tool', 'system', '--ice40'],
      { cwd: dir, encoding: 'utf8', timeout: 300_000 },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^ice_top: iCE40 \(synth_ice40 -noflatten\)$/m);
    expect(run.stdout).to.match(/^total\s+16\s+16\s+18\s+0\s+50$/m);
    const rep = JSON.parse(readFileSync(join(dir, 'area.json'), 'utf8')) as AreaReport;
    if (!rep.ice40) throw new Error('area.json has no ice40 section');
    expectHandCounts(rep.ice40);
  });
});
