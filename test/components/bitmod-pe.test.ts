// bitmod-pe: every registered example swept by the generic component harness (native sim vs the
// BitMoD/INT grids of src/numerics with random stalls, every mode × variant × code × int8
// activation on one lane, one Verilator build compared every cycle, lint, determinism).
import '../../src/components/index.js';
import { getComponent } from '../../src/components/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('bitmod-pe'), { transactions: 3000 });
