// softmax: every registered example through the generic component sweep (native sim vs
// numerics.intSoftmax with gaps and stalls, one Verilator build every cycle, lint, determinism).
import { softmaxKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(softmaxKind as unknown as AnyComponentKind, { transactions: 10_000 * FUZZ });
