// rmsnorm: every registered example through the generic component sweep (native sim vs
// numerics.intNorm with gaps and stalls, one Verilator build every cycle, lint, determinism).
import { rmsnormKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(rmsnormKind as unknown as AnyComponentKind, { transactions: 10_000 * FUZZ });
