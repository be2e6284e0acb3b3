// Names for the temporaries the emitter has to declare (issue "SV a reviewer can read"): a
// declared value without a builder name is named after its role where it has one, else after
// the signal it is computed from and the operation, so a waveform shows `acc_next`,
// `u_pe3_out_acc` or `x_tok_shr` instead of `_t1234`. Rules, first match wins:
//   1. the builder's hint (`Expr.named()`, memory reads `<mem>_r<port>`);
//   2. an instance output: `<instance>_<port>`;
//   3. the next-state or enable of a register: `<reg>_next`, `<reg>_en`; the data or address
//      of a memory write: `<mem>_wdata`, `<mem>_waddr`; a memory read address: `<mem>_raddr`;
//      an instance input: `<instance>_<port>_in`;
//   4. its origin and operation: `<origin>_<op>`, where the origin is the name of the first
//      non-constant operand (or that operand's own origin when it has no name);
//   5. `_t<net>` when nothing above applies (a value computed from constants only).
// The Namer makes every name unique with `_1`, `_2`, ...
import type { CellOp, Driver, ModuleDef, Ref } from '../../hdl/index.js';

const OP_WORD: Readonly<Record<CellOp, string>> = {
  const: 'const',
  zext: 'ext',
  sext: 'sext',
  slice: 'bits',
  concat: 'cat',
  not: 'inv',
  and: 'and',
  or: 'or',
  xor: 'xor',
  add: 'sum',
  sub: 'diff',
  mul: 'prod',
  eq: 'eq',
  ne: 'ne',
  ltU: 'lt',
  ltS: 'lt',
  leU: 'le',
  leS: 'le',
  shl: 'shl',
  shrU: 'shr',
  shrS: 'shr',
  shlV: 'shl',
  shrUV: 'shr',
  shrSV: 'shr',
  mux: 'sel',
  andR: 'all',
  orR: 'any',
  xorR: 'parity',
  rom: 'rom',
};

/** Longest origin kept in a derived name (long origins make unreadable names). */
const MAX_ORIGIN = 24;

/**
 * Role names of a module's nets: `stem(r)` is the wanted name of a temporary (before the Namer
 * makes it unique). `instNames` and `memNames` are the SV names of instances and memories.
 */
export function roleNames(
  m: ModuleDef,
  instNames: readonly string[],
  memNames: readonly string[],
): (r: Ref) => string {
  const role = new Map<Ref, string>();
  const setRole = (r: Ref | undefined, name: string): void => {
    if (r !== undefined && !role.has(r)) role.set(r, name);
  };
  m.regs.forEach((reg) => {
    setRole(reg.d, `${reg.name}_next`);
    setRole(reg.enable, `${reg.name}_en`);
  });
  m.mems.forEach((mem, i) => {
    const nm = memNames[i] ?? mem.name;
    for (const w of mem.writePorts) {
      setRole(w.data, `${nm}_wdata`);
      setRole(w.addr, `${nm}_waddr`);
      setRole(w.en, `${nm}_we`);
    }
    for (const rp of mem.readPorts) {
      setRole(rp.addr, `${nm}_raddr`);
      setRole(rp.en, `${nm}_re`);
    }
  });
  m.instances.forEach((inst, i) => {
    for (const c of inst.inputs) setRole(c.net, `${instNames[i] ?? inst.name}_${c.port}_in`);
  });
  const origin = new Map<Ref, string | null>();
  // The name a value is known by: its builder name, hint or role; else its first operand's.
  const originOf = (r0: Ref): string | null => {
    const chain: Ref[] = [];
    let r: Ref | undefined = r0;
    let found: string | null = null;
    while (r !== undefined) {
      const known = origin.get(r);
      if (known !== undefined) {
        found = known;
        break;
      }
      const net: ModuleDef['nets'][number] | undefined = m.nets[r];
      if (!net) break;
      const own = net.name ?? net.hint ?? role.get(r);
      if (own !== undefined) {
        found = own;
        origin.set(r, own);
        break;
      }
      chain.push(r);
      const d: Driver = net.driver;
      if (d.kind === 'inst') {
        found = `${instNames[d.inst] ?? 'inst'}_${d.port}`;
        break;
      }
      if (d.kind === 'wire') r = d.src;
      else if (d.kind === 'cell')
        r = d.cell.args.find((a: Ref) => {
          const x = m.nets[a]?.driver;
          return !(x?.kind === 'cell' && x.cell.op === 'const');
        });
      else r = undefined;
    }
    for (const c of chain) origin.set(c, found);
    return found;
  };
  const clip = (s: string): string => (s.length > MAX_ORIGIN ? s.slice(0, MAX_ORIGIN) : s);
  return (r) => {
    const net = m.nets[r];
    if (!net) return `_t${r}`;
    if (net.hint !== undefined) return net.hint;
    const d = net.driver;
    if (d.kind === 'inst') return `${instNames[d.inst] ?? 'inst'}_${d.port}`;
    const own = role.get(r);
    if (own !== undefined) return own;
    if (d.kind === 'cell') {
      const from = d.cell.args
        .map((a) => originOf(a))
        .find((x): x is string => x !== null && x !== undefined);
      if (from !== undefined) return `${clip(from)}_${OP_WORD[d.cell.op]}`;
    }
    if (d.kind === 'wire') {
      const from = originOf(d.src);
      if (from !== null) return clip(from);
    }
    return `_t${r}`;
  };
}
