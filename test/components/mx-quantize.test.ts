// mx-quantize: every registered example through the generic sweep (10^4 random blocks with
// zeros, subnormals, ties, max magnitudes and NaN/±Inf vs numerics.quantizeBlock, one Verilator
// build, lint, determinism), plus the block vectors B1-B6 of formats.md 8.3 (expected codes from
// the spec table).
import { expect } from 'chai';
import {
  mxQuantizeKind,
  parseConfig,
  type AnyComponentKind,
  type MxQuantizeConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { parseBinary32 } from '../../src/numerics/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

const kind = mxQuantizeKind as unknown as AnyComponentKind;
sweepComponentKind(kind, { transactions: 10_000 });

function quantize(format: string, values: string[]): { scale: number; codes: number[] } {
  const cfg = parseConfig(kind, { format }) as MxQuantizeConfig;
  const bits = Number(mxQuantizeKind.derive(cfg)['elementBits']);
  const sim = compile(elaborate(mxQuantizeKind.generate(cfg)));
  let v = 0n;
  const words = [...values.map(parseBinary32), ...new Array<number>(32 - values.length).fill(0)];
  for (let i = words.length - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i] as number);
  const r = runStream(sim, [{ values: v }], {
    inFields: ['values'],
    outFields: ['scale', 'elems'],
    expectedOutBeats: 1,
  });
  const out = r.outBeats[0] ?? {};
  const elems = out['elems'] ?? 0n;
  const codes = Array.from({ length: values.length + 1 }, (_, i) =>
    Number((elems >> BigInt(bits * i)) & ((1n << BigInt(bits)) - 1n)),
  );
  return { scale: Number(out['scale'] ?? -1n), codes };
}

describe('mx-quantize: formats.md 8.3 block vectors', () => {
  it('B1 E2M1: X = 0x7F, 7.0 saturates to 6, ties -2.5, 1.25, 5.0 go to even', () => {
    const r = quantize('mxfp4_e2m1', ['7.0', '0.3', '-2.5', '1.25', '5.0', '-0', '0.2', '6.5']);
    expect(r.scale).to.equal(0x7f);
    expect(r.codes).to.deep.equal([0x7, 0x1, 0xc, 0x2, 0x6, 0x8, 0x0, 0x7, 0x0]);
  });
  it('B2 E4M3: X = 0x80, 1000/2 saturates to 448, 100/2 = 50 ties to 48, -0.001 → -0', () => {
    const r = quantize('mxfp8_e4m3', [
      '1000',
      '3.0',
      '0xBC23D70A',
      '448',
      '-0.001',
      '0.0025',
      '500',
      '100',
    ]);
    expect(r.scale).to.equal(0x80);
    expect(r.codes).to.deep.equal([0x7e, 0x3c, 0x83, 0x76, 0x80, 0x01, 0x78, 0x64, 0x00]);
  });
  it('B3 INT8: X = 0x80, 0.015625/2·64 = 0.5 ties to 0', () => {
    const r = quantize('mxint8', [
      '3.0',
      '-2.99',
      '1.0',
      '0.015625',
      '-3.0',
      '0.0078125',
      '2.9921875',
      '-0.5',
    ]);
    expect(r.scale).to.equal(0x80);
    expect(r.codes).to.deep.equal([0x60, 0xa0, 0x20, 0x00, 0xa0, 0x00, 0x60, 0xf0, 0x00]);
  });
  it('B4 E2M1 all zero: X = 0x00 with signed zero codes', () => {
    const r = quantize('mxfp4_e2m1', ['0', '-0']);
    expect(r.scale).to.equal(0);
    expect(r.codes).to.deep.equal([0x0, 0x8, 0x0]);
  });
  it('B5 E4M3 with +Inf: X = 0xFF and every code 0x00', () => {
    const r = quantize('mxfp8_e4m3', ['1.0', 'Inf']);
    expect(r.scale).to.equal(0xff);
    expect(r.codes).to.deep.equal([0, 0, 0]);
  });
  it('B6 subnormal maxima: s clamps to -127, X = 0x00, elements round to zero', () => {
    for (const f of ['mxfp4_e2m1', 'mxint8']) {
      const r = quantize(f, ['0x00000200', '0x00000100']);
      expect(r.scale, f).to.equal(0);
      expect(r.codes, f).to.deep.equal([0, 0, 0]);
    }
  });
});
