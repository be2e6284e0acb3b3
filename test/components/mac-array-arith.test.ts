// The shared arithmetic helpers (src/components/arith) in the native simulator against the
// golden numerics: every code of every element format decoded, every product of several format
// pairs, and the fixed-point → binary32 converter on edge and random values.
import { expect } from 'chai';
import {
  adderTree,
  ARITH_FORMATS,
  arithFormat,
  decodeElement,
  fixedToBinary32,
  multiplyDecoded,
  productWidth,
  type ArithFormatName,
} from '../../src/components/arith/index.js';
import { makeRng } from '../../src/components/index.js';
import { elaborate, lit, ModuleBuilder, s, u } from '../../src/hdl/index.js';
import { decodeFixed, finite, toBinary32Bits } from '../../src/numerics/index.js';
import { compile } from '../../src/sim/index.js';

function decoderSim(name: ArithFormatName) {
  const f = arithFormat(name);
  const m = new ModuleBuilder(`dec_${name}`);
  const d = decodeElement(m, name, m.input('code', u(f.bits)));
  m.output('sig', d.sig.shape).set(d.sig);
  m.output('shift', d.shift.shape).set(d.shift);
  m.output('nan', u(1)).set(d.isNaN ?? lit(0, u(1)));
  m.output('inf', u(1)).set(d.isInf ?? lit(0, u(1)));
  return { sim: compile(elaborate(m)), lsb: d.lsb };
}

describe('arith: decodeElement', () => {
  for (const name of ARITH_FORMATS)
    it(`decodes every ${name} code to the numerics fixed form`, () => {
      const f = arithFormat(name);
      const { sim, lsb } = decoderSim(name);
      expect(lsb).to.equal(f.lsbExp);
      for (let code = 0; code < 2 ** f.bits; code++) {
        sim.poke('code', code);
        const ref = decodeFixed(name, code);
        const nan = sim.peek('nan') === 1n;
        const inf = sim.peek('inf') === 1n;
        expect(nan, `${name} 0x${code.toString(16)} nan`).to.equal(ref.kind === 'nan');
        expect(inf, `${name} 0x${code.toString(16)} inf`).to.equal(ref.kind === 'inf');
        const v = sim.peekSigned('sig') << sim.peek('shift');
        expect(v, `${name} 0x${code.toString(16)}`).to.equal(ref.kind === 'finite' ? ref.sig : 0n);
      }
    });
});

describe('arith: multiplyDecoded', () => {
  const pairs: [ArithFormatName, ArithFormatName][] = [
    ['fp8_e4m3', 'fp8_e5m2'],
    ['fp8_e5m2', 'fp8_e5m2'],
    ['fp6_e2m3', 'fp6_e3m2'],
    ['fp4_e2m1', 'int8'],
    ['uint8', 'int8'],
    ['mxint8_element', 'fp4_e2m1'],
  ];
  for (const [fa, fb] of pairs)
    it(`every ${fa} × ${fb} product is exact, with NaN/Inf flags as numerics.mxDot`, () => {
      const A = arithFormat(fa);
      const B = arithFormat(fb);
      const m = new ModuleBuilder(`mul_${fa}_${fb}`);
      const p = multiplyDecoded(
        m,
        decodeElement(m, fa, m.input('a', u(A.bits))),
        decodeElement(m, fb, m.input('b', u(B.bits))),
      );
      expect(p.value.width).to.equal(productWidth(A, B));
      m.output('p', p.value.shape).set(p.value);
      m.output('nan', u(1)).set(p.isNaN ?? lit(0, u(1)));
      m.output('pinf', u(1)).set(p.posInf ?? lit(0, u(1)));
      m.output('ninf', u(1)).set(p.negInf ?? lit(0, u(1)));
      const sim = compile(elaborate(m));
      let checked = 0;
      for (let a = 0; a < 2 ** A.bits; a++)
        for (let b = 0; b < 2 ** B.bits; b++) {
          sim.poke('a', a);
          sim.poke('b', b);
          const ra = decodeFixed(fa, a);
          const rb = decodeFixed(fb, b);
          // mxDot's rules for one product.
          let want: 'nan' | 'pinf' | 'ninf' | bigint;
          if (ra.kind === 'nan' || rb.kind === 'nan') want = 'nan';
          else if (ra.kind === 'inf' || rb.kind === 'inf') {
            const other = ra.kind === 'inf' ? rb : ra;
            const na = ra.kind === 'inf' ? ra.neg : ra.sig < 0n;
            const nb = rb.kind === 'inf' ? rb.neg : rb.sig < 0n;
            want =
              other.kind === 'finite' && other.sig === 0n ? 'nan' : na !== nb ? 'ninf' : 'pinf';
          } else want = ra.sig * rb.sig;
          const label = `${fa} 0x${a.toString(16)} × ${fb} 0x${b.toString(16)}`;
          expect(sim.peek('nan') === 1n, label).to.equal(want === 'nan');
          expect(sim.peek('pinf') === 1n, label).to.equal(want === 'pinf');
          expect(sim.peek('ninf') === 1n, label).to.equal(want === 'ninf');
          if (typeof want === 'bigint') expect(sim.peekSigned('p'), label).to.equal(want);
          checked++;
        }
      expect(checked).to.equal(2 ** (A.bits + B.bits));
    });
});

describe('arith: adderTree and fixedToBinary32', () => {
  it('adderTree sums 5 signed terms of mixed widths exactly', () => {
    const m = new ModuleBuilder('tree5');
    const xs = [s(3), s(8), s(5), s(12), s(2)].map((sh, i) => m.input(`x${i}`, sh));
    const t = adderTree(xs, 15);
    m.output('y', t.shape).set(t);
    const sim = compile(elaborate(m));
    const rng = makeRng(5);
    for (let n = 0; n < 2000; n++) {
      let want = 0n;
      xs.forEach((x) => {
        const v = BigInt.asIntN(x.width, rng.bits(x.width));
        want += v;
        sim.poke(x.name, v);
      });
      expect(sim.peekSigned('y')).to.equal(want);
    }
  });

  const cases: { w: number; exps: number[] }[] = [
    { w: 8, exps: [0, -3, -149, -155, -140, 120, 127] },
    { w: 21, exps: [-12, -160, -170, 100, 110] },
    { w: 42, exps: [-18, -180, 90, -140] },
    { w: 70, exps: [-32, -200, 60, -120] },
  ];
  for (const { w, exps } of cases)
    it(`fixedToBinary32 rounds s${w} · 2^E to nearest-even like numerics.toBinary32Bits`, () => {
      const m = new ModuleBuilder(`cvt_${w}`);
      const S = m.input('s', s(w));
      const E = m.input('e', s(10));
      exps.forEach((e, i) => m.output(`c${i}`, u(32)).set(fixedToBinary32(S, e)));
      m.output('v', u(32)).set(fixedToBinary32(S, E));
      const sim = compile(elaborate(m));
      const rng = makeRng(w);
      const edge = [0n, 1n, -1n, (1n << BigInt(w - 1)) - 1n, -(1n << BigInt(w - 1))];
      // Ties and near-ties at 24 significant bits: 2^24 + 1 (tie to even), 2^24 + 3 (tie up).
      if (w > 26)
        edge.push((1n << 24n) + 1n, (1n << 24n) + 3n, -((1n << 25n) + 3n), (1n << 25n) - 1n);
      for (let n = 0; n < 3000; n++) {
        const mag = rng.bits(1 + rng.int(w - 1));
        const v =
          n < edge.length ? (edge[n] as bigint) : BigInt.asIntN(w, rng.chance(0.5) ? -mag : mag);
        sim.poke('s', v);
        exps.forEach((e, i) => {
          const want = toBinary32Bits(finite(false, v, e));
          expect(Number(sim.peek(`c${i}`)), `${v}·2^${e}`).to.equal(want);
        });
        const ev = rng.int(600) - 300;
        sim.poke('e', ev > 511 || ev < -512 ? 0 : ev);
        const want = toBinary32Bits(finite(false, v, ev));
        expect(Number(sim.peek('v')), `${v}·2^${ev} (variable exponent)`).to.equal(want);
      }
    });
});
