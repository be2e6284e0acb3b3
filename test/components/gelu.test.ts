// gelu: every registered example through the generic component sweep (native sim vs
// the numerics golden with gaps and stalls, one Verilator build every cycle, lint, determinism).
import { geluKind, type AnyComponentKind } from '../../src/components/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(geluKind as unknown as AnyComponentKind, {
  transactions: Number(process.env.MXGEN_SWEEP_N ?? 10_000),
  skipVerilator: process.env.MXGEN_SKIP_VL === '1',
});
