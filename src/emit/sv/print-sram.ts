// SRAMs (memories of kind 'sram'): a real unpacked array `logic [W-1:0] name [0:D-1];` that
// Verilator, Icarus and Yosys (as `$mem`) all accept, `initial $readmemh("file", name);` for an
// init image, and in the always_ff block, outside any reset branch, the write and the registered
// read (non-blocking, so a read of the address being written returns the old word). Out-of-range
// addresses are guarded only when the address can reach past the last word.
import { addrWidth, type Mem, type Ref } from '../../hdl/index.js';
import { literal } from './expr.js';
import type { PreparedModule } from './prepare.js';

/** `[...]` index text of `addr` into an array of `depth` words: exactly addrWidth(depth) bits. */
function index(p: PreparedModule, addr: Ref, depth: number): string {
  const a = p.term(addr);
  const k = addrWidth(depth);
  if (a.width === k) return a.text;
  if (a.width > k) return `${a.text}[${k - 1}:0]`;
  return `{${k - a.width}'d0, ${a.text}}`;
}

/** The in-range test of `addr`, or undefined when every address value is a word. */
function inRange(p: PreparedModule, addr: Ref, depth: number): string | undefined {
  const a = p.term(addr);
  if (2 ** a.width <= depth) return undefined;
  return `${a.text} < ${a.width}'d${depth}`;
}

/** `logic [W-1:0] name [0:D-1];` (the caller adds waivers and comments). */
export function sramDecl(mem: Mem, name: string): string {
  return `logic ${mem.width === 1 ? '' : `[${mem.width - 1}:0] `}${name} [0:${mem.depth - 1}];`;
}

/** `initial $readmemh("file", name);` for every SRAM with an init image. */
export function sramInitials(p: PreparedModule, indent: string): string[] {
  const out: string[] = [];
  p.def.mems.forEach((mem, mi) => {
    if (mem.kind === 'sram' && mem.init !== undefined)
      out.push(`${indent}initial $readmemh("${mem.init}", ${p.sramNames[mi] ?? mem.name});`);
  });
  return out;
}

/** The always_ff statements of every SRAM (no reset: they sit outside the `if (rst)` branch). */
export function sramStatements(p: PreparedModule, indent: string): string[] {
  const out: string[] = [];
  p.def.mems.forEach((mem, mi) => {
    if (mem.kind !== 'sram') return;
    const name = p.sramNames[mi] ?? mem.name;
    const wp = mem.writePorts[0];
    if (wp) {
      const cond = [p.term(wp.en).text, inRange(p, wp.addr, mem.depth)].filter((c) => c);
      out.push(`${indent}// sram ${mem.name}: write port`);
      out.push(
        `${indent}if (${cond.join(' && ')}) ${name}[${index(p, wp.addr, mem.depth)}] <= ${p.term(wp.data).text};`,
      );
    }
    const rp = mem.readPorts[0];
    if (rp) {
      const q = p.names[rp.data] ?? p.term(rp.data).text;
      const word = `${name}[${index(p, rp.addr, mem.depth)}]`;
      const guard = inRange(p, rp.addr, mem.depth);
      const rhs = guard === undefined ? word : `(${guard}) ? ${word} : ${literal(mem.width, 0n)}`;
      out.push(`${indent}// sram ${mem.name}: registered read (the old word when written now)`);
      out.push(
        rp.en === undefined
          ? `${indent}${q} <= ${rhs};`
          : `${indent}if (${p.term(rp.en).text}) ${q} <= ${rhs};`,
      );
    }
  });
  return out;
}
