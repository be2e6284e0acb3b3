// `mxgen equiv` and proveEquivalent with the system Yosys: equal designs are proven equal (a
// sequential component and a combinational module); a one-bit bug planted in a copy of the SV is
// found, with the cycle and the inputs; bad input (a missing folder, different ports, a proof that
// times out) is a one-line error with exit code 1.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { proveEquivalent, type EquivDesign } from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, u } from '../../src/hdl/index.js';

const BIN = resolve('bin/mxgen.js');

function mxgen(args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** y = (a + b) ^ c, combinational; `bug` flips bit 2 of the sum. */
function combinational(bug: boolean): EquivDesign {
  const m = new ModuleBuilder('comb_fixture');
  const a = m.input('a', u(6));
  const b = m.input('b', u(6));
  const c = m.input('c', u(7));
  const sum = m.wire('sum', u(7)).set(a.add(b));
  m.output('y', u(7)).set((bug ? sum.xor(4) : sum).xor(c));
  const sv = emitSv(elaborate(m));
  return {
    label: bug ? 'bug' : 'good',
    files: sv.files,
    top: sv.top,
    clocked: false,
    ports: (sv.modules.at(-1)?.ports ?? []).map((p) => ({
      name: p.svName,
      dir: p.dir,
      width: p.width,
    })),
  };
}

/** One error line, naming the cause, and at most a hint line: no stack, no Yosys log. */
function oneLineError(err: string): void {
  const lines = err.trimEnd().split('\n');
  expect(lines[0], err).to.match(/^error\[\w+\]: /);
  expect(lines.length, err).to.be.at.most(2);
  for (const l of lines.slice(1)) expect(l, err).to.match(/^ {2}hint: /);
}

describe('mxgen equiv (Yosys)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-equiv-'));
    const g = mxgen(['generate', 'mx-dot/e2m1-k1', '--out', dir], dir);
    expect(g.code, g.err).to.equal(0);
    cpSync(join(dir, 'mx-dot-e2m1-k1'), join(dir, 'bug'), { recursive: true });
    // One bit of the registered block sum, flipped in the copy.
    const f = join(dir, 'bug', 'mx_dot_e2m1_k1_fp32.sv');
    const text = readFileSync(f, 'utf8');
    const planted = text.replace(
      /assign block_sum( +)= (\S+);/,
      "assign block_sum$1= $2 ^ 9'h004;",
    );
    expect(planted).not.to.equal(text);
    writeFileSync(f, planted);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('proves a generated folder equal to the component it came from', () => {
    const r = mxgen(['equiv', join(dir, 'mx-dot-e2m1-k1'), 'mx-dot/e2m1-k1'], dir);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^equivalent: .* \(\d+ matched signals proven\)\n$/);
  });

  it('finds the planted one-bit bug: the cycle, the outputs and the inputs', () => {
    const r = mxgen(['equiv', join(dir, 'mx-dot-e2m1-k1'), join(dir, 'bug')], dir);
    expect(r.code).to.equal(3);
    expect(r.out).to.match(/^outputs differ in cycle (\d+) after reset: .*out_sum/);
    expect(r.out).to.match(/ {2}cycle 0: in_a_elems=0x[0-9a-f]+ .*in_valid=0x1/);
    expect(r.err.trim().split('\n')).to.have.length(1);
    expect(r.err).to.match(/error\[mismatch\]: not equivalent: .* differ in cycle \d+ after reset/);
  });

  it('proves a combinational module equal and finds its bug in cycle 0', async () => {
    const same = await proveEquivalent(combinational(false), combinational(false));
    expect(same.kind).to.equal('equal');
    const diff = await proveEquivalent(combinational(false), combinational(true));
    if (diff.kind !== 'different') throw new Error(`expected a counterexample, got ${diff.kind}`);
    expect(diff.cycle).to.equal(0);
    const step = diff.steps[0];
    const [a, b, c] = ['a', 'b', 'c'].map((n) => BigInt(`0x${step?.inputs.get(n) ?? 'x'}`));
    const y = ((a as bigint) + (b as bigint)) ^ (c as bigint);
    expect(diff.outputs).to.deep.equal([
      { name: 'y', a: y.toString(16), b: (y ^ 4n).toString(16) },
    ]);
  });

  it('--engine abc proves the pair equal and finds the planted bug; an unknown engine is an error', () => {
    const ok = mxgen(
      ['equiv', join(dir, 'mx-dot-e2m1-k1'), 'mx-dot/e2m1-k1', '--engine', 'abc'],
      dir,
    );
    expect(ok.code, ok.err).to.equal(0);
    expect(ok.out).to.match(/^equivalent: .* \(proven by ABC from the all-zero state\)\n$/);
    const bug = mxgen(
      ['equiv', join(dir, 'mx-dot-e2m1-k1'), join(dir, 'bug'), '--engine', 'abc'],
      dir,
    );
    expect(bug.code).to.equal(3);
    expect(bug.out).to.match(/^outputs differ in cycle (\d+) after reset: .*out_sum/);
    const bad = mxgen(['equiv', 'mx-dot/e2m1-k1', 'mx-dot/e2m1-k1', '--engine', 'z3'], dir);
    expect(bad.code).to.equal(1);
    oneLineError(bad.err);
    expect(bad.err).to.match(/^error\[usage\]: --engine must be pairs or abc; got z3\n/);
  });

  it('a missing folder is a one-line io error, exit 1', () => {
    const r = mxgen(['equiv', join(dir, 'mx-dot-e2m1-k1'), join(dir, 'nothere')], dir);
    expect(r.code).to.equal(1);
    oneLineError(r.err);
    expect(r.err).to.match(/^error\[io\]: .*nothere: no such file or folder\n/);
  });

  it('designs with different ports are a one-line error naming the port, exit 1', () => {
    const r = mxgen(['equiv', join(dir, 'mx-dot-e2m1-k1'), 'mx-dot/e5m2-k1'], dir);
    expect(r.code).to.equal(1);
    oneLineError(r.err);
    expect(r.err).to.match(
      /^error\[usage\]: the designs have different ports: port in_a_elems is input in_a_elems\[4\] in .* but input in_a_elems\[8\] in mx-dot\/e5m2-k1\n/,
    );
  });

  it('a proof that times out is a one-line error, exit 1', () => {
    const r = mxgen(['equiv', 'mx-dot/e2m1-k1', 'mx-dot/e2m1-k1', '--timeout', '0.05'], dir);
    expect(r.code).to.equal(1);
    oneLineError(r.err);
    expect(r.err).to.match(
      /^error\[usage\]: the equivalence proof timed out: .*timed out after 50 ms\n/,
    );
  });
});
