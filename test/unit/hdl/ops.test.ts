// One case per row of the width/sign table (src/hdl/ops.ts, docs/hdl.md): the result shape and
// a value checked against a hand calculation in the comment.
import { expect } from 'chai';
import { type BuilderOp, cat, type Expr, mux, OPS, s, u } from '../../../src/hdl/index.js';
import { runOp } from '../../support/hdl-run.js';

type Case = () => void;

const cases: Record<BuilderOp, Case> = {
  add: () => {
    // u4 15 + u6 63 = 78, needs u7
    expect(runOp([u(4), u(6)], (a, b) => a.add(b), [15n, 63n])).to.deep.equal({
      shape: 'u7',
      value: 78n,
    });
    // s4 -8 + s6 -32 = -40, needs s7
    expect(runOp([s(4), s(6)], (a, b) => a.add(b), [-8n, -32n])).to.deep.equal({
      shape: 's7',
      value: -40n,
    });
  },
  sub: () => {
    // u4 0 - u6 63 = -63: always signed, s7
    expect(runOp([u(4), u(6)], (a, b) => a.sub(b), [0n, 63n])).to.deep.equal({
      shape: 's7',
      value: -63n,
    });
    // s4 -8 - s4 7 = -15, s5
    expect(runOp([s(4), s(4)], (a, b) => a.sub(b), [-8n, 7n])).to.deep.equal({
      shape: 's5',
      value: -15n,
    });
  },
  mul: () => {
    // s4 -8 * s4 -8 = 64, s8
    expect(runOp([s(4), s(4)], (a, b) => a.mul(b), [-8n, -8n])).to.deep.equal({
      shape: 's8',
      value: 64n,
    });
    // u3 7 * u5 31 = 217, u8
    expect(runOp([u(3), u(5)], (a, b) => a.mul(b), [7n, 31n])).to.deep.equal({
      shape: 'u8',
      value: 217n,
    });
  },
  neg: () => {
    // -(u4 15) = -15 in s5; -(s4 -8) = 8 in s5
    expect(runOp([u(4)], (a) => a.neg(), [15n])).to.deep.equal({ shape: 's5', value: -15n });
    expect(runOp([s(4)], (a) => a.neg(), [-8n])).to.deep.equal({ shape: 's5', value: 8n });
  },
  addWrap: () => {
    // u4: 15 + 1 = 16 mod 16 = 0
    expect(runOp([u(4), u(4)], (a, b) => a.addWrap(b), [15n, 1n])).to.deep.equal({
      shape: 'u4',
      value: 0n,
    });
  },
  subWrap: () => {
    // u4: 0 - 1 = -1 mod 16 = 15
    expect(runOp([u(4), u(4)], (a, b) => a.subWrap(b), [0n, 1n])).to.deep.equal({
      shape: 'u4',
      value: 15n,
    });
  },
  mulWrap: () => {
    // s4: 7 * 7 = 49 = 0b11_0001, low 4 bits 0001 = 1
    expect(runOp([s(4), s(4)], (a, b) => a.mulWrap(b), [7n, 7n])).to.deep.equal({
      shape: 's4',
      value: 1n,
    });
  },
  and: () => {
    // 0b1100 & 0b1010 = 0b1000
    expect(runOp([u(4), u(4)], (a, b) => a.and(b), [12n, 10n])).to.deep.equal({
      shape: 'u4',
      value: 8n,
    });
  },
  or: () => {
    // 0b1100 | 0b1010 = 0b1110
    expect(runOp([u(4), u(4)], (a, b) => a.or(b), [12n, 10n])).to.deep.equal({
      shape: 'u4',
      value: 14n,
    });
  },
  xor: () => {
    // s4: 0b1100 ^ 0b1010 = 0b0110 = 6 (-4 ^ -6 = 6)
    expect(runOp([s(4), s(4)], (a, b) => a.xor(b), [-4n, -6n])).to.deep.equal({
      shape: 's4',
      value: 6n,
    });
  },
  not: () => {
    // s4: ~0b0101 = 0b1010 = -6
    expect(runOp([s(4)], (a) => a.not(), [5n])).to.deep.equal({ shape: 's4', value: -6n });
  },
  eq: () => {
    // by value across widths: u4 15 == u8 15; s4 -1 == s8 -1 (sign-extended)
    expect(runOp([u(4), u(8)], (a, b) => a.eq(b), [15n, 15n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
    expect(runOp([s(4), s(8)], (a, b) => a.eq(b), [-1n, -1n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
  },
  ne: () => {
    // u4 15 != u8 255 (a zero-extension would not make them equal)
    expect(runOp([u(4), u(8)], (a, b) => a.ne(b), [15n, 255n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
  },
  lt: () => {
    // s4 -8 < s8 100; u4 15 < u8 16
    expect(runOp([s(4), s(8)], (a, b) => a.lt(b), [-8n, 100n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
    expect(runOp([u(4), u(8)], (a, b) => a.lt(b), [15n, 16n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
  },
  le: () => {
    // s8 -3 <= s4 -3
    expect(runOp([s(8), s(4)], (a, b) => a.le(b), [-3n, -3n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
  },
  gt: () => {
    // s4 -1 > s8 -2; u4 3 > u4 3 is false
    expect(runOp([s(4), s(8)], (a, b) => a.gt(b), [-1n, -2n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
    expect(runOp([u(4), u(4)], (a, b) => a.gt(b), [3n, 3n])).to.deep.equal({
      shape: 'u1',
      value: 0n,
    });
  },
  ge: () => {
    // u4 3 >= u6 4 is false; s6 -20 >= s6 -20
    expect(runOp([u(4), u(6)], (a, b) => a.ge(b), [3n, 4n])).to.deep.equal({
      shape: 'u1',
      value: 0n,
    });
    expect(runOp([s(6), s(6)], (a, b) => a.ge(b), [-20n, -20n])).to.deep.equal({
      shape: 'u1',
      value: 1n,
    });
  },
  shl: () => {
    // s4 -3 << 3 = -24 in s7
    expect(runOp([s(4)], (a) => a.shl(3), [-3n])).to.deep.equal({ shape: 's7', value: -24n });
  },
  shr: () => {
    // s8 -100 >> 2 = floor(-25) = -25 in s6; u8 200 >> 3 = 25 in u5
    expect(runOp([s(8)], (a) => a.shr(2), [-100n])).to.deep.equal({ shape: 's6', value: -25n });
    expect(runOp([u(8)], (a) => a.shr(3), [200n])).to.deep.equal({ shape: 'u5', value: 25n });
    // shifting everything out: u4 >> 10 = 0 in u1; s4 -5 >> 10 = -1 in s1
    expect(runOp([u(4)], (a) => a.shr(10), [15n])).to.deep.equal({ shape: 'u1', value: 0n });
    expect(runOp([s(4)], (a) => a.shr(10), [-5n])).to.deep.equal({ shape: 's1', value: -1n });
  },
  shlBy: () => {
    // u4 9 << (u2 3) = 72, width 4 + 2^2 - 1 = 7
    expect(runOp([u(4), u(2)], (a, n) => a.shlBy(n), [9n, 3n])).to.deep.equal({
      shape: 'u7',
      value: 72n,
    });
  },
  shrBy: () => {
    // s8 -128 >> 7 = -1 (arithmetic); u8 128 >> 7 = 1
    expect(runOp([s(8), u(3)], (a, n) => a.shrBy(n), [-128n, 7n])).to.deep.equal({
      shape: 's8',
      value: -1n,
    });
    expect(runOp([u(8), u(3)], (a, n) => a.shrBy(n), [128n, 7n])).to.deep.equal({
      shape: 'u8',
      value: 1n,
    });
  },
  mux: () => {
    // sel 1 picks x = 3; sel 0 picks y = -5
    expect(runOp([u(1), s(4), s(4)], (c, x, y) => mux(c, x, y), [1n, 3n, -5n])).to.deep.equal({
      shape: 's4',
      value: 3n,
    });
    expect(runOp([u(1), s(4), s(4)], (c, x, y) => mux(c, x, y), [0n, 3n, -5n])).to.deep.equal({
      shape: 's4',
      value: -5n,
    });
  },
  cat: () => {
    // cat(u4 0xA, s4 -1 = 0xF) = 0xAF as u8
    expect(runOp([u(4), s(4)], (a, b) => cat(a, b), [10n, -1n])).to.deep.equal({
      shape: 'u8',
      value: 0xafn,
    });
  },
  bits: () => {
    // 0b1011_0110 [5:2] = 0b1101 = 13; bit 7 = 1
    expect(runOp([u(8)], (a) => a.bits(5, 2), [0b10110110n])).to.deep.equal({
      shape: 'u4',
      value: 13n,
    });
    expect(runOp([s(8)], (a) => a.bit(7), [-1n])).to.deep.equal({ shape: 'u1', value: 1n });
  },
  andR: () => {
    // s4 -1 = 0b1111: all ones; u4 14: not
    expect(runOp([s(4)], (a) => a.andR(), [-1n])).to.deep.equal({ shape: 'u1', value: 1n });
    expect(runOp([u(4)], (a) => a.andR(), [14n])).to.deep.equal({ shape: 'u1', value: 0n });
  },
  orR: () => {
    expect(runOp([u(4)], (a) => a.orR(), [0n])).to.deep.equal({ shape: 'u1', value: 0n });
  },
  xorR: () => {
    // 0b1011 has three ones: parity 1
    expect(runOp([u(4)], (a) => a.xorR(), [11n])).to.deep.equal({ shape: 'u1', value: 1n });
  },
  asSigned: () => {
    // u4 15 = 0b1111 read as s4 = -1
    expect(runOp([u(4)], (a) => a.asSigned(), [15n])).to.deep.equal({ shape: 's4', value: -1n });
  },
  asUnsigned: () => {
    // s4 -1 = 0b1111 read as u4 = 15
    expect(runOp([s(4)], (a) => a.asUnsigned(), [-1n])).to.deep.equal({ shape: 'u4', value: 15n });
  },
  toSigned: () => {
    // u4 15 keeps its value as s5 15
    expect(runOp([u(4)], (a) => a.toSigned(), [15n])).to.deep.equal({ shape: 's5', value: 15n });
  },
  extend: () => {
    // s4 -3 to s8 -3 (sign-extended); u4 15 to u8 15 (zero-extended)
    expect(runOp([s(4)], (a) => a.extend(8), [-3n])).to.deep.equal({ shape: 's8', value: -3n });
    expect(runOp([u(4)], (a) => a.extend(8), [15n])).to.deep.equal({ shape: 'u8', value: 15n });
  },
  trunc: () => {
    // s8 -3 = 0xFD, low 4 bits 0xD = -3 as s4; u8 0xAB to 0xB
    expect(runOp([s(8)], (a) => a.trunc(4), [-3n])).to.deep.equal({ shape: 's4', value: -3n });
    expect(runOp([u(8)], (a) => a.trunc(4), [0xabn])).to.deep.equal({ shape: 'u4', value: 0xbn });
  },
};

describe('hdl ops: the width/sign table', () => {
  it('has a test case for every row of the table', () => {
    expect(Object.keys(cases).sort()).to.deep.equal(Object.keys(OPS).sort());
  });
  for (const [op, run] of Object.entries(cases)) {
    const rule = OPS[op as BuilderOp];
    it(`${rule.call}: ${rule.operands} -> ${rule.result}`, run);
  }
  it('a JS number operand takes the other operand shape (u4 + 3 = u5)', () => {
    // 15 + 3 = 18 as u5
    expect(runOp([u(4)], (a: Expr) => a.add(3), [15n])).to.deep.equal({ shape: 'u5', value: 18n });
    // s4 -8 compared with -8
    expect(runOp([s(4)], (a: Expr) => a.eq(-8n), [-8n])).to.deep.equal({ shape: 'u1', value: 1n });
  });
});

describe('docs/hdl.md quotes the table', () => {
  it('every row of OPS appears verbatim in the docs table', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync('docs/hdl.md', 'utf8');
    for (const r of Object.values(OPS))
      expect(doc, r.call).to.contain(`| \`${r.call}\` | ${r.operands} | ${r.result} |`);
  });
});
