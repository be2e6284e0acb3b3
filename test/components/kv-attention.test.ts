// kv-attention: every registered example through the generic component sweep (native sim vs the
// numerics golden with gaps and stalls, one Verilator build every cycle, lint, determinism). The
// reference keeps the KV cache across beats, so every beat checks a decode step at its position.
import { kvAttentionKind, type AnyComponentKind } from '../../src/components/index.js';
import { FUZZ, sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(kvAttentionKind as unknown as AnyComponentKind, { transactions: 400 * FUZZ });
