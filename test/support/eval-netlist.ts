// A tiny reference interpreter over a Netlist, written from the contract in src/hdl/netlist.ts
// (not from the emitter or the simulator): demand-driven combinational evaluation with BigInt,
// registers and memories committed together on `step()`. Slow and simple on purpose.
import type { Cell, ModuleDef, Netlist, Ref } from '../../src/hdl/index.js';

const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
const toS = (v: bigint, w: number): bigint => BigInt.asIntN(w, v);
const toU = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);

/** One cell's value from its operand values (`w` = cell width, `wa` = width of args[0]). */
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
    case 'zext':
      return a;
    case 'sext':
      return toU(toS(a, wa), w);
    case 'slice':
      return (a >> BigInt(c.lo ?? 0)) & mask(w);
    case 'concat':
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
    case 'shl':
      return toU(a << BigInt(c.amount ?? 0), w);
    case 'shrU':
      return a >> BigInt(c.amount ?? 0);
    case 'shrS':
      return toU(toS(a, w) >> BigInt(c.amount ?? 0), w);
    case 'shlV':
      return b >= BigInt(w) ? 0n : toU(a << b, w);
    case 'shrUV':
      return b >= BigInt(w) ? 0n : a >> b;
    case 'shrSV':
      return toU(toS(a, w) >> (b >= BigInt(w) ? BigInt(w) : b), w);
    case 'mux':
      return args[0] === 1n ? b : (args[2] ?? 0n);
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

interface InstState {
  readonly def: ModuleDef;
  readonly regs: bigint[];
  readonly mems: bigint[][];
  readonly children: InstState[];
}

export class NetlistEval {
  private readonly root: InstState;
  private readonly inputs = new Map<string, bigint>();
  private memo = new Map<InstState, Map<Ref, bigint>>();

  constructor(private readonly nl: Netlist) {
    this.root = this.make(nl.top);
  }

  private make(name: string): InstState {
    const def = this.nl.modules.find((m) => m.name === name);
    if (!def) throw new Error(`no module ${name}`);
    return {
      def,
      regs: def.regs.map(() => 0n), // power-up: 0 (netlist.ts)
      mems: def.mems.map((m) => new Array<bigint>(m.depth).fill(0n)),
      children: def.instances.map((i) => this.make(i.module)),
    };
  }

  poke(port: string, v: bigint | number): void {
    this.inputs.set(port, BigInt(v));
    this.memo = new Map();
  }

  peek(port: string): bigint {
    const p = this.root.def.ports.find((x) => x.name === port);
    if (!p) throw new Error(`no port ${port}`);
    return this.net(this.root, (n) => this.inputs.get(n) ?? 0n, p.net);
  }

  private net(st: InstState, input: (port: string) => bigint, i: Ref): bigint {
    let memo = this.memo.get(st);
    if (!memo) this.memo.set(st, (memo = new Map()));
    const hit = memo.get(i);
    if (hit !== undefined) return hit;
    const n = st.def.nets[i];
    if (!n) throw new Error(`net ${i} out of range`);
    const d = n.driver;
    const get = (r: Ref): bigint => this.net(st, input, r);
    let v: bigint;
    switch (d.kind) {
      case 'input':
        v = input(st.def.ports[d.port]?.name ?? '') & mask(n.width);
        break;
      case 'wire':
        v = get(d.src);
        break;
      case 'reg':
        v = st.regs[d.reg] ?? 0n;
        break;
      case 'cell': {
        const args = d.cell.args.map(get);
        v = evalCell(
          d.cell,
          n.width,
          args,
          d.cell.args.map((r) => st.def.nets[r]?.width ?? 0),
        );
        break;
      }
      case 'memRead': {
        const addr = get(st.def.mems[d.mem]?.readPorts[d.port]?.addr ?? -1);
        const words = st.mems[d.mem] ?? [];
        v = addr < BigInt(words.length) ? (words[Number(addr)] ?? 0n) : 0n;
        break;
      }
      case 'inst': {
        const child = st.children[d.inst] as InstState;
        const conns = st.def.instances[d.inst]?.inputs ?? [];
        const childInput = (p: string): bigint => get(conns.find((c) => c.port === p)?.net ?? -1);
        const port = child.def.ports.find((p) => p.name === d.port);
        v = this.net(child, childInput, port?.net ?? -1);
        break;
      }
    }
    memo.set(i, v);
    return v;
  }

  /** One rising edge (rst = `reset`): every register and memory of every instance at once. */
  step(reset = false): void {
    const commits: (() => void)[] = [];
    const visit = (st: InstState, input: (p: string) => bigint): void => {
      const get = (r: Ref): bigint => this.net(st, input, r);
      st.def.regs.forEach((r, k) => {
        // A register with init null ignores rst entirely (netlist.ts).
        const next =
          reset && r.init !== null
            ? r.init
            : r.enable === undefined || get(r.enable) === 1n
              ? get(r.d)
              : st.regs[k];
        commits.push(() => void (st.regs[k] = next ?? 0n));
      });
      st.def.mems.forEach((m, k) => {
        const words = st.mems[k] as bigint[];
        if (reset) return void commits.push(() => words.fill(0n));
        for (const w of m.writePorts) {
          if (get(w.en) !== 1n) continue;
          const [addr, data] = [get(w.addr), get(w.data)];
          if (addr < BigInt(m.depth)) commits.push(() => void (words[Number(addr)] = data));
        }
      });
      st.def.instances.forEach((inst, k) => {
        const child = st.children[k] as InstState;
        visit(child, (p) => get(inst.inputs.find((c) => c.port === p)?.net ?? -1));
      });
    };
    visit(this.root, (n) => this.inputs.get(n) ?? 0n);
    for (const c of commits) c();
    this.memo = new Map();
  }
}

/** Evaluate a purely combinational top module once. */
export function evalComb(
  nl: Netlist,
  inputs: Readonly<Record<string, bigint>>,
  output: string,
): bigint {
  const e = new NetlistEval(nl);
  for (const [k, v] of Object.entries(inputs)) e.poke(k, v);
  return e.peek(output);
}
