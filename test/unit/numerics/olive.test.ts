// OliVe pair decoding against independent table-driven decoders written here from formats.md
// 6.2/6.3 (olive4: all 256 pair bytes) and 6.6 (olive8: a deterministic sample of pairs), and
// the encoder's round trip on every canonical olive4 byte.
import { expect } from 'chai';
import {
  fromInt,
  getMxFormat,
  oliveDecode,
  oliveDecodePair,
  oliveEncode,
  oliveEncodeNumbers,
  oliveValues,
  toDecimalString,
} from '../../../src/numerics/index.js';
import { prng } from '../../support/oracle/run-oracle.js';

type Term = { int: number; shift: number };

// formats.md 6.2, column "in a normal slot: int4 → (int, shift)", nibbles 0000 … 1111;
// null = 1000, the outlier identifier.
const NORMAL4: (Term | null)[] = [
  { int: 0, shift: 0 },
  { int: 1, shift: 0 },
  { int: 2, shift: 0 },
  { int: 3, shift: 0 },
  { int: 4, shift: 0 },
  { int: 5, shift: 0 },
  { int: 6, shift: 0 },
  { int: 7, shift: 0 },
  null,
  { int: -7, shift: 0 },
  { int: -6, shift: 0 },
  { int: -5, shift: 0 },
  { int: -4, shift: 0 },
  { int: -3, shift: 0 },
  { int: -2, shift: 0 },
  { int: -1, shift: 0 },
];
// formats.md 6.2, column "in the outlier slot: abfloat → (int, shift)"; 0000 is the reserved
// code (decoders give (2, 2) = +8); 1000 never occurs in the outlier slot.
const OUTLIER4: (Term | null)[] = [
  { int: 2, shift: 2 }, // reserved: +8
  { int: 3, shift: 2 }, // 12
  { int: 2, shift: 3 }, // 16
  { int: 3, shift: 3 }, // 24
  { int: 2, shift: 4 }, // 32
  { int: 3, shift: 4 }, // 48
  { int: 2, shift: 5 }, // 64
  { int: 3, shift: 5 }, // 96
  null,
  { int: -3, shift: 2 }, // -12
  { int: -2, shift: 3 }, // -16
  { int: -3, shift: 3 }, // -24
  { int: -2, shift: 4 }, // -32
  { int: -3, shift: 4 }, // -48
  { int: -2, shift: 5 }, // -64
  { int: -3, shift: 5 }, // -96
];
const ZERO: Term = { int: 0, shift: 0 };

/** formats.md 6.3: byte = c1 << 4 | c0. */
function tablePair4(byte: number): [Term, Term] {
  const c0 = byte & 15;
  const c1 = byte >> 4;
  if (c0 === 8 && c1 === 8) return [ZERO, ZERO]; // rule 1
  if (c0 === 8) return [ZERO, OUTLIER4[c1] as Term]; // rule 2
  if (c1 === 8) return [OUTLIER4[c0] as Term, ZERO]; // rule 3
  return [NORMAL4[c0] as Term, NORMAL4[c1] as Term]; // rule 4
}

/**
 * formats.md 6.6: normals int8 two's complement -127..127, identifier 0x80, outliers E2M5
 * s.EE.mmmmm = (-1)^s · (32 + m) << (E + 2) (the reserved 0x00 decodes to (32, 2) = +128).
 */
function element8(c: number, outlier: boolean): Term {
  if (!outlier) return { int: c >= 128 ? c - 256 : c, shift: 0 };
  const s = c >> 7;
  const e = (c >> 5) & 3;
  const m = c & 31;
  return { int: s ? -(32 + m) : 32 + m, shift: e + 2 };
}
function tablePair8(c0: number, c1: number): [Term, Term] {
  if (c0 === 0x80 && c1 === 0x80) return [ZERO, ZERO];
  if (c0 === 0x80) return [ZERO, element8(c1, true)];
  if (c1 === 0x80) return [element8(c0, true), ZERO];
  return [element8(c0, false), element8(c1, false)];
}

describe('OliVe olive4: all 256 pair bytes (formats.md 6.2, 6.3)', () => {
  const bytes = Uint8Array.from([...Array(256).keys()]);

  it('oliveDecodePair and oliveDecode agree with the 6.2 tables on every byte', () => {
    const stream = oliveDecode(bytes, 'olive4');
    expect(stream).to.have.length(512);
    for (let b = 0; b < 256; b++) {
      const want = tablePair4(b);
      expect(oliveDecodePair('olive4', b & 15, b >> 4), `byte 0x${b.toString(16)}`).to.deep.equal(
        want,
      );
      expect([stream[2 * b], stream[2 * b + 1]], `stream byte 0x${b.toString(16)}`).to.deep.equal(
        want,
      );
    }
  });

  it('oliveValues is σ · (int << shift) on every byte (σ = 3)', () => {
    const vals = oliveValues(bytes, fromInt(3n), 'olive4').map(toDecimalString);
    for (let b = 0; b < 256; b++) {
      const [t0, t1] = tablePair4(b);
      expect([vals[2 * b], vals[2 * b + 1]], `byte 0x${b.toString(16)}`).to.deep.equal([
        String(3 * t0.int * 2 ** t0.shift),
        String(3 * t1.int * 2 ** t1.shift),
      ]);
    }
  });

  it('encoding the decoded values gives the byte back for every byte an encoder can emit', () => {
    // Not emitted by encoders (6.2 / 6.3): both nibbles 1000, and the reserved outlier code 0000
    // next to an identifier. Every other byte is the encoding of its own values.
    let checked = 0;
    for (let b = 0; b < 256; b++) {
      const c0 = b & 15;
      const c1 = b >> 4;
      if ((c0 === 8 && c1 === 8) || (c0 === 8 && c1 === 0) || (c1 === 8 && c0 === 0)) continue;
      const vals = tablePair4(b).map((t) => fromInt(BigInt(t.int), t.shift));
      expect(oliveEncode(vals, fromInt(1n), 'olive4')[0], `byte 0x${b.toString(16)}`).to.equal(b);
      checked++;
    }
    expect(checked).to.equal(256 - 3);
  });
});

describe('OliVe encoding: the binary64 comparisons equal the exact ones', () => {
  it('a significand past 2^53 next to a decision point is compared exactly', () => {
    // x = σ/2 + σ·2^-60: 2|x| = σ(1 + 2^-59) is just above the decision point σ between 0 and
    // 1 (so 1); as a double it would round to σ, a tie, which goes to the even 0.
    const x = fromInt((1n << 59n) + 1n, -60);
    expect([...oliveEncode([x, fromInt(0n)], fromInt(1n), 'olive4')]).to.deep.equal([0x01]);
  });
  it('oliveEncodeNumbers: undefined for a non-finite value or a σ past the double path', () => {
    expect(oliveEncodeNumbers([1, Infinity], 0)).to.equal(undefined);
    expect(oliveEncodeNumbers([1, NaN], 0, 'olive8')).to.equal(undefined);
    expect(oliveEncodeNumbers([1], 1100)).to.equal(undefined);
    expect(oliveEncodeNumbers([1], -1100)).to.equal(undefined);
    // σ = 2^897: the normals' decision points (odd sums) are exact doubles, the outliers' (sums
    // of multiples of 32 at 2^902) are not: all of them must be.
    expect(oliveEncodeNumbers([1], 897, 'olive8')).to.equal(undefined);
    expect([...(oliveEncodeNumbers([-1, 2.5], 0) ?? [])]).to.deep.equal([
      ...oliveEncode([fromInt(-1n), fromInt(5n, -1)], fromInt(1n)),
    ]);
  });
  it('an odd count is padded with +0 (olive4: low nibble first; olive8: one byte per value)', () => {
    expect([...oliveEncode([fromInt(3n)], fromInt(1n), 'olive4')]).to.deep.equal([0x03]);
    expect([...oliveEncode([fromInt(-3n)], fromInt(1n), 'olive8')]).to.deep.equal([0xfd, 0]);
    expect([...(oliveEncodeNumbers([3], 0, 'olive4') ?? [])]).to.deep.equal([0x03]);
  });
  it('values and σ scaled by 2^1100 (exact path only) encode to the same bytes (olive4, olive8)', () => {
    // The encoder compares 2|x| with (c_i + c_i+1)·σ as doubles when both are exact doubles and
    // exactly otherwise; scaling x and σ alike changes no decision but puts every operand
    // beyond the double path (exponent > 900). Values near the decision points (ties at every
    // candidate midpoint, a quarter-ulp either side) and random ones, positive and negative.
    const rnd = prng(6400);
    for (const variant of ['olive4', 'olive8'] as const) {
      for (const sigmaExp of [-9, -3, 0, 4]) {
        const vals: bigint[][] = []; // [sig, exp] with value sig·2^exp
        for (let m = 0; m <= 2 * 1024; m++) {
          // m/2 · σ: every integer and half-integer multiple of σ up to 1024 (olive8's top
          // outlier is 4032·σ, so a sample past it comes from the random values below)
          vals.push([BigInt(m), BigInt(sigmaExp - 1)]);
          vals.push([BigInt(4 * m + 1), BigInt(sigmaExp - 3)]);
          vals.push([-BigInt(4 * m - 1), BigInt(sigmaExp - 3)]);
        }
        for (let i = 0; i < 2000; i++)
          vals.push([BigInt(Math.floor((rnd() - 0.5) * 2 ** 24)), BigInt(sigmaExp - 12)]);
        const at = (k: number) => vals.map(([sig, e]) => fromInt(sig as bigint, Number(e) + k));
        const fast = oliveEncode(at(0), fromInt(1n, sigmaExp), variant);
        // 2^1100 and 2^-1100: past either end of the double path; 2^890: the decision points
        // straddle its end (some are exact doubles, the largest are not).
        for (const k of [1100, -1100, 890]) {
          const exact = oliveEncode(at(k), fromInt(1n, sigmaExp + k), variant);
          expect([...fast], `${variant} σ = 2^${sigmaExp}, scaled by 2^${k}`).to.deep.equal([
            ...exact,
          ]);
        }
        // The same values as doubles (every one is exact: at most 25 significant bits).
        const nums = vals.map(([sig, e]) => Number(sig) * 2 ** Number(e));
        expect([...(oliveEncodeNumbers(nums, sigmaExp, variant) ?? [])]).to.deep.equal([...fast]);
      }
    }
  });
});

describe('OliVe olive8: sampled pairs (formats.md 6.6)', () => {
  it('oliveDecodePair agrees with the 6.6 definition on every c0 × edge c1 and 4096 random pairs', () => {
    const edges = [0x00, 0x01, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0x81, 0x9f, 0xa0, 0xfe, 0xff];
    const pairs: [number, number][] = [];
    for (let c = 0; c < 256; c++) for (const e of edges) pairs.push([c, e], [e, c]);
    const rnd = prng(66);
    for (let i = 0; i < 4096; i++) pairs.push([rnd() & 255, rnd() & 255]);
    for (const [c0, c1] of pairs)
      expect(
        oliveDecodePair('olive8', c0, c1),
        `pair 0x${c0.toString(16)} 0x${c1.toString(16)}`,
      ).to.deep.equal(tablePair8(c0, c1));
    const bytes = Uint8Array.from(pairs.flat());
    expect(oliveDecode(bytes, 'olive8')).to.deep.equal(pairs.flatMap(([a, b]) => tablePair8(a, b)));
  });
});

describe('MX format names', () => {
  it("an unknown MX format's message lists nvfp4 too (the CLI quantize accepts it)", () => {
    expect(() => getMxFormat('mxfp5')).to.throw(
      /unknown MX format 'mxfp5'; known: mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1, nvfp4/,
    );
  });
});
