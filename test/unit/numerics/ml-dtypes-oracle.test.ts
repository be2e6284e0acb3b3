// Oracle: ml_dtypes 0.6.0 (real, in .venv) decodes every code identically and converts ≥ 10^5
// binary32 inputs per format to the same bits under RNE (FP8 NONSAT = our 'special'; SAT by
// clamping the input first, formats.md 2.3), and MX quantization matches casting of exactly
// scaled values (formats.md 4.1 notes). One python process per suite.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import {
  binary32BitsOfNumber,
  decode,
  dequantize,
  encode,
  type Exact,
  getFormat,
  getMxFormat,
  listMxFormats,
  quantizeBlock,
} from '../../../src/numerics/index.js';
import { type OracleTask, PYTHON, prng, runOracle } from '../../support/oracle/run-oracle.js';

const FLOAT_FORMATS = ['fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1'];
const PER_FORMAT = 100_000 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

const dv = new DataView(new ArrayBuffer(8));
function f64Hex(x: Exact): string {
  const v =
    x.kind === 'nan'
      ? NaN
      : x.kind === 'inf'
        ? x.neg
          ? -Infinity
          : Infinity
        : (x.neg ? -1 : 1) * Number(x.sig) * 2 ** x.exp;
  dv.setFloat64(0, v);
  return dv.getBigUint64(0).toString(16).padStart(16, '0');
}
const isNaNHex = (h: string): boolean => {
  const b = BigInt(`0x${h}`) & 0x7fffffffffffffffn;
  return b > 0x7ff0000000000000n;
};
const sameF64 = (a: string, b: string): boolean => a === b || (isNaNHex(a) && isNaNHex(b));

/** Inputs for one format: specials, every value, every midpoint and boundary ± 1 ulp, random. */
function inputsFor(name: string, seed: number): number[] {
  const f = getFormat(name);
  const vals: number[] = [];
  for (let c = 0; c < 2 ** (f.bits - 1); c++) {
    const v = decode(f, c);
    if (v.kind === 'finite') vals.push(Number(v.sig) * 2 ** v.exp);
  }
  vals.sort((a, b) => a - b);
  const top = vals[vals.length - 1] as number;
  const ulpTop = top - (vals[vals.length - 2] as number);
  const points = [
    ...vals,
    (vals[1] as number) / 2,
    (vals[1] as number) / 4,
    top + ulpTop / 2,
    top + ulpTop,
    top * 2,
  ];
  for (let i = 0; i + 1 < vals.length; i++)
    points.push(((vals[i] as number) + (vals[i + 1] as number)) / 2);
  const isNaN32 = (b: number): boolean => (b & 0x7fffffff) >>> 0 > 0x7f800000;
  // FP6/FP4 have no NaN (encoding NaN is an error by design), so no NaN inputs for them: they
  // are never added, so the list handed to the oracle is exactly `out`.
  const noNaN = f.kind === 'float' && f.specials === 'none';
  const out = new Set<number>();
  const add = (b: number): void => {
    if (!(noNaN && isNaN32(b))) out.add(b >>> 0);
  };
  for (const b of [
    0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 1, 0x80000001, 0x7f7fffff,
    0xff7fffff,
  ])
    add(b);
  for (const p of points) {
    const b = binary32BitsOfNumber(p); // all points are small dyadics: exact in binary32
    // ±1 ulp of the magnitude; below +0 there is no pattern (b - 1 would be 0xFFFFFFFF, a NaN)
    for (const d of b === 0 ? [0, 1] : [-1, 0, 1])
      for (const s of [0, 0x80000000]) add((b + d) | s);
  }
  const rnd = prng(seed);
  while (out.size < PER_FORMAT) {
    const r = rnd();
    if (r & 1) add(rnd());
    else {
      // In and around the format's range: exponent within emin-4 .. emax+3 of the format.
      const e = 127 + Math.round(Math.log2(top)) - ((rnd() % 32) >>> 0);
      add((r & 0x80000000) | ((e & 0xff) << 23) | (rnd() & 0x7fffff));
    }
  }
  return [...out];
}

describe('ml_dtypes oracle (real ml_dtypes 0.6.0)', function () {
  before(function () {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/setup.sh`);
  });

  it('decodes every code of the FP8/FP6/FP4/E8M0 formats identically', () => {
    const fmts = [...FLOAT_FORMATS, 'e8m0'];
    const tasks: OracleTask[] = fmts.map((n) => {
      const f = getFormat(n);
      return { op: 'decode', dtype: f.mlDtypes ?? '', codes: [...Array(2 ** f.bits).keys()] };
    });
    const answers = runOracle(tasks);
    let compared = 0;
    const bad: string[] = [];
    fmts.forEach((n, i) => {
      const want = answers[i]?.f64 as string[];
      want.forEach((h, c) => {
        compared++;
        const got = f64Hex(decode(n, c));
        if (!sameF64(got, h)) bad.push(`${n} 0x${c.toString(16)}: ${got} vs ${h}`);
      });
    });
    console.log(`      ml_dtypes decode: compared ${compared} codes`);
    expect(bad).to.deep.equal([]);
    expect(compared).to.equal(256 + 256 + 64 + 64 + 16 + 256);
  });

  it('encodes ≥ 10^5 binary32 inputs per format to the same bits (RNE, SAT and NONSAT)', () => {
    const jobs: { name: string; bits: number[]; sat: boolean }[] = [];
    FLOAT_FORMATS.forEach((name, i) => {
      const bits = inputsFor(name, 1000 + i);
      const fp8 = name.startsWith('fp8');
      jobs.push({ name, bits, sat: true });
      if (fp8) jobs.push({ name, bits, sat: false });
    });
    const answers = runOracle(
      jobs.map((j) => ({
        op: 'encode',
        dtype: getFormat(j.name).mlDtypes ?? '',
        bits: j.bits,
        sat: j.sat,
      })),
    );
    let compared = 0;
    const bad: string[] = [];
    jobs.forEach((j, i) => {
      const want = answers[i]?.codes as number[];
      const overflow = j.sat ? 'saturate' : 'special';
      j.bits.forEach((b, k) => {
        compared++;
        const got = encode(j.name, { binary32: b }, { overflow });
        if (got !== want[k] && bad.length < 20)
          bad.push(
            `${j.name} ${overflow} 0x${b.toString(16)}: got 0x${got.toString(16)}, ml_dtypes 0x${(want[k] ?? -1).toString(16)}`,
          );
      });
    });
    console.log(
      `      ml_dtypes encode inputs: ${jobs.map((j) => `${j.name}/${j.sat ? 'sat' : 'nonsat'} ${j.bits.length}`).join(', ')}`,
    );
    for (const j of jobs) expect(j.bits.length, `${j.name} inputs`).to.be.at.least(PER_FORMAT);
    console.log(
      `      ml_dtypes encode: compared ${compared} conversions over ${jobs.length} format/policy pairs`,
    );
    expect(bad).to.deep.equal([]);
  });

  it('MX quantization matches ml_dtypes casts of exactly scaled values (floor scale)', () => {
    const rnd = prng(77);
    const blocks: number[][] = [];
    for (let i = 0; i < 400; i++) {
      const spread = (rnd() % 40) >>> 0; // exponent spread inside the block
      const base = 127 - 60 + ((rnd() % 120) >>> 0);
      const blk: number[] = [];
      for (let j = 0; j < 32; j++) {
        const kind = rnd() % 16;
        if (kind === 0) blk.push(0);
        else if (kind === 1) blk.push(0x80000000);
        else {
          const e = Math.max(0, base - ((rnd() % (spread + 1)) >>> 0));
          blk.push(((rnd() & 0x80000000) | (e << 23) | (rnd() & 0x7fffff)) >>> 0);
        }
      }
      if (i % 50 === 1) blk[5] = 0x7f800000;
      if (i % 50 === 2) blk[9] = 0xffc00000;
      if (i % 50 === 3) blk.fill(0);
      if (i % 50 === 4) blk.fill(1, 0, 4); // subnormal maxima: scale clamps to 0x00
      blocks.push(blk);
    }
    const fmts = listMxFormats();
    const answers = runOracle(
      fmts.map((f) => ({
        op: 'mx',
        elem: f.element.kind === 'int' ? 'int8' : (f.element.mlDtypes ?? ''),
        emax: f.emaxElem,
        blocks,
      })),
    );
    let compared = 0;
    const bad: string[] = [];
    fmts.forEach((f, i) => {
      const a = answers[i];
      blocks.forEach((blk, k) => {
        const q = quantizeBlock(blk, getMxFormat(f.name));
        if (q.scale !== a?.scales?.[k])
          bad.push(`${f.name} block ${k}: X 0x${q.scale.toString(16)} vs ${a?.scales?.[k]}`);
        const want = (a?.f64 as string[][])[k] as string[];
        dequantize(q).forEach((v, j) => {
          compared++;
          if (!sameF64(f64Hex(v), want[j] ?? ''))
            bad.push(`${f.name} block ${k} elem ${j}: ${f64Hex(v)} vs ${want[j]}`);
        });
      });
    });
    console.log(
      `      ml_dtypes MX: compared ${compared} dequantized elements in ${fmts.length * blocks.length} blocks`,
    );
    expect(bad.slice(0, 20)).to.deep.equal([]);
  });
});
