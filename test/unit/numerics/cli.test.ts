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
    // formats.md 6.2 / 6.6, in units of σ: olive4 outliers up to 96 = 3 << 5, olive8 up to
    // 2016 = 63 << 5; the smallest nonzero value is the normal 1.
    expect(cat.find((e) => e.name === 'olive4')).to.include({
      bits: 4,
      minSubnormal: '1',
      max: '96',
      min: '-96',
    });
    expect(cat.find((e) => e.name === 'olive8')).to.include({ bits: 8, max: '2016', min: '-2016' });
  });

  it('numerics encode/decode olive4 and olive8: pairs of values ↔ pair codes (6.5, 6.6)', () => {
    // formats.md 6.5 rows, σ = 2 (inputs are 2·x of the table, values 2·q)
    const e = mxgen(
      'numerics',
      'encode',
      '--format',
      'olive4',
      '--sigma',
      '2',
      '--json',
      '6.4',
      '-100',
      '11.2',
      '-4.8',
      '200',
      '40',
      '19',
      '2',
      '-26',
      '80',
    );
    expect(e.err).to.equal('');
    const rows = JSON.parse(e.out) as Record<string, string>[];
    expect(rows.map((r) => [r.input, r.code, r.int, r.shift, r.value])).to.deep.equal([
      ['6.4,-100', '0xD8', '0,-3', '0,4', '0,-96'],
      ['11.2,-4.8', '0xE6', '6,-2', '0,0', '12,-4'],
      ['200,40', '0x87', '3,0', '5,0', '192,0'],
      ['19,2', '0x17', '7,1', '0,0', '14,2'],
      ['-26,80', '0x48', '0,2', '0,4', '0,64'],
    ]);
    // 6.6, σ = 0.5: (0x7F, 0x80) = outlier (63 << 5) = 2016 → 1008 and the victim 0; (0x01, 0xFF)
    // = normals 1 and -1 → 0.5, -0.5
    const d = mxgen(
      'numerics',
      'decode',
      '--format',
      'olive8',
      '--sigma',
      '0.5',
      '--json',
      '0x7F',
      '0x80',
      '1',
      '0xFF',
    );
    expect(d.err).to.equal('');
    expect(
      (JSON.parse(d.out) as Record<string, string>[]).map((r) => [r.code, r.int, r.shift, r.value]),
    ).to.deep.equal([
      ['0x7F,0x80', '63,0', '5,0', '1008,0'],
      ['0x01,0xFF', '1,-1', '0,0', '0.5,-0.5'],
    ]);
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
      [['numerics', 'encode', '--format', 'fp9', '1'], /unknown format "fp9"/],
      [
        ['numerics', 'decode', '--format', 'fp4_e2m1', '0x10'],
        /code 16 is out of range for fp4_e2m1/,
      ],
      [['numerics', 'encode', '--format', 'int8', '1.2.3'], /'1.2.3' is not a number/],
      [['numerics', 'encode', '--format', 'fp8_e5m2', '1'], /needs an overflow policy/],
      [
        [
          'numerics',
          'encode',
          '--format',
          'fp8_e5m2',
          '--overflow',
          'special',
          '--sigma',
          '2',
          '1',
        ],
        /--sigma applies to olive4 and olive8 only/,
      ],
      [
        ['numerics', 'quantize', '--format', 'nvfp4', '--scale-policy', 'ceil', '1'],
        /nvfp4 has a fixed scale rule and block size 16/,
      ],
      [
        ['numerics', 'decode', '--format', 'olive8', '0x01', '0x02', '0x03'],
        /olive8 decodes pairs of bytes: give an even number of codes; got 3/,
      ],
    ];
    for (const [args, msg] of cases) {
      const r = mxgen(...args);
      expect(r.code, args.join(' ')).to.equal(1);
      // One line, plus at most one `  hint:` line (README "The command line").
      const lines = r.err.trim().split('\n');
      expect(lines.length, r.err).to.be.within(1, 2);
      if (lines.length === 2) expect(lines[1]).to.match(/^ {2}hint: /);
      expect(lines[0]).to.match(msg);
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
