// The size profile of `npm run bench` (docs/bench.md): by default every module runs at the sizes
// that finish in about 40 minutes on a loaded 2-core machine; MXGEN_BENCH_FULL=1 restores the
// full sizes (the GPT-2-small attention block in Verilator -O3, every bundled design in
// Verilator -O3 and -O1, both GPT-2 FFNs and the 4096 × 11008 layer, the 32 × 32 MAC array),
// which take hours there. The per-module MXGEN_BENCH_* variables override either profile.

/** True when MXGEN_BENCH_FULL=1 asks for the full sizes. */
export function benchFull(): boolean {
  return process.env.MXGEN_BENCH_FULL === '1';
}
