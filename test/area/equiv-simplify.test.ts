// The simplification in elaboration (src/hdl/simplify.ts) proven with Yosys: for a small
// configuration of every registered component kind, the SV of the simplified netlist equals the
// SV of the netlist as lowered (elaborate(..., { simplify: false })), and a one-bit bug planted in
// the simplified netlist is found, with the cycle and the inputs. A kind registered without an
// entry here fails the first test.
import { expect } from 'chai';
import { proveEquivalent, type EquivOptions } from '../../src/backends/index.js';
import { getComponent, listComponents } from '../../src/components/index.js';
import { elaborate, type Netlist } from '../../src/hdl/index.js';
import { plantBug, side } from '../support/equiv-sides.js';
import { smallConfig } from '../support/small-configs.js';

interface Proof {
  /** Overrides of the small configuration for this proof (a smaller size that proves in time). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Options of the proof beyond the defaults (see docs/equiv.md). */
  readonly opts?: EquivOptions;
  /** Set when no proof finishes in a test's time: why (docs/equiv.md says the same). */
  readonly open?: string;
  /** With `open`: the cycles after reset of the bounded check that stands in for the proof. */
  readonly bounded?: number;
}

/**
 * Every registered kind, at its small configuration (test/support/small-configs.ts). Wall
 * times of the proof on the loaded 2-core machine are in docs/equiv.md.
 */
export const PROOFS: Readonly<Record<string, Proof>> = {
  'mx-scale': {},
  'mx-dot': {},
  'mac-array': {},
  'scalable-pe': {},
  // Multipliers again: over 90 s without wordCells, about 1 s with it.
  'olive-pe': { opts: { wordCells: true } },
  'olive-encoder': {},
  'mx-quantize': {},
  // A chain of multipliers: only merging the equal multipliers closes the proof.
  softmax: { opts: { wordCells: true } },
  // Name pairs do not close on the multipliers of the variance and the scaling (equiv_simple ran
  // past 10 minutes; wordCells left 24 guessed table pairs unproven): the abc engine proves it.
  layernorm: { opts: { engine: 'abc' } },
  rmsnorm: { opts: { wordCells: true } },
  gelu: {},
  silu: {},
  mul: {},
  'fp32-acc': { opts: { wordCells: true } }, // 78 s without, 2 s with
  'dialect-mac': {},
  // Two tables hinted `lut`: one is folded away in the simplified netlist, so the name moves.
  'dialect-quantize': { opts: { hide: ['lut*'] } },
  'bitmod-pe': {},
  'mixed-lane': {},
  fwht: {},
  matmul: {},
  'softmax-chunked': { opts: { wordCells: true } },
  // The same multipliers as layernorm's.
  'layernorm-chunked': { opts: { engine: 'abc' } },
  'rmsnorm-chunked': { opts: { wordCells: true } },
  rope: { opts: { wordCells: true } },
  // At the small configuration, name pairs with wordCells close in 207 s and ABC runs past 10
  // minutes on the loaded machine; with one element per head and 4-bit codes ABC proves it.
  'kv-attention': {
    config: { headDim: 1, inBits: 4, kvBits: 4, scoreBits: 6, probBits: 4, outBits: 4 },
    opts: { engine: 'abc' },
  },
};

describe('simplified netlists are proven equal to the lowered ones (Yosys, small configs)', function () {
  this.timeout(600_000);
  it('every registered component kind has a proof here (or the reason it has none)', () => {
    const kinds = listComponents().map((k) => k.kind);
    expect(kinds.filter((k) => PROOFS[k] === undefined)).to.deep.equal([]);
    expect(Object.keys(PROOFS).filter((k) => !kinds.includes(k))).to.deep.equal([]);
  });
  for (const [kind, proof] of Object.entries(PROOFS)) {
    const bounded = proof.open !== undefined;
    const opts: EquivOptions = {
      tool: 'system',
      cycles: 4,
      ...proof.opts,
      ...(bounded ? { bounded: true, cycles: proof.bounded ?? 1 } : {}),
    };
    const generate = (simplify: boolean): Netlist =>
      elaborate(getComponent(kind).generate(smallConfig(kind, proof.config)), { simplify });
    const claim = bounded
      ? `no output differs within ${opts.cycles} cycles after reset (bounded; open: ${proof.open})`
      : 'simplified = as lowered';
    it(`${kind}: ${claim}, and a planted one-bit bug is found`, async () => {
      const lowered = side(`${kind} as lowered`, generate(false));
      const simplified = generate(true);
      const r = await proveEquivalent(lowered, side(`${kind} simplified`, simplified), opts);
      if (bounded)
        expect(r, JSON.stringify(r)).to.deep.equal({
          kind: 'unknown',
          unproven: 0,
          cycles: opts.cycles,
        });
      else expect(r.kind, JSON.stringify(r)).to.equal('equal');
      const bug = plantBug(simplified);
      // The bounded search alone (the proof of a pair with a bug can take minutes to give up),
      // one cycle after reset: an output bit flipped shows at once, and every further cycle
      // unrolls the multipliers once more.
      const d = await proveEquivalent(lowered, side(`${kind} bug`, bug.netlist), {
        ...opts,
        cycles: 1,
        bounded: true,
      });
      if (d.kind !== 'different')
        throw new Error(`${kind}: the bug in ${bug.where} was not found (${JSON.stringify(d)})`);
      expect(d.outputs.length, bug.where).to.be.greaterThan(0);
      expect(d.steps.length).to.equal(d.cycle + 1);
    });
  }
});
