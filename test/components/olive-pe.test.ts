// olive-pe: every registered example through the generic sweep (10^4 random beats with stalls vs
// numerics, the exhaustive sets, one Verilator build, lint, determinism), every olive4 byte ×
// every int8 activation pair (2^24) in the native simulator, the 6.5 worked dot product, and the
// accumulator widths of formats.md 6.3.
import { expect } from 'chai';
import {
  olivePeKind,
  parseConfig,
  type AnyComponentKind,
  type OlivePeConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { oliveDecodePair } from '../../src/numerics/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

const kind = olivePeKind as unknown as AnyComponentKind;
sweepComponentKind(kind, { transactions: 10_000 });

const cfgOf = (raw: unknown): OlivePeConfig => parseConfig(kind, raw) as OlivePeConfig;

describe('olive-pe: widths and worked examples', () => {
  it('derives W = 19 for 32 elements, olive4 × olive4 and olive4 × int8 (formats.md 6.3)', () => {
    // 16 pairs · 9216 = 147456 < 2^18 and 16 · 12288 = 196608 < 2^18: 19 signed bits.
    expect(olivePeKind.derive(cfgOf({ activations: 'olive4', pairs: 1 }))['accBits']).to.equal(19);
    expect(olivePeKind.derive(cfgOf({ activations: 'int8', pairs: 16 }))['accBits']).to.equal(19);
  });
  it('computes the 6.5 dot product: weights [0xD8, 0xE6] · activations [0x17, 0x87] = 528', () => {
    // Pairs: (0, -48)·(7, 1) = -48 and (6, -2)·(96, 0) = 576; sum 528.
    const cfg = cfgOf({ activations: 'olive4', pairs: 2, elements: 4 });
    const sim = compile(elaborate(olivePeKind.generate(cfg)));
    const r = runStream(sim, [{ w: 0xe6d8n, a: 0x8717n, last: 1n }], {
      inFields: ['w', 'a', 'last'],
      outFields: ['acc'],
      expectedOutBeats: 1,
    });
    expect(BigInt.asIntN(13, r.outBeats[0]?.['acc'] ?? 0n)).to.equal(528n);
  });
  it('accumulates across beats until in_last and then starts again from 0', () => {
    // Beat 1: w 0x11 = (1, 1), a = (2, 3) → 5; beat 2: w 0x87 = (96, victim), a = (-1, 9) → -96;
    // last: -91. Beat 3 alone: (1, 1)·(1, 1) = 2.
    const cfg = cfgOf({ pairs: 1, elements: 8 });
    const sim = compile(elaborate(olivePeKind.generate(cfg)));
    const r = runStream(
      sim,
      [
        { w: 0x11n, a: 0x0302n, last: 0n },
        { w: 0x87n, a: 0x09ffn, last: 1n },
        { w: 0x11n, a: 0x0101n, last: 1n },
      ],
      {
        inFields: ['w', 'a', 'last'],
        outFields: ['acc'],
        expectedOutBeats: 2,
        stallProbability: 0.5,
      },
    );
    const w = Number(olivePeKind.derive(cfg)['accBits']);
    expect(r.outBeats.map((b) => BigInt.asIntN(w, b['acc'] ?? 0n))).to.deep.equal([-91n, 2n]);
  });
});

describe('olive-pe: exhaustive one-pair olive4 × int8', () => {
  it('every olive4 pair byte × every int8 activation pair (2^24 beats) matches numerics', () => {
    const cfg = cfgOf({ pairs: 1 });
    const sim = compile(elaborate(olivePeKind.generate(cfg)));
    sim.poke('rst', 1n);
    sim.step(2);
    sim.poke('rst', 0n);
    sim.poke('in_valid', 1n);
    sim.poke('out_ready', 1n);
    sim.poke('in_last', 1n);
    let wrong = 0;
    let checked = 0;
    for (let w = 0; w < 256; w++) {
      const [t0, t1] = oliveDecodePair('olive4', w & 15, w >> 4);
      const v0 = t0.int * 2 ** t0.shift;
      const v1 = t1.int * 2 ** t1.shift;
      sim.poke('in_w', w);
      for (let a = 0; a < 65536; a++) {
        sim.poke('in_a', a);
        sim.step(1); // latency 1: the sum of this beat is on out_acc after the edge
        const expected = v0 * ((a << 24) >> 24) + v1 * ((a << 16) >> 24);
        if (Number(BigInt.asIntN(19, sim.peek('out_acc'))) !== expected) wrong++;
        checked++;
      }
    }
    expect(checked).to.equal(2 ** 24);
    expect(wrong).to.equal(0);
  });
});
