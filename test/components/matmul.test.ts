// matmul (two activations): every registered example through the generic component sweep (native
// sim vs the numerics golden with gaps and stalls, one Verilator build every cycle, lint,
// determinism).
import { matmulKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(matmulKind as unknown as AnyComponentKind, { transactions: 5_000 * FUZZ });
