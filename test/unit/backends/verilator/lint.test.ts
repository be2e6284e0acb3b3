// verilator --lint-only -Wall: message parsing and a real run on small hand-written SV.
import { expect } from 'chai';
import { lintSv, parseVerilatorMessages } from '../../../../src/backends/index.js';

describe('verilator lint', () => {
  it('parses coded warnings, uncoded errors and drops the summary line', () => {
    const text = [
      "%Warning-WIDTH: l.sv:3:12: Operator ASSIGNW expects 3 bits on the Assign RHS, but Assign RHS's VARREF 'a' generates 4 bits.",
      '                         : ... In instance l',
      '    3 |   assign y = a;',
      "%Error: e.sv:1:18: syntax error, unexpected output, expecting ')'",
      '%Error: Exiting due to 1 error(s)',
    ].join('\n');
    const msgs = parseVerilatorMessages(text);
    expect(msgs).to.have.length(2);
    expect(msgs[0]).to.include({
      severity: 'warning',
      file: 'l.sv',
      line: 3,
      column: 12,
      code: 'WIDTH',
    });
    expect(msgs[1]).to.include({
      severity: 'error',
      file: 'e.sv',
      line: 1,
      column: 18,
      code: 'ERROR',
    });
  });

  it('finds nothing in clean SV', async () => {
    const sv =
      'module clean (\n  input  logic [3:0] a,\n  output logic [3:0] y\n);\n  assign y = ~a;\nendmodule\n';
    expect(await lintSv(sv, { fileName: 'clean.sv' })).to.deep.equal([]);
  });

  it('reports a width mismatch and an unused input with their locations', async () => {
    const sv =
      'module l (\n  input  logic [3:0] a,\n  input  logic       b,\n  output logic [2:0] y\n);\n  assign y = a;\nendmodule\n';
    const msgs = await lintSv(sv, { fileName: 'l.sv' });
    const width = msgs.find((m) => m.code === 'WIDTH');
    expect(width).to.include({ file: 'l.sv', line: 6, column: 12 });
    const unused = msgs.filter((m) => m.code === 'UNUSEDSIGNAL').map((m) => m.line);
    // a[3] is unused (line 2) and b is unused (line 3).
    expect(unused).to.deep.equal([2, 3]);
  });

  it('reports a syntax error as an error', async () => {
    const msgs = await lintSv('module e(input a output y); endmodule\n', { fileName: 'e.sv' });
    expect(msgs.some((m) => m.severity === 'error' && m.file === 'e.sv' && m.line === 1)).to.equal(
      true,
    );
  });
});
