// dialect-mac (both published datapaths) and dialect-quantize: every registered example swept by
// the generic component harness (native sim vs numerics.dialectDot / dialectQuantizeActivation
// with random stalls, every code pair of every dialect pair on one lane, one Verilator build
// compared every cycle, lint in three tools, determinism).
import '../../src/components/index.js';
import { getComponent } from '../../src/components/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(getComponent('dialect-mac'), { transactions: 3000 });
