// One case per op at the width edges (1, 31, 32, 33, 53, 64, 65, 128, 150, 1024 bits) and signed
// cases. Expected values are closed forms from the netlist contract, derived in the comments.
import { expect } from 'chai';
import type { CellOp } from '../../../src/hdl/index.js';
import { compile } from '../../../src/sim/index.js';
import { Kit, netlist, oneCell } from './kit.js';

const WIDTHS = [1, 31, 32, 33, 53, 64, 65, 128, 150, 1024];
const ones = (w: number): bigint => (1n << BigInt(w)) - 1n; // 2^w - 1
const top = (w: number): bigint => 1n << BigInt(w - 1); // 2^(w-1): the most negative value

function run(
  op: CellOp,
  w: number,
  args: [number, bigint][],
  extra: { lo?: number; amount?: number } = {},
): bigint {
  const sim = compile(
    oneCell(
      op,
      w,
      args.map(([aw]) => aw),
      extra,
    ),
  );
  args.forEach(([, v], i) => sim.poke(String.fromCharCode(97 + i), v));
  return sim.peek('y');
}

describe('sim: ops at width edges', () => {
  for (const w of WIDTHS) {
    describe(`width ${w}`, () => {
      it('add wraps: (2^w-1) + 1 = 0 and (2^w-1) + (2^w-1) = 2^w - 2', () => {
        expect(run('add', w, [[w, ones(w)], [w, 1n]])).to.equal(0n);
        expect(run('add', w, [[w, ones(w)], [w, ones(w)]])).to.equal(ones(w) - 1n);
      });
      it('sub wraps: 0 - 1 = 2^w - 1', () => {
        expect(run('sub', w, [[w, 0n], [w, 1n]])).to.equal(ones(w));
      });
      it('mul keeps the low w bits: (-1)(-1) = 1 and (-1)(-3) = 3 mod 2^w', () => {
        expect(run('mul', w, [[w, ones(w)], [w, ones(w)]])).to.equal(1n);
        // (2^w - 1)(2^w - 3) = 2^2w - 4*2^w + 3 = 3 mod 2^w (w >= 2); for w = 1: 1 * 1 = 1.
        if (w > 1) expect(run('mul', w, [[w, ones(w)], [w, ones(w) - 2n]])).to.equal(3n);
      });
      it('not, and, or, xor of all-ones and the top bit', () => {
        expect(run('not', w, [[w, 0n]])).to.equal(ones(w));
        expect(run('and', w, [[w, ones(w)], [w, top(w)]])).to.equal(top(w));
        expect(run('or', w, [[w, 0n], [w, top(w)]])).to.equal(top(w));
        // all ones xor top bit = the bits below the top = 2^(w-1) - 1
        expect(run('xor', w, [[w, ones(w)], [w, top(w)]])).to.equal(top(w) - 1n);
      });
      it('compares: the top bit is the most negative signed value and the largest unsigned one', () => {
        const a: [number, bigint] = [w, top(w)];
        const z: [number, bigint] = [w, 0n];
        expect(run('ltS', 1, [a, z])).to.equal(1n);
        expect(run('ltU', 1, [a, z])).to.equal(0n);
        expect(run('leS', 1, [a, a])).to.equal(1n);
        expect(run('leU', 1, [z, a])).to.equal(1n);
        expect(run('leS', 1, [z, a])).to.equal(0n);
        expect(run('eq', 1, [a, a])).to.equal(1n);
        expect(run('ne', 1, [a, z])).to.equal(1n);
      });
      it('constant shifts: 1 << (w-1) = 2^(w-1); shifting by w gives 0 (shrS: sign copies)', () => {
        expect(run('shl', w, [[w, 1n]], { amount: w - 1 })).to.equal(top(w));
        expect(run('shl', w, [[w, ones(w)]], { amount: w })).to.equal(0n);
        expect(run('shrU', w, [[w, ones(w)]], { amount: w - 1 })).to.equal(1n);
        expect(run('shrU', w, [[w, ones(w)]], { amount: w + 3 })).to.equal(0n);
        expect(run('shrS', w, [[w, top(w)]], { amount: w - 1 })).to.equal(ones(w));
        expect(run('shrS', w, [[w, top(w)]], { amount: w + 3 })).to.equal(ones(w));
        expect(run('shrS', w, [[w, top(w) - 1n]], { amount: w + 3 })).to.equal(0n);
      });
      it('variable shifts: by w - 1 and by >= w (also a 65-bit amount of 2^64)', () => {
        expect(run('shlV', w, [[w, 1n], [11, BigInt(w - 1)]])).to.equal(top(w));
        expect(run('shlV', w, [[w, 1n], [11, BigInt(w)]])).to.equal(0n);
        expect(run('shrUV', w, [[w, top(w)], [11, BigInt(w - 1)]])).to.equal(1n);
        expect(run('shrUV', w, [[w, top(w)], [65, 1n << 64n]])).to.equal(0n);
        expect(run('shrSV', w, [[w, top(w)], [65, 1n << 64n]])).to.equal(ones(w));
        expect(run('shrSV', w, [[w, top(w)], [11, 0n]])).to.equal(top(w));
      });
      it('sext copies the top bit: 2^(w-1) in w+1 bits is 2^w + 2^(w-1); zext keeps it', () => {
        expect(run('sext', w + 1, [[w, top(w)]])).to.equal((1n << BigInt(w)) + top(w));
        expect(run('sext', w + 40, [[w, ones(w)]])).to.equal(ones(w + 40));
        expect(run('zext', w + 1, [[w, top(w)]])).to.equal(top(w));
      });
      it('slice takes [lo + w - 1 : lo]; concat puts args[0] at the top', () => {
        expect(run('slice', 1, [[w, top(w)]], { lo: w - 1 })).to.equal(1n);
        expect(run('slice', w, [[w + 7, ones(w + 7) ^ 1n]], { lo: 1 })).to.equal(ones(w));
        // {a (w bits) = all ones, b (1 bit) = 0} = (2^w - 1) * 2
        expect(run('concat', w + 1, [[w, ones(w)], [1, 0n]])).to.equal(ones(w) * 2n);
        // {b (1 bit) = 1, a (w bits) = 0} = 2^w
        expect(run('concat', w + 1, [[1, 1n], [w, 0n]])).to.equal(1n << BigInt(w));
      });
      it('reductions: andR(all ones) = 1, orR(0) = 0, xorR(all ones) = w mod 2', () => {
        expect(run('andR', 1, [[w, ones(w)]])).to.equal(1n);
        expect(run('andR', 1, [[w, ones(w) - 1n]])).to.equal(0n);
        // a 0 only in the top bit (the top word, full or not) and only in bit 31 of the low word
        expect(run('andR', 1, [[w, ones(w) ^ top(w)]])).to.equal(0n);
        if (w > 32) expect(run('andR', 1, [[w, ones(w) ^ (1n << 31n)]])).to.equal(0n);
        expect(run('orR', 1, [[w, 0n]])).to.equal(0n);
        expect(run('orR', 1, [[w, top(w)]])).to.equal(1n);
        expect(run('xorR', 1, [[w, ones(w)]])).to.equal(BigInt(w % 2));
      });
      it('mux picks args[1] when sel is 1', () => {
        expect(run('mux', w, [[1, 1n], [w, ones(w)], [w, 0n]])).to.equal(ones(w));
        expect(run('mux', w, [[1, 0n], [w, ones(w)], [w, 0n]])).to.equal(0n);
      });
    });
  }

  describe('8-bit signed cases', () => {
    it('ltS(-128, 127) = 1 and leS(-1, -2) = 0', () => {
      expect(run('ltS', 1, [[8, 0x80n], [8, 0x7fn]])).to.equal(1n);
      expect(run('leS', 1, [[8, 0xffn], [8, 0xfen]])).to.equal(0n);
    });
    it('shrS(0xf0, 2) = 0xfc (-16 >> 2 = -4)', () => {
      expect(run('shrS', 8, [[8, 0xf0n]], { amount: 2 })).to.equal(0xfcn);
    });
    it('sext of 0x80 to 16 bits is 0xff80; mul of s8 -3 and 5 in 16 bits is 0xfff1 (-15)', () => {
      expect(run('sext', 16, [[8, 0x80n]])).to.equal(0xff80n);
      expect(run('mul', 16, [[16, 0xfffdn], [16, 5n]])).to.equal(0xfff1n);
    });
    it('a 32-bit product the double type cannot hold exactly: 0xffffffff * 0xfffffffd = 3', () => {
      expect(run('mul', 32, [[32, 0xffffffffn], [32, 0xfffffffdn]])).to.equal(3n);
      // 0x12345678 * 0x9abcdef0 = 0xb00ea4e242d2080 (exact, by hand in hex), low 32 bits 0x242d2080
      expect(run('mul', 32, [[32, 0x12345678n], [32, 0x9abcdef0n]])).to.equal(0x242d2080n);
    });
    it('peekSigned reads two’s complement and poke accepts negative values', () => {
      const sim = compile(oneCell('add', 8, [8, 8]));
      sim.poke('a', -3);
      sim.poke('b', 1);
      expect(sim.peek('y')).to.equal(0xfen);
      expect(sim.peekSigned('y')).to.equal(-2n);
    });
    it('poke rejects a value that does not fit, naming the port', () => {
      const sim = compile(oneCell('add', 8, [8, 8]));
      expect(() => sim.poke('a', 256)).to.throw(/does not fit a/);
      expect(() => sim.poke('a', -129)).to.throw(/does not fit a/);
      expect(() => sim.poke('zz', 1)).to.throw(/no input port zz/);
    });
  });
});

describe('sim: two-word variable shifts (33..64 bits) at every amount', () => {
  // The closed forms of the netlist contract: shl/shrU by >= w give 0; shrS by >= w gives copies
  // of the sign bit. Values: a mixed pattern, the top bit alone, all ones.
  for (const w of [33, 40, 63, 64]) {
    it(`width ${w}: shlV, shrUV and shrSV by 0..${w + 3} and by 2^32 - 1`, () => {
      const sims = (['shlV', 'shrUV', 'shrSV'] as const).map((op) => ({
        op,
        sim: compile(oneCell(op, w, [w, 32])),
      }));
      const signed = (v: bigint): bigint => (v >= top(w) ? v - (1n << BigInt(w)) : v);
      for (const v of [0x1_2345_6789_abcdn & ones(w), top(w), ones(w), 0x9_8765_4321n & ones(w)])
        for (const t of [...Array.from({ length: w + 4 }, (_, i) => i), 4294967295]) {
          const k = BigInt(t);
          const want = {
            shlV: t >= w ? 0n : (v << k) & ones(w),
            shrUV: t >= w ? 0n : v >> k,
            shrSV: (signed(v) >> (t >= w ? BigInt(w) : k)) & ones(w),
          };
          for (const { op, sim } of sims) {
            sim.poke('a', v);
            sim.poke('b', t);
            expect(sim.peek('y'), `${op} 0x${v.toString(16)} by ${t}`).to.equal(want[op]);
          }
        }
    });
  }
});

describe('sim: wide forms with constant words and loose operands', () => {
  it('and with a constant whose low words are 0 (the constant words drop out)', () => {
    // y = a & 2^64 at 100 bits: words 0 and 1 of the constant are the literal 0.
    const k = new Kit('t_andc');
    k.output('y', k.cell('and', 100, [k.input('a', 100), k.lit(1n << 64n, 100)]));
    const sim = compile(netlist(k.def(false)));
    sim.poke('a', ones(100));
    expect(sim.peek('y')).to.equal(1n << 64n);
    sim.poke('a', ones(64));
    expect(sim.peek('y')).to.equal(0n);
  });

  it('a wide mux selected by a loose one-bit value (a 1-bit sum: bits above it are garbage)', () => {
    // sel = s + t in 1 bit: 1 + 1 = 0 (the JS sum is 2, whose low bit is 0).
    const k = new Kit('t_muxl');
    const sel = k.cell('add', 1, [k.input('s', 1), k.input('t', 1)]);
    k.output('y', k.cell('mux', 70, [sel, k.input('a', 70), k.input('b', 70)]));
    const sim = compile(netlist(k.def(false)));
    sim.poke('a', ones(70));
    sim.poke('b', 5n);
    for (const [s, t, want] of [
      [1n, 1n, 5n],
      [1n, 0n, ones(70)],
      [0n, 0n, 5n],
    ] as const) {
      sim.poke('s', s);
      sim.poke('t', t);
      expect(sim.peek('y'), `${s} + ${t}`).to.equal(want);
    }
  });

  it('a 32-bit slice of a 3-word shift by >= 96, plus 1 (every word shifted out is the number 0)', () => {
    const k = new Kit('t_shs');
    const sh = k.cell('shlV', 96, [k.input('a', 96), k.input('b', 32)]);
    const hi = k.cell('slice', 32, [sh], { lo: 64 });
    k.output('y', k.cell('add', 32, [hi, k.lit(1n, 32)]));
    const sim = compile(netlist(k.def(false)));
    sim.poke('a', ones(96));
    for (const [b, want] of [
      [4294967295n, 1n],
      [96n, 1n],
      [64n, 0n],
    ] as const) {
      sim.poke('b', b);
      expect(sim.peek('y'), `by ${b}`).to.equal(want);
    }
  });
});
