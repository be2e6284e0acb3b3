// Area test designs made with the mxgen builder: a signed MAC PE of any element width and an
// N x N grid of them (row i gets a_i, column j gets b_j), emitted with emitSv for Yosys.
import { ModuleBuilder, elaborate, s, u } from '../../src/hdl/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import type { SvSource } from '../../src/backends/index.js';

export function macPe(bits: number): ModuleBuilder {
  const acc = 4 * bits;
  const m = new ModuleBuilder(`area_mac_s${bits}_acc${acc}`, { config: { bits, acc } });
  const en = m.input('en', u(1));
  const a = m.input('a', s(bits));
  const b = m.input('b', s(bits));
  const r = m.reg('acc', s(acc), { init: 0 });
  r.next(r.addWrap(a.mul(b).extend(acc)), en);
  m.output('acc_out', s(acc)).set(r);
  return m;
}

export function macGrid(n: number, bits: number): ModuleBuilder {
  const pe = macPe(bits);
  const m = new ModuleBuilder(`area_grid_${n}x${n}_s${bits}`, { config: { n, bits } });
  const en = m.input('en', u(1));
  const a = Array.from({ length: n }, (_, i) => m.input(`a${i}`, s(bits)));
  const b = Array.from({ length: n }, (_, j) => m.input(`b${j}`, s(bits)));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const inst = m.instance(pe, `pe_${i}_${j}`);
      inst.connect({ en, a: a[i], b: b[j] });
      m.output(`acc_${i}_${j}`, s(4 * bits)).set(inst.out('acc_out'));
    }
  return m;
}

/** Emitted SystemVerilog of a builder design: the sources and the top's name. */
export function emitted(m: ModuleBuilder): { files: SvSource[]; top: string } {
  const out = emitSv(elaborate(m));
  return { files: out.files.map((f) => ({ name: f.name, text: f.text })), top: out.top };
}
