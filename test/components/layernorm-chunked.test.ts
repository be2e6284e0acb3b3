// layernorm-chunked: every registered example (feature counts that are and are not multiples of the
// chunk) through the generic component sweep (native sim vs the numerics golden with gaps and
// stalls, one Verilator build every cycle, lint, determinism).
import { layernormChunkedKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(layernormChunkedKind as unknown as AnyComponentKind, {
  transactions: 2_000 * FUZZ,
});
