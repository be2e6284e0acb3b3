// componentVectors + emitSv + the generated cocotb directory, end to end on Icarus, for a small
// stream component built with the builder (a 2-stage pipelined adder, not registered). Its
// reference model is `sum = a + b` on the field bit patterns (width w + 1: no overflow).
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { runTool, VENV_PYTHON } from '../../../src/backends/index.js';
import type { AnyComponentKind, Beat } from '../../../src/components/index.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, topModule, u } from '../../../src/hdl/index.js';
import { cocotbDirFiles } from '../../../src/flow/cocotb.js';
import { componentVectors, writeVectorFile } from '../../../src/flow/vectors.js';

const W = 12;

function pipelinedAdder(): ModuleBuilder {
  const m = new ModuleBuilder(`stream_add_u${W}`);
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const a = m.input('in_a', u(W));
  const b = m.input('in_b', u(W));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outSum = m.output('out_sum', u(W + 1));
  const validS2 = m.reg('valid_s2', u(1), { init: 0 });
  const advance = m.wire('advance', u(1)).set(validS2.not().or(outReady));
  const validS1 = m.reg('valid_s1', u(1), { init: 0 }).next(inValid, advance);
  const aS1 = m.reg('a_s1', u(W), { init: 0 }).next(a, advance);
  const bS1 = m.reg('b_s1', u(W), { init: 0 }).next(b, advance);
  validS2.next(validS1, advance);
  const sumS2 = m.reg('sum_s2', u(W + 1), { init: 0 }).next(aS1.add(bS1), advance);
  inReady.set(advance);
  outValid.set(validS2);
  outSum.set(sumS2);
  return m;
}

const ADDER: AnyComponentKind = {
  kind: 'test-stream-add',
  description: 'test only: 2-stage pipelined adder',
  schema: z.unknown(),
  examples: [],
  moduleName: () => `stream_add_u${W}`,
  derive: () => ({ latencyCycles: 2 }),
  generate: pipelinedAdder,
  stream: () => ({
    in: [
      { name: 'a', width: W },
      { name: 'b', width: W },
    ],
    out: [{ name: 'sum', width: W + 1 }],
  }),
  randomBeat: (_c, rng) => ({ a: rng.bits(W), b: rng.bits(W) }),
  reference: (_c, inBeats: readonly Beat[]) =>
    inBeats.map((x) => ({ sum: (x.a ?? 0n) + (x.b ?? 0n) })),
  contract: () => 'sum = a + b',
};

describe('cli/cocotb: a builder-made stream component end to end', () => {
  let root = '';
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'mxgen-cocotb-comp-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('componentVectors draws seeded beats and takes expected beats from the reference', () => {
    const top = topModule(elaborate(pipelinedAdder()));
    const v1 = componentVectors(ADDER, {}, top, { design: 'adder', count: 20, seed: 5 });
    const v2 = componentVectors(ADDER, {}, top, { design: 'adder', count: 20, seed: 5 });
    const v3 = componentVectors(ADDER, {}, top, { design: 'adder', count: 20, seed: 6 });
    expect(v1.inBeats).to.deep.equal(v2.inBeats);
    expect(v1.inBeats).not.to.deep.equal(v3.inBeats);
    expect(v1.outBeats).to.have.length(20);
    expect(v1.latencyCycles).to.equal(2);
    expect(v1.ports.map((p) => p.name)).to.deep.equal([
      'clk',
      'rst',
      'in_valid',
      'in_ready',
      'in_a',
      'in_b',
      'out_valid',
      'out_ready',
      'out_sum',
    ]);
    expect(() => componentVectors(ADDER, {}, top, { design: 'a', count: 0, seed: 1 })).to.throw(
      '--count must be a positive integer; got 0',
    );
  });

  it('the emitted SV passes the generated cocotb test under random stalls', async () => {
    const sv = emitSv(elaborate(pipelinedAdder()));
    const rtl = join(root, 'adder');
    const dir = join(rtl, 'cocotb');
    mkdirSync(dir, { recursive: true });
    for (const f of sv.files) writeFileSync(join(rtl, f.name), f.text);
    const top = topModule(elaborate(pipelinedAdder()));
    const v = componentVectors(ADDER, {}, top, {
      design: 'adder',
      count: 60,
      seed: 3,
      top: sv.top,
    });
    writeVectorFile(join(dir, 'vectors.json'), v);
    const spec = {
      design: 'adder',
      top: sv.top,
      sources: sv.files.map((f) => `../${f.name}`),
      runPath: 'run.py',
    };
    for (const f of cocotbDirFiles(spec)) writeFileSync(join(dir, f.name), f.text);
    const r = await runTool(resolve(VENV_PYTHON), ['run.py', '--gap', '0.3', '--stall', '0.4'], {
      cwd: dir,
    });
    expect(r.stdout).to.include(`design adder (top ${sv.top}): PASS, 60 output beats match`);
  });
});
