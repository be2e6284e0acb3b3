// One side of a Yosys equivalence proof from a netlist, and a one-bit bug planted in a netlist's
// output: shared by the per-kind simplification proofs and the pipeline proofs (test/area/).
import type { EquivDesign } from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import type { ModuleDef, Net, Netlist } from '../../src/hdl/index.js';

export function side(label: string, nl: Netlist): EquivDesign {
  const sv = emitSv(nl, { tempNames: 'index' });
  const top = sv.modules.at(-1);
  return {
    label,
    files: sv.files,
    top: sv.top,
    clocked: top?.clocked ?? false,
    ports: (top?.ports ?? []).map((p) => ({ name: p.svName, dir: p.dir, width: p.width })),
  };
}

/**
 * The netlist with bit 0 of one data output (not `*valid*` or `*ready*`) of the top module
 * flipped. (A bug deeper inside, on a register's next state, is not seen within a few cycles by
 * kinds that load their output register only after several beats: mac-array, olive-pe; the
 * internal bug of test/area/equiv.test.ts is in mx-dot's block sum.)
 */
export function plantBug(nl: Netlist): { netlist: Netlist; where: string } {
  const top = nl.modules.find((m) => m.name === nl.top) as ModuleDef;
  const nets: Net[] = [...top.nets];
  const p =
    top.ports.find((q) => q.dir === 'out' && !/valid|ready/.test(q.name)) ??
    top.ports.find((q) => q.dir === 'out');
  if (!p) throw new Error(`${nl.top} has no output`);
  const n = nets[p.net] as Net;
  const bare = { width: n.width, signed: n.signed, loc: n.loc };
  const one = nets.push({ ...bare, driver: cell('const', [], 1n) }) - 1;
  const flipped = nets.push({ ...bare, driver: cell('xor', [p.net, one]) }) - 1;
  const ports = top.ports.map((q) => (q === p ? { ...q, net: flipped } : q));
  const changed: ModuleDef = { ...top, nets, ports };
  return {
    netlist: { ...nl, modules: nl.modules.map((m) => (m === top ? changed : m)) },
    where: `bit 0 of ${p.name}`,
  };
}

function cell(op: 'const' | 'xor', args: number[], value?: bigint): Net['driver'] {
  return { kind: 'cell', cell: value === undefined ? { op, args } : { op, args, value } };
}
