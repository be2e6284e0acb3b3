// Every code of every format of ≤ 8 bits decodes as formats.md says. The expected values come
// from a tiny independent decoder written here from the field definitions (1.1, 2.1, 2.2, 3.1,
// 3.2, 9.1) in plain float64 (exact for these formats), plus the section 8.1 tables.
import { expect } from 'chai';
import { decode, decodeFixed, type Exact, listFormats } from '../../../src/numerics/index.js';

/** Exact → float64; exact here because every significand is < 2^53 and 2^±127 is in range. */
function toF64(x: Exact): number {
  if (x.kind === 'nan') return NaN;
  if (x.kind === 'inf') return x.neg ? -Infinity : Infinity;
  const m = Number(x.sig) * 2 ** x.exp;
  return x.neg ? -m : m;
}

/** Spec decoder for sign-magnitude floats: 2.1 (specials), 2.2 (values). */
function specFloat(code: number, E: number, M: number, B: number, kind: string): number {
  const s = (code >> (E + M)) & 1;
  const e = (code >> M) & ((1 << E) - 1);
  const m = code & ((1 << M) - 1);
  const sign = s ? -1 : 1;
  const top = (1 << E) - 1;
  if (kind === 'ieee' && e === top) return m === 0 ? sign * Infinity : NaN;
  if (kind === 'fn' && e === top && m === (1 << M) - 1) return NaN;
  if (e === 0) return sign * m * 2 ** (1 - B - M);
  return sign * (2 ** M + m) * 2 ** (e - B - M);
}

const SPEC: Record<string, (c: number) => number> = {
  fp8_e4m3: (c) => specFloat(c, 4, 3, 7, 'fn'),
  fp8_e5m2: (c) => specFloat(c, 5, 2, 15, 'ieee'),
  fp6_e2m3: (c) => specFloat(c, 2, 3, 1, 'none'),
  fp6_e3m2: (c) => specFloat(c, 3, 2, 3, 'none'),
  fp4_e2m1: (c) => specFloat(c, 2, 1, 1, 'none'),
  e8m0: (c) => (c === 0xff ? NaN : 2 ** (c - 127)),
  mxint8_element: (c) => (c >= 128 ? c - 256 : c) / 64,
};
for (let n = 2; n <= 8; n++) {
  SPEC[`int${n}`] = (c) => (c >= 2 ** (n - 1) ? c - 2 ** n : c);
  SPEC[`uint${n}`] = (c) => c;
}
// 9.1: FP3 s.ee → 0,1,2,4 with 100 = special; FP4 = E2M1 with 1000 = special.
const BITMOD_SPECIAL: Record<string, number> = { 'er+': 1, 'er-': -1, 'ea+': 1, 'ea-': -1 };
for (const v of ['er+', 'er-', 'ea+', 'ea-']) {
  const sgn = BITMOD_SPECIAL[v] ?? 0;
  SPEC[`bitmod_fp3_${v}`] = (c) =>
    c === 4 ? sgn * (v[1] === 'r' ? 3 : 6) : (c & 4 ? -1 : 1) * ([0, 1, 2, 4][c & 3] ?? NaN);
  SPEC[`bitmod_fp4_${v}`] = (c) =>
    c === 8 ? sgn * (v[1] === 'r' ? 5 : 8) : specFloat(c, 2, 1, 1, 'none');
}

/** Section 8.1 tables: [format, code, value]. */
const TABLE: [string, number, number][] = [
  ['fp8_e4m3', 0x00, 0],
  ['fp8_e4m3', 0x80, -0],
  ['fp8_e4m3', 0x01, 0.001953125],
  ['fp8_e4m3', 0x07, 0.013671875],
  ['fp8_e4m3', 0x08, 0.015625],
  ['fp8_e4m3', 0x38, 1],
  ['fp8_e4m3', 0x3c, 1.5],
  ['fp8_e4m3', 0x77, 240],
  ['fp8_e4m3', 0x78, 256],
  ['fp8_e4m3', 0x7e, 448],
  ['fp8_e4m3', 0xfe, -448],
  ['fp8_e4m3', 0x7f, NaN],
  ['fp8_e4m3', 0xff, NaN],
  ['fp8_e4m3', 0xfa, -320],
  ['fp8_e5m2', 0x00, 0],
  ['fp8_e5m2', 0x80, -0],
  ['fp8_e5m2', 0x01, 2 ** -16],
  ['fp8_e5m2', 0x03, 3 * 2 ** -16],
  ['fp8_e5m2', 0x04, 2 ** -14],
  ['fp8_e5m2', 0x3c, 1],
  ['fp8_e5m2', 0x3f, 1.75],
  ['fp8_e5m2', 0x7b, 57344],
  ['fp8_e5m2', 0xfb, -57344],
  ['fp8_e5m2', 0x7c, Infinity],
  ['fp8_e5m2', 0xfc, -Infinity],
  ['fp8_e5m2', 0x7d, NaN],
  ['fp8_e5m2', 0x7e, NaN],
  ['fp8_e5m2', 0x7f, NaN],
  ['fp8_e5m2', 0xfd, NaN],
  ['fp6_e2m3', 0x00, 0],
  ['fp6_e2m3', 0x20, -0],
  ['fp6_e2m3', 0x01, 0.125],
  ['fp6_e2m3', 0x07, 0.875],
  ['fp6_e2m3', 0x08, 1],
  ['fp6_e2m3', 0x0c, 1.5],
  ['fp6_e2m3', 0x18, 4],
  ['fp6_e2m3', 0x1c, 6],
  ['fp6_e2m3', 0x1f, 7.5],
  ['fp6_e2m3', 0x3f, -7.5],
  ['fp6_e2m3', 0x3a, -5],
  ['fp6_e3m2', 0x00, 0],
  ['fp6_e3m2', 0x20, -0],
  ['fp6_e3m2', 0x01, 0.0625],
  ['fp6_e3m2', 0x03, 0.1875],
  ['fp6_e3m2', 0x04, 0.25],
  ['fp6_e3m2', 0x0c, 1],
  ['fp6_e3m2', 0x18, 8],
  ['fp6_e3m2', 0x1c, 16],
  ['fp6_e3m2', 0x1f, 28],
  ['fp6_e3m2', 0x3f, -28],
  ['fp6_e3m2', 0x3a, -12],
  ...[0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6].map(
    (v, c): [string, number, number] => ['fp4_e2m1', c, v],
  ),
  ['mxint8_element', 0x00, 0],
  ['mxint8_element', 0x01, 0.015625],
  ['mxint8_element', 0x40, 1],
  ['mxint8_element', 0x60, 1.5],
  ['mxint8_element', 0x7f, 1.984375],
  ['mxint8_element', 0x80, -2],
  ['mxint8_element', 0x81, -127 / 64],
  ['mxint8_element', 0xc0, -1],
  ['mxint8_element', 0xf0, -0.25],
  ['mxint8_element', 0xff, -1 / 64],
  ['e8m0', 0x00, 2 ** -127],
  ['e8m0', 0x01, 2 ** -126],
  ['e8m0', 0x76, 2 ** -9],
  ['e8m0', 0x7e, 0.5],
  ['e8m0', 0x7f, 1],
  ['e8m0', 0x80, 2],
  ['e8m0', 0x85, 64],
  ['e8m0', 0xfd, 2 ** 126],
  ['e8m0', 0xfe, 2 ** 127],
  ['e8m0', 0xff, NaN],
  ['int4', 0x0, 0],
  ['int4', 0x1, 1],
  ['int4', 0x7, 7],
  ['int4', 0x8, -8],
  ['int4', 0x9, -7],
  ['int4', 0xf, -1],
  ['int8', 0x7f, 127],
  ['int8', 0x80, -128],
  ['int8', 0x81, -127],
  ['int8', 0xff, -1],
];

describe('exhaustive decode of every ≤ 8-bit format', () => {
  for (const f of listFormats()) {
    it(`${f.name}: all ${2 ** f.bits} codes match the spec decoder`, () => {
      const spec = SPEC[f.name];
      expect(spec, `no spec decoder for ${f.name}`).to.be.a('function');
      const bad: string[] = [];
      for (let c = 0; c < 2 ** f.bits; c++) {
        const want = (spec as (c: number) => number)(c);
        const got = toF64(decode(f, c));
        if (!Object.is(got, want)) bad.push(`0x${c.toString(16)}: got ${got}, want ${want}`);
        const fx = decodeFixed(f, c);
        if (fx.kind === 'finite') {
          // fixed form: value = sig·2^lsbExp, |sig| within [minSig, maxSig]
          if (Number(fx.sig) * 2 ** fx.lsbExp !== want || fx.sig > f.maxSig || fx.sig < f.minSig)
            bad.push(`0x${c.toString(16)}: fixed form ${fx.sig}·2^${fx.lsbExp}`);
        } else if (!Number.isNaN(want) && Number.isFinite(want))
          bad.push(`0x${c.toString(16)}: special`);
      }
      expect(bad).to.deep.equal([]);
    });
  }
  it('matches every row of the formats.md 8.1 tables', () => {
    const bad = TABLE.filter(([f, c, v]) => !Object.is(toF64(decode(f, c)), v));
    expect(bad).to.deep.equal([]);
  });
  it('rejects a code out of range with a message naming it', () => {
    expect(() => decode('fp4_e2m1', 16)).to.throw(/code 16 is out of range for fp4_e2m1/);
    expect(() => decode('nope', 0)).to.throw(/unknown format 'nope'/);
  });
  it('the fixed form parameters of 5.2 (lsb, maxSig) are as tabulated', () => {
    const want: [string, number, bigint][] = [
      ['fp8_e4m3', -9, 229376n],
      ['fp8_e5m2', -16, 3758096384n],
      ['fp6_e2m3', -3, 60n],
      ['fp6_e3m2', -4, 448n],
      ['fp4_e2m1', -1, 12n],
      ['mxint8_element', -6, 127n],
    ];
    for (const [n, lsb, max] of want) {
      const f = listFormats().find((x) => x.name === n);
      expect([f?.lsbExp, f?.maxSig], n).to.deep.equal([lsb, max]);
    }
  });
});
