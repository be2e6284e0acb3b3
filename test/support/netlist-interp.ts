// A tiny reference interpreter of the netlist contract (src/hdl/netlist.ts), written directly from
// its rules with BigInt and without flattening: each instance is evaluated in its own scope.
// Slow on purpose-free simplicity; the oracle for the native simulator's property tests.
import type { Cell, ModuleDef, Netlist } from '../../src/hdl/index.js';

const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
const sgn = (w: number, v: bigint): bigint => BigInt.asIntN(w, v);
const uns = (w: number, v: bigint): bigint => BigInt.asUintN(w, v);

function parity(v: bigint): bigint {
  let p = 0n;
  for (let x = v; x > 0n; x >>= 1n) p ^= x & 1n;
  return p;
}

export function evalCell(c: Cell, w: number, a: readonly bigint[], wa: number): bigint {
  const [x = 0n, y = 0n, z = 0n] = a;
  const b = (t: boolean): bigint => (t ? 1n : 0n);
  switch (c.op) {
    case 'const':
      return c.value ?? 0n;
    case 'zext':
      return x;
    case 'sext':
      return uns(w, sgn(wa, x));
    case 'slice':
      return (x >> BigInt(c.lo ?? 0)) & mask(w);
    case 'concat':
      throw new Error('concat handled by caller');
    case 'not':
      return mask(w) ^ x;
    case 'and':
      return x & y;
    case 'or':
      return x | y;
    case 'xor':
      return x ^ y;
    case 'add':
      return uns(w, x + y);
    case 'sub':
      return uns(w, x - y);
    case 'mul':
      return uns(w, x * y);
    case 'eq':
      return b(x === y);
    case 'ne':
      return b(x !== y);
    case 'ltU':
      return b(x < y);
    case 'leU':
      return b(x <= y);
    case 'ltS':
      return b(sgn(wa, x) < sgn(wa, y));
    case 'leS':
      return b(sgn(wa, x) <= sgn(wa, y));
    case 'shl':
      return uns(w, x << BigInt(c.amount ?? 0));
    case 'shrU':
      return x >> BigInt(c.amount ?? 0);
    case 'shrS':
      return uns(w, sgn(w, x) >> BigInt(c.amount ?? 0));
    case 'shlV':
      return y >= BigInt(w) ? 0n : uns(w, x << y);
    case 'shrUV':
      return y >= BigInt(w) ? 0n : x >> y;
    case 'shrSV':
      return uns(w, sgn(w, x) >> (y >= BigInt(w) ? BigInt(w) : y));
    case 'mux':
      return x !== 0n ? y : z;
    case 'andR':
      return b(x === mask(wa));
    case 'orR':
      return b(x !== 0n);
    case 'xorR':
      return parity(x);
  }
}

interface Scope {
  readonly mod: ModuleDef;
  readonly regs: bigint[];
  readonly mems: bigint[][];
  readonly children: Scope[];
  /** Values of this cycle (cleared after each edge or poke). */
  cache: Map<number, bigint>;
  /** Reads input port i of this scope. */
  readonly input: (port: number) => bigint;
}

export class NetlistInterpreter {
  private readonly root: Scope;
  private readonly inputs = new Map<string, bigint>();
  rst = 0n;

  constructor(readonly nl: Netlist) {
    const byName = new Map(nl.modules.map((m) => [m.name, m]));
    const make = (mod: ModuleDef, input: (port: number) => bigint): Scope => {
      const s: Scope = {
        mod,
        regs: mod.regs.map(() => 0n),
        mems: mod.mems.map((m) => new Array<bigint>(m.depth).fill(0n)),
        children: [],
        cache: new Map(),
        input,
      };
      for (const inst of mod.instances) {
        const child = byName.get(inst.module);
        if (!child) throw new Error(`missing module ${inst.module}`);
        s.children.push(
          make(child, (port) => {
            const name = child.ports[port]?.name;
            const conn = inst.inputs.find((c) => c.port === name);
            if (!conn) throw new Error(`unconnected ${name}`);
            return this.net(s, conn.net);
          }),
        );
      }
      return s;
    };
    const top = byName.get(nl.top);
    if (!top) throw new Error('no top');
    this.root = make(top, (port) => this.inputs.get(top.ports[port]?.name ?? '') ?? 0n);
  }

  poke(port: string, v: bigint): void {
    this.inputs.set(port, v);
    this.clear(this.root);
  }

  peek(port: string): bigint {
    const p = this.root.mod.ports.find((x) => x.name === port);
    if (!p) throw new Error(`no port ${port}`);
    return this.net(this.root, p.net);
  }

  /** One rising edge per the contract (evaluate everything first, then write). */
  step(): void {
    const writes: (() => void)[] = [];
    this.collect(this.root, writes);
    for (const w of writes) w();
    this.clear(this.root);
  }

  private collect(s: Scope, writes: (() => void)[]): void {
    s.mod.regs.forEach((r, i) => {
      // A register with init (reset value) takes it during reset; one without ignores rst.
      if (this.rst && r.init !== null) {
        writes.push(() => (s.regs[i] = r.init ?? 0n));
        return;
      }
      if (r.enable !== undefined && this.net(s, r.enable) === 0n) return;
      const d = this.net(s, r.d);
      writes.push(() => (s.regs[i] = d));
    });
    s.mod.mems.forEach((m, mi) => {
      const arr = s.mems[mi] as bigint[];
      if (this.rst) {
        writes.push(() => arr.fill(0n));
        return;
      }
      for (const wp of m.writePorts) {
        if (this.net(s, wp.en) === 0n) continue;
        const a = this.net(s, wp.addr);
        const d = this.net(s, wp.data);
        if (a < BigInt(m.depth)) writes.push(() => (arr[Number(a)] = d));
      }
    });
    for (const c of s.children) this.collect(c, writes);
  }

  private clear(s: Scope): void {
    s.cache = new Map();
    for (const c of s.children) this.clear(c);
  }

  private net(s: Scope, ref: number): bigint {
    const hit = s.cache.get(ref);
    if (hit !== undefined) return hit;
    const net = s.mod.nets[ref];
    if (!net) throw new Error(`no net ${ref}`);
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
        const p = child.mod.ports.find((x) => x.name === d.port);
        v = this.net(child, p?.net ?? -1);
        break;
      }
      case 'memRead': {
        const m = s.mod.mems[d.mem];
        const a = this.net(s, m?.readPorts[d.port]?.addr ?? -1);
        v = m && a < BigInt(m.depth) ? (s.mems[d.mem]?.[Number(a)] ?? 0n) : 0n;
        break;
      }
      case 'cell': {
        const args = d.cell.args.map((r) => this.net(s, r));
        if (d.cell.op === 'concat') {
          v = 0n;
          d.cell.args.forEach((r, i) => {
            v = (v << BigInt(s.mod.nets[r]?.width ?? 0)) | (args[i] ?? 0n);
          });
        } else {
          const wa = s.mod.nets[d.cell.args[0] ?? -1]?.width ?? net.width;
          v = evalCell(d.cell, net.width, args, wa);
        }
        break;
      }
    }
    s.cache.set(ref, v);
    return v;
  }
}
