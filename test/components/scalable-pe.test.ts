// scalable-pe: every registered example swept by the generic component harness (native sim vs
// reference with stalls, exhaustive int8 × int8 and lane-wise products, one Verilator build,
// lint, determinism).
import '../../src/components/index.js';
import { getComponent } from '../../src/components/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('scalable-pe'));
