// KV-cache codec of the kv-attention unit (golden: numerics kvEncodeRow / kvDecodeRow, docs/
// numerics.md "KV-cache formats"). Write side: one token's k (or v) lanes, signed inBits at 2^e,
// → the cache word (element codes, then the scales); read side: the word → signed integers of
// kvDecodedBits at kvDecodedExp, exact for every word the write side produces. Combinational.
import { cat, type Expr, internalError, lit, mux, s, u } from '../../hdl/index.js';
import {
  type FloatFormat,
  FP8_E4M3,
  kvDecodedBits,
  kvFp8Shift,
  kvMxFormat,
  kvScaleBits,
  kvScaleBlock,
  type KvCacheSpec,
} from '../../numerics/index.js';
import { decodeElementFixed, ubits } from '../arith/fixed.js';
import { rneShr, satSigned } from '../arith/int-math.js';
import { fitSigned } from '../arith/product.js';
import { packLanes, signedLanes } from '../arith/lanes.js';
import { leadingZeros } from '../arith/to-binary32.js';
import { roundToElement } from '../mx-quantize/element-round.js';

/** `pick(k)` for the run-time k ∈ 0..n - 1 (k past n - 1 gives pick(n - 1)): a mux chain. */
function byConst(k: Expr, n: number, pick: (k: number) => Expr): Expr {
  let r = pick(n - 1);
  for (let i = n - 2; i >= 0; i--) r = mux(k.eq(i), pick(i), r);
  return r;
}

/** |x| (u(w)) of a signed lane, its floor(log2) as s11 (garbage when 0) and the 24-bit normalized significand. */
function normalize(x: Expr): { sign: Expr; mag: Expr; log2: Expr; sig: Expr } {
  const w = x.width;
  const sign = x.bit(w - 1);
  const mag = mux(sign, x.neg(), x.extend(w + 1))
    .asUnsigned()
    .trunc(w);
  const lz = leadingZeros(mag);
  const log2 = lit(w - 1, s(11)).subWrap(lz.extend(10).toSigned());
  const sig = mag
    .extend(24)
    .shl(24 - w)
    .trunc(24)
    .shlBy(lz)
    .trunc(24);
  return { sign, mag, log2, sig };
}

/** The element code of the signed lane x scaled by 2^-shift (shift an s11), RNE, saturating. */
function toFloat(f: FloatFormat, x: Expr, shift: Expr): Expr {
  const n = normalize(x);
  return roundToElement(f, n.sign, n.sig, n.log2.subWrap(shift), n.mag.eq(0));
}

/** The run-time shift in force of an int_per_channel scale field: min(field, inBits - bits). */
function channelShift(sp: KvCacheSpec, f: Expr): Expr {
  const top = sp.inBits - sp.bits;
  return mux(f.gt(top), lit(top, f.shape), f);
}

/**
 * Encodes one token's lanes (signed inBits) into its cache word. `shifts`: int_per_channel's
 * static channel shift fields (u kvScaleBits each, one per lane).
 */
export function kvEncodeWord(
  sp: KvCacheSpec,
  xs: readonly Expr[],
  shifts: readonly Expr[] = [],
): Expr {
  const bits = sp.bits;
  switch (sp.format) {
    case 'int_per_channel': {
      const nx = sp.inBits - bits + 1; // X ∈ 0..inBits - bits
      return packLanes(
        xs.map((v, i) => {
          const f = shifts[i];
          if (!f) throw internalError(`kv codec: no shift for channel ${i}`);
          return byConst(f, nx, (k) => satSigned(rneShr(v, k), bits));
        }),
      );
    }
    case 'int':
      return packLanes(xs.map((x) => satSigned(rneShr(x, sp.inBits - bits), bits)));
    case 'int_per_token': {
      // X = max(0, bitlen(max ones'-complement magnitude) - (bits - 1)); bitlen(max) = bitlen(OR)
      const w = sp.inBits;
      const oc = xs.map((x) =>
        mux(x.bit(w - 1), x.not(), x)
          .asUnsigned()
          .bits(w - 2, 0),
      );
      const any = oc.reduce((a, v) => a.or(v));
      const bl = lit(w - 1, u(ubits(w))).subWrap(leadingZeros(any).extend(ubits(w))); // bitlen
      const nx = sp.inBits - bits + 1; // X ∈ 0..inBits - bits
      const xw = kvScaleBits(sp);
      const x = byConst(bl, w, (b) => lit(Math.max(0, b - (bits - 1)), u(xw)));
      const codes = xs.map((v) => byConst(x, nx, (k) => satSigned(rneShr(v, k), bits)));
      return cat(x, packLanes(codes));
    }
    case 'fp8_e4m3': {
      const sh = lit(kvFp8Shift(sp.inBits), s(11));
      return packLanes(xs.map((x) => toFloat(FP8_E4M3, x, sh)));
    }
    default: {
      const f = kvMxFormat(sp.format);
      if (!f || f.element.kind !== 'float')
        throw internalError(`kv codec: ${sp.format} is not an MX float format`);
      const b = kvScaleBlock(sp);
      const codes: Expr[] = [];
      const scales: Expr[] = [];
      for (let i = 0; i < xs.length; i += b) {
        const blk = xs.slice(i, i + b);
        const mags = blk.map((x) => normalize(x).mag);
        const amax = mags.reduce((a, v) => mux(v.gt(a), v, a));
        const am = normalize(amax.extend(amax.width + 1).toSigned());
        const x = am.log2.subWrap(lit(f.emaxElem, s(11))); // floor(log2 amax) - emax
        const zero = amax.eq(0);
        scales.push(
          mux(
            zero,
            lit(0, u(8)),
            x
              .addWrap(lit(127 + sp.inScaleExp, s(11)))
              .trunc(8)
              .asUnsigned(),
          ),
        );
        for (const v of blk) codes.push(toFloat(f.element, v, x));
      }
      return cat(packLanes(scales.map((v) => v.asUnsigned())), packLanes(codes));
    }
  }
}

/** Decodes a cache word into the signed lanes (kvDecodedBits each) the dot products take. */
export function kvDecodeWord(sp: KvCacheSpec, word: Expr, shifts: readonly Expr[] = []): Expr[] {
  const n = sp.channels;
  const bits = sp.bits;
  const dw = kvDecodedBits(sp);
  const codes = signedLanes(word.bits(n * bits - 1, 0), bits, n);
  const scaleAt = (i: number): Expr => {
    const sw = kvScaleBits(sp);
    const lo = n * bits + i * sw;
    return word.bits(lo + sw - 1, lo);
  };
  switch (sp.format) {
    case 'int':
      return codes;
    case 'int_per_channel':
      return codes.map((q, i) => {
        const f = shifts[i];
        if (!f) throw internalError(`kv codec: no shift for channel ${i}`);
        return fitSigned(q.extend(dw).shlBy(channelShift(sp, f)), dw);
      });
    case 'int_per_token': {
      const x = scaleAt(0);
      return codes.map((q) => fitSigned(q.extend(dw).shlBy(x), dw));
    }
    case 'fp8_e4m3': {
      // fixed = value·2^9 (19 bits); c' = value·2^L: an exact right shift by 9 - L
      const r = -FP8_E4M3.lsbExp - kvFp8Shift(sp.inBits);
      return codes.map((q) =>
        fitSigned(decodeElementFixed(q.asUnsigned(), 'fp8_e4m3', 19).shr(r), dw),
      );
    }
    default: {
      const f = kvMxFormat(sp.format);
      if (!f) throw internalError(`kv codec: ${sp.format} is not an MX float format`);
      const b = kvScaleBlock(sp);
      const fw = ubits(f.element.maxSig) + 1;
      const lsb = f.element.lsbExp;
      // c' = fixed · 2^(X + lsb), X = scale - 127 - e ∈ [-emax, inBits - 1 - emax] for written words
      const tLo = -f.emaxElem + lsb;
      const tHi = sp.inBits - 1 - f.emaxElem + lsb;
      return codes.map((q, i) => {
        const fixed = decodeElementFixed(q.asUnsigned(), f.element.name, fw);
        const t = scaleAt(Math.floor(i / b))
          .extend(10)
          .toSigned()
          .subWrap(lit(127 + sp.inScaleExp - lsb + tLo, s(11))); // t - tLo
        return byConst(t.asUnsigned().trunc(ubits(tHi - tLo)), tHi - tLo + 1, (k) => {
          const sh = k + tLo;
          return fitSigned(sh >= 0 ? fixed.shl(sh) : fixed.shr(-sh), dw);
        });
      });
    }
  }
}
