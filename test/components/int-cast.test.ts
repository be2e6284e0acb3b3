// castToInt / castToIntLane (src/components/arith/fixed.ts), the accumulator → integer cast of the
// IR's output units: code = sat_wo(RNE(A · 2^-d)) for a signed run-time shift d. Checked directly
// in the native simulator against the numerics golden (roundShiftSigned, then saturation):
// exhaustively over a small accumulator and every shift, and with fast-check at the widths the
// bundled designs use (A: 41 bits, d: 16 bits, 8-bit codes), shifts far beyond both clamps
// included.
import { expect } from 'chai';
import fc from 'fast-check';
import { castToInt, castToIntLane } from '../../src/components/index.js';
import { elaborate, ModuleBuilder, s, u } from '../../src/hdl/index.js';
import { roundShiftSigned } from '../../src/numerics/index.js';
import { compile, type Simulator } from '../../src/sim/index.js';

/** The golden cast: RNE of A·2^-d, saturated to wo-bit two's complement, as a wo-bit pattern. */
function golden(acc: bigint, d: number, wo: number): bigint {
  const v = roundShiftSigned(acc, d, 'rne');
  const hi = (1n << BigInt(wo - 1)) - 1n;
  const lo = -(1n << BigInt(wo - 1));
  return BigInt.asUintN(wo, v > hi ? hi : v < lo ? lo : v);
}

function castSim(aw: number, dw: number, wo: number, lane: boolean): Simulator {
  const m = new ModuleBuilder(`cast_test_${aw}_${dw}_${wo}_${lane ? 'lane' : 'flat'}`);
  const acc = m.input('acc', s(aw));
  const d = m.input('d', s(dw));
  const code = lane ? castToIntLane(m, 'c0', acc, d, wo) : castToInt(acc, d, wo).asUnsigned();
  m.output('code', u(wo)).set(code);
  return compile(elaborate(m));
}

function run(sim: Simulator, acc: bigint, d: number): bigint {
  sim.poke('acc', acc);
  sim.poke('d', BigInt(d));
  return sim.peek('code');
}

describe('components/arith: castToInt (RNE by a run-time power of two, then saturation)', () => {
  it('exhaustive: every 7-bit accumulator × every 5-bit shift, to 4-bit codes', () => {
    const sim = castSim(7, 5, 4, false);
    let n = 0;
    for (let a = -64n; a < 64n; a++)
      for (let d = -16; d < 16; d++) {
        expect(run(sim, a, d), `A=${a} d=${d}`).to.equal(golden(a, d, 4));
        n++;
      }
    expect(n).to.equal(128 * 32);
  });

  it('ties round to even, both signs (A = ±(2k+1)·2^(d-1))', () => {
    const sim = castSim(12, 6, 8, false);
    // 5/2 → 2, 7/2 → 4, -5/2 → -2, -7/2 → -4; 3·2^3/2^4 = 1.5 → 2
    expect(run(sim, 5n, 1)).to.equal(2n);
    expect(run(sim, 7n, 1)).to.equal(4n);
    expect(run(sim, -5n, 1)).to.equal(BigInt.asUintN(8, -2n));
    expect(run(sim, -7n, 1)).to.equal(BigInt.asUintN(8, -4n));
    expect(run(sim, 24n, 4)).to.equal(2n);
  });

  it('saturates on both sides, and left shifts (d ≤ 0) saturate any nonzero value early', () => {
    const sim = castSim(12, 6, 8, false);
    expect(run(sim, 2047n, 0)).to.equal(0x7fn);
    expect(run(sim, -2048n, 0)).to.equal(0x80n);
    expect(run(sim, 1n, -7)).to.equal(0x7fn); // 128 > 127
    expect(run(sim, -1n, -7)).to.equal(0x80n); // -128 fits
    expect(run(sim, -1n, -8)).to.equal(0x80n);
    expect(run(sim, 1n, -31)).to.equal(0x7fn);
    expect(run(sim, 0n, -31)).to.equal(0n);
  });

  it('bundled-design widths (A 41 bits, d 16 bits, 8-bit codes): flat and lane forms = golden', () => {
    const flat = castSim(41, 16, 8, false);
    const lane = castSim(41, 16, 8, true);
    const lim = 1n << 40n;
    fc.assert(
      fc.property(
        fc.bigInt({ min: -lim, max: lim - 1n }),
        fc.oneof(fc.integer({ min: -12, max: 48 }), fc.integer({ min: -32768, max: 32767 })),
        (a, d) => {
          const want = golden(a, d, 8);
          expect(run(flat, a, d), `A=${a} d=${d}`).to.equal(want);
          expect(run(lane, a, d), `lane A=${a} d=${d}`).to.equal(want);
        },
      ),
      { numRuns: 2000, seed: 16 },
    );
  });
});
