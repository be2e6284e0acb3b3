// Icarus simulation of emitted SV against the reference interpreter
// (test/support/netlist-interp.ts, written from netlist.ts): seeded edge-heavy stimulus, a
// self-checking testbench, one vvp run per design. Used by icarus-equiv.test.ts and regressions.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runTool, writeImages } from '../../../src/backends/index.js';
import type { SvModuleInfo, SvOutput } from '../../../src/emit/sv/index.js';
import type { MemImages, Netlist } from '../../../src/hdl/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';

/** splitmix64: a seeded, portable stream of 64-bit values. */
export function rng(seed: bigint): () => bigint {
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
export function valueOf(next: () => bigint, w: number): bigint {
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

export function testbench(
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

export interface IcarusCheck {
  /** Output values compared. */
  readonly checked: number;
  /** The first few `MISMATCH ...` lines of the Icarus run (empty when all match). */
  readonly mismatches: readonly string[];
  /** Whether Icarus printed the final `CHECKED n MISMATCHES 0` line for all `checked` values. */
  readonly clean: boolean;
}

/**
 * Simulates the emitted `sv` of `nl` in Icarus on seeded random stimulus (`resetCycles` cycles of
 * reset, during which 1-bit inputs are 1 so enabled registers without reset get loaded, then
 * `cycles` compared cycles) and compares each output with the reference interpreter. With
 * `viaYosys`, the SV is first read by Yosys (`proc; opt -purge`) and its `write_verilog` output
 * is simulated instead: that checks Yosys's reading of the SV. Files go to `<dir>/<label>_*`.
 */
export async function checkInIcarus(
  nl: Netlist,
  sv: SvOutput,
  opts: {
    dir: string;
    label: string;
    seed: bigint;
    cycles: number;
    resetCycles: number;
    viaYosys?: boolean;
    /** SRAM init images: the reference loads them; their .hex files go into `dir`, vvp's cwd. */
    images?: MemImages;
  },
): Promise<IcarusCheck> {
  const top = sv.modules[sv.modules.length - 1] as SvModuleInfo;
  const interp = new NetlistInterpreter(nl, opts.images);
  const next = rng(opts.seed);
  const ins = top.ports.filter((p) => p.dir === 'in');
  const outs = top.ports.filter((p) => p.dir === 'out');
  const cycles: { rst: boolean; ins: bigint[]; outs: bigint[] | null }[] = [];
  const reset = top.clocked ? opts.resetCycles : 0;
  let checked = 0;
  for (let t = 0; t < reset + opts.cycles; t++) {
    const rst = t < reset;
    const vals = ins.map((p) => (rst && p.width === 1 ? 1n : valueOf(next, p.width)));
    interp.rst = rst ? 1n : 0n;
    ins.forEach((p, i) => interp.poke(p.name, vals[i] ?? 0n));
    const got = rst ? null : outs.map((p) => interp.peek(p.name));
    if (got) checked += got.length;
    cycles.push({ rst, ins: vals, outs: got });
    interp.step();
  }
  const sub = join(opts.dir, opts.label);
  let files = sv.files.map((f) => `${sub}_${f.name}`);
  sv.files.forEach((f, i) => writeFileSync(files[i] as string, f.text));
  if (opts.viaYosys) {
    const out = `${sub}_yosys.v`;
    const script = `read_verilog -sv ${files.join(' ')}; hierarchy -top ${top.svName}; proc; opt -purge; write_verilog -noattr ${out}`;
    await runTool('yosys', ['-q', '-p', script]);
    files = [out];
  }
  const tb = `${sub}_tb.sv`;
  writeFileSync(tb, testbench(top, cycles));
  const exe = resolve(`${sub}.vvp`);
  await runTool('iverilog', ['-g2012', '-s', 'tb', '-o', exe, tb, ...files]);
  writeImages(opts.dir, opts.images);
  // $readmemh opens image files relative to the working directory.
  const r = await runTool('vvp', ['-n', exe], { cwd: opts.dir });
  return {
    checked,
    mismatches: r.stdout
      .split('\n')
      .filter((l) => l.startsWith('MISMATCH'))
      .slice(0, 5),
    clean: r.stdout.includes(`CHECKED ${checked} MISMATCHES 0`),
  };
}
