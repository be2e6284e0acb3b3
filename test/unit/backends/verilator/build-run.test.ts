// A real Verilator build of hand-written SV through the wrapper and harness: cycle contract,
// wide ports, several vector sets in one process, and the build cache.
import { expect } from 'chai';
import {
  buildVerilator,
  harnessSource,
  mergeSv,
  runHarness,
  wrapDesigns,
} from '../../../../src/backends/index.js';

// A counter with enable and a 70-bit accumulator (registers with reset), and a combinational
// 130-bit port design, built side by side in one model.
const ACC = `module acc (
  input  logic        clk,
  input  logic        rst,
  input  logic        en,
  input  logic [69:0] a,
  output logic [69:0] q,
  output logic [7:0]  c
);
  always_ff @(posedge clk) begin
    if (rst) begin
      q <= 70'h0;
      c <= 8'h0;
    end else if (en) begin
      q <= q + a;
      c <= c + 8'h1;
    end
  end
endmodule
`;
const WIDE = `module wide (
  input  logic [129:0] x,
  input  logic [40:0]  s,
  output logic [129:0] nx,
  output logic [41:0]  s1
);
  assign nx = ~x;
  assign s1 = {1'b0, s} + 42'h1;
endmodule
`;

describe('verilator build and run', function () {
  this.timeout(10 * 60_000);

  const w = wrapDesigns([
    {
      top: 'acc',
      clocked: true,
      ports: [
        { name: 'en', dir: 'in', width: 1 },
        { name: 'a', dir: 'in', width: 70 },
        { name: 'q', dir: 'out', width: 70 },
        { name: 'c', dir: 'out', width: 8 },
      ],
    },
    {
      top: 'wide',
      clocked: false,
      ports: [
        { name: 'x', dir: 'in', width: 130 },
        { name: 's', dir: 'in', width: 41 },
        { name: 'nx', dir: 'out', width: 130 },
        { name: 's1', dir: 'out', width: 42 },
      ],
    },
  ]);
  const input = {
    sv: mergeSv([ACC, WIDE, w.sv]),
    top: 'mxgen_cosim_top',
    harness: harnessSource(w.spec),
  };

  it('follows the cycle contract: outputs sampled before the edge, reset as an input column', async () => {
    const b = await buildVerilator(input);
    const big = (1n << 69n) + 5n;
    const x = (1n << 129n) | 0xdeadbeefn;
    const all130 = (1n << 130n) - 1n;
    // columns: rst, en, a, x, s
    const rows = [
      [1n, 0n, 0n, x, (1n << 41n) - 1n],
      [0n, 1n, big, 0n, 7n],
      [0n, 1n, big, all130, 0n],
      [0n, 0n, 3n, 0n, 0n],
    ];
    const [out] = await runHarness(b.exe, w.spec, [rows]);
    // columns: q, c, nx, s1. Hand calculation:
    // t0: reset cycle, registers start at 0 -> q=0 c=0; nx = ~x; s1 = (2^41-1)+1 = 2^41.
    // t1: sampled before the edge, q=0 c=0; edge adds a: q = 2^69+5, c = 1. s1 = 8.
    // t2: q = 2^69+5, c = 1; edge: q = 2*(2^69+5) mod 2^70 = 10, c = 2. nx = 0.
    // t3: en=0: q = 10, c = 2 (and they hold).
    expect(out).to.deep.equal([
      [0n, 0n, all130 ^ x, 1n << 41n],
      [0n, 0n, all130, 8n],
      [big, 1n, 0n, 1n],
      [10n, 2n, all130, 1n],
    ]);
  });

  it('runs several vector sets in one process, each on a fresh model', async () => {
    const b = await buildVerilator(input);
    const set = [
      [0n, 1n, 1n, 0n, 0n],
      [0n, 1n, 1n, 0n, 0n],
      [0n, 0n, 0n, 0n, 0n],
    ];
    const outs = await runHarness(b.exe, w.spec, [set, set]);
    // Without reset the registers start at 0 (--x-initial 0): q = 0, 1, 2 sampled per cycle.
    const q = outs.map((o) => o.map((r) => r[0]));
    expect(q).to.deep.equal([
      [0n, 1n, 2n],
      [0n, 1n, 2n],
    ]);
  });

  it('reuses the cached build for the same inputs', async () => {
    const first = await buildVerilator(input);
    const again = await buildVerilator(input);
    expect(again.hit).to.equal(true);
    expect(again.exe).to.equal(first.exe);
  });

  it('rejects a stimulus value wider than its port', async () => {
    const b = await buildVerilator(input);
    const rows = [[0n, 2n, 0n, 0n, 0n]];
    let err: unknown;
    try {
      await runHarness(b.exe, w.spec, [rows]);
    } catch (e) {
      err = e;
    }
    expect(String(err)).to.match(/does not fit in 1 bits/);
  });
});
