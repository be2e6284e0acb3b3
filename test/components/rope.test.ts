// rope: every registered example through the generic component sweep (native sim vs the numerics
// golden with gaps and stalls, one Verilator build every cycle, lint, determinism). The reference
// numbers the beats, so every beat checks the rotation at its position in the sequence.
import { ropeKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(ropeKind as unknown as AnyComponentKind, { transactions: 3_000 * FUZZ });
