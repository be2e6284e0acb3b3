// Regression: the native simulator's generated JavaScript crashes Node 20's optimizing compiler
// (V8 11.3 Turbofan, "RepresentationChangerError: Phi of kRepTagged (UnsignedBigInt64) cannot be
// changed to kRepWord64", SIGTRAP) when a mux selects between two 33..64-bit values built with
// BigInt.asUintN and the result is shifted. Pure-JS reproduction:
//   function f(x, n) { const c = BigInt.asUintN(37, BigInt(x));
//     const h = n ? BigInt.asUintN(37, 0n - c) : c; return Number(BigInt.asUintN(1, h >> 3n)); }
//   for (let i = 0; i < 1e6; i++) f(i, i & 1);
// Found through mx-dot (E4M3 k ≤ 16 with fp32: arith fixedToBinary32 takes |S| of a 37..41-bit
// sum). Runs in a child process because the crash kills the whole process.
import { expect } from 'chai';
import { runTool } from '../../src/backends/index.js';

describe('regression: simulator code for a mux of two 37-bit values survives V8 optimization', () => {
  it('simulates |x| bit 3 of an s37 for 200 000 cycles without crashing and without errors', async () => {
    const r = await runTool(
      process.execPath,
      ['--import', 'tsx', 'test/regressions/fixtures/sim-v8-bigint64-phi.ts'],
      { timeoutMs: 120_000 },
    ); // rejects with "exit SIGTRAP" while the bug is present
    expect(r.stdout.trim()).to.equal('wrong 0');
  });
});
