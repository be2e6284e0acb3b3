// In-process spec vectors for the config tables of every component kind (issue 17): the defaults
// a schema fills in, the values `derive` gives, the module names, and the error for each invalid
// field (the message names the field). Every expected value is a literal derived by hand from
// docs/components.md, docs/numerics.md and ../shared/reference/formats.md (the derivation is in
// the comments), never computed by the code under test. Operands are chosen so that the plausible
// confusions (off-by-one widths, a swapped operand or mode, a wrong default, `<` for `<=` at a
// limit) give a different result. No simulation: this file runs in well under a second, so the
// `components` mutation profile (stryker.config.mjs) runs it for every mutant of the config files.
import { expect } from 'chai';
import { getComponent, parseConfig, type AnyComponentKind } from '../../src/components/index.js';
import {
  activationOp,
  activationParams,
  type ActivationConfig,
} from '../../src/components/activation/config.js';
import {
  kvAttentionCycles,
  kvAttentionParams,
  kvCacheBits,
  kvChannelScales,
  kvScaleExp,
  kvSpec,
  type KvAttentionConfig,
} from '../../src/components/kv-attention/config.js';
import { elementOf, stagesOf, type MxDotConfig } from '../../src/components/mx-dot/config.js';
import {
  isNvfp4,
  mxFormatOf,
  policyOf,
  tensorScaleBits,
  tensorScaleExpOf,
  type MxQuantizeConfig,
} from '../../src/components/mx-quantize/config.js';
import { mxScaleFormat, shortMxName } from '../../src/components/mx-scale/config.js';
import { normParams, type NormConfig } from '../../src/components/norm/config.js';
import {
  exactPairRange,
  oliveMax,
  pairBits,
  pairRange,
} from '../../src/components/olive/pe-config.js';
import { arithFormat, type ArithFormatName } from '../../src/components/arith/index.js';
import { ropeFeatures, type RopeConfig } from '../../src/components/rope/config.js';
import {
  normChunkedParams,
  type NormChunkedConfig,
} from '../../src/components/row-chunked/config.js';
import { expName } from '../../src/components/softmax/config.js';
import { MxgenError } from '../../src/hdl/index.js';

const kind = (k: string): AnyComponentKind => getComponent(k);
const parse = (k: string, raw: unknown): unknown => parseConfig(kind(k), raw);
const derive = (k: string, raw: unknown) => kind(k).derive(parse(k, raw));
const name = (k: string, raw: unknown): string => kind(k).moduleName(parse(k, raw));

/** The config error of `raw`: an MxgenError whose one-line message starts with `message`. */
function rejects(k: string, raw: unknown, message: string): void {
  let err: unknown;
  try {
    parse(k, raw);
  } catch (e) {
    err = e;
  }
  expect(err, `${k} ${JSON.stringify(raw)} must be refused`).to.be.instanceOf(MxgenError);
  expect((err as Error).message.startsWith(message), (err as Error).message).to.equal(true);
}

describe('config spec: fp32-acc', () => {
  it('stages defaults to 1 (the adder from the ports); derive: latency = stages, one value per cycle', () => {
    expect(parse('fp32-acc', {})).to.deep.equal({ stages: 1 });
    expect(derive('fp32-acc', {})).to.deep.equal({ latencyCycles: 1, valuesPerCycle: 1 });
    expect(derive('fp32-acc', { stages: 2 })).to.deep.equal({
      latencyCycles: 2,
      valuesPerCycle: 1,
    });
    expect(name('fp32-acc', {})).to.equal('fp32_acc_p1');
    expect(name('fp32-acc', { stages: 2 })).to.equal('fp32_acc_p2');
  });
  it('stages 3 and 0 are refused with the field named', () => {
    const m = 'stages must be 1 (adder from the ports) or 2 (input register first)';
    rejects('fp32-acc', { stages: 3 }, `fp32-acc.stages: ${m}`);
    rejects('fp32-acc', { stages: 0 }, `fp32-acc.stages: ${m}`);
  });
});

describe('config spec: gelu / silu (docs/components.md, transformer ops)', () => {
  it('defaults: n 16, inBits 8 @ -4, outBits 8 @ -5, stages 1; gelu form erf', () => {
    const silu = { n: 16, inBits: 8, inScaleExp: -4, outBits: 8, outScaleExp: -5, stages: 1 };
    expect(parse('silu', {})).to.deep.equal(silu);
    expect(parse('gelu', {})).to.deep.equal({ ...silu, form: 'erf' });
  });
  it('derive: latency = stages, one table entry per input code (2^inBits)', () => {
    // inBits 6: 2^6 = 64 (not 2·6 = 12, not 2^7); stages 3 (not the default 1)
    expect(derive('gelu', { inBits: 6, stages: 3 })).to.deep.equal({
      latencyCycles: 3,
      tableEntries: 64,
      beatsPerCycle: 1,
    });
    expect(derive('silu', {})).to.deep.equal({
      latencyCycles: 1,
      tableEntries: 256,
      beatsPerCycle: 1,
    });
  });
  it('module names (docs: gelu_erf_n16_int8sm4_int8sm5, silu_n16_int8sm4_int8sm5)', () => {
    expect(name('gelu', {})).to.equal('gelu_erf_n16_int8sm4_int8sm5');
    expect(name('silu', {})).to.equal('silu_n16_int8sm4_int8sm5');
    // a positive and a zero exponent print without `m`; stages ≠ 1 adds _p<stages>
    expect(
      name('gelu', {
        form: 'tanh',
        n: 4,
        inBits: 6,
        inScaleExp: 0,
        outBits: 12,
        outScaleExp: 2,
        stages: 2,
      }),
    ).to.equal('gelu_tanh_n4_int6s0_int12s2_p2');
  });
  it('the op: no form is silu, erf is gelu-erf, tanh is gelu-tanh; params carry the fields', () => {
    const base: ActivationConfig = {
      n: 2,
      inBits: 5,
      inScaleExp: -3,
      outBits: 7,
      outScaleExp: -6,
      stages: 1,
    };
    expect(activationOp(base)).to.equal('silu');
    expect(activationOp({ ...base, form: 'erf' })).to.equal('gelu-erf');
    expect(activationOp({ ...base, form: 'tanh' })).to.equal('gelu-tanh');
    expect(activationParams({ ...base, form: 'tanh' })).to.deep.equal({
      op: 'gelu-tanh',
      inBits: 5,
      inScaleExp: -3,
      outBits: 7,
      outScaleExp: -6,
    });
  });
  it('errors name the field', () => {
    rejects('gelu', { form: 'exact' }, 'gelu.form: form must be erf or tanh');
    rejects('silu', { inBits: 9 }, 'silu.inBits: inBits must be at most 8');
    rejects('silu', { form: 'erf' }, 'silu: Unrecognized key(s) in object');
  });
});

describe('config spec: mul', () => {
  it('defaults and derive: shift = so - sa - sb (docs: rneShr by so - sa - sb)', () => {
    expect(parse('mul', {})).to.deep.equal({
      n: 16,
      aBits: 8,
      aScaleExp: -4,
      bBits: 8,
      bScaleExp: -4,
      outBits: 8,
      outScaleExp: -4,
      stages: 1,
    });
    // defaults: -4 - (-4) - (-4) = 4
    expect(derive('mul', {})).to.deep.equal({ latencyCycles: 1, shift: 4, beatsPerCycle: 1 });
    // -2 - (-3) - (-5) = 6 (swapping a sign of sa or sb gives 0 or 4 or -6)
    expect(
      derive('mul', { aScaleExp: -3, bScaleExp: -5, outScaleExp: -2, stages: 2 }),
    ).to.deep.equal({ latencyCycles: 2, shift: 6, beatsPerCycle: 1 });
  });
  it('module names', () => {
    expect(name('mul', {})).to.equal('mul_n16_int8sm4_int8sm4_int8sm4');
    expect(
      name('mul', {
        n: 4,
        aBits: 8,
        aScaleExp: -3,
        bBits: 4,
        bScaleExp: 1,
        outBits: 16,
        outScaleExp: -2,
        stages: 3,
      }),
    ).to.equal('mul_n4_int8sm3_int4s1_int16sm2_p3');
  });
  it('errors name the field', () => {
    rejects('mul', { bBits: 17 }, 'mul.bBits: bBits must be at most 16');
    rejects('mul', { n: 0 }, 'mul.n: n must be at least 1');
  });
});

describe('config spec: softmax (docs/components.md: S has bitLength(n·2^15) bits, 20 for n = 16)', () => {
  it('defaults', () => {
    expect(parse('softmax', {})).to.deep.equal({
      n: 16,
      inBits: 8,
      inScaleExp: -4,
      outBits: 8,
      outFracBits: 8,
    });
  });
  it('derive: latency 2, sumBits = bitLength(n·2^15), R of 46 − 15 + 1 = 32 bits', () => {
    const d = (sumBits: number) => ({ latencyCycles: 2, sumBits, recipBits: 32, rowsPerCycle: 1 });
    expect(derive('softmax', {})).to.deep.equal(d(20)); // 16·2^15 = 2^19: 20 bits
    expect(derive('softmax', { n: 5 })).to.deep.equal(d(18)); // 5·2^15 < 2^18: 18 bits
    expect(derive('softmax', { n: 64 })).to.deep.equal(d(22)); // 2^21: 22 bits
    expect(derive('softmax', { n: 1 })).to.deep.equal(d(16)); // 2^15: 16 bits
  });
  it('module names (docs: softmax_n16_int8_sm4_u8f8); expName prints m for a negative exponent only', () => {
    expect(name('softmax', {})).to.equal('softmax_n16_int8_sm4_u8f8');
    expect(
      name('softmax', { n: 5, inBits: 6, inScaleExp: 0, outBits: 16, outFracBits: 7 }),
    ).to.equal('softmax_n5_int6_s0_u16f7');
    expect(name('softmax', { inScaleExp: 3 })).to.equal('softmax_n16_int8_s3_u8f8');
    expect([expName(-3), expName(0), expName(2)]).to.deep.equal(['m3', '0', '2']);
  });
  it('errors name the field', () => {
    rejects('softmax', { inScaleExp: 5 }, 'softmax.inScaleExp: inScaleExp must be at most 4');
    rejects('softmax', { outFracBits: 0 }, 'softmax.outFracBits: outFracBits must be at least 1');
  });
});

describe('config spec: layernorm / rmsnorm (docs/components.md: dBits 31, divStages 61, sqrtStages 31 for layernorm n16)', () => {
  const defaults = {
    n: 16,
    inBits: 8,
    inScaleExp: -4,
    gammaBits: 8,
    gammaScaleExp: -6,
    betaBits: 8,
    betaScaleExp: -6,
    outBits: 8,
    outScaleExp: -5,
    epsMantissa: 1,
    epsExp: -16,
  };
  it('defaults', () => {
    expect(parse('layernorm', {})).to.deep.equal(defaults);
    expect(parse('rmsnorm', {})).to.deep.equal(defaults);
  });
  it('derive, layernorm n16 (docs/numerics.md normConstants, by hand)', () => {
    // t = min(2·-4, -16) = -16; dataShift = -8 + 16 = 8; epsTerm = n²·1 = 256;
    // Dmax = n²·2^14·2^8 + 256 = 2^30 + 256: 31 bits; K = 18 + ceil(31/2) = 34;
    // Q = M·2^(2K)/epsTerm = 2^68 / 2^8 = 2^60: 61 bits; sqrt stages ceil(61/2) = 31.
    expect(derive('layernorm', {})).to.deep.equal({
      latencyCycles: 2,
      rowsPerCycle: 1,
      k: 34,
      dBits: 31,
      divStages: 61,
      sqrtStages: 31,
    });
  });
  it('derive, rmsnorm n16: M = n, eps term n·1', () => {
    // epsTerm = 16; Dmax = 16·2^14·2^8 + 16 = 2^26 + 16: 27 bits; K = 18 + 14 = 32;
    // Q = 16·2^64 / 16 = 2^64: 65 bits; sqrt stages 33.
    expect(derive('rmsnorm', {})).to.deep.equal({
      latencyCycles: 2,
      rowsPerCycle: 1,
      k: 32,
      dBits: 27,
      divStages: 65,
      sqrtStages: 33,
    });
  });
  it('module names (docs: layernorm_n16_int8sm4_g8sm6_b8sm6_o8sm5_eps1em16); rmsnorm has no β part', () => {
    expect(name('layernorm', {})).to.equal('layernorm_n16_int8sm4_g8sm6_b8sm6_o8sm5_eps1em16');
    expect(name('rmsnorm', {})).to.equal('rmsnorm_n16_int8sm4_g8sm6_o8sm5_eps1em16');
    expect(
      name('layernorm', {
        n: 7,
        inBits: 6,
        inScaleExp: 1,
        gammaBits: 6,
        gammaScaleExp: -2,
        betaBits: 4,
        betaScaleExp: 0,
        outBits: 10,
        outScaleExp: 2,
        epsMantissa: 3,
        epsExp: -2,
      }),
    ).to.equal('layernorm_n7_int6s1_g6sm2_b4s0_o10s2_eps3em2');
  });
  it('normParams carries the kind', () => {
    const c = parse('rmsnorm', {}) as NormConfig;
    expect(normParams('rmsnorm', c)).to.deep.equal({ kind: 'rmsnorm', ...defaults });
  });
  it('errors name the field: epsExp must be even', () => {
    rejects('layernorm', { epsExp: -15 }, 'layernorm.epsExp: epsExp must be even (eps = m·4^k)');
    rejects('rmsnorm', { epsExp: -1 }, 'rmsnorm.epsExp: epsExp must be even');
    expect(() => parse('layernorm', { epsExp: -14 })).not.to.throw();
    expect(() => parse('layernorm', { epsExp: 0 })).not.to.throw();
    rejects(
      'layernorm',
      { epsMantissa: 0 },
      'layernorm.epsMantissa: epsMantissa must be at least 1',
    );
  });
});

describe('config spec: mx-scale (formats.md 4: emax_elem of each element format)', () => {
  it('format is required; k 32, policy floor, stages 1 by default', () => {
    expect(parse('mx-scale', { format: 'mxint8' })).to.deep.equal({
      format: 'mxint8',
      k: 32,
      policy: 'floor',
      stages: 1,
    });
  });
  it('derive: latency = stages, emax_elem of the format, 32·k input bits', () => {
    // emax_elem: E2M1 2, E4M3 8, E5M2 15, E2M3 2, E3M2 4, INT8 0
    const cases: [string, number][] = [
      ['mxfp4_e2m1', 2],
      ['mxfp8_e4m3', 8],
      ['mxfp8_e5m2', 15],
      ['mxfp6_e2m3', 2],
      ['mxfp6_e3m2', 4],
      ['mxint8', 0],
    ];
    for (const [format, emaxElem] of cases)
      expect(derive('mx-scale', { format, k: 8, stages: 2 }), format).to.deep.equal({
        latencyCycles: 2,
        emaxElem,
        inputBits: 256,
      });
    expect(derive('mx-scale', { format: 'mxfp8_e4m3' })).to.deep.equal({
      latencyCycles: 1,
      emaxElem: 8,
      inputBits: 1024,
    });
    expect(mxScaleFormat({ format: 'mxfp6_e3m2' }).emaxElem).to.equal(4);
  });
  it('module names: the element part of the format, k, policy, _p<stages> past 1', () => {
    expect(name('mx-scale', { format: 'mxfp8_e4m3' })).to.equal('mx_scale_e4m3_k32_floor');
    expect(name('mx-scale', { format: 'mxint8', policy: 'ceil' })).to.equal(
      'mx_scale_int8_k32_ceil',
    );
    expect(name('mx-scale', { format: 'mxfp8_e5m2', k: 7, policy: 'rceil', stages: 2 })).to.equal(
      'mx_scale_e5m2_k7_rceil_p2',
    );
    expect(
      ['mxfp4_e2m1', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxint8'].map((n) =>
        shortMxName(n as Parameters<typeof shortMxName>[0]),
      ),
    ).to.deep.equal(['e2m1', 'e2m3', 'e3m2', 'int8']);
  });
  it('errors name the field and list the choices', () => {
    rejects(
      'mx-scale',
      { format: 'mxfp9' },
      'mx-scale.format: format must be one of mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1',
    );
    rejects('mx-scale', {}, 'mx-scale.format: format must be one of mxint8,');
    rejects(
      'mx-scale',
      { format: 'mxint8', policy: 'round' },
      'mx-scale.policy: policy must be one of floor, ceil, even, rceil',
    );
    rejects(
      'mx-scale',
      { format: 'mxint8', k: 65 },
      'mx-scale.k: k must be at most 64 (one beat carries the whole block)',
    );
    rejects(
      'mx-scale',
      { format: 'mxint8', stages: 5 },
      'mx-scale.stages: stages must be at most 4',
    );
  });
});

describe('config spec: mx-dot (formats.md 5.3: exact block-sum widths)', () => {
  it('format required; k 32, fp32 on; bFormat and stages absent', () => {
    expect(parse('mx-dot', { format: 'mxfp8_e4m3' })).to.deep.equal({
      format: 'mxfp8_e4m3',
      k: 32,
      fp32: true,
    });
  });
  it('E4M3 × E4M3, 32 terms: 42 bits (5.3); fp32 → 2 stages', () => {
    expect(derive('mx-dot', { format: 'mxfp8_e4m3' })).to.deep.equal({
      latencyCycles: 2,
      elementA: 'fp8_e4m3',
      elementB: 'fp8_e4m3',
      bitsA: 8,
      bitsB: 8,
      blockSumBits: 42,
      sumBits: 42,
      expBits: 10,
      nvfp4: false,
    });
  });
  it('E4M3 × E5M2, 32 terms: 56 bits; without fp32 one stage; B is its own format', () => {
    expect(
      derive('mx-dot', { format: 'mxfp8_e4m3', bFormat: 'mxfp8_e5m2', fp32: false }),
    ).to.deep.equal({
      latencyCycles: 1,
      elementA: 'fp8_e4m3',
      elementB: 'fp8_e5m2',
      bitsA: 8,
      bitsB: 8,
      blockSumBits: 56,
      sumBits: 56,
      expBits: 10,
      nvfp4: false,
    });
  });
  it('INT8 × E2M1, 32 terms: 17 bits (5.3: E2M1 × INT8); stages as configured', () => {
    expect(derive('mx-dot', { format: 'mxint8', bFormat: 'mxfp4_e2m1', stages: 3 })).to.deep.equal({
      latencyCycles: 3,
      elementA: 'mxint8_element', // the 1.6 int8 element (docs/numerics.md)
      elementB: 'fp4_e2m1',
      bitsA: 8,
      bitsB: 4,
      blockSumBits: 17,
      sumBits: 17,
      expBits: 10,
      nvfp4: false,
    });
  });
  it('E2M3 × E3M2, 32 terms: 21 bits; E3M2 × E3M2 24 bits', () => {
    const d = derive('mx-dot', { format: 'mxfp6_e2m3', bFormat: 'mxfp6_e3m2', fp32: false });
    expect([d['blockSumBits'], d['bitsA'], d['bitsB']]).to.deep.equal([21, 6, 6]);
    expect(derive('mx-dot', { format: 'mxfp6_e3m2' })['blockSumBits']).to.equal(24);
  });
  it('NVFP4, 16 terms: 16·144 = 2304 → 13 bits, plus 8 for the E4M3 scale product: 21', () => {
    expect(derive('mx-dot', { format: 'nvfp4', k: 16 })).to.deep.equal({
      latencyCycles: 2,
      elementA: 'fp4_e2m1',
      elementB: 'fp4_e2m1',
      bitsA: 4,
      bitsB: 4,
      blockSumBits: 13,
      sumBits: 21,
      expBits: 10,
      nvfp4: true,
    });
  });
  it('stagesOf and elementOf', () => {
    const c = (x: object) => x as MxDotConfig;
    expect(stagesOf(c({ format: 'mxint8', k: 1, fp32: true }))).to.equal(2);
    expect(stagesOf(c({ format: 'mxint8', k: 1, fp32: false }))).to.equal(1);
    expect(stagesOf(c({ format: 'mxint8', k: 1, fp32: false, stages: 4 }))).to.equal(4);
    expect((['nvfp4', 'mxint8', 'mxfp6_e2m3', 'mxfp8_e5m2'] as const).map(elementOf)).to.deep.equal(
      ['fp4_e2m1', 'mxint8_element', 'fp6_e2m3', 'fp8_e5m2'],
    );
  });
  it('module names', () => {
    expect(name('mx-dot', { format: 'mxfp8_e4m3' })).to.equal('mx_dot_e4m3_k32_fp32');
    expect(
      name('mx-dot', { format: 'mxfp8_e4m3', bFormat: 'mxfp8_e4m3', fp32: false, k: 1 }),
    ).to.equal('mx_dot_e4m3_k1');
    expect(name('mx-dot', { format: 'mxint8', bFormat: 'mxfp4_e2m1', stages: 3 })).to.equal(
      'mx_dot_int8_e2m1_k32_fp32_p3',
    );
    expect(name('mx-dot', { format: 'nvfp4', k: 16 })).to.equal('nvfp4_dot_k16_fp32');
    expect(name('mx-dot', { format: 'nvfp4', k: 8, fp32: false, stages: 1 })).to.equal(
      'nvfp4_dot_k8_p1',
    );
  });
  it('errors name the field', () => {
    rejects(
      'mx-dot',
      { format: 'mxfp8_e4m3', stages: 1 },
      'mx-dot.stages: stages must be at least 2 with fp32 (the binary32 rounding has its own stage); got 1',
    );
    expect(() => parse('mx-dot', { format: 'mxfp8_e4m3', stages: 2 })).not.to.throw();
    expect(() => parse('mx-dot', { format: 'mxfp8_e4m3', fp32: false, stages: 1 })).not.to.throw();
    rejects(
      'mx-dot',
      { format: 'nvfp4', bFormat: 'mxfp4_e2m1' },
      'mx-dot.bFormat: nvfp4 (E4M3 block scales) cannot be mixed with an E8M0-scaled MX format; got nvfp4 and mxfp4_e2m1',
    );
    rejects(
      'mx-dot',
      { format: 'mxfp4_e2m1', bFormat: 'nvfp4' },
      'mx-dot.bFormat: nvfp4 (E4M3 block scales) cannot be mixed with an E8M0-scaled MX format; got mxfp4_e2m1 and nvfp4',
    );
    expect(() => parse('mx-dot', { format: 'nvfp4', bFormat: 'nvfp4' })).not.to.throw();
    rejects(
      'mx-dot',
      { format: 'fp8' },
      'mx-dot.format: format must be one of mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1, nvfp4',
    );
    rejects(
      'mx-dot',
      { format: 'mxint8', bFormat: 'int8' },
      'mx-dot.bFormat: bFormat must be one of mxint8,',
    );
    rejects('mx-dot', { format: 'mxint8', fp32: 1 }, 'mx-dot.fp32: fp32 must be true or false');
  });
});

describe('config spec: mx-quantize (formats.md 9.2: NVFP4 blocks of 16, g = 2^e a binary32)', () => {
  it('k defaults to 32 for MX formats and 16 for nvfp4; policy and tensorScaleExp stay absent', () => {
    expect(parse('mx-quantize', { format: 'mxfp8_e4m3' })).to.deep.equal({
      format: 'mxfp8_e4m3',
      k: 32,
      stages: 1,
    });
    expect(parse('mx-quantize', { format: 'nvfp4' })).to.deep.equal({
      format: 'nvfp4',
      k: 16,
      stages: 1,
    });
    expect(parse('mx-quantize', { format: 'nvfp4', k: 4 })).to.deep.equal({
      format: 'nvfp4',
      k: 4,
      stages: 1,
    });
    expect(parse('mx-quantize', { format: 'mxint8', k: 8, policy: 'even' })).to.deep.equal({
      format: 'mxint8',
      k: 8,
      policy: 'even',
      stages: 1,
    });
  });
  it('derive: latency = stages; element bits 4 (nvfp4, E2M1), 6 (E3M2), 8 (INT8, E5M2)', () => {
    const cases: [object, number, number][] = [
      [{ format: 'nvfp4' }, 1, 4],
      [{ format: 'mxfp4_e2m1', stages: 2 }, 2, 4],
      [{ format: 'mxfp6_e3m2', stages: 3 }, 3, 6],
      [{ format: 'mxfp6_e2m3' }, 1, 6],
      [{ format: 'mxint8' }, 1, 8],
      [{ format: 'mxfp8_e5m2', stages: 4 }, 4, 8],
    ];
    for (const [raw, latencyCycles, elementBits] of cases)
      expect(derive('mx-quantize', raw), JSON.stringify(raw)).to.deep.equal({
        latencyCycles,
        elementBits,
      });
  });
  it('module names: policy floor when omitted, g exponent with m for negative', () => {
    expect(name('mx-quantize', { format: 'mxfp6_e3m2', k: 4 })).to.equal(
      'mx_quantize_e3m2_k4_floor',
    );
    expect(
      name('mx-quantize', { format: 'mxfp8_e5m2', k: 8, policy: 'rceil', stages: 2 }),
    ).to.equal('mx_quantize_e5m2_k8_rceil_p2');
    expect(name('mx-quantize', { format: 'nvfp4' })).to.equal('nvfp4_quantize_k16_g0');
    expect(name('mx-quantize', { format: 'nvfp4', k: 8, tensorScaleExp: 100 })).to.equal(
      'nvfp4_quantize_k8_g100',
    );
    expect(name('mx-quantize', { format: 'nvfp4', tensorScaleExp: -8, stages: 2 })).to.equal(
      'nvfp4_quantize_k16_gm8_p2',
    );
  });
  it('helpers: isNvfp4, policyOf, tensorScaleExpOf, mxFormatOf', () => {
    const c = (x: object) => x as MxQuantizeConfig;
    expect(isNvfp4(c({ format: 'nvfp4', k: 16, stages: 1 }))).to.equal(true);
    expect(isNvfp4(c({ format: 'mxfp4_e2m1', k: 16, stages: 1 }))).to.equal(false);
    expect(policyOf(c({ format: 'mxint8', k: 8, stages: 1 }))).to.equal('floor');
    expect(policyOf(c({ format: 'mxint8', k: 8, stages: 1, policy: 'ceil' }))).to.equal('ceil');
    expect(tensorScaleExpOf(c({ format: 'nvfp4', k: 16, stages: 1 }))).to.equal(0);
    expect(tensorScaleExpOf(c({ format: 'nvfp4', k: 16, stages: 1, tensorScaleExp: -3 }))).to.equal(
      -3,
    );
    expect(mxFormatOf(c({ format: 'mxfp6_e3m2', k: 8, stages: 1 })).emaxElem).to.equal(4);
    expect(() => mxFormatOf(c({ format: 'nvfp4', k: 16, stages: 1 })))
      .to.throw(MxgenError, 'mxFormatOf: nvfp4 is not an E8M0-scaled MX format')
      .that.includes({ kind: 'usage', hint: 'branch on isNvfp4(cfg) first' });
  });
  it('tensorScaleBits: binary32 of 2^e (normal from 2^-126, subnormal below)', () => {
    // 2^0 = 0x3F800000; 2^127 = 0x7F000000; 2^-126 = 0x00800000 (smallest normal);
    // 2^-127 = 0x00400000 and 2^-149 = 0x00000001 (subnormals)
    expect([0, 127, -126, -127, -149, 1].map(tensorScaleBits)).to.deep.equal([
      0x3f800000, 0x7f000000, 0x00800000, 0x00400000, 0x00000001, 0x40000000,
    ]);
  });
  it('errors name the field', () => {
    rejects(
      'mx-quantize',
      { format: 'nvfp4', k: 17 },
      'mx-quantize.k: k must be at most 16 for nvfp4 (one NVFP4 block holds 16 values); got 17',
    );
    expect(() => parse('mx-quantize', { format: 'nvfp4', k: 16 })).not.to.throw();
    expect(() => parse('mx-quantize', { format: 'mxint8', k: 17 })).not.to.throw();
    rejects(
      'mx-quantize',
      { format: 'nvfp4', policy: 'floor' },
      "mx-quantize.policy: policy applies to E8M0-scaled MX formats only; nvfp4's E4M3 scale is always RNE(amax / 6g): remove policy",
    );
    rejects(
      'mx-quantize',
      { format: 'mxfp8_e4m3', tensorScaleExp: 0 },
      'mx-quantize.tensorScaleExp: tensorScaleExp (g = 2^e) applies to nvfp4 only, not mxfp8_e4m3: remove it or use format nvfp4',
    );
    rejects(
      'mx-quantize',
      { format: 'nvfp4', tensorScaleExp: 128 },
      'mx-quantize.tensorScaleExp: tensorScaleExp must be at most 127',
    );
    rejects(
      'mx-quantize',
      { format: 'int4' },
      'mx-quantize.format: format must be one of mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1, nvfp4',
    );
    rejects(
      'mx-quantize',
      { format: 'mxint8', policy: 'up' },
      'mx-quantize.policy: policy must be one of floor, ceil, even, rceil',
    );
    // not an object: refused as such (the block-size default is not filled into it)
    rejects('mx-quantize', null, 'mx-quantize: Expected object, received null');
    rejects('mx-quantize', [], 'mx-quantize: Expected object, received array');
    rejects('mx-quantize', 'nvfp4', 'mx-quantize: Expected object, received string');
  });
});

describe('config spec: rope (docs/components.md: tableEntries = seqLen·headDim)', () => {
  it('defaults', () => {
    expect(parse('rope', {})).to.deep.equal({
      heads: 2,
      kvHeads: 1,
      headDim: 4,
      seqLen: 8,
      base: 10000,
      fracBits: 14,
      inBits: 8,
      inScaleExp: -4,
      outBits: 8,
      outScaleExp: -4,
      stages: 1,
    });
  });
  it('derive: shift = so - si + fracBits, tableEntries = seqLen·headDim', () => {
    // -4 - (-4) + 14 = 14; 8·4 = 32
    expect(derive('rope', {})).to.deep.equal({
      latencyCycles: 1,
      shift: 14,
      tableEntries: 32,
      beatsPerCycle: 1,
    });
    // -3 - (-2) + 6 = 5; 5·6 = 30
    expect(
      derive('rope', {
        heads: 1,
        headDim: 6,
        seqLen: 5,
        fracBits: 6,
        inScaleExp: -2,
        outScaleExp: -3,
        stages: 3,
      }),
    ).to.deep.equal({ latencyCycles: 3, shift: 5, tableEntries: 30, beatsPerCycle: 1 });
  });
  it('features of a beat: (heads + 2·kvHeads)·headDim', () => {
    const c = (x: object) => ({ ...(parse('rope', {}) as RopeConfig), ...x });
    expect(ropeFeatures(c({}))).to.equal(16); // (2 + 2)·4
    expect(ropeFeatures(c({ heads: 4, kvHeads: 2, headDim: 16 }))).to.equal(128); // 8·16
    expect(ropeFeatures(c({ heads: 1, kvHeads: 1, headDim: 6 }))).to.equal(18); // 3·6
  });
  it('module names', () => {
    expect(name('rope', {})).to.equal('rope_h2kv1d4_l8_b10000_f14_int8sm4_int8sm4');
    expect(
      name('rope', {
        heads: 1,
        headDim: 6,
        seqLen: 5,
        base: 100,
        fracBits: 6,
        inBits: 4,
        inScaleExp: 2,
        outScaleExp: -3,
        stages: 3,
      }),
    ).to.equal('rope_h1kv1d6_l5_b100_f6_int4s2_int8sm3_p3');
  });
  it('errors name the field: an odd headDim', () => {
    rejects(
      'rope',
      { headDim: 5 },
      'rope.headDim: headDim must be even (RoPE rotates pairs); got 5',
    );
    rejects('rope', { headDim: 1 }, 'rope.headDim: headDim must be at least 2');
    expect(() => parse('rope', { headDim: 2 })).not.to.throw();
  });
});

describe('config spec: matmul (docs/components.md: at most 256 codes per operand, 4096 multipliers)', () => {
  it('defaults', () => {
    expect(parse('matmul', {})).to.deep.equal({
      heads: 1,
      kvHeads: 1,
      m: 2,
      k: 4,
      n: 2,
      transposeB: false,
      aBits: 8,
      aScaleExp: -4,
      bBits: 8,
      bScaleExp: -4,
      outBits: 8,
      outScaleExp: -4,
      stages: 1,
    });
  });
  it('derive: multipliers heads·m·n·k (48 for qk-h4kv2), shift so - sa - sb', () => {
    expect(
      derive('matmul', {
        heads: 4,
        kvHeads: 2,
        m: 1,
        k: 4,
        n: 3,
        transposeB: true,
        outBits: 12,
        outScaleExp: -6,
        stages: 2,
      }),
    ).to.deep.equal({ latencyCycles: 2, beatsPerCycle: 1, multipliers: 48, shift: 2 });
    // 1·2·2·4 = 16; -4 + 4 + 4 = 4
    expect(derive('matmul', {})).to.deep.equal({
      latencyCycles: 1,
      beatsPerCycle: 1,
      multipliers: 16,
      shift: 4,
    });
    // 2·3·5·7 = 210; -1 - (-2) - 3 = -2
    expect(
      derive('matmul', {
        heads: 2,
        m: 3,
        n: 5,
        k: 7,
        kvHeads: 1,
        aScaleExp: -2,
        bScaleExp: 3,
        outScaleExp: -1,
      }),
    ).to.deep.equal({ latencyCycles: 1, beatsPerCycle: 1, multipliers: 210, shift: -2 });
  });
  it('module names (docs: matmul_h4kv2_1x4x3t_int8sm4_int8sm4_int12sm6)', () => {
    expect(
      name('matmul', {
        heads: 4,
        kvHeads: 2,
        m: 1,
        k: 4,
        n: 3,
        transposeB: true,
        outBits: 12,
        outScaleExp: -6,
      }),
    ).to.equal('matmul_h4kv2_1x4x3t_int8sm4_int8sm4_int12sm6');
    expect(name('matmul', {})).to.equal('matmul_2x4x2_int8sm4_int8sm4_int8sm4');
    expect(name('matmul', { heads: 2, kvHeads: 1, bBits: 4, bScaleExp: 1, stages: 2 })).to.equal(
      'matmul_h2kv1_2x4x2_int8sm4_int4s1_int8sm4_p2',
    );
    expect(name('matmul', { heads: 2, kvHeads: 2 })).to.equal(
      'matmul_h2kv2_2x4x2_int8sm4_int8sm4_int8sm4',
    );
  });
  it('errors name the field; each limit is inclusive', () => {
    rejects(
      'matmul',
      { heads: 3, kvHeads: 2 },
      'matmul.kvHeads: kvHeads must divide heads (3); got 2',
    );
    // a: 1·2·129 = 258 codes
    rejects('matmul', { m: 2, k: 129, n: 1 }, 'matmul.k: heads·m·k = 258 codes of a; at most 256');
    expect(() => parse('matmul', { m: 2, k: 128, n: 1 })).not.to.throw(); // 256, 128, 256
    // b: 1·129·2 = 258 codes (a: 1·1·129 = 129)
    rejects(
      'matmul',
      { m: 1, k: 129, n: 2 },
      'matmul.k: kvHeads·k·n = 258 codes of b; at most 256',
    );
    expect(() => parse('matmul', { m: 1, k: 128, n: 2 })).not.to.throw();
    // 4·8·17·8 = 4352 multipliers (a: 256, b: 136)
    rejects(
      'matmul',
      { heads: 4, kvHeads: 1, m: 8, k: 8, n: 17 },
      'matmul.k: heads·m·n·k = 4352 multipliers; at most 4096',
    );
    expect(() => parse('matmul', { heads: 4, kvHeads: 1, m: 8, k: 8, n: 16 })).not.to.throw();
    rejects('matmul', { transposeB: 'yes' }, 'matmul.transposeB: transposeB must be true or false');
  });
});

describe('config spec: kv-attention (docs/components.md and docs/numerics.md "KV-cache formats")', () => {
  const defaults: KvAttentionConfig = {
    heads: 2,
    kvHeads: 2,
    headDim: 4,
    capacity: 8,
    seqLen: 8,
    inBits: 8,
    inScaleExp: -4,
    kvFormat: 'int',
    kvBits: 8,
    scoreBits: 12,
    scoreScaleExp: -5,
    probBits: 8,
    outBits: 8,
    outScaleExp: -5,
  };
  const cfg = (x: object) => ({ ...defaults, ...x }) as KvAttentionConfig;
  it('defaults', () => {
    expect(parse('kv-attention', {})).to.deep.equal(defaults);
  });
  it('derive, defaults: 3·seqLen + 5 = 29 cycles; cache 8·2·(8·8) bits; 2·2·4 + 2 multipliers', () => {
    // scoreShift = ss + log2(headDim)/2 - sq - sk = -5 + 1 + 4 + 4 = 4 (int8 cache at 2^-4);
    // outShift = so - sv + probBits = -5 + 4 + 8 = 7
    expect(derive('kv-attention', {})).to.deep.equal({
      latencyCycles: 29,
      intervalCycles: 29,
      passCyclesFormula: '3·(t + 1) + 4 at position t, held to 3·seqLen + 4',
      kvCacheBits: 1024,
      multipliers: 18,
      scoreShift: 4,
      outShift: 7,
    });
  });
  it('derive, int4 cache, grouped-query, 5 of 6 positions: codes at 2^(-4 + 8 - 4) = 2^0', () => {
    // latency 3·5 + 5 = 20; cache 6·2·(2·4·4) = 384 bits; multipliers 2·4·4 + 4 = 36;
    // scoreShift -5 + 1 + 4 - 0 = 0; outShift -5 - 0 + 8 = 3
    const raw = { heads: 4, kvHeads: 2, capacity: 6, seqLen: 5, kvBits: 4 };
    expect(derive('kv-attention', raw)).to.deep.equal({
      latencyCycles: 20,
      intervalCycles: 20,
      passCyclesFormula: '3·(t + 1) + 4 at position t, held to 3·seqLen + 4',
      kvCacheBits: 384,
      multipliers: 36,
      scoreShift: 0,
      outShift: 3,
    });
    expect(kvScaleExp(cfg(raw))).to.equal(0);
    expect(kvScaleExp(cfg({ inScaleExp: -6, inBits: 12, kvBits: 5 }))).to.equal(1);
    expect(kvAttentionParams(cfg(raw))).to.deep.equal({
      heads: 4,
      kvHeads: 2,
      headDim: 4,
      qBits: 8,
      qScaleExp: -4,
      kvBits: 4,
      kScaleExp: 0,
      vScaleExp: 0,
      scoreBits: 12,
      scoreScaleExp: -5,
      probBits: 8,
      outBits: 8,
      outScaleExp: -5,
    });
  });
  it('derive, headDim 16: 1/√16 = 2^-2 in the score shift', () => {
    // -5 + 2 + 4 + 4 = 5; multipliers 2·1·16 + 1 = 33; latency 3·4 + 5 = 17;
    // cache 4·2·(1·16·8) = 1024
    const d = derive('kv-attention', {
      heads: 1,
      kvHeads: 1,
      headDim: 16,
      capacity: 4,
      seqLen: 4,
      scoreBits: 8,
    });
    expect([d['scoreShift'], d['multipliers'], d['latencyCycles'], d['kvCacheBits']]).to.deep.equal(
      [5, 33, 17, 1024],
    );
  });
  it('the decoded operands of the scaled formats: inBits + 1 bits at the input exponent', () => {
    // fp8_e4m3 decodes to integers of 9 bits at 2^-4: scoreShift 4, outShift -5 + 4 + 8 = 7
    const p = kvAttentionParams(cfg({ kvFormat: 'fp8_e4m3', probBits: 6, outScaleExp: -1 }));
    expect([p.kvBits, p.kScaleExp, p.vScaleExp]).to.deep.equal([9, -4, -4]);
    const d = derive('kv-attention', { kvFormat: 'fp8_e4m3', probBits: 6, outScaleExp: -1 });
    expect([d['scoreShift'], d['outShift'], d['kvCacheBits']]).to.deep.equal([4, 9, 1024]);
  });
  it('cache bits per format: kvRowBits = channels·b + scales (E8M0 8, per-token ubits(inBits − b))', () => {
    // per token, int4 of int8: one shift X in ubits(4) = 3 bits: 8·4 + 3 = 35 per row
    expect(kvCacheBits(cfg({ kvFormat: 'int_per_token', kvBits: 4 }))).to.equal(8 * 2 * 35);
    // per channel: no bits per token (static shifts): 8·4 = 32 per row
    expect(kvCacheBits(cfg({ kvFormat: 'int_per_channel', kvBits: 4 }))).to.equal(8 * 2 * 32);
    // keys per channel (32), values per token (35)
    expect(kvCacheBits(cfg({ kvFormat: 'int_k_channel_v_token', kvBits: 4 }))).to.equal(
      8 * (32 + 35),
    );
    // mxfp8_e4m3: blocks of min(32, headDim) = 4 channels: 2 blocks per row: 8·8 + 2·8 = 80
    expect(kvCacheBits(cfg({ kvFormat: 'mxfp8_e4m3' }))).to.equal(8 * 2 * 80);
    // mxfp4_e2m1: 8·4 + 2·8 = 48
    expect(kvCacheBits(cfg({ kvFormat: 'mxfp4_e2m1', kvBits: 4 }))).to.equal(8 * 2 * 48);
  });
  it('kvSpec: the K and V formats of the KIVI split, channels kvHeads·headDim', () => {
    const c = cfg({
      kvFormat: 'int_k_channel_v_token',
      kvBits: 4,
      heads: 4,
      kvHeads: 2,
      headDim: 16,
    });
    const spec = { bits: 4, inBits: 8, inScaleExp: -4, channels: 32, headDim: 16 };
    expect(kvSpec(c, 'k')).to.deep.equal({ format: 'int_per_channel', ...spec });
    expect(kvSpec(c, 'v')).to.deep.equal({ format: 'int_per_token', ...spec });
    expect(kvSpec(c)).to.deep.equal({ format: 'int_per_channel', ...spec });
    expect(kvSpec(cfg({ kvFormat: 'int_per_token', kvBits: 4 }), 'v').format).to.equal(
      'int_per_token',
    );
    expect(kvSpec(cfg({ kvFormat: 'fp8_e4m3' }), 'k').format).to.equal('fp8_e4m3');
  });
  it('kvChannelScales: K channels then V channels, each ubits(inBits − kvBits) bits', () => {
    // int8 → int4: shifts 0..4 in 3 bits; 2 kv heads · 4 = 8 channels
    expect(kvChannelScales(cfg({ kvFormat: 'int_per_channel', kvBits: 4 }))).to.deep.equal({
      k: 8,
      v: 8,
      bits: 3,
    });
    expect(kvChannelScales(cfg({ kvFormat: 'int_k_channel_v_token', kvBits: 4 }))).to.deep.equal({
      k: 8,
      v: 0,
      bits: 3,
    });
    // int8 → int6: shifts 0..2 in 2 bits
    expect(
      kvChannelScales(cfg({ kvFormat: 'int_k_channel_v_token', kvBits: 6, kvHeads: 1 })),
    ).to.deep.equal({ k: 4, v: 0, bits: 2 });
    expect(kvChannelScales(cfg({ kvFormat: 'int_per_token', kvBits: 4 }))).to.deep.equal({
      k: 0,
      v: 0,
      bits: 0,
    });
    expect(kvChannelScales(cfg({}))).to.deep.equal({ k: 0, v: 0, bits: 0 });
  });
  it('cycles at position t: 3·(t + 1) + 5', () => {
    expect([0, 1, 7].map(kvAttentionCycles)).to.deep.equal([8, 11, 29]);
  });
  it('module names: the cache format tag before kvBits', () => {
    expect(name('kv-attention', {})).to.equal(
      'kv_attention_h2kv2d4_l8s8_int8sm4_kv8_sc12sm5_p8_o8sm5',
    );
    const tags: [object, string][] = [
      [{ kvFormat: 'int_per_token', kvBits: 4 }, 'kvt4'],
      [{ kvFormat: 'int_per_channel', kvBits: 4 }, 'kvc4'],
      [{ kvFormat: 'int_k_channel_v_token', kvBits: 4 }, 'kvct4'],
      [{ kvFormat: 'fp8_e4m3' }, 'kve4m3_8'],
      [{ kvFormat: 'mxfp8_e4m3' }, 'kvmxe4m3_8'],
      [{ kvFormat: 'mxfp4_e2m1', kvBits: 4 }, 'kvmxe2m1_4'],
    ];
    for (const [raw, tag] of tags)
      expect(name('kv-attention', raw)).to.equal(
        `kv_attention_h2kv2d4_l8s8_int8sm4_${tag}_sc12sm5_p8_o8sm5`,
      );
    expect(
      name('kv-attention', {
        heads: 4,
        kvHeads: 1,
        headDim: 16,
        capacity: 6,
        seqLen: 5,
        inBits: 10,
        inScaleExp: 2,
        scoreBits: 9,
        scoreScaleExp: 0,
        probBits: 7,
        outBits: 12,
        outScaleExp: -1,
      }),
    ).to.equal('kv_attention_h4kv1d16_l6s5_int10s2_kv8_sc9s0_p7_o12sm1');
  });
  it('errors name the field', () => {
    rejects(
      'kv-attention',
      { heads: 3, kvHeads: 2 },
      'kv-attention.kvHeads: kvHeads must divide heads (3); got 2',
    );
    rejects(
      'kv-attention',
      { headDim: 8 },
      'kv-attention.headDim: headDim must be a power of 4 (1/√headDim a power of two); got 8',
    );
    rejects('kv-attention', { headDim: 2 }, 'kv-attention.headDim: headDim must be a power of 4');
    for (const headDim of [1, 4, 16, 64, 256])
      expect(() => parse('kv-attention', { headDim }), `headDim ${headDim}`).not.to.throw();
    rejects(
      'kv-attention',
      { kvFormat: 'fp8_e4m3', kvBits: 4 },
      'kv-attention.kvBits: kvBits must be 8 for kvFormat fp8_e4m3; got 4',
    );
    rejects(
      'kv-attention',
      { kvFormat: 'mxfp4_e2m1' },
      'kv-attention.kvBits: kvBits must be 4 for kvFormat mxfp4_e2m1; got 8',
    );
    rejects(
      'kv-attention',
      { kvFormat: 'mxfp8_e4m3', kvBits: 6 },
      'kv-attention.kvBits: kvBits must be 8 for kvFormat mxfp8_e4m3; got 6',
    );
    // the int kinds take any kvBits (≤ inBits where the scale is a shift)
    for (const kvFormat of ['int', 'int_per_token', 'int_per_channel', 'int_k_channel_v_token'])
      expect(() => parse('kv-attention', { kvFormat, kvBits: 3 }), kvFormat).not.to.throw();
    expect(() => parse('kv-attention', { kvBits: 12 })).not.to.throw();
    rejects(
      'kv-attention',
      { kvFormat: 'int_per_token', kvBits: 9 },
      'kv-attention.kvBits: kvFormat int_per_token needs kvBits ≤ inBits (8); got 9',
    );
    rejects(
      'kv-attention',
      { kvFormat: 'int_k_channel_v_token', kvBits: 9 },
      'kv-attention.kvBits: kvFormat int_k_channel_v_token needs kvBits ≤ inBits (8); got 9',
    );
    rejects(
      'kv-attention',
      { kvFormat: 'int_per_channel', kvBits: 9 },
      'kv-attention.kvBits: kvFormat int_per_channel needs kvBits ≤ inBits (8); got 9',
    );
    expect(() => parse('kv-attention', { kvFormat: 'int_per_token', kvBits: 8 })).not.to.throw();
    rejects(
      'kv-attention',
      { kvFormat: 'fp8_e4m3', inBits: 16 },
      'kv-attention.inBits: kvFormat fp8_e4m3 takes inBits up to 15 (decoded k, v of inBits + 1 ≤ 16 bits); got 16',
    );
    expect(() => parse('kv-attention', { kvFormat: 'fp8_e4m3', inBits: 15 })).not.to.throw();
    expect(() => parse('kv-attention', { inBits: 16 })).not.to.throw();
    rejects(
      'kv-attention',
      { seqLen: 9 },
      "kv-attention.seqLen: seqLen 9 is past the KV cache's capacity of 8 positions",
    );
    expect(() => parse('kv-attention', { seqLen: 3, capacity: 3 })).not.to.throw();
    rejects(
      'kv-attention',
      { kvFormat: 'int2' },
      'kv-attention.kvFormat: kvFormat must be one of int, int_per_token, int_per_channel, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1, int_k_channel_v_token',
    );
  });
});

describe('config spec: olive-pe (formats.md 6.3: 32 elements → 19 bits for OVP-int4 × OVP-int4 and × INT8)', () => {
  it('pairs is required; weights olive4, activations int8, elements 32 by default', () => {
    expect(parse('olive-pe', { pairs: 1 })).to.deep.equal({
      weights: 'olive4',
      activations: 'int8',
      pairs: 1,
      elements: 32,
    });
    rejects('olive-pe', {}, 'olive-pe.pairs: ');
  });
  it('OVP-int4 × INT8: a pair ≤ 96·128 = 12288 (15 bits); 16 pairs: 196608 → 19 bits', () => {
    expect(derive('olive-pe', { pairs: 1 })).to.deep.equal({
      latencyCycles: 1,
      productBits: 15,
      beatBits: 15,
      accBits: 19,
      wBits: 8,
      aBits: 16,
    });
    // 16 pairs per beat: 16·12288 = 196608 (19 bits); 8·16 weight bits, 16·16 activation bits
    expect(derive('olive-pe', { pairs: 16 })).to.deep.equal({
      latencyCycles: 1,
      productBits: 15,
      beatBits: 19,
      accBits: 19,
      wBits: 128,
      aBits: 256,
    });
  });
  it('OVP-int4 × OVP-int4: a pair ≤ 96·96 = 9216 (15 bits); 32 elements: 147456 → 19 bits', () => {
    // 4 pairs: 36864 → 17 bits; 64 elements: 32·9216 = 294912 → 20 bits
    expect(derive('olive-pe', { activations: 'olive4', pairs: 4, elements: 64 })).to.deep.equal({
      latencyCycles: 1,
      productBits: 15,
      beatBits: 17,
      accBits: 20,
      wBits: 32,
      aBits: 32,
    });
    expect(pairRange('olive4', 'olive4')).to.deep.equal({ min: -9216n, max: 9216n });
    expect(pairRange('olive4', 'int8')).to.deep.equal({ min: -12288n, max: 12288n });
  });
  it('pairRange computes the range on its first call (a fresh copy of the module: empty cache)', async () => {
    // The module-level cache is filled by every earlier call in this process; a second instance
    // of the module (a distinct URL) starts empty, so its first call must compute, not read.
    type PeConfig = typeof import('../../src/components/olive/pe-config.js');
    const url = new URL('../../src/components/olive/pe-config.ts', import.meta.url);
    url.search = `fresh=${process.hrtime.bigint()}`;
    const fresh = (await import(url.href)) as PeConfig;
    expect(fresh.pairRange('olive8', 'olive8')).to.deep.equal({ min: -4064256n, max: 4064256n });
    expect(fresh.pairRange('olive8', 'olive8')).to.deep.equal({ min: -4064256n, max: 4064256n });
    // The fresh copy runs the module-level schema and defaults again under the mutant being
    // tested (the first copy was built once, before any mutant), so they are pinned here too:
    // every default, every field's message, and the edges of each range.
    const first = (c: Record<string, unknown>): string => {
      const r = fresh.olivePeSchema.safeParse(c);
      return r.success ? 'ok' : (r.error.issues[0]?.message ?? '');
    };
    expect(fresh.OLIVE_PE_DEFAULTS).to.deep.equal({
      weights: 'olive4',
      activations: 'int8',
      pairs: 1,
      elements: 32,
    });
    expect(fresh.olivePeSchema.parse({ pairs: 1 })).to.deep.equal(fresh.OLIVE_PE_DEFAULTS);
    expect(
      [
        { pairs: 1, weights: 'olive2' },
        { pairs: 1, activations: 'int4' },
        { pairs: '1' },
        { pairs: 1.5 },
        { pairs: 0 },
        { pairs: 33, elements: 66 },
        { pairs: 32, elements: 64 },
        { pairs: 1, elements: '32' },
        { pairs: 1, elements: 2.5 },
        { pairs: 1, elements: 0 },
        { pairs: 1, elements: 2 },
        { pairs: 1, elements: 2 ** 20 },
        { pairs: 1, elements: 2 ** 20 + 2 },
      ].map(first),
    ).to.deep.equal([
      'weights must be one of olive4, olive8',
      'activations must be one of int8, olive4, olive8',
      'pairs must be a number',
      'pairs must be an integer',
      'pairs must be at least 1',
      'pairs must be at most 32',
      'ok',
      'elements must be a number',
      'elements must be an integer',
      'elements must be at least 2',
      'ok',
      'ok',
      'elements must be at most 2^20',
    ]);
  });
  it('OVP-int8 (6.6, outliers up to 2016): × OVP-int8 2016² = 4064256 (23 bits); × INT8 2016·128', () => {
    // 4 pairs: 16257024 < 2^24 → 25 bits; 16 pairs (32 elements): 65028096 < 2^26 → 27 bits
    expect(
      derive('olive-pe', { weights: 'olive8', activations: 'olive8', pairs: 4 }),
    ).to.deep.equal({
      latencyCycles: 1,
      productBits: 23,
      beatBits: 25,
      accBits: 27,
      wBits: 64,
      aBits: 64,
    });
    // 2016·128 = 258048 < 2^18 → 19 bits; 2 pairs 516096 → 20; 8 elements (4 pairs) 1032192 → 21
    expect(
      derive('olive-pe', { weights: 'olive8', activations: 'int8', pairs: 2, elements: 8 }),
    ).to.deep.equal({
      latencyCycles: 1,
      productBits: 19,
      beatBits: 20,
      accBits: 21,
      wBits: 32,
      aBits: 32,
    });
  });
  it('exact pair ranges, uncached, for every weight × activation pair (6.3, 6.6)', () => {
    // olive4 weights first (256 pair codes): a changed rule fails here before the 65 536-code
    // olive8 walks below run. int8 slots: an outlier w beside its victim gives [-128·|w|, 128·|w|]
    // (the -128 slot times a negative outlier is the positive end); an OliVe activation pair is
    // two normals (max normal · (|w0| + |w1|)) or one outlier (max outlier · max |w|).
    expect(exactPairRange('olive4', 'int8')).to.deep.equal({ min: -12288n, max: 12288n }); // 96·128
    expect(exactPairRange('olive4', 'olive4')).to.deep.equal({ min: -9216n, max: 9216n }); // 96·96
    // 96·2016 (two normals: 127·14 = 1778; an outlier over a normal weight: 2016·7 = 14112)
    expect(exactPairRange('olive4', 'olive8')).to.deep.equal({ min: -193536n, max: 193536n });
    expect(exactPairRange('olive8', 'int8')).to.deep.equal({ min: -258048n, max: 258048n }); // 2016·128
    expect(exactPairRange('olive8', 'olive4')).to.deep.equal({ min: -193536n, max: 193536n }); // 2016·96
    expect(exactPairRange('olive8', 'olive8')).to.deep.equal({ min: -4064256n, max: 4064256n }); // 2016²
  });
  it('pair bits and the largest magnitudes', () => {
    expect((['olive4', 'olive8', 'int8'] as const).map(pairBits)).to.deep.equal([8, 16, 16]);
    expect(oliveMax('olive4')).to.deep.equal({ normal: 7, outlier: 96 });
    expect(oliveMax('olive8')).to.deep.equal({ normal: 127, outlier: 2016 });
  });
  it('module names carry the accumulator width', () => {
    expect(name('olive-pe', { pairs: 1 })).to.equal('olive_pe_olive4_int8_p1_acc19');
    expect(
      name('olive-pe', { weights: 'olive8', activations: 'olive8', pairs: 4, elements: 8 }),
    ).to.equal('olive_pe_olive8_olive8_p4_acc25');
  });
  it('errors name the field', () => {
    rejects(
      'olive-pe',
      { pairs: 1, elements: 3 },
      'olive-pe.elements: elements must be even and at least 2·pairs = 2 (one beat carries 2); got 3',
    );
    rejects(
      'olive-pe',
      { pairs: 4, elements: 6 },
      'olive-pe.elements: elements must be even and at least 2·pairs = 8 (one beat carries 8); got 6',
    );
    expect(() => parse('olive-pe', { pairs: 4, elements: 8 })).not.to.throw();
    expect(() => parse('olive-pe', { pairs: 1, elements: 2 })).not.to.throw();
    rejects(
      'olive-pe',
      { pairs: 1, weights: 'int8' },
      'olive-pe.weights: weights must be one of olive4, olive8',
    );
    rejects(
      'olive-pe',
      { pairs: 1, activations: 'int4' },
      'olive-pe.activations: activations must be one of int8, olive4, olive8',
    );
    rejects('olive-pe', { pairs: 33 }, 'olive-pe.pairs: pairs must be at most 32');
  });
});

describe('config spec: arith formats (docs/components.md, shared arithmetic)', () => {
  it('an unknown element format: a config error with the list of names as the hint', () => {
    let err: unknown;
    try {
      arithFormat('fp16' as ArithFormatName);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(MxgenError);
    const m = err as MxgenError;
    expect([m.kind, m.message, m.hint]).to.deep.equal([
      'config',
      'element format "fp16" is not supported',
      'use one of int2, int3, int4, int5, int6, int7, int8, uint2, uint3, uint4, uint5, uint6, uint7, uint8, fp8_e4m3, fp8_e5m2, fp6_e2m3, fp6_e3m2, fp4_e2m1, mxint8_element',
    ]);
  });
});

describe('config spec: chunked row units (docs/components.md: R = ceil(n / chunk) beats, 2·R + 2 cycles a row)', () => {
  it('softmax-chunked: defaults n 40, chunk 16; derive', () => {
    expect(parse('softmax-chunked', {})).to.deep.equal({
      n: 40,
      inBits: 8,
      inScaleExp: -4,
      outBits: 8,
      outFracBits: 8,
      chunk: 16,
    });
    // R = 3; buffer 3·16·8 = 384; S of 40·2^15 (2^20 ≤ · < 2^21): 21 bits
    expect(derive('softmax-chunked', {})).to.deep.equal({
      latencyCycles: 3,
      beatsPerRow: 3,
      cyclesPerRow: 8,
      rowBufferBits: 384,
      sumBits: 21,
      recipBits: 32,
    });
    // n 7, chunk 3, int6: R = 3, buffer 3·3·6 = 54; 7·2^15: 18 bits
    expect(derive('softmax-chunked', { n: 7, chunk: 3, inBits: 6 })).to.deep.equal({
      latencyCycles: 3,
      beatsPerRow: 3,
      cyclesPerRow: 8,
      rowBufferBits: 54,
      sumBits: 18,
      recipBits: 32,
    });
    // n 64, chunk 8: R = 8, 18 cycles, 8·8·8 = 512; 2^21: 22 bits
    expect(derive('softmax-chunked', { n: 64, chunk: 8 })).to.deep.equal({
      latencyCycles: 3,
      beatsPerRow: 8,
      cyclesPerRow: 18,
      rowBufferBits: 512,
      sumBits: 22,
      recipBits: 32,
    });
  });
  it('layernorm-chunked / rmsnorm-chunked: the row buffer holds x, γ (and β for layernorm)', () => {
    // layernorm n40: epsTerm 1600, Dmax = 1600·2^14·2^8 + 1600 = 6710888000 (33 bits), K = 35;
    // buffer 3·16·(8 + 8 + 8) = 1152
    expect(derive('layernorm-chunked', {})).to.deep.equal({
      latencyCycles: 3,
      beatsPerRow: 3,
      cyclesPerRow: 8,
      rowBufferBits: 1152,
      k: 35,
      dBits: 33,
    });
    // rmsnorm n40: Dmax = 40·2^14·2^8 + 40 = 167772200 (28 bits), K = 32; buffer 3·16·16 = 768
    expect(derive('rmsnorm-chunked', {})).to.deep.equal({
      latencyCycles: 3,
      beatsPerRow: 3,
      cyclesPerRow: 8,
      rowBufferBits: 768,
      k: 32,
      dBits: 28,
    });
    // n 33, chunk 8: R = 5, 12 cycles; γ 6 bits: 5·8·(8 + 6) = 560
    expect(derive('rmsnorm-chunked', { n: 33, chunk: 8, gammaBits: 6, betaBits: 3 })).to.include({
      beatsPerRow: 5,
      cyclesPerRow: 12,
      rowBufferBits: 560,
    });
    expect(derive('layernorm-chunked', { n: 33, chunk: 8, gammaBits: 6, betaBits: 3 })).to.include({
      beatsPerRow: 5,
      cyclesPerRow: 12,
      rowBufferBits: 680,
    });
  });
  it('normChunkedParams drops chunk and adds the kind', () => {
    const c = parse('rmsnorm-chunked', { n: 33, chunk: 8 }) as NormChunkedConfig;
    const p = normChunkedParams('rmsnorm', c);
    expect(p).to.deep.equal({
      kind: 'rmsnorm',
      n: 33,
      inBits: 8,
      inScaleExp: -4,
      gammaBits: 8,
      gammaScaleExp: -6,
      betaBits: 8,
      betaScaleExp: -6,
      outBits: 8,
      outScaleExp: -5,
      epsMantissa: 1,
      epsExp: -16,
    });
  });
  it('module names: the one-row unit name with _chunked after the kind and _c<chunk>', () => {
    expect(name('softmax-chunked', {})).to.equal('softmax_chunked_n40_int8_sm4_u8f8_c16');
    expect(name('layernorm-chunked', { n: 768, chunk: 64 })).to.equal(
      'layernorm_chunked_n768_int8sm4_g8sm6_b8sm6_o8sm5_eps1em16_c64',
    );
    expect(name('rmsnorm-chunked', { n: 33, chunk: 8 })).to.equal(
      'rmsnorm_chunked_n33_int8sm4_g8sm6_o8sm5_eps1em16_c8',
    );
  });
  it('errors name the field: n past the golden limits, chunk past 64', () => {
    expect(() => parse('softmax-chunked', { n: 65536 })).not.to.throw();
    rejects('softmax-chunked', { n: 65537 }, 'softmax-chunked.n: n must be at most 65536');
    rejects('layernorm-chunked', { n: 4097 }, 'layernorm-chunked.n: n must be at most 4096');
    rejects('rmsnorm-chunked', { chunk: 65 }, 'rmsnorm-chunked.chunk: chunk must be at most 64');
    rejects('softmax-chunked', { chunk: 0 }, 'softmax-chunked.chunk: chunk must be at least 1');
    rejects('softmax-chunked', { epsExp: -16 }, 'softmax-chunked: Unrecognized key(s) in object');
  });
});

describe('config spec: mac-array widths by dataflow (docs/components.md, formats.md 1.3)', () => {
  it('weight-stationary 3×4 uint8 × E2M3: K = rows = 3, one output per column', () => {
    // uint8 [0, 255] × E2M3 ±60 (units of 2^-3, 7.5 = 60·2^-3): products ±15300 (15 bits);
    // 3 terms ±45900 (2^15 < 45900 < 2^16: 17 bits); latency rows + cols + 1 = 8
    expect(
      derive('mac-array', {
        rows: 3,
        cols: 4,
        dataflow: 'ws',
        aFormat: 'uint8',
        bFormat: 'fp6_e2m3',
        output: 'fp32',
      }),
    ).to.deep.equal({
      latencyCycles: 8,
      k: 3,
      accWidthBits: 17,
      exactAccWidthBits: 17,
      productWidthBits: 15,
      accLsbExp: -3,
      aBits: 8,
      bBits: 6,
      specials: false,
      outElems: 4,
    });
    expect(
      name('mac-array', {
        rows: 3,
        cols: 4,
        dataflow: 'ws',
        aFormat: 'uint8',
        bFormat: 'fp6_e2m3',
        output: 'fp32',
      }),
    ).to.equal('mac_array_3x4_ws_uint8_e2m3_acc17_fp32');
  });
  it('output-stationary 2×3 int8 × E4M3, depth 5, a wider accumulator: rows·cols outputs', () => {
    // int8 × E4M3 (±229376 units of 2^-9): products down to -128·229376 = -29360128 and up to
    // (-128)·(-229376) = 29360128 (26 bits); 5 terms 146800640 (2^27 < · < 2^28: 29 bits)
    const raw = {
      rows: 2,
      cols: 3,
      aFormat: 'int8',
      bFormat: 'fp8_e4m3',
      depth: 5,
      accWidthBits: 40,
    };
    expect(derive('mac-array', raw)).to.deep.equal({
      latencyCycles: 6,
      k: 5,
      accWidthBits: 40,
      exactAccWidthBits: 29,
      productWidthBits: 26,
      accLsbExp: -9,
      aBits: 8,
      bBits: 8,
      specials: true, // E4M3 has NaN: one operand with specials is enough
      outElems: 6,
    });
    expect(name('mac-array', raw)).to.equal('mac_array_2x3_os_int8_e4m3_k5_acc40');
    // the docs' example: E4M3 × int4, K = 8: 8·8·229376 = 14680064 < 2^24: 25 bits
    expect(name('mac-array', { aFormat: 'fp8_e4m3', bFormat: 'int4', depth: 8 })).to.equal(
      'mac_array_4x4_os_e4m3_int4_k8_acc25',
    );
    // no depth: K = 16; the 1.6 int8 element prints as mxint8
    expect(name('mac-array', { aFormat: 'mxint8_element', bFormat: 'int2' })).to.match(
      /^mac_array_4x4_os_mxint8_int2_k16_acc\d+$/,
    );
  });
  it('errors: ws depth, the accumulator range, and the widest port (2^20 bits)', () => {
    rejects(
      'mac-array',
      { dataflow: 'ws', rows: 3, depth: 4 },
      'mac-array.depth: depth of a weight-stationary array is its rows (3); got 4: leave depth out',
    );
    expect(() => parse('mac-array', { dataflow: 'ws', rows: 3, depth: 3 })).not.to.throw();
    expect(() => parse('mac-array', { dataflow: 'os', rows: 3, depth: 4 })).not.to.throw();
    // int8 × int8, K = 16: 16·16384 = 2^18 → 20 bits
    rejects(
      'mac-array',
      { accWidthBits: 19 },
      'mac-array.accWidthBits: accWidthBits must be in 20..256 for int8 × int8 with K = 16 (exact sum width 20); got 19',
    );
    expect(() => parse('mac-array', { accWidthBits: 20 })).not.to.throw();
    // weight-stationary: K = rows = 3 (uint8 × E2M3: 17 bits), not the os default 16
    rejects(
      'mac-array',
      { rows: 3, cols: 4, dataflow: 'ws', aFormat: 'uint8', bFormat: 'fp6_e2m3', accWidthBits: 16 },
      'mac-array.accWidthBits: accWidthBits must be in 17..256 for uint8 × fp6_e2m3 with K = 3 (exact sum width 17); got 16',
    );
    rejects(
      'mac-array',
      { dataflow: 'xs' },
      "mac-array.dataflow: must be 'os' (output-stationary) or 'ws' (weight-stationary)",
    );
    rejects(
      'mac-array',
      { output: 'fp16' },
      "mac-array.output: must be 'fixed' (accumulator only) or 'fp32' (also binary32)",
    );
    rejects('mac-array', { aFormat: 'int9' }, 'mac-array.aFormat: must be one of int2, int3,');
    // 64×64 outputs of 256 bits: exactly 2^20 bits, the widest port
    expect(() => parse('mac-array', { rows: 64, cols: 64, accWidthBits: 256 })).not.to.throw();
    let err: unknown;
    try {
      parse('mac-array', { rows: 64, cols: 64, accWidthBits: 257 });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(MxgenError);
    expect((err as MxgenError).message).to.equal(
      'mac-array.accWidthBits: accWidthBits must be in 20..256 for int8 × int8 with K = 16 (exact sum width 20); got 257',
    );
    expect((err as MxgenError).notes).to.deep.equal([
      'mac-array.cols: out_acc would be 1052672 bits (64×64 elements of 257 bits); the widest port is 1048576 bits: use a smaller array, a smaller depth or narrower formats',
    ]);
    // a weight-stationary 64×64 array outputs one row of 64 sums (64·257 bits): no port note
    err = undefined;
    try {
      parse('mac-array', { rows: 64, cols: 64, dataflow: 'ws', accWidthBits: 257 });
    } catch (e) {
      err = e;
    }
    // int8 × int8, K = 64: 64·16384 = 2^20 → 22 bits
    expect((err as MxgenError).message).to.equal(
      'mac-array.accWidthBits: accWidthBits must be in 22..256 for int8 × int8 with K = 64 (exact sum width 22); got 257',
    );
    expect((err as MxgenError).notes).to.deep.equal([]);
    // a ws array's port is one row: 64 columns reach it only with an (invalid) 16385-bit sum
    // (int8 × int8, K = rows = 1: [-16256, 16384] → 16 bits)
    err = undefined;
    try {
      parse('mac-array', { rows: 1, cols: 64, dataflow: 'ws', accWidthBits: 16385 });
    } catch (e) {
      err = e;
    }
    expect((err as MxgenError).message).to.equal(
      'mac-array.accWidthBits: accWidthBits must be in 16..256 for int8 × int8 with K = 1 (exact sum width 16); got 16385',
    );
    expect((err as MxgenError).notes).to.deep.equal([
      'mac-array.cols: out_acc would be 1048640 bits (64 elements of 16385 bits); the widest port is 1048576 bits: use a smaller array, a smaller depth or narrower formats',
    ]);
  });
});
