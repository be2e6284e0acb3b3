// DialectFP4 / BlockDialect golden model against an independent reading of the paper (arXiv
// 2501.01144): the formatbook written out as decimal magnitudes (largest first, as the paper's
// figure lists them), hand-worked blocks with literal expected codes, every 4-bit code of every
// dialect, every 5-bit intermediate of every pair, and random blocks against a second
// implementation of the two-stage rule written here on JS numbers (exact for binary32 inputs).
import { expect } from 'chai';
import {
  binary32BitsOfNumber,
  DIALECT_COUNT,
  dialectBeneficial,
  dialectDequantize,
  dialectDot,
  dialectHalfUnits,
  dialectIndexOfQuarter,
  dialectIntermediate,
  dialectPairOfMax,
  dialectQuantizeActivation,
  dialectQuantizeWeight,
  fromInt,
  NumericsError,
  toDecimalString,
} from '../../../src/numerics/index.js';
import { prng } from '../../support/oracle/run-oracle.js';

// The formatbook, magnitudes largest first; dialect 2p and 2p+1 share the largest (7.5 - p/2).
const BOOK: readonly (readonly number[])[] = [
  [7.5, 5.5, 3, 2, 1.5, 1, 0.5, 0],
  [7.5, 4.5, 3, 2, 1.5, 1, 0.5, 0],
  [7, 5.5, 3, 2, 1.5, 1, 0.5, 0],
  [7, 4.5, 3, 2, 1.5, 1, 0.5, 0],
  [6.5, 5, 3, 2, 1.5, 1, 0.5, 0],
  [6.5, 4, 3, 2, 1.5, 1, 0.5, 0],
  [6, 5, 3, 2, 1.5, 1, 0.5, 0],
  [6, 4, 3, 2, 1.5, 1, 0.5, 0],
  [5.5, 4.5, 3, 2, 1.5, 1, 0.5, 0],
  [5.5, 3.5, 3, 2, 1.5, 1, 0.5, 0],
  [5, 4.5, 3, 2, 1.5, 1, 0.5, 0],
  [5, 3.5, 3, 2, 1.5, 1, 0.5, 0],
  [4.5, 4, 3, 2, 1.5, 1, 0.5, 0],
  [4.5, 3.5, 3, 2, 1.5, 1, 0.5, 0],
  [4, 3.5, 3, 2, 1.5, 1, 0.5, 0],
  [4, 3, 2.5, 2, 1.5, 1, 0.5, 0],
];
const mags = (d: number): number[] => [...(BOOK[d] ?? [])].reverse();
const b32 = (xs: number[]): number[] => xs.map(binary32BitsOfNumber);

/** Round half to even on a JS number (exact for the small values used here). */
function rne(x: number): number {
  const f = Math.floor(x);
  const r = x - f;
  return r > 0.5 || (r === 0.5 && f % 2 !== 0) ? f + 1 : f;
}
/** Nearest magnitude index, ties to the larger magnitude (written from the docs' rule). */
function nearestIdx(d: number, m: number): number {
  const t = mags(d);
  let best = 0;
  t.forEach((v, i) => {
    if (Math.abs(m - v) <= Math.abs(m - (t[best] ?? 0))) best = i;
  });
  return best;
}
const err = (d: number, m: number): number => Math.abs(m - (mags(d)[nearestIdx(d, m)] ?? 0));

describe('numerics: DialectFP4 formatbook', () => {
  it('every 4-bit code of every dialect decodes to the book (sign bit 3, index bits 2..0)', () => {
    let n = 0;
    for (let d = 0; d < DIALECT_COUNT; d++)
      for (let c = 0; c < 16; c++) {
        const m = mags(d)[c & 7] ?? NaN;
        expect(dialectHalfUnits(d, c) / 2, `d${d} c${c}`).to.equal(c & 8 ? -m : m);
        const [v] = dialectDequantize({ scale: 127, dialect: d, codes: [c] });
        expect(toDecimalString(v!)).to.equal(m === 0 ? '0' : `${c & 8 ? '-' : ''}${m}`);
        n++;
      }
    expect(n).to.equal(256);
  });

  it('pairs share their largest magnitude 7.5 - p/2; all magnitudes are multiples of 0.5', () => {
    for (let p = 0; p < 8; p++) {
      expect(BOOK[2 * p]?.[0]).to.equal(7.5 - p / 2);
      expect(BOOK[2 * p + 1]?.[0]).to.equal(7.5 - p / 2);
    }
    for (let d = 0; d < 16; d++)
      for (let i = 0; i < 8; i++) expect(dialectHalfUnits(d, i)).to.equal(2 * (mags(d)[i] ?? 0));
  });

  it('stage 1: every block max 4.00..7.75 picks the pair whose largest magnitude is it rounded', () => {
    for (let q = 16; q <= 31; q++) {
      const m = Math.min(7.5, Math.floor(q / 2 + 0.5) / 2); // round half up at the 2nd fraction bit
      expect(BOOK[2 * dialectPairOfMax(q)]?.[0], `q=${q}`).to.equal(m);
    }
    expect(dialectPairOfMax(31)).to.equal(0); // 7.75 rounds to 8, clamped to 7.5
    expect(dialectPairOfMax(17)).to.equal(6); // 4.25 → 4.5
    expect(dialectPairOfMax(3)).to.equal(7); // tiny blocks (scale clamped at 2^-127) → 4.0
  });

  it('stage 2 classification and element rounding for every intermediate 0..31 of every pair', () => {
    for (let p = 0; p < 8; p++)
      for (let q = 0; q <= 31; q++) {
        const ea = err(2 * p, q / 4);
        const eb = err(2 * p + 1, q / 4);
        expect(dialectBeneficial(p, q), `p${p} q${q}`).to.equal(ea < eb ? 0 : eb < ea ? 1 : -1);
      }
    for (let d = 0; d < 16; d++)
      for (let q = 0; q <= 31; q++)
        expect(dialectIndexOfQuarter(d, q), `d${d} q${q}`).to.equal(nearestIdx(d, q / 4));
  });

  it('a dialect id out of range is a one-line error naming the field', () => {
    for (const bad of [16, -1, 2.5]) {
      const f = (): unknown => dialectHalfUnits(bad, 0);
      expect(f).to.throw(NumericsError, new RegExp(`^dialect ${bad} is out of range`));
    }
    expect(() => dialectDequantize({ scale: 127, dialect: 99, codes: [0] })).to.throw(
      /^block\.dialect 99 is out of range/,
    );
  });
});

describe('numerics: BlockDialect quantization', () => {
  it('hand-worked activation block: max 6.5 → pair {4, 5}; 5.25 and 5 favour dialect 4', () => {
    // s = floor(log2 6.5) - 2 = 0; intermediates (quarter units) 26, 21, 20, 4, 1, 9, 18, 0.
    const blk = dialectQuantizeActivation(b32([6.5, 5.25, 5.0, 1.0, -0.3, 2.2, -4.6, 0]), 8);
    expect(blk).to.deep.equal({
      scale: 127,
      dialect: 4,
      codes: [0x7, 0x6, 0x6, 0x2, 0x9, 0x4, 0xe, 0x0],
    });
    expect(dialectDequantize(blk).map(toDecimalString)).to.deep.equal([
      '6.5',
      '5',
      '5',
      '1',
      '-0.5',
      '2',
      '-5',
      '0',
    ]);
  });

  it('hand-worked activation block: 7.9 saturates to 7.75 → pair {0, 1}; 4.0..4.4 favour 4.5', () => {
    const blk = dialectQuantizeActivation(b32([7.9, 4.4, 4.0, 4.2]), 4);
    expect(blk).to.deep.equal({ scale: 127, dialect: 1, codes: [0x7, 0x6, 0x6, 0x6] });
  });

  it('the 5-bit intermediate saturates at 31: RNE(7.9375·4) = 32 → 31, 7.75 → 31, 7.5 → 30', () => {
    // x = 127·2^-4 at s = 0: 127·2^-2 = 31.75 rounds to 32, above the 5-bit field's 31.
    expect(dialectIntermediate(fromInt(127n, -4), 0)).to.equal(31);
    expect(dialectIntermediate(fromInt(31n, -2), 0)).to.equal(31);
    expect(dialectIntermediate(fromInt(15n, -1), 0)).to.equal(30);
  });

  it('stage 2 tie (one element each) keeps the even dialect', () => {
    const blk = dialectQuantizeActivation(b32([6.5, 5.25, 4.0]), 3);
    expect(blk.dialect).to.equal(4);
    expect(blk.codes).to.deep.equal([0x7, 0x6, 0x6]); // 4.0 = q 16 ties 3/5 → 5
  });

  it('scale: amax 0.75 gives s = -3 (6 after shifting); zero and NaN blocks', () => {
    const blk = dialectQuantizeActivation(b32([0.75, -0.375]), 2);
    expect(blk.scale).to.equal(124);
    expect(dialectDequantize(blk).map(toDecimalString)).to.deep.equal(['0.75', '-0.375']);
    expect(dialectQuantizeActivation(b32([0, -0]), 2)).to.deep.equal({
      scale: 0,
      dialect: 0,
      codes: [0, 0],
    });
    expect(dialectQuantizeActivation([0x7fc00000, 0], 2).scale).to.equal(0xff);
    expect(dialectDequantize({ scale: 0xff, dialect: 0, codes: [1] })[0]?.kind).to.equal('nan');
  });

  it('hand-worked weight blocks: exact fit wins; equal errors keep the lowest id', () => {
    expect(dialectQuantizeWeight(b32([7.5, 4.5, -4.5]), 3)).to.deep.equal({
      scale: 127,
      dialect: 1,
      codes: [0x7, 0x6, 0xe],
    });
    expect(dialectQuantizeWeight(b32([7.5, 3, 1]), 3).dialect).to.equal(0);
  });

  it('random activation blocks match a second implementation of the two-stage rule', () => {
    const r = prng(20);
    for (let n = 0; n < 400; n++) {
      const e = (r() % 20) - 10;
      const xs = Array.from({ length: 32 }, () => {
        const v = Math.fround((((r() % 2000001) - 1000000) / 1000000) * 2 ** e);
        return r() % 7 === 0 ? Math.fround(v * 8) : v;
      });
      const amax = Math.max(...xs.map(Math.abs));
      const s = Math.floor(Math.log2(amax)) - 2;
      const qs = xs.map((x) => Math.min(31, rne(Math.abs(x) * 2 ** (2 - s))));
      const h = Math.min(15, Math.max(8, Math.floor((Math.max(...qs) + 1) / 2)));
      const p = 15 - h;
      let na = 0;
      let nb = 0;
      for (const q of qs) {
        const ea = err(2 * p, q / 4);
        const eb = err(2 * p + 1, q / 4);
        if (ea < eb) na++;
        if (eb < ea) nb++;
      }
      const d = 2 * p + (nb > na ? 1 : 0);
      const codes = xs.map((x, i) => {
        const idx = nearestIdx(d, (qs[i] ?? 0) / 4);
        return (x < 0 && idx > 0 ? 8 : 0) | idx;
      });
      expect(dialectQuantizeActivation(b32(xs)), `block ${n}`).to.deep.equal({
        scale: s + 127,
        dialect: d,
        codes,
      });
    }
  });

  it('random weight blocks: the chosen dialect has the least squared error', () => {
    const r = prng(21);
    for (let n = 0; n < 100; n++) {
      const xs = Array.from({ length: 32 }, () => Math.fround(((r() % 20001) - 10000) / 997));
      const blk = dialectQuantizeWeight(b32(xs));
      const s = blk.scale - 127;
      const sse = (d: number): number =>
        xs.reduce((a, x) => a + err(d, Math.abs(x) * 2 ** -s) ** 2, 0);
      const best = Math.min(...Array.from({ length: 16 }, (_, d) => sse(d)));
      expect(sse(blk.dialect)).to.be.at.most(best * (1 + 1e-9));
      for (let d = 0; d < blk.dialect; d++) expect(sse(d)).to.be.above(best * (1 - 1e-9) - 1e-300);
    }
  });

  it('dot product of two blocks in half units (hand-worked)', () => {
    const a = { scale: 127, dialect: 0, codes: [0x7, 0x9] }; // 7.5, -0.5
    const b = { scale: 128, dialect: 15, codes: [0x5, 0x7] }; // 2.5·2, 4·2
    // (15·5 + -1·8) · 2^(0 + 1 - 2) = 67/2
    expect(dialectDot(a, b)).to.deep.equal({ kind: 'finite', sum: 67n, exp: -1 });
    expect(dialectDot(a, { ...b, scale: 0xff })).to.deep.equal({ kind: 'nan' });
  });
});
