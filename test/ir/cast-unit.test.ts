// The cast unit (hw-cast.ts) in the native simulator against the golden `cast` (formats.ts
// quantizeTo on the exact input values): int8 codes at 2^-3 to int4 at 2^-1 (RNE by 2^2, so
// codes ±2, ±6 are ties, ±127 saturates to ±7), to mxfp8_e4m3 and to olive4 (σ = 2^-2).
import { expect } from 'chai';
import fc from 'fast-check';
import { elaborate } from '../../src/hdl/index.js';
import { fromInt } from '../../src/numerics/index.js';
import { codeBits, generateCast, quantizeTo, type TensorFormat } from '../../src/ir/index.js';
import { compile, runStream } from '../../src/sim/index.js';

const N = 8;
const RUNS = Math.max(20, Number(process.env.MXGEN_FUZZ_N ?? '0') || 0);
const TARGETS: {
  label: string;
  f: TensorFormat;
  out: Record<string, string | number | boolean | object>;
}[] = [
  {
    label: 'int4',
    f: { kind: 'element', name: 'int4', scaleExp: 0 },
    out: { outElement: 'int4', outBits: 4, outExp: -1 },
  },
  {
    label: 'mxfp8_e4m3',
    f: { kind: 'mx', name: 'mxfp8_e4m3' },
    out: { outElement: 'fp8_e4m3', outBits: 8, outExp: 0, outMxFormat: 'mxfp8_e4m3', outMx: true },
  },
  {
    label: 'olive4',
    f: { kind: 'olive', name: 'olive4', sigmaExp: -2 },
    out: {
      outElement: 'olive4',
      outBits: 4,
      outExp: 0,
      outOlive: { variant: 'olive4', sigmaExp: -2 },
    },
  },
];

const pack = (codes: readonly number[], bits: number): bigint =>
  codes.reduceRight((acc, c) => (acc << BigInt(bits)) | BigInt(c), 0n);

describe('cast unit vs golden cast', () => {
  for (const t of TARGETS)
    it(`int8 at 2^-3 → ${t.label}`, () => {
      // int4 at 2^-1 is int4 lsbExp 0 + scaleExp -1.
      const f: TensorFormat = t.f.kind === 'element' ? { ...t.f, scaleExp: -1 } : t.f;
      const c = {
        kind: 'cast-unit' as const,
        module: `cast_t_${t.label}`,
        node: 'c',
        features: N,
        input: { element: 'int8', bits: 8, signed: true },
        inputExp: -3,
        ...t.out,
      } as Parameters<typeof generateCast>[0];
      const sim = compile(elaborate(generateCast(c)));
      const fixed = [2, -2, 6, -6, 127, -128, 10, -10];
      fc.assert(
        fc.property(
          fc.array(fc.array(fc.integer({ min: -128, max: 127 }), { minLength: N, maxLength: N }), {
            minLength: 1,
            maxLength: 8,
          }),
          (toks) => {
            const all = [fixed, ...toks];
            const inBeats = all.map((v) => ({
              x: pack(
                v.map((x) => (x + 256) % 256),
                8,
              ),
            }));
            const r = runStream(sim, inBeats, {
              inFields: ['x'],
              outFields: t.out.outMx ? ['y', 'y_scale'] : ['y'],
              expectedOutBeats: all.length,
              idleProbability: 0.25,
              stallProbability: 0.25,
              seed: 3,
            });
            expect(r.outBeats.length).to.equal(all.length);
            all.forEach((v, i) => {
              const q = quantizeTo(
                v.map((x) => fromInt(BigInt(x), -3)),
                f,
              );
              const cb = codeBits(t.f.kind === 'mx' ? 'fp8_e4m3' : t.label);
              expect(r.outBeats[i]?.y).to.equal(pack(q.codes, cb));
              if (t.out.outMx) expect(r.outBeats[i]?.y_scale).to.equal(BigInt(q.scales[0] ?? -1));
            });
          },
        ),
        { seed: 17, numRuns: RUNS },
      );
      // Hand check: code 2 at 2^-3 = 0.25 → int4 at 2^-1: 0.5 units, tie → 0 (even); 6 → 1.5 → 2; 127 → 7.
      if (t.f.kind === 'element') {
        const q = quantizeTo(
          fixed.map((x) => fromInt(BigInt(x), -3)),
          f,
        );
        expect(q.codes.slice(0, 6)).to.deep.equal([0, 0, 2, 14, 7, 8]);
      }
    });
});
