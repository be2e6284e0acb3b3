// mac-array hierarchy: one PE module per PE config instantiated rows × cols times, delay lines and
// binary32 stages as memoized modules, module names derived from their own configs (two
// different definitions never share a name), and the configs the registered examples do not
// cover (weight-stationary with fp8 specials, a larger output-stationary array with deskew delay
// lines) against the reference in the native simulator and clean under verilator -Wall.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLint, lintFiles } from '../../src/backends/index.js';
import '../../src/components/index.js';
import { getComponent, parseConfig } from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, type ModuleDef, type Netlist } from '../../src/hdl/index.js';
import { FUZZ, randomBeats, runNative } from '../support/component-harness.js';

const kind = getComponent('mac-array');

function netlistOf(raw: unknown): Netlist {
  return elaborate(kind.generate(parseConfig(kind, raw)));
}

const byName = (nl: Netlist, name: string): ModuleDef | undefined =>
  nl.modules.find((m) => m.name === name);

async function lint(nl: Netlist): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mxgen-mac-hier-lint-'));
  try {
    const out = emitSv(nl);
    const files = out.files.map((f) => {
      writeFileSync(join(dir, f.name), f.text);
      return join(dir, f.name);
    });
    return (await lintFiles(files, { top: out.top })).map(formatLint);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('mac-array: hierarchical generator', () => {
  it('a 3×4 os int8 array instantiates one PE module 12 times; multipliers live only in the PE', () => {
    // int8 × int8, K = 16: exact width 2·8 - 1 + ceil(log2 16) = 15 + 4 + 1 = 20 bits (the
    // module name of the array says acc20 as well).
    const nl = netlistOf({ rows: 3, cols: 4, aFormat: 'int8', bFormat: 'int8', depth: 16 });
    expect(nl.top).to.equal('mac_array_3x4_os_int8_int8_k16_acc20');
    const top = byName(nl, nl.top) as ModuleDef;
    const pes = top.instances.filter((x) => x.module === 'mac_pe_os_int8_int8_acc20');
    expect(pes.map((x) => x.name)).to.have.length(12);
    expect(pes.map((x) => x.name)).to.include.members(['pe_0_0', 'pe_2_3']);
    const pe = byName(nl, 'mac_pe_os_int8_int8_acc20') as ModuleDef;
    const mulIn = (m: ModuleDef): number =>
      m.nets.filter((n) => n.driver.kind === 'cell' && n.driver.cell.op === 'mul').length;
    expect(mulIn(pe)).to.equal(1);
    expect(mulIn(top)).to.equal(0);
    // Deskew: PE (0,0) waits (3-1-0) + (4-1-0) = 5 cycles, PE (2,3) none.
    const res00 = top.instances.find((x) => x.name === 'pe_0_0_res_d');
    expect(res00?.module).to.equal('mac_delay_w20_n5');
    expect(top.instances.some((x) => x.name === 'pe_2_3_res_d')).to.equal(false);
    // Every module name once (the emitter writes one file per name).
    const names = nl.modules.map((m) => m.name);
    expect(new Set(names).size).to.equal(names.length);
  });

  it('PE modules of different configs get different names and elaborate side by side', () => {
    // Same formats, different accumulator widths (depth 16 → 20 bits, accWidthBits 24), and the
    // weight-stationary PE of the same formats: three PE definitions, three names.
    const cfgs = [
      { rows: 2, cols: 2, aFormat: 'int8', bFormat: 'int8', depth: 16 },
      { rows: 2, cols: 2, aFormat: 'int8', bFormat: 'int8', depth: 16, accWidthBits: 24 },
      { rows: 2, cols: 2, aFormat: 'int8', bFormat: 'int8', dataflow: 'ws', accWidthBits: 20 },
    ].map((c) => parseConfig(kind, c));
    const w = new ModuleBuilder('mac_hier_wrapper');
    cfgs.forEach((c, n) => {
      const child = kind.generate(c);
      const inst = w.instance(child, `arr${n}`);
      for (const p of child.ports)
        if (p.kind === 'input') inst.connect(p.name, w.input(`i${n}_${p.name}`, p.shape));
        else w.output(`o${n}_${p.name}`, p.shape).set(inst.out(p.name));
    });
    const nl = elaborate(w);
    const peNames = nl.modules.map((m) => m.name).filter((x) => x.startsWith('mac_pe_'));
    expect(peNames).to.have.members([
      'mac_pe_os_int8_int8_acc20',
      'mac_pe_os_int8_int8_acc24',
      'mac_pe_ws_int8_int8_acc20_rw1',
    ]);
  });

  const extra = [
    // Weight-stationary with fp8 specials (flags travel down the columns) and binary32 outputs.
    {
      label: 'ws-3x2-e4m3-e5m2-fp32',
      raw: {
        rows: 3,
        cols: 2,
        dataflow: 'ws',
        aFormat: 'fp8_e4m3',
        bFormat: 'fp8_e5m2',
        output: 'fp32',
      },
    },
    // Output-stationary 3×3: deskew delay lines of 0..4 registers, specials on one side.
    {
      label: 'os-3x3-int4-e2m1-k3-fp32',
      raw: { rows: 3, cols: 3, aFormat: 'int4', bFormat: 'fp4_e2m1', depth: 3, output: 'fp32' },
    },
  ];
  for (const [n, x] of extra.entries()) {
    it(`${x.label}: native sim equals the reference on random beats with stalls; lint -Wall clean`, async () => {
      const config = parseConfig(kind, x.raw);
      const beats = randomBeats(kind, config, 2000 * FUZZ, 7100 + n);
      const run = runNative(kind, config, x.label, beats, { seed: 7200 + n });
      expect(run.outBeats.length).to.equal(kind.reference(config, beats).length);
      expect(run.outBeats.length).to.be.greaterThan(0);
      expect(await lint(run.netlist)).to.deep.equal([]);
    });
  }
});
