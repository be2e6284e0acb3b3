// `mxgen cosim <component>`: random transactions through the native simulator and Verilator,
// both compared with the golden reference beat by beat; a corrupted reference must be caught.
import { expect } from 'chai';
import type { AnyComponentKind, Beat } from '../../../src/components/index.js';
import { cosimComponent } from '../../../src/flow/component-cosim.js';
import { resolveComponentDesign, type ComponentDesign } from '../../../src/flow/resolve.js';
import { rejected } from '../../support/mxgen-error.js';

const OPTS = { transactions: 300, seed: 5, idle: 0.3, stall: 0.3, verilator: true };

/** The same component, with one bit of one expected beat flipped. */
function corrupted(c: ComponentDesign, beat: number, field: string): ComponentDesign {
  const kind: AnyComponentKind = {
    ...c.kind,
    reference: (config: unknown, inBeats: readonly Beat[]): Beat[] =>
      c.kind
        .reference(config, inBeats)
        .map((b, i) => (i === beat ? { ...b, [field]: (b[field] ?? 0n) ^ 1n } : b)),
  };
  return { ...c, kind };
}

describe('cli: mxgen cosim on a component', () => {
  const design = resolveComponentDesign('mx-dot/e2m1-k1');

  it('native and Verilator match the reference on every output beat under stalls', async () => {
    const r = await cosimComponent(design, OPTS);
    expect(r.inBeats).to.equal(300);
    expect(r.expected).to.equal(300);
    expect(r.nativeMatched).to.equal(300);
    expect(r.verilatorMatched).to.equal(300);
    // out_valid, out fields, in_ready: several values per cycle, every cycle after reset
    expect(r.valuesCompared).to.be.greaterThan(r.cycles);
  });

  it('a corrupted expected value is reported with the beat, the field and both values', async () => {
    const field = design.kind.stream(design.config).out[0]?.name ?? 'sum';
    const e = await rejected(cosimComponent(corrupted(design, 7, field), OPTS));
    expect(e.kind).to.equal('mismatch');
    expect(e.message).to.match(
      new RegExp(
        `^mx-dot-e2m1-k1: output beat 7 \\(cycle \\d+ after reset\\), field out_${field}: reference 0x[0-9a-f]+, native sim 0x[0-9a-f]+$`,
      ),
    );
  });
});
