// mx-dot: every registered example through the generic component sweep (10^4 random beats with
// stalls vs numerics.mxDot / nvfp4Dot, every element pair for the k = 1 examples, one Verilator
// build, lint, determinism), plus the worked examples of formats.md 5.4.
import { expect } from 'chai';
import {
  mxDotKind,
  parseConfig,
  type AnyComponentKind,
  type MxDotConfig,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { sweepComponentKind } from '../support/component-harness.js';

sweepComponentKind(mxDotKind as unknown as AnyComponentKind, { transactions: 10_000 });

function pack(codes: number[], bits: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--) v = (v << BigInt(bits)) | BigInt(codes[i] as number);
  return v;
}

function dot(raw: unknown, a: [number, number[]], b: [number, number[]]): Record<string, bigint> {
  const kind = mxDotKind as unknown as AnyComponentKind;
  const cfg = parseConfig(kind, raw) as MxDotConfig;
  const d = mxDotKind.derive(cfg);
  const sim = compile(elaborate(mxDotKind.generate(cfg)));
  const fields = mxDotKind.stream(cfg);
  const r = runStream(
    sim,
    [
      {
        a_scale: BigInt(a[0]),
        a_elems: pack(a[1], Number(d['bitsA'])),
        b_scale: BigInt(b[0]),
        b_elems: pack(b[1], Number(d['bitsB'])),
      },
    ],
    {
      inFields: fields.in.map((f) => f.name),
      outFields: fields.out.map((f) => f.name),
      expectedOutBeats: 1,
    },
  );
  return r.outBeats[0] ?? {};
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);

describe('mx-dot: worked examples of formats.md 5.4', () => {
  it('MXFP4: S = 96 - 6 - 12 = 78, Eres = 1 - 2 - 1 - 1 = -3, 9.75 = 0x411C0000', () => {
    const o = dot(
      { format: 'mxfp4_e2m1' },
      [0x80, [0x7, 0x9, 0x3, ...zeros(29)]],
      [0x7d, [0x6, 0x5, 0xc, ...zeros(29)]],
    );
    expect(o['sum']).to.equal(78n);
    expect(BigInt.asIntN(10, o['exp'] ?? 0n)).to.equal(-3n);
    expect(o['fp32']).to.equal(0x411c0000n);
  });
  it('MXFP8 E5M2 cancellation: 57344² + 2^-32 - 57344² is exactly 2^-32 = 0x2F800000', () => {
    // 57344 = 0x7B, 2^-16 = 0x01, -57344 = 0xFB; products in units of 2^-32: S = 1, Eres = -32.
    const o = dot(
      { format: 'mxfp8_e5m2' },
      [0x7f, [0x7b, 0x01, 0xfb, ...zeros(29)]],
      [0x7f, [0x7b, 0x01, 0x7b, ...zeros(29)]],
    );
    expect(o['sum']).to.equal(1n);
    expect(BigInt.asIntN(10, o['exp'] ?? 0n)).to.equal(-32n);
    expect(o['fp32']).to.equal(0x2f800000n);
  });
  it('MXINT8 with scales 0xFE and 32 elements 0x7F overflows binary32 to +Inf', () => {
    // S = 32·127² = 516128, Eres = 127 + 127 - 12 = 242.
    const sevenF = new Array<number>(32).fill(0x7f);
    const o = dot({ format: 'mxint8' }, [0xfe, sevenF], [0xfe, sevenF]);
    expect(o['sum']).to.equal(516128n);
    expect(o['exp']).to.equal(242n);
    expect(o['fp32']).to.equal(0x7f800000n);
  });
  it('a NaN scale gives NaN; E5M2 +Inf × -Inf terms of both signs give NaN; Inf × 1 gives +Inf', () => {
    const one = 0x3c; // E5M2 1.0
    expect(dot({ format: 'mxfp8_e5m2', k: 2 }, [0xff, [one, 0]], [0x7f, [one, 0]])['nan']).to.equal(
      1n,
    );
    const both = dot({ format: 'mxfp8_e5m2', k: 2 }, [0x7f, [0x7c, 0xfc]], [0x7f, [one, one]]);
    expect([both['nan'], both['fp32']]).to.deep.equal([1n, 0x7fc00000n]);
    const inf = dot({ format: 'mxfp8_e5m2', k: 2 }, [0x7f, [0x7c, one]], [0x7f, [one, one]]);
    expect([inf['pinf'], inf['sum'], inf['fp32']]).to.deep.equal([1n, 0n, 0x7f800000n]);
  });
});
