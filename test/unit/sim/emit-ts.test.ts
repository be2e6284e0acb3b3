// The typed model of `mxgen sim --emit-ts`: a testbench type-checks against it (and a misuse does
// not), and the module runs with the same results as the Simulator.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Project, ts } from 'ts-morph';
import { compile, emitTypedModelSource } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

function design() {
  const k = new Kit('tb_counter');
  const en = k.input('en', 1);
  const big = k.input('big', 40);
  const q = k.reg('count', 8, 0n, en);
  k.next(q, k.cell('add', 8, [q, k.lit(1n, 8)]));
  k.output('value', q);
  k.output('wide', k.cell('add', 40, [big, k.cell('zext', 40, [q])]));
  return netlist(k.def());
}

/** Diagnostics of `testbench` compiled (strict) next to the generated module. */
function diagnostics(model: string, testbench: string): { code: number; text: string }[] {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      lib: ['lib.es2022.d.ts'],
      noEmit: true,
    },
  });
  project.createSourceFile('/tb_counter.ts', model);
  project.createSourceFile('/tb.ts', testbench);
  return project.getPreEmitDiagnostics().map((d) => ({
    code: d.getCode(),
    text: ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, '\n'),
  }));
}

describe('sim: typed model (--emit-ts)', () => {
  let model = '';
  before(async () => {
    model = await emitTypedModelSource(design());
  });

  it('is deterministic and names the class after the top module', async () => {
    expect(await emitTypedModelSource(design())).to.equal(model);
    expect(model).to.match(/export class TbCounterModel/);
  });

  it('type-checks a correct testbench: number ports up to 32 bits, bigint above', () => {
    const tb = [
      "import { TbCounterModel } from './tb_counter.js';",
      'const m = new TbCounterModel();',
      'm.en = 1;',
      'm.big = 5n;',
      'm.reset();',
      'm.step(3);',
      'const v: number = m.value;',
      'const w: bigint = m.wide;',
      'export const out = [v, w];',
    ].join('\n');
    expect(diagnostics(model, tb)).to.deep.equal([]);
  });

  it('rejects misuse: writing an output, a misspelt port, a bigint into a number port', () => {
    const tb = [
      "import { TbCounterModel } from './tb_counter.js';",
      'const m = new TbCounterModel();',
      'm.value = 3;',
      'm.enn = 1;',
      'm.en = 1n;',
    ].join('\n');
    const codes = diagnostics(model, tb).map((d) => d.code);
    // TS2540: cannot assign to a read-only property; TS2339: property does not exist on the
    // model; TS2322: type not assignable.
    expect(codes).to.deep.equal([2540, 2339, 2322]);
  });

  it('runs with the same results as the Simulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-emit-ts-'));
    try {
      const file = join(dir, 'tb_counter.ts');
      writeFileSync(file, model);
      const mod = (await import(pathToFileURL(file).href)) as {
        TbCounterModel: new () => {
          en: number;
          big: bigint;
          readonly value: number;
          readonly wide: bigint;
          reset(n?: number): void;
          step(n?: number): void;
        };
      };
      const m = new mod.TbCounterModel();
      const sim = compile(design());
      m.en = 1;
      m.big = (1n << 40n) - 2n;
      sim.poke('en', 1);
      sim.poke('big', (1n << 40n) - 2n);
      m.reset();
      sim.reset();
      m.step(5);
      sim.step(5);
      // 5 counts after reset; wide = (2^40 - 2) + 5 mod 2^40 = 3
      expect(m.value).to.equal(5);
      expect(m.wide).to.equal(3n);
      expect(BigInt(m.value)).to.equal(sim.peek('value'));
      expect(m.wide).to.equal(sim.peek('wide'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
