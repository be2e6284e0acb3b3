// ONNX import (issue 14, docs/onnx.md): models built with the `onnx` Python package (no network,
// no downloaded weights) and referenced with ONNX Runtime (FP32, PyPI `onnxruntime`: the npm
// onnxruntime-node cannot install offline). Each is run through `mxgen run` with real inputs:
// bit-exact native and Verilator (the run's own checks), FP64 of the import within 1e-5 of ONNX
// Runtime; a scikit-learn digits classifier exported with skl2onnx keeps its accuracy at int8;
// `mxgen import` round-trips through the weights side file; bad input is a one-line error, exit 1,
// nothing written.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../../src/ir/onnx/npy.js';

const PY = '.venv/bin/python';

interface Manifest {
  importCheck: { relativeError: number; maxAbs: number; rows: number };
  accuracy: { fp64: number; quantized: number; rows: number };
  error: { relative: number };
}

function mxgen(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/mxgen.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('onnx: import, real data, accuracy (issue 14)', function () {
  let dir = '';
  let sklearnAccuracy = NaN;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-onnx-'));
    const r = spawnSync(
      PY,
      [
        'test/onnx/make_models.py',
        dir,
        'mlp',
        'gpt2_mlp',
        'llama_mlp',
        'quarot',
        'gpt2_attn',
        'gpt2_attn_add',
        'gpt2_attn_scale',
        'bad',
        'bad_attn',
        'digits',
      ],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stderr).to.equal(0);
    sklearnAccuracy = Number(/sklearn test accuracy ([\d.]+)/.exec(r.stdout)?.[1]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const manifest = (out: string, name: string): Manifest =>
    JSON.parse(readFileSync(join(out, name, 'manifest.json'), 'utf8'));

  // [model, what the import must print, output rows (6 tokens; the attention block: 3 sequences
  // of 6 tokens decoded through the KV cache), with Verilator]
  const cases: [string, RegExp, number, boolean][] = [
    ['mlp', /gelu_erf recognized from 5 nodes[\s\S]*layernorm recognized from 7 nodes/, 6, true],
    ['gpt2_mlp', /gelu_tanh recognized from 8 nodes/, 6, true],
    ['llama_mlp', /rmsnorm recognized from 5 nodes[\s\S]*silu recognized from 2 nodes/, 6, true],
    ['quarot', /hadamard recognized from MatMul \/rot\/MatMul \(16-point, had\)/, 6, true],
    [
      'gpt2_attn',
      /attention attn recognized from 16 nodes \(\/attn\/Split … [^)]*\): 2 heads of 16, causal over 6 tokens/,
      18,
      true,
    ],
    // Older exports: k transposed at once, an Add mask of -1e9, Mul by 1/√d, a Dropout (native).
    ['gpt2_attn_add', /attention attn recognized from 16 nodes/, 18, false],
    // A score scale of 0.3, not 1/√16: imported faithfully, 1.2 folded into the q rows.
    [
      'gpt2_attn_scale',
      /score scale 0\.3\d* is not 1\/√16; 1\.2\d* folded into the q rows of attn_qkv/,
      18,
      false,
    ],
  ];
  for (const [name, pattern, rows, verilator] of cases)
    it(`${name}: imported, bit-exact native${verilator ? ' and Verilator' : ''}, FP64 within 1e-5 of ONNX Runtime`, () => {
      const out = join(dir, 'out');
      const r = mxgen(
        'run',
        join(dir, `${name}.onnx`),
        '--inputs',
        join(dir, `${name}.x.npy`),
        '--expect',
        join(dir, `${name}.y.npy`),
        '--no-area',
        ...(verilator ? [] : ['--no-verilator']),
        '--out',
        out,
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.match(pattern);
      expect(r.stdout).to.match(
        new RegExp(`native sim: ${rows} output beats vs golden, 0 mismatches`),
      );
      if (verilator) {
        expect(r.stdout).to.match(
          new RegExp(
            `verilator: +${rows} output beats vs golden, 0 mismatches; \\d+ port values vs native, 0 mismatches`,
          ),
        );
        const cosim = JSON.parse(readFileSync(join(out, name, 'cosim.json'), 'utf8'));
        expect(cosim.mismatches).to.equal(0);
      }
      const m = manifest(out, name);
      expect(m.importCheck.rows).to.equal(rows);
      expect(m.importCheck.relativeError).to.be.below(1e-5);
      console.log(
        `      ${name}: FP64 vs ONNX Runtime ${m.importCheck.relativeError.toExponential(2)} relative, quantized vs FP64 ${m.error.relative.toFixed(3)}`,
      );
      // outputs.npy: the hardware's outputs, one row per input, near the ONNX Runtime outputs.
      const y = readNpy(join(dir, `${name}.y.npy`));
      const hw = readNpy(join(out, name, 'outputs.npy'));
      expect(hw.shape).to.deep.equal([rows, y.shape[y.shape.length - 1]]);
      let num = 0;
      let den = 0;
      hw.data.forEach((v, i) => {
        num += (v - (y.data[i] ?? 0)) ** 2;
        den += (y.data[i] ?? 0) ** 2;
      });
      expect(Math.sqrt(num / den)).to.be.within(1e-6, 0.1);
      expect(Math.abs(Math.sqrt(num / den) - m.error.relative)).to.be.below(1e-3);
    });

  /** Runs the imported YAML (+ side file) and the ONNX model: byte-identical outputs.npy. */
  const sameAsModel = (name: string, args: readonly string[]): void => {
    const a = mxgen('run', join(dir, `${name}.yaml`), ...args, '--out', join(dir, 'ya'));
    const b = mxgen('run', join(dir, `${name}.onnx`), ...args, '--out', join(dir, 'ob'));
    expect(a.code, a.stderr).to.equal(0);
    expect(b.code, b.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'ya', name, 'outputs.npy'))).to.deep.equal(
      readFileSync(join(dir, 'ob', name, 'outputs.npy')),
    );
  };

  it('mxgen import writes a YAML and a weights side file that run like the model', () => {
    const r = mxgen('import', join(dir, 'llama_mlp.onnx'), '--out', dir);
    expect(r.code, r.stderr).to.equal(0);
    const yaml = readFileSync(join(dir, 'llama_mlp.yaml'), 'utf8');
    expect(yaml).to.match(/weights_file: llama_mlp\.weights\.safetensors/);
    expect(yaml).to.match(/op: rmsnorm/);
    expect(yaml).to.match(/op: silu/);
    expect(yaml).to.match(/op: mul/);
    const args = [
      '--inputs',
      join(dir, 'llama_mlp.x.npy'),
      '--expect',
      join(dir, 'llama_mlp.y.npy'),
      '--no-area',
      '--no-verilator',
    ];
    // The same graph, weights and data: the same golden outputs bit for bit.
    sameAsModel('llama_mlp', args);
    expect(manifest(join(dir, 'ya'), 'llama_mlp').importCheck).to.deep.equal(
      manifest(join(dir, 'ob'), 'llama_mlp').importCheck,
    );
  });

  it('mxgen import of the attention block: its q|k|v and output projections go through the side file', () => {
    const r = mxgen('import', join(dir, 'gpt2_attn.onnx'), '--out', dir);
    expect(r.code, r.stderr).to.equal(0);
    const yaml = readFileSync(join(dir, 'gpt2_attn.yaml'), 'utf8');
    expect(yaml).to.match(
      /op: attention\n\s+name: attn\n\s+input: ln_1\n\s+features: 32\n\s+heads: 2/,
    );
    expect(yaml).to.match(/^tokens: 6$/m);
    const header = readFileSync(join(dir, 'gpt2_attn.weights.safetensors'));
    const json = header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString('utf8');
    for (const t of ['attn_qkv.weight', 'attn_qkv.bias', 'attn.weight', 'attn.bias'])
      expect(json).to.include(`"${t}"`);
    const args = ['--inputs', join(dir, 'gpt2_attn.x.npy'), '--no-area', '--no-verilator'];
    sameAsModel('gpt2_attn', args);
  });

  it('digits classifier (scikit-learn, skl2onnx): int8 within 1 point of FP32; accuracy per mix', () => {
    const run = (out: string, ...mix: string[]): Manifest => {
      const r = mxgen(
        'run',
        join(dir, 'digits.onnx'),
        '--output',
        'probabilities',
        '--inputs',
        join(dir, 'digits.x.npy'),
        '--labels',
        join(dir, 'digits.labels.npy'),
        '--no-area',
        ...(out === 'int8' ? [] : ['--no-verilator']),
        ...mix,
        '--out',
        join(dir, out),
      );
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/accuracy: +top-1/);
      expect(r.stderr).to.match(/left to the host: ArgMax/);
      return manifest(join(dir, out), 'digits');
    };
    const int8 = run('int8', '--mix', 'weights=int8,activations=int8');
    expect(int8.accuracy.rows).to.equal(450);
    // FP64 of the import = the scikit-learn model's own accuracy on the same rows (skl2onnx
    // stores float32 weights, so at most one borderline row may flip).
    expect(int8.accuracy.fp64).to.be.closeTo(sklearnAccuracy, 1 / 450 + 1e-9);
    expect(int8.accuracy.quantized).to.be.at.least(int8.accuracy.fp64 - 0.01);
    const html = readFileSync(join(dir, 'int8', 'digits', 'report.html'), 'utf8');
    expect(html).to.match(/top-1 accuracy, quantized \(= hardware\)<\/td><td>\d+\.\d\d %/);
    const w4 = run('w4', '--mix', 'weights=int4,activations=int8');
    const w2 = run('w2', '--mix', 'weights=int2,activations=int4');
    // Fewer bits cost accuracy: int2 weights with int4 activations lose clearly more than int8.
    expect(w2.accuracy.quantized).to.be.below(int8.accuracy.quantized);
    expect(w4.accuracy.quantized).to.be.within(0, 1);
    console.log(
      `      digits accuracy: FP64 ${int8.accuracy.fp64}, w8a8 ${int8.accuracy.quantized}, w4a8 ${w4.accuracy.quantized}, w2a4 ${w2.accuracy.quantized}`,
    );
  });

  describe('bad input: one-line error, exit 1, nothing written', () => {
    const bad = (what: string, args: () => string[], message: RegExp): Mocha.Test =>
      it(what, () => {
        const out = join(dir, `bad-${what.replace(/\W+/g, '-')}`);
        const r = mxgen('run', ...args(), '--no-area', '--no-verilator', '--out', out);
        expect(r.code, r.stderr).to.equal(1);
        const lines = r.stderr
          .trim()
          .split('\n')
          .filter((l) => !/^\s+hint:/.test(l));
        expect(lines, r.stderr).to.have.length(1);
        expect(lines[0]).to.match(message);
        expect(existsSync(out)).to.equal(false);
      });
    bad(
      'corrupt ONNX',
      () => {
        writeFileSync(
          join(dir, 'corrupt.onnx'),
          Buffer.from('this is not a protobuf \xff\xff\xff\xff', 'latin1'),
        );
        return [join(dir, 'corrupt.onnx')];
      },
      /corrupt\.onnx: not a readable ONNX model/,
    );
    bad(
      'truncated ONNX',
      () => {
        const b = readFileSync(join(dir, 'mlp.onnx'));
        writeFileSync(join(dir, 'truncated.onnx'), b.subarray(0, Math.floor(b.length / 2)));
        return [join(dir, 'truncated.onnx')];
      },
      /truncated\.onnx: not a readable ONNX model/,
    );
    bad(
      'truncated external data',
      () => {
        const b = readFileSync(join(dir, 'llama_mlp.data'));
        writeFileSync(join(dir, 'llama_mlp.data'), b.subarray(0, 100));
        return [join(dir, 'llama_mlp.onnx')];
      },
      /initializer \w+: external data .*llama_mlp\.data is truncated/,
    );
    bad(
      'unsupported op',
      () => [join(dir, 'bad_unsupported.onnx')],
      /node \/floor\/Floor \(Floor\): unsupported op; supported: Gemm; MatMul/,
    );
    bad(
      'a GELU-like region with a wrong constant is not fused',
      () => [join(dir, 'bad_almost_gelu.onnx')],
      /node \/act\/Pow \(Pow\): unsupported op/,
    );
    // Attention near misses: never a silently different design.
    bad(
      'attention without a mask',
      () => [join(dir, 'bad_attn_nomask.onnx')],
      /node \/attn\/Softmax \(Softmax\): attention without a causal mask between \/attn\/MatMul and the Softmax/,
    );
    bad(
      'attention with a sliding-window mask',
      () => [join(dir, 'bad_attn_window.onnx')],
      /node \/attn\/Add \(Add\): the attention mask is not causal: it adds -1000000000 at position 0 for position 3/,
    );
    bad(
      'attention mask of -20',
      () => [join(dir, 'bad_attn_small.onnx')],
      /node \/attn\/Add \(Add\): the attention mask is not causal: it adds only -20 at position 1 for position 0/,
    );
    bad(
      'attention heads merged in the wrong order',
      () => [join(dir, 'bad_attn_merge.onnx')],
      /node \/attn\/Softmax \(Softmax\): the nodes from \/attn\/Split to o3 do not compute causal attention over q, k, v = the Split's outputs 0, 1, 2 in 2 heads \(largest difference/,
    );
    bad(
      'unresolvable dynamic shape',
      () => [join(dir, 'bad_dynamic.onnx')],
      /input x: feature dimension "F" is dynamic and cannot be resolved/,
    );
    bad(
      'npy of the wrong shape',
      () => [join(dir, 'mlp.onnx'), '--inputs', join(dir, 'gpt2_mlp.x.npy')],
      /--inputs .*gpt2_mlp\.x\.npy: shape \(6, 32\) dtype f4; .* takes float rows of 16 features/,
    );
    bad(
      'npy of the wrong dtype',
      () => [
        join(dir, 'digits.onnx'),
        '--output',
        'probabilities',
        '--inputs',
        join(dir, 'digits.x.npy'),
        '--labels',
        join(dir, 'digits.x.npy'),
      ],
      /--labels .*digits\.x\.npy: shape \(450, 64\) dtype f4; expected \(450,\) class indices 0\.\.9/,
    );
    bad(
      'expected outputs of the wrong shape',
      () => [
        join(dir, 'mlp.onnx'),
        '--inputs',
        join(dir, 'mlp.x.npy'),
        '--expect',
        join(dir, 'mlp.x.npy'),
      ],
      /--expect .*mlp\.x\.npy: shape \(6, 16\) dtype f4; expected float \(6, 8\)/,
    );
    bad(
      'truncated npy',
      () => {
        const b = readFileSync(join(dir, 'mlp.x.npy'));
        writeFileSync(join(dir, 'short.npy'), b.subarray(0, b.length - 7));
        return [join(dir, 'mlp.onnx'), '--inputs', join(dir, 'short.npy')];
      },
      /short\.npy: not a readable \.npy file: truncated data/,
    );
    it('mxgen import of a bad model writes nothing', () => {
      const out = mkdtempSync(join(dir, 'imp-'));
      const r = mxgen('import', join(dir, 'bad_unsupported.onnx'), '--out', out);
      expect(r.code).to.equal(1);
      expect(readdirSync(out)).to.deep.equal([]);
    });
  });
});
