// `mxgen vectors` and `mxgen cocotb` on the registered components: where files go, determinism,
// the expected beats are the registry's reference model's, errors and exit codes.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { runTool } from '../../../src/backends/index.js';
import { register as registerCocotb } from '../../../src/cli/commands/cocotb.js';
import { register as registerVectors } from '../../../src/cli/commands/vectors.js';
import { listComponents, parseConfig, type Beat } from '../../../src/components/index.js';
import { cocotbCommand } from '../../../src/flow/cocotb.js';
import { vectorsCommand } from '../../../src/flow/vector-design.js';
import { resolveComponentDesign } from '../../../src/flow/resolve.js';
import { rejected as usageErrorAsync, thrown as usageError } from '../../support/mxgen-error.js';

interface VectorJson {
  design: string;
  top: string;
  seed: number;
  latencyCycles: number;
  inBeats: Record<string, string>[];
  outBeats: Record<string, string>[];
}

const toBeat = (b: Record<string, string>): Beat =>
  Object.fromEntries(Object.entries(b).map(([k, v]) => [k, BigInt(v)]));

describe('cli: mxgen vectors and mxgen cocotb', () => {
  const kind = listComponents()[0];
  let out = '';
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'mxgen-cocotb-cli-'));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('a component kind is registered to test with', () => {
    expect(kind, 'src/components registers no kind').not.to.equal(undefined);
  });

  it('vectors go to <out>/<kind>-<example>/cocotb/vectors.json with the reference beats', async () => {
    if (!kind) throw new Error('no component kind');
    const ex = kind.examples[0];
    if (!ex) throw new Error(`${kind.kind} has no examples`);
    const r = await vectorsCommand(kind.kind, { out, count: '12', seed: '99' });
    expect(r.path).to.equal(join(out, `${kind.kind}-${ex.name}`, 'cocotb', 'vectors.json'));
    expect(r.in).to.equal(12);
    const v = JSON.parse(readFileSync(r.path, 'utf8')) as VectorJson;
    expect(v.design).to.equal(`${kind.kind}-${ex.name}`);
    expect(v.seed).to.equal(99);
    const config = parseConfig(kind, ex.config);
    expect(v.latencyCycles).to.equal(kind.derive(config).latencyCycles);
    const expected = kind.reference(config, v.inBeats.map(toBeat));
    expect(v.outBeats.map(toBeat)).to.deep.equal(expected);
  });

  it('the same seed writes the same bytes; another seed other beats', async () => {
    if (!kind) throw new Error('no component kind');
    const a = readFileSync(
      (await vectorsCommand(kind.kind, { file: join(out, 'a.json'), count: '5' })).path,
    );
    const b = readFileSync(
      (await vectorsCommand(kind.kind, { file: join(out, 'b.json'), count: '5' })).path,
    );
    const c = await vectorsCommand(kind.kind, { file: join(out, 'c.json'), count: '5', seed: '2' });
    expect(a.equals(b)).to.equal(true);
    expect(a.equals(readFileSync(c.path))).to.equal(false);
  });

  it('rejects unknown kinds and examples, design files and bad counts with one sentence', async () => {
    expect(usageError(() => resolveComponentDesign('no-such-kind')).message).to.equal(
      'unknown component kind "no-such-kind"',
    );
    if (!kind) throw new Error('no component kind');
    const e = usageError(() => resolveComponentDesign(`${kind.kind}/nope`));
    expect(e.message).to.equal(`component kind ${kind.kind} has no example "nope"`);
    expect(e.hint).to.include(kind.examples[0]?.name ?? '');
    expect(usageError(() => resolveComponentDesign('a/b/c')).message).to.equal(
      'design "a/b/c" is not <kind> or <kind>/<example>',
    );
    expect(usageError(() => resolveComponentDesign('mac.ts')).message).to.equal(
      'design file mac.ts has no reference model to compute expected beats',
    );
    expect(
      (await usageErrorAsync(vectorsCommand(kind.kind, { count: '0', out }))).message,
    ).to.equal('--count must be an integer from 1 to 1000000; got "0"');
  });

  it('mxgen cocotb writes the RTL, manifest and cocotb/ and --run passes on Icarus', async () => {
    if (!kind) throw new Error('no component kind');
    const r = await cocotbCommand(kind.kind, { out, count: '16', run: true });
    const files = readdirSync(r.dir);
    expect(files).to.include('manifest.json');
    expect(files.some((f) => f.endsWith('.sv'))).to.equal(true);
    const cocotbFiles = readdirSync(r.cocotbDir).filter((f) => !f.startsWith('sim_build'));
    expect(cocotbFiles.sort()).to.deep.equal(
      [
        'Makefile',
        'run.py',
        `test_${kind.kind.replace(/-/g, '_')}_${kind.examples[0]?.name.replace(/-/g, '_')}.py`,
        'vectors.json',
      ].sort(),
    );
    expect(r.report).to.match(/^mxgen cocotb: design \S+ \(top \S+\): PASS, 16 output beats match/);
    expect(existsSync(join(r.cocotbDir, 'sim_build_icarus'))).to.equal(true);
  });

  it('the default accelerator gets count x tokens beats from the IR golden model', async () => {
    const r = await vectorsCommand('default', { out, count: '2', seed: '3' });
    expect(r.path).to.equal(join(out, 'default', 'cocotb', 'vectors.json'));
    const v = JSON.parse(readFileSync(r.path, 'utf8')) as VectorJson & {
      streams: { in: { fields: { name: string }[] } };
    };
    // templates/designs/default.yaml: tokens 4, mxfp8_e4m3 input (elements + shared scale)
    expect(v.inBeats).to.have.length(8);
    expect(v.outBeats).to.have.length(8);
    expect(v.streams.in.fields.map((f) => f.name)).to.deep.equal(['x', 'x_scale']);
    const again = await vectorsCommand('templates/designs/default.yaml', {
      file: join(out, 'again.json'),
      count: '2',
      seed: '3',
    });
    expect(readFileSync(again.path, 'utf8')).to.equal(readFileSync(r.path, 'utf8'));
  });

  it('the CLI exits 1 with the message for an unknown kind', async () => {
    const r = await runTool('node', ['bin/mxgen.js', 'vectors', 'no-such-kind'], { okCodes: [1] });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('error[config]: unknown component kind "no-such-kind"');
  });

  it('vectors and cocotb share one option block (same design argument, --set, --count, --seed, --out)', () => {
    const program = new Command();
    registerVectors(program);
    registerCocotb(program);
    const shared = (name: string): string[] => {
      const cmd = program.commands.find((c) => c.name() === name);
      if (!cmd) throw new Error(`no command ${name}`);
      const args = cmd.registeredArguments.map((a) => `<${a.name()}> ${a.description}`);
      const opts = cmd.options
        .filter((o) => ['--set', '--count', '--seed', '--out'].includes(o.long ?? ''))
        .map((o) => `${o.flags} ${o.description} ${String(o.defaultValue)}`);
      return [...args, ...opts];
    };
    const v = shared('vectors');
    expect(v).to.have.length(5);
    expect(shared('cocotb')).to.deep.equal(v);
  });
});
