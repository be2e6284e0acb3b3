// The reference interpreter of the netlist contract (src/hdl/netlist.ts), written from its rules
// and not from the emitter or the simulator: BigInt values, demand-driven combinational
// evaluation, no flattening (each instance is evaluated in its own scope), registers and
// memories of every instance committed together on `step()`. Slow and simple on purpose. It is
// the oracle of the hdl tests (`evalComb`), the native simulator's property tests and the Icarus
// equivalence test of the emitted SV.
//
// Cycle use: set `rst`, `poke` the inputs, `peek` the outputs (settled values of this cycle),
// then `step()` (the rising edge). Power-up state is 0 everywhere, as in the native simulator.
import type { Cell, MemImages, ModuleDef, Netlist, Ref } from '../../src/hdl/index.js';

const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
const toS = (v: bigint, w: number): bigint => BigInt.asIntN(w, v);
const toU = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);

/** One cell's value from its operand values (`w` = cell width, `widths` = operand widths). */
export function evalCell(
  c: Cell,
  w: number,
  args: readonly bigint[],
  widths: readonly number[],
): bigint {
  const [a = 0n, b = 0n] = args;
  const wa = widths[0] ?? 0;
  switch (c.op) {
    case 'const':
      return c.value ?? 0n;
    case 'rom': // 0 past the end of the table
      return a < BigInt(c.table?.length ?? 0) ? (c.table?.[Number(a)] ?? 0n) : 0n;
    case 'zext':
      return a;
    case 'sext':
      return toU(toS(a, wa), w);
    case 'slice':
      return (a >> BigInt(c.lo ?? 0)) & mask(w);
    case 'concat': // args listed MSB first
      return args.reduce((acc, v, i) => (acc << BigInt(widths[i] ?? 0)) | v, 0n);
    case 'not':
      return a ^ mask(w);
    case 'and':
      return a & b;
    case 'or':
      return a | b;
    case 'xor':
      return a ^ b;
    case 'add':
      return toU(a + b, w);
    case 'sub':
      return toU(a - b, w);
    case 'mul':
      return toU(a * b, w);
    case 'eq':
      return a === b ? 1n : 0n;
    case 'ne':
      return a !== b ? 1n : 0n;
    case 'ltU':
      return a < b ? 1n : 0n;
    case 'leU':
      return a <= b ? 1n : 0n;
    case 'ltS':
      return toS(a, wa) < toS(b, wa) ? 1n : 0n;
    case 'leS':
      return toS(a, wa) <= toS(b, wa) ? 1n : 0n;
    case 'shl': // amounts may exceed w (e.g. 2^40): never build a 2^40-bit BigInt
      return (c.amount ?? 0) >= w ? 0n : toU(a << BigInt(c.amount ?? 0), w);
    case 'shrU':
      return (c.amount ?? 0) >= w ? 0n : a >> BigInt(c.amount ?? 0);
    case 'shrS':
      return toU(toS(a, w) >> BigInt(Math.min(c.amount ?? 0, w)), w);
    case 'shlV':
      return b >= BigInt(w) ? 0n : toU(a << b, w);
    case 'shrUV':
      return b >= BigInt(w) ? 0n : a >> b;
    case 'shrSV': // by >= w: every bit a copy of the sign, as by w
      return toU(toS(a, w) >> (b >= BigInt(w) ? BigInt(w) : b), w);
    case 'mux':
      return a === 1n ? b : (args[2] ?? 0n);
    case 'andR':
      return a === mask(wa) ? 1n : 0n;
    case 'orR':
      return a !== 0n ? 1n : 0n;
    case 'xorR': {
      let p = 0n;
      for (let v = a; v > 0n; v >>= 1n) p ^= v & 1n;
      return p;
    }
  }
}

/** One instance: its definition, state, child instances and how it reads its input ports. */
interface Scope {
  readonly def: ModuleDef;
  readonly regs: bigint[];
  readonly mems: bigint[][];
  /** Per memory: an SRAM's read register (unused for register files). */
  readonly sramQ: bigint[];
  readonly children: Scope[];
  /** The value of input port `port` (an index into `def.ports`). */
  readonly input: (port: number) => bigint;
  /** Net values of this cycle (cleared after each edge or poke). */
  memo: Map<Ref, bigint>;
}

export class NetlistInterpreter {
  /** `rst` of the current cycle (1n or 0n); only clocked designs read it. */
  rst = 0n;
  private readonly root: Scope;
  private readonly inputs = new Map<string, bigint>();

  /** `images`: SRAM init images by file name (power-up content; netlist.ts). */
  constructor(
    readonly nl: Netlist,
    images: MemImages = new Map(),
  ) {
    const byName = new Map(nl.modules.map((m) => [m.name, m]));
    const make = (name: string, input: (port: number) => bigint): Scope => {
      const def = byName.get(name);
      if (!def) throw new Error(`the netlist has no module ${name}`);
      const s: Scope = {
        def,
        regs: def.regs.map(() => 0n), // power-up: 0 (netlist.ts)
        mems: def.mems.map((m) => {
          if (m.kind !== 'sram' || m.init === undefined) return new Array<bigint>(m.depth).fill(0n);
          const img = images.get(m.init);
          if (!img || img.words.length !== m.depth) throw new Error(`no image ${m.init}`);
          return [...img.words];
        }),
        sramQ: def.mems.map(() => 0n),
        children: [],
        input,
        memo: new Map(),
      };
      for (const inst of def.instances) {
        const child: Scope = make(inst.module, (port) => {
          const pname = child.def.ports[port]?.name;
          const conn = inst.inputs.find((c) => c.port === pname);
          if (!conn) throw new Error(`${inst.name}.${pname} is not connected`);
          return this.net(s, conn.net);
        });
        s.children.push(child);
      }
      return s;
    };
    this.root = make(nl.top, (port) => {
      const p = this.root.def.ports[port];
      return p ? toU(this.inputs.get(p.name) ?? 0n, p.width) : 0n;
    });
  }

  /** Sets an input port for this cycle (kept modulo 2^width: negative = two's complement). */
  poke(port: string, v: bigint | number): void {
    const p = this.root.def.ports.find((x) => x.name === port && x.dir === 'in');
    if (!p) throw new Error(`${this.nl.top} has no input port ${port}`);
    this.inputs.set(port, toU(BigInt(v), p.width));
    this.clear(this.root);
  }

  /** An output (or input) port's settled value in this cycle, as an unsigned bit pattern. */
  peek(port: string): bigint {
    const p = this.root.def.ports.find((x) => x.name === port);
    if (!p) throw new Error(`${this.nl.top} has no port ${port}`);
    return this.net(this.root, p.net);
  }

  /** One rising edge with the current `rst`: every register and memory of every instance. */
  step(): void {
    const writes: (() => void)[] = [];
    this.collect(this.root, writes);
    for (const w of writes) w();
    this.clear(this.root);
  }

  /** `cycles` edges with rst = 1 (inputs as poked), then rst = 0. */
  reset(cycles = 1): void {
    this.rst = 1n;
    for (let i = 0; i < cycles; i++) this.step();
    this.rst = 0n;
  }

  /** Every write of the coming edge, computed from this cycle's values before any is applied. */
  private collect(s: Scope, writes: (() => void)[]): void {
    const rst = this.rst !== 0n;
    s.def.regs.forEach((r, i) => {
      // A register with init takes it during reset; one with init null ignores rst entirely.
      if (rst && r.init !== null) {
        const init = r.init;
        writes.push(() => (s.regs[i] = init));
        return;
      }
      if (r.enable !== undefined && this.net(s, r.enable) !== 1n) return;
      const d = this.net(s, r.d);
      writes.push(() => (s.regs[i] = d));
    });
    s.def.mems.forEach((m, mi) => {
      const words = s.mems[mi] as bigint[];
      if (m.kind === 'sram') {
        // No reset at all: the write and the read register work during rst too; the read
        // register samples the words before this edge's write (read-during-write: old word).
        const rp = m.readPorts[0];
        if (rp && (rp.en === undefined || this.net(s, rp.en) === 1n)) {
          const a = this.net(s, rp.addr);
          const q = a < BigInt(m.depth) ? (words[Number(a)] ?? 0n) : 0n;
          writes.push(() => (s.sramQ[mi] = q));
        }
        const wp = m.writePorts[0];
        if (wp && this.net(s, wp.en) === 1n) {
          const a = this.net(s, wp.addr);
          const d = this.net(s, wp.data);
          if (a < BigInt(m.depth)) writes.push(() => (words[Number(a)] = d));
        }
        return;
      }
      if (rst) {
        writes.push(() => words.fill(0n));
        return;
      }
      for (const wp of m.writePorts) {
        if (this.net(s, wp.en) !== 1n) continue;
        const a = this.net(s, wp.addr);
        const d = this.net(s, wp.data);
        if (a < BigInt(m.depth)) writes.push(() => (words[Number(a)] = d)); // later ports win
      }
    });
    for (const c of s.children) this.collect(c, writes);
  }

  private clear(s: Scope): void {
    s.memo = new Map();
    for (const c of s.children) this.clear(c);
  }

  private net(s: Scope, ref: Ref): bigint {
    const hit = s.memo.get(ref);
    if (hit !== undefined) return hit;
    const net = s.def.nets[ref];
    if (!net) throw new Error(`${s.def.name} has no net ${ref}`);
    const d = net.driver;
    let v: bigint;
    switch (d.kind) {
      case 'input':
        v = s.input(d.port);
        break;
      case 'wire':
        v = this.net(s, d.src);
        break;
      case 'reg':
        v = s.regs[d.reg] ?? 0n;
        break;
      case 'inst': {
        const child = s.children[d.inst] as Scope;
        const p = child.def.ports.find((x) => x.name === d.port);
        if (!p) throw new Error(`${child.def.name} has no port ${d.port}`);
        v = this.net(child, p.net);
        break;
      }
      case 'memRead': {
        const m = s.def.mems[d.mem];
        if (m?.kind === 'sram') {
          v = s.sramQ[d.mem] ?? 0n;
          break;
        }
        const a = this.net(s, m?.readPorts[d.port]?.addr ?? -1);
        v = m && a < BigInt(m.depth) ? (s.mems[d.mem]?.[Number(a)] ?? 0n) : 0n;
        break;
      }
      case 'cell': {
        const args = d.cell.args.map((r) => this.net(s, r));
        const widths = d.cell.args.map((r) => s.def.nets[r]?.width ?? 0);
        v = evalCell(d.cell, net.width, args, widths);
        break;
      }
    }
    s.memo.set(ref, v);
    return v;
  }
}

/** Evaluates a purely combinational top module once: the value of `output` for `inputs`. */
export function evalComb(
  nl: Netlist,
  inputs: Readonly<Record<string, bigint>>,
  output: string,
): bigint {
  const e = new NetlistInterpreter(nl);
  for (const [k, v] of Object.entries(inputs)) e.poke(k, v);
  return e.peek(output);
}
