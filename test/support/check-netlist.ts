// An independent checker of the normalization contract of src/hdl/netlist.ts: returns every
// violation as a sentence (empty = the netlist keeps the contract). Shared by hdl tests and any
// test that wants to validate a netlist it was given.
import { MAX_WIDTH } from '../../src/hdl/index.js';
import type { Cell, ModuleDef, Net, Netlist } from '../../src/hdl/index.js';

function cellProblems(c: Cell, n: Net, widths: readonly number[]): string[] {
  const w = n.width;
  const [wa = 0, wb = 0] = widths;
  const p: string[] = [];
  const need = (ok: boolean, what: string): void => void (ok || p.push(what));
  const arity = (k: number): void => need(widths.length === k, `${c.op} needs ${k} args`);
  switch (c.op) {
    case 'const':
      arity(0);
      need(
        c.value !== undefined && c.value >= 0n && c.value < 1n << BigInt(w),
        'const value in [0, 2^w)',
      );
      break;
    case 'zext':
    case 'sext':
      arity(1);
      need(w >= wa, `${c.op} w >= wa`);
      break;
    case 'slice':
      arity(1);
      need(c.lo !== undefined && c.lo >= 0 && c.lo + w <= wa, 'slice lo + w <= wa');
      break;
    case 'concat':
      need(widths.length >= 1 && widths.reduce((t, x) => t + x, 0) === w, 'concat w = sum');
      break;
    case 'not':
      arity(1);
      need(w === wa, 'not w = wa');
      break;
    case 'and':
    case 'or':
    case 'xor':
    case 'add':
    case 'sub':
    case 'mul':
      arity(2);
      need(wa === w && wb === w, `${c.op} operands of width w`);
      break;
    case 'eq':
    case 'ne':
    case 'ltU':
    case 'ltS':
    case 'leU':
    case 'leS':
      arity(2);
      need(wa === wb && w === 1, `${c.op} same widths, w = 1`);
      break;
    case 'shl':
    case 'shrU':
    case 'shrS':
      arity(1);
      need(w === wa && c.amount !== undefined && c.amount >= 0, `${c.op} w = wa, amount >= 0`);
      break;
    case 'shlV':
    case 'shrUV':
    case 'shrSV':
      arity(2);
      need(w === wa, `${c.op} w = wa`);
      break;
    case 'mux':
      arity(3);
      need(wa === 1 && widths[1] === w && widths[2] === w, 'mux sel u1, arms of width w');
      break;
    case 'andR':
    case 'orR':
    case 'xorR':
      arity(1);
      need(w === 1, `${c.op} w = 1`);
      break;
  }
  return p;
}

export function moduleProblems(m: ModuleDef, nl: Netlist): string[] {
  const out: string[] = [];
  const ok = (r: number | undefined): boolean => r !== undefined && r >= 0 && r < m.nets.length;
  m.nets.forEach((n, i) => {
    const at = `${m.name} net ${i}`;
    if (n.width < 1 || n.width > MAX_WIDTH) out.push(`${at}: width ${n.width}`);
    const d = n.driver;
    if (d.kind === 'cell') {
      if (d.cell.args.some((a) => !ok(a) || a === i)) out.push(`${at}: bad cell arg`);
      const widths = d.cell.args.map((a) => m.nets[a]?.width ?? 0);
      for (const p of cellProblems(d.cell, n, widths)) out.push(`${at}: ${p}`);
    }
    if (d.kind === 'wire' && (!ok(d.src) || d.src === i || m.nets[d.src]?.width !== n.width))
      out.push(`${at}: bad wire source`);
    if (d.kind === 'input' && m.ports[d.port]?.net !== i) out.push(`${at}: input port mismatch`);
    if (d.kind === 'reg' && m.regs[d.reg]?.q !== i) out.push(`${at}: reg q mismatch`);
    if (d.kind === 'memRead' && m.mems[d.mem]?.readPorts[d.port]?.data !== i)
      out.push(`${at}: mem read mismatch`);
    if (d.kind === 'inst' && !m.instances[d.inst]) out.push(`${at}: no instance ${d.inst}`);
  });
  for (const p of m.ports) {
    const n = m.nets[p.net];
    if (!n || n.width !== p.width) out.push(`${m.name} port ${p.name}: net width`);
  }
  for (const r of m.regs) {
    if (!ok(r.d) || m.nets[r.d]?.width !== r.width) out.push(`${m.name} reg ${r.name}: d width`);
    if (r.enable !== undefined && m.nets[r.enable]?.width !== 1)
      out.push(`${m.name} reg ${r.name}: enable width`);
    if (r.init !== null && (r.init < 0n || r.init >= 1n << BigInt(r.width)))
      out.push(`${m.name} reg ${r.name}: init range`);
  }
  for (const mem of m.mems)
    for (const w of mem.writePorts)
      if (m.nets[w.data]?.width !== mem.width || m.nets[w.en]?.width !== 1)
        out.push(`${m.name} mem ${mem.name}: write port widths`);
  m.instances.forEach((inst) => {
    const child = nl.modules.find((x) => x.name === inst.module);
    const at = `${m.name} instance ${inst.name}`;
    if (!child) return void out.push(`${at}: unknown module ${inst.module}`);
    if (nl.modules.indexOf(child) > nl.modules.indexOf(m)) out.push(`${at}: child after parent`);
    const ins = child.ports.filter((p) => p.dir === 'in');
    if (ins.length !== inst.inputs.length) out.push(`${at}: every input connected exactly once`);
    for (const c of inst.inputs) {
      const p = ins.find((x) => x.name === c.port);
      if (!p || m.nets[c.net]?.width !== p.width) out.push(`${at}: input ${c.port} width`);
    }
  });
  const clocked =
    m.regs.length > 0 ||
    m.mems.length > 0 ||
    m.instances.some((i) => nl.modules.find((x) => x.name === i.module)?.clocked);
  if (clocked !== m.clocked) out.push(`${m.name}: clocked should be ${clocked}`);
  return out;
}

export function netlistProblems(nl: Netlist): string[] {
  const names = nl.modules.map((m) => m.name);
  const out = names.filter((n, i) => names.indexOf(n) !== i).map((n) => `duplicate module ${n}`);
  if (names[names.length - 1] !== nl.top) out.push('top is not last');
  for (const m of nl.modules) out.push(...moduleProblems(m, nl));
  return out;
}
