// The emitted SV means what the netlist contract says: every catalogue design is simulated in
// Icarus on seeded random stimulus and compared, cycle by cycle and port by port, with the
// reference netlist interpreter (test/support/netlist-interp.ts, written from netlist.ts).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../../src/backends/index.js';
import { emitSv, type SvModuleInfo } from '../../../src/emit/sv/index.js';
import { elaborate } from '../../../src/hdl/index.js';
import { CATALOGUE } from '../../designs/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';

const RESET_CYCLES = 4;
const CYCLES = 48 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

/** splitmix64: a seeded, portable stream of 64-bit values. */
function rng(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

/** Edge-heavy values of width w: 0, all ones, top bit only, small (shift amounts), random. */
function valueOf(next: () => bigint, w: number): bigint {
  const mask = (1n << BigInt(w)) - 1n;
  let r = 0n;
  for (let i = 0; i < w; i += 64) r = (r << 64n) | next();
  switch (Number(next() % 6n)) {
    case 0:
      return 0n;
    case 1:
      return mask;
    case 2:
      return 1n << BigInt(w - 1);
    case 3:
      return (next() % BigInt(w + 3)) & mask;
    default:
      return r & mask;
  }
}

const hex = (w: number, v: bigint): string => `${w}'h${v.toString(16)}`;

function testbench(
  top: SvModuleInfo,
  cycles: { rst: boolean; ins: bigint[]; outs: bigint[] | null }[],
): string {
  const ins = top.ports.filter((p) => p.dir === 'in');
  const outs = top.ports.filter((p) => p.dir === 'out');
  const decl = (w: number, n: string): string => `  logic ${w > 1 ? `[${w - 1}:0] ` : ''}${n};`;
  const lines = ['module tb;', '  integer errors = 0;', '  integer checks = 0;'];
  if (top.clocked) lines.push("  logic clk = 1'b0;", '  logic rst;');
  for (const p of top.ports) lines.push(decl(p.width, `p_${p.svName}`));
  const conns = [
    ...(top.clocked ? ['.clk(clk)', '.rst(rst)'] : []),
    ...top.ports.map((p) => `.${p.svName}(p_${p.svName})`),
  ];
  lines.push(`  ${top.svName} dut (${conns.join(', ')});`, '  initial begin');
  cycles.forEach((c, t) => {
    const set = ins.map((p, i) => `p_${p.svName} = ${hex(p.width, c.ins[i] ?? 0n)};`);
    if (top.clocked) set.unshift(`rst = 1'b${c.rst ? 1 : 0};`);
    lines.push(`    ${set.join(' ')}`, '    #1;');
    c.outs?.forEach((v, i) => {
      const p = outs[i];
      if (!p) return;
      const want = hex(p.width, v);
      lines.push(
        `    checks = checks + 1; if (p_${p.svName} !== ${want}) begin errors = errors + 1; ` +
          `$display("MISMATCH cycle ${t} port ${p.name}: sv %h, netlist %h", p_${p.svName}, ${want}); end`,
      );
    });
    if (top.clocked) lines.push("    clk = 1'b1; #1; clk = 1'b0;");
  });
  lines.push(
    '    $display("CHECKED %0d MISMATCHES %0d", checks, errors);',
    '    $finish;',
    '  end',
    'endmodule',
    '',
  );
  return lines.join('\n');
}

describe('emitted SV simulated in Icarus equals the netlist contract', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-equiv-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const design of CATALOGUE) {
    it(`${design.name}: ${CYCLES} random cycles match port by port`, async () => {
      const nl = elaborate(design.build());
      const sv = emitSv(nl);
      const top = sv.modules[sv.modules.length - 1] as SvModuleInfo;
      const interp = new NetlistInterpreter(nl);
      let seed = 1n;
      for (const ch of design.name) seed = (seed * 131n + BigInt(ch.charCodeAt(0))) % (1n << 61n);
      const next = rng(seed);
      const ins = top.ports.filter((p) => p.dir === 'in');
      const outs = top.ports.filter((p) => p.dir === 'out');
      const cycles: { rst: boolean; ins: bigint[]; outs: bigint[] | null }[] = [];
      const reset = top.clocked ? RESET_CYCLES : 0;
      let expected = 0;
      for (let t = 0; t < reset + CYCLES; t++) {
        const rst = t < reset;
        // During reset every 1-bit input is 1, so enabled registers without reset get loaded.
        const vals = ins.map((p) => (rst && p.width === 1 ? 1n : valueOf(next, p.width)));
        interp.rst = rst ? 1n : 0n;
        ins.forEach((p, i) => interp.poke(p.name, vals[i] ?? 0n));
        const got = rst ? null : outs.map((p) => interp.peek(p.name));
        if (got) expected += got.length;
        cycles.push({ rst, ins: vals, outs: got });
        interp.step();
      }
      const sub = join(dir, design.name);
      const files = sv.files.map((f) => join(`${sub}_${f.name}`));
      sv.files.forEach((f, i) => writeFileSync(files[i] as string, f.text));
      const tb = `${sub}_tb.sv`;
      writeFileSync(tb, testbench(top, cycles));
      const exe = `${sub}.vvp`;
      await runTool('iverilog', ['-g2012', '-s', 'tb', '-o', exe, tb, ...files]);
      const r = await runTool('vvp', ['-n', exe]);
      const mismatches = r.stdout.split('\n').filter((l) => l.startsWith('MISMATCH'));
      expect(mismatches.slice(0, 5).join('\n')).to.equal('');
      expect(r.stdout).to.contain(`CHECKED ${expected} MISMATCHES 0`);
    });
  }
});
