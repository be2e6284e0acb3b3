// `mxgen formats` and `mxgen numerics ...` run as a user would: node bin/mxgen.js, exit codes.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function mxgen(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('node', ['bin/mxgen.js', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('mxgen formats / numerics CLI', () => {
  it('formats --json lists E4M3 with bias 7, min subnormal 2^-9 and max 448', () => {
    const r = mxgen('formats', '--json');
    expect(r.code).to.equal(0);
    const cat = JSON.parse(r.out) as {
      name: string;
      bias: number;
      minSubnormal: string;
      max: string;
    }[];
    const e4m3 = cat.find((e) => e.name === 'fp8_e4m3');
    expect(e4m3).to.include({ bias: 7, minSubnormal: '0.001953125', max: '448' });
  });

  it('numerics encode --json prints input, code and exact value per input (8.2.1 rows)', () => {
    const r = mxgen(
      'numerics',
      'encode',
      '--format',
      'fp8_e4m3',
      '--overflow',
      'special',
      '--json',
      '1.0625',
      '0x43E80001',
      '-0',
      'NaN',
    );
    expect(r.code).to.equal(0);
    const rows = JSON.parse(r.out) as { input: string; code: string; value: string }[];
    expect(rows.map((x) => [x.input, x.code, x.value])).to.deep.equal([
      ['1.0625', '0x38', '1'],
      ['0x43E80001', '0x7F', 'NaN'],
      ['-0', '0x80', '-0'],
      ['NaN', '0x7F', 'NaN'],
    ]);
  });

  it('numerics decode reads a CSV file; quantize and dot give the spec results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-cli-'));
    try {
      const csv = join(dir, 'codes.csv');
      writeFileSync(csv, '0x01,0x7E\n0xFA\n');
      const d = mxgen('numerics', 'decode', '--format', 'e4m3', '--file', csv, '--json');
      expect(d.code).to.equal(0);
      // 8.1: 0x01 = 2^-9, 0x7E = 448, 0xFA = -320
      expect((JSON.parse(d.out) as { value: string }[]).map((x) => x.value)).to.deep.equal([
        '0.001953125',
        '448',
        '-320',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // 8.3 B1: X = 0x7F, 7.0 → 0x7 (6), -2.5 → 0xC (-2)
    const q = mxgen(
      'numerics',
      'quantize',
      '--format',
      'mxfp4_e2m1',
      '--json',
      '7.0',
      '0.3',
      '-2.5',
    );
    expect(
      (JSON.parse(q.out) as { scale: string; code: string }[]).map((x) => x.scale + x.code),
    ).to.deep.equal(['0x7F0x7', '0x7F0x1', '0x7F0xC']);
    // A = [6, -0.5, 1.5] (scale 1), B = [1, 0.75, -0.5] (scale 2^-2): 6 - 0.375 - 0.75 = 4.875
    const dot = mxgen(
      'numerics',
      'dot',
      '--format',
      'mxfp4_e2m1',
      '--a',
      '6,-0.5,1.5',
      '--b',
      '1,0.75,-0.5',
      '--json',
    );
    expect(JSON.parse(dot.out)).to.deep.equal([
      { input: 'a=[6,-0.5,1.5] b=[1,0.75,-0.5]', code: '0x409C0000', value: '4.875' },
    ]);
  });

  it('bad input prints one line naming it and exits 1', () => {
    const cases: [string[], RegExp][] = [
      [['numerics', 'encode', '--format', 'fp9', '1'], /unknown format 'fp9'/],
      [
        ['numerics', 'decode', '--format', 'fp4_e2m1', '0x10'],
        /code 16 is out of range for fp4_e2m1/,
      ],
      [['numerics', 'encode', '--format', 'int8', '1.2.3'], /'1.2.3' is not a number/],
      [['numerics', 'encode', '--format', 'fp8_e5m2', '1'], /needs an overflow policy/],
    ];
    for (const [args, msg] of cases) {
      const r = mxgen(...args);
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.err.trim().split('\n')).to.have.length(1);
      expect(r.err).to.match(msg);
    }
  });

  it('a misspelled policy is one error line naming the allowed choices, exit 1', () => {
    // Before the fix these printed 0x7E / 0x9 / 0x8 and exited 0.
    const cases: [string[], RegExp][] = [
      [
        ['numerics', 'encode', '--format', 'fp8_e4m3', '--overflow', 'nonsat', '500'],
        /--overflow.*'nonsat' is invalid\. Allowed choices are saturate, special, wrap/,
      ],
      [['numerics', 'encode', '--format', 'int4', '--overflow', 'wrapp', '9'], /'wrapp'/],
      [
        ['numerics', 'encode', '--format', 'int4', '--range', 'symmetrical', '--', '-9'],
        /--range.*'symmetrical' is invalid\. Allowed choices are full, symmetric/,
      ],
      [['numerics', 'encode', '--format', 'int4', '--rounding', 'rnee', '1'], /'rnee' is invalid/],
      [
        ['numerics', 'quantize', '--format', 'mxfp4_e2m1', '--scale-policy', 'flor', '1'],
        /'flor' is invalid\. Allowed choices are floor, ceil, even, rceil/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = mxgen(...args);
      expect(r.code, args.join(' ')).to.equal(1);
      expect(r.out, args.join(' ')).to.equal('');
      expect(r.err.trim().split('\n'), args.join(' ')).to.have.length(1);
      expect(r.err).to.match(/^error\[config\]: /);
      expect(r.err).to.match(msg);
    }
  });

  it('-Inf, -NaN and -Infinity are values, not options, in encode and quantize', () => {
    // 8.2.1: -Inf → SAT 0xFE (-448); -NaN → NaN with its sign, 0xFF; 2 → 0x40 (E4M3 2 = 0.1000.000)
    const e = mxgen(
      'numerics',
      'encode',
      '--format',
      'fp8_e4m3',
      '--overflow',
      'saturate',
      '--json',
      '2',
      '-Inf',
      '-nan',
      '-Infinity',
    );
    expect(e.err).to.equal('');
    expect(e.code).to.equal(0);
    expect(
      (JSON.parse(e.out) as { input: string; code: string }[]).map((x) => [x.input, x.code]),
    ).to.deep.equal([
      ['2', '0x40'],
      ['-Inf', '0xFE'],
      ['-nan', '0xFF'],
      ['-Infinity', '0xFE'],
    ]);
    // formats.md 4 step 1: any ±Inf in a block → X = 0xFF, every P_i = 0
    const q = mxgen('numerics', 'quantize', '--format', 'mxfp8_e4m3', '--json', '1', '-INF');
    expect(q.err).to.equal('');
    expect(
      (JSON.parse(q.out) as { scale: string; code: string }[]).map((x) => x.scale + x.code),
    ).to.deep.equal(['0xFF0x00', '0xFF0x00']);
  });

  it('--help works on every command', () => {
    for (const args of [
      ['formats'],
      ['numerics'],
      ['numerics', 'encode'],
      ['numerics', 'decode'],
      ['numerics', 'quantize'],
      ['numerics', 'dot'],
    ]) {
      const r = mxgen(...args, '--help');
      expect(r.code, args.join(' ')).to.equal(0);
      expect(r.out).to.match(/Usage: mxgen/);
    }
  });
});
