// Constant tables as `case` (issue 15): romLookup's balanced trees and exprSelect's `==` chains
// print as one `always_comb` / `case` each, the same logic as the `?:` form: lint-clean in three
// tools, Icarus agrees with the reference interpreter, native = Verilator every cycle, Yosys
// proves the case form equal to the `?:` form, and a shared or named inner node keeps `?:`. Inner
// nodes shared inside one table (the simplifier merges equal subtrees) still make a case.
// `rom()` cells (the tables of embedded weights, decision 54) print as a case too, narrow and
// wide, one shorter than its index's range (0 past the end), in the same checks.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosimDesigns, mismatchError } from '../../../src/backends/index.js';
import { proveEquivalent } from '../../../src/backends/yosys/equiv.js';
import { romLookup } from '../../../src/components/arith/int-math.js';
import { emitSv, type EmitOptions } from '../../../src/emit/sv/index.js';
import {
  cat,
  elaborate,
  lit,
  ModuleBuilder,
  MxgenError,
  mux,
  type Netlist,
  rom,
  s,
  u,
} from '../../../src/hdl/index.js';
import { compile } from '../../../src/sim/index.js';
import { lintAll } from '../../support/lint-set.js';
import { checkInIcarus } from './icarus-run.js';

/** y = rom[a] (8 entries), z = a `==` chain on g, w = a table read by logic, k = not a table. */
function tables(): Netlist {
  const m = new ModuleBuilder('tables_fixture');
  const a = m.input('a', u(3));
  const g = m.input('g', u(4));
  const b = m.input('b', u(6));
  m.output('y', u(8)).set(romLookup(a, [1n, 5n, 9n, 200n, 0n, 0n, 0n, 7n], 8));
  let chain = lit(3, u(6));
  for (const [k, v] of [
    [9, 60],
    [4, 9],
    [1, 17],
    [0, 9],
  ] as const)
    chain = mux(g.eq(k), lit(v, u(6)), chain);
  m.output('z', u(6)).set(chain);
  const w = romLookup(
    g,
    [...Array(16).keys()].map((i) => BigInt((i * 37) % 64)),
    6,
  );
  m.output('s', u(7)).set(w.add(b));
  // A mux on a data input is no table.
  m.output('k', u(6)).set(mux(g.eq(2), b, mux(g.eq(3), lit(5, u(6)), lit(1, u(6)))));
  // Roms: 10 words on a 4-bit index (10..15 read 0), and a 100-bit one read whole and sliced.
  m.output('r', u(5)).set(rom(g, [3, 1, 4, 1, 5, 9, 2, 6, 5, 31], u(5)));
  const wide = rom(
    a,
    [1n << 99n, (1n << 100n) - 1n, 0x123456789abcdef0123n, 7n, 1n << 40n],
    u(100),
  );
  m.output('v', u(100)).set(wide);
  m.output('vs', u(40)).set(wide.bits(69, 30).xor(cat(b, b, b, b, b, b, b.bits(3, 0))));
  return elaborate(m);
}

const text = (o: EmitOptions = {}): string =>
  emitSv(tables(), o)
    .files.map((f) => f.text)
    .join('\n');

describe('constant tables as case', function () {
  this.timeout(10 * 60_000);

  it('prints the three tables and the two roms as case and the data mux as ?:', () => {
    const sv = text();
    expect(sv.match(/always_comb begin/g)?.length).to.equal(5);
    // The short rom's default is 0 (past its end), not its most frequent word.
    expect(sv).to.match(/4'd9: +r = 5'h1f;\n\s+default: +r = 5'h00;/);
    expect(sv).to.match(/3'd1: +a_rom = 100'hf{25};/);
    expect(sv).to.match(/case \(a\)\n\s+3'd0: +y = 8'h01;\n\s+3'd1: +y = 8'h05;/);
    expect(sv).to.match(/4'd9: +z = 6'h3c;/);
    expect(sv).to.match(/default: +z = 6'h03;/);
    expect(sv).to.contain('? b :');
    // Roms have no ?: form.
    expect(text({ tablesAsCase: false }).match(/always_comb begin/g)?.length).to.equal(2);
  });

  it('is lint-clean in Verilator, Icarus and Yosys', async () => {
    const problems = await lintAll([{ name: 'tables_fixture', sv: emitSv(tables()) }]);
    expect(problems.map((p) => `${p.tool}: ${p.output}`).join('\n')).to.equal('');
  });

  it('Icarus agrees with the reference interpreter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-tables-'));
    try {
      const nl = tables();
      const r = await checkInIcarus(nl, emitSv(nl), {
        dir,
        label: 'tables',
        seed: 5n,
        cycles: 200,
        resetCycles: 0,
      });
      expect(r.mismatches).to.deep.equal([]);
      expect(r.checked).to.be.greaterThan(500);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('native and Verilator agree every cycle', async () => {
    const r = await cosimDesigns([{ name: 'tables_fixture', netlist: tables() }], {
      native: compile,
      cycles: 300,
      seed: 9,
      build: { opt: 'O0' },
    });
    if (r.mismatches.length > 0) expect.fail(mismatchError(r).format());
    expect(r.compared).to.equal(7 * 300);
  });

  it('Yosys proves the case form equal to the ?: form', async () => {
    const design = (o: EmitOptions, label: string) => {
      const sv = emitSv(tables(), { ...o, tempNames: 'index' });
      return { label, files: sv.files, top: sv.top, clocked: false };
    };
    const r = await proveEquivalent(design({}, 'case'), design({ tablesAsCase: false }, 'mux'));
    expect(r.kind, JSON.stringify(r)).to.equal('equal');
    // One table entry changed: the proof finds it.
    const good = design({}, 'case');
    const bad = {
      ...good,
      label: 'bug',
      files: good.files.map((f) => ({
        ...f,
        text: f.text.replace(/(3'd1: +y = )8'h05;/, "$18'h04;"),
      })),
    };
    expect(bad.files.map((f) => f.text).join('')).not.to.equal(
      good.files.map((f) => f.text).join(''),
    );
    const d = await proveEquivalent(design({ tablesAsCase: false }, 'mux'), bad);
    expect(d.kind).to.equal('different');
  });

  it('rom(): a constant index folds; a signed index, an empty table or a value too wide is an error', () => {
    const m = new ModuleBuilder('rom_const');
    m.output('y', u(8)).set(rom(lit(2, u(2)), [10, 20, 30], u(8)));
    m.output('z', u(8)).set(rom(lit(3, u(2)), [10, 20, 30], u(8)));
    const top = elaborate(m).modules[0];
    const val = (name: string): bigint | undefined => {
      const net = top?.nets[top.ports.find((p) => p.name === name)?.net ?? -1];
      const src = net?.driver.kind === 'wire' ? top?.nets[net.driver.src] : net;
      return src?.driver.kind === 'cell' && src.driver.cell.op === 'const'
        ? src.driver.cell.value
        : undefined;
    };
    expect([val('y'), val('z')]).to.deep.equal([30n, 0n]);
    const e = new ModuleBuilder('rom_bad');
    const i = e.input('i', s(3));
    expect(() => rom(i, [1], u(4))).to.throw(MxgenError, /rom: the index must be an unsigned/);
    const j = e.input('j', u(3));
    expect(() => rom(j, [], u(4))).to.throw(MxgenError, /rom: the table is empty/);
    expect(() => rom(j, [1, 16], u(4))).to.throw(
      MxgenError,
      /rom value 1: the value 16 does not fit/,
    );
  });

  it('a table whose equal subtrees the simplifier merged is still a case, proven equal', async () => {
    // Index bits 0-1 pick from the same four values in three of the four quarters: elaborate's
    // structural hashing shares those subtrees, so the tree is a DAG (as bitmod-pe's mode table).
    const shared = (): Netlist => {
      const m = new ModuleBuilder('shared_table');
      const g = m.input('g', u(4));
      const q = [1n, 5n, 9n, 7n];
      m.output('r', u(4)).set(romLookup(g, [...q, ...q, 2n, 5n, 9n, 7n, ...q], 4));
      return elaborate(m);
    };
    const nl = shared();
    const top = nl.modules.find((x) => x.name === nl.top);
    const muxes = top?.nets.filter((n) => n.driver.kind === 'cell' && n.driver.cell.op === 'mux');
    const readers = new Map<number, number>();
    for (const n of top?.nets ?? [])
      if (n.driver.kind === 'cell')
        for (const a of n.driver.cell.args) readers.set(a, (readers.get(a) ?? 0) + 1);
    // Shared: some mux is read by more than one mux of the tree.
    expect(
      (muxes ?? []).some((n) => (readers.get((top?.nets ?? []).indexOf(n)) ?? 0) > 1),
    ).to.equal(true);
    const design = (o: EmitOptions, label: string) => {
      const sv = emitSv(nl, { ...o, tempNames: 'index' });
      return { label, files: sv.files, top: sv.top, clocked: false };
    };
    const sv = design({}, 'case')
      .files.map((f) => f.text)
      .join('\n');
    expect(sv).to.contain('case (g)');
    expect(sv).to.match(/4'd8: +r = 4'h2;/);
    expect(sv).not.to.contain('?');
    const r = await proveEquivalent(design({}, 'case'), design({ tablesAsCase: false }, 'mux'));
    expect(r.kind, JSON.stringify(r)).to.equal('equal');
  });
});
