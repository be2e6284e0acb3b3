// mx-dot: Dot(A, B) of two blocks of k elements (formats.md 5.2): exact products, an exact adder
// tree, the scale exponent Eres = (X_A - 127) + (X_B - 127) + lsb_A + lsb_B (NVFP4: the E4M3
// scale significands multiply the sum, their exponents add to Eres), NaN/±Inf flags, and an
// optional binary32 output rounded once (RNE). Oracle: numerics.mxDot / nvfp4Dot.
// Latency: stagesOf(cfg) cycles (fp32: the rounding sits between stages 1 and 2).
import { type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import {
  adderTree,
  decodeElement,
  fixedToBinary32,
  fitSigned,
  multiplyDecoded,
} from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { deriveMxDot, mxDotName, type MxDotConfig } from './config.js';

const NAN32 = 0x7fc00000;
const INF32 = 0x7f800000;

export function generateMxDot(cfg: MxDotConfig): ModuleBuilder {
  const d = deriveMxDot(cfg);
  const m = new ModuleBuilder(mxDotName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const aScale = m.input('in_a_scale', u(8));
  const aElems = m.input('in_a_elems', u(d.bitsA * cfg.k));
  const bScale = m.input('in_b_scale', u(8));
  const bElems = m.input('in_b_elems', u(d.bitsB * cfg.k));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));

  // 2. Datapath: element products, exact sum, specials.
  const zero1 = lit(0, u(1));
  let anyNaN: Expr = zero1;
  let anyPosInf: Expr = zero1;
  let anyNegInf: Expr = zero1;
  const prods: Expr[] = [];
  let lsb = 0;
  for (let i = 0; i < cfg.k; i++) {
    const ca = aElems.bits(d.bitsA * i + d.bitsA - 1, d.bitsA * i);
    const cb = bElems.bits(d.bitsB * i + d.bitsB - 1, d.bitsB * i);
    const p = multiplyDecoded(
      m,
      decodeElement(m, d.elementA, ca),
      decodeElement(m, d.elementB, cb),
    );
    prods.push(p.value);
    lsb = p.lsb;
    if (p.isNaN) anyNaN = anyNaN.or(p.isNaN);
    if (p.posInf) anyPosInf = anyPosInf.or(p.posInf);
    if (p.negInf) anyNegInf = anyNegInf.or(p.negInf);
  }
  const blockSum = m.wire('block_sum', s(d.blockSumBits)).set(adderTree(prods, d.blockSumBits));
  let sum: Expr;
  let eres: Expr;
  let scaleNaN: Expr;
  if (d.nvfp4) {
    // E4M3 scales (sign bit 0): value sig·2^(shift - 9); 0x7F or a set sign bit is NaN (9.2).
    const sa = decodeElement(m, 'fp8_e4m3', aScale);
    const sb = decodeElement(m, 'fp8_e4m3', bScale);
    scaleNaN = aScale.bit(7).or(bScale.bit(7)).or(aScale.eq(0x7f)).or(bScale.eq(0x7f));
    const sigProd = sa.sig.mul(sb.sig); // s(10); both ≥ 0 when not NaN
    sum = fitSigned(blockSum.mul(sigProd), d.sumBits);
    eres = sa.shift
      .add(sb.shift)
      .toSigned()
      .extend(d.expBits)
      .addWrap(lit(sa.lsb + sb.lsb + lsb, s(d.expBits)));
  } else {
    scaleNaN = aScale.eq(0xff).or(bScale.eq(0xff));
    sum = blockSum;
    eres = aScale
      .add(bScale)
      .toSigned()
      .extend(d.expBits)
      .addWrap(lit(lsb - 254, s(d.expBits)));
  }
  const nan = m.wire('res_nan', u(1)).set(scaleNaN.or(anyNaN).or(anyPosInf.and(anyNegInf)));
  const inf = anyPosInf.or(anyNegInf).and(nan.not());
  const pinf = m.wire('res_pinf', u(1)).set(inf.and(anyPosInf));
  const ninf = m.wire('res_ninf', u(1)).set(inf.and(anyNegInf));
  const special = nan.or(pinf).or(ninf);
  // (S, Eres) are reported only for finite results; both are 0 otherwise.
  const sumOut = m.wire('res_sum', s(d.sumBits)).set(mux(special, lit(0, s(d.sumBits)), sum));
  const expOut = m.wire('res_exp', s(d.expBits)).set(mux(special, lit(0, s(d.expBits)), eres));
  const data = [
    { name: 'sum', value: sumOut as Expr },
    { name: 'exp', value: expOut as Expr },
    { name: 'nan', value: nan as Expr },
    { name: 'pinf', value: pinf as Expr },
    { name: 'ninf', value: ninf as Expr },
  ];

  // 3. Pipeline: stage 1 holds the exact result; with fp32 the rounding reads stage 1 and the
  // remaining stages hold everything.
  const midReady = cfg.fp32 ? m.wire('ready_mid', u(1)) : undefined;
  const st1 = streamStages(
    m,
    { inValid, outReady: midReady ?? outReady, data },
    cfg.fp32 ? 1 : d.latencyCycles,
  );
  let st = st1;
  if (midReady) {
    const [rSum, rExp, rNan, rPinf, rNinf] = st1.data.map((x) => x.value) as [
      Expr,
      Expr,
      Expr,
      Expr,
      Expr,
    ];
    const rounded = fixedToBinary32(rSum, rExp);
    const fp = mux(
      rNan,
      lit(NAN32, u(32)),
      mux(rPinf, lit(INF32, u(32)), mux(rNinf, lit(INF32 + 0x80000000, u(32)), rounded)),
    );
    const fp32 = m.wire('res_fp32', u(32)).set(fp);
    st = streamStages(
      m,
      {
        inValid: st1.outValid,
        outReady,
        data: [...st1.data, { name: 'fp32', value: fp32 }],
      },
      d.latencyCycles - 1,
      2,
    );
    midReady.set(st.inReady);
  }
  // 4. Outputs
  inReady.set(st1.inReady);
  outValid.set(st.outValid);
  for (const f of st.data) m.output(`out_${f.name}`, f.value.shape).set(f.value);
  return m;
}
