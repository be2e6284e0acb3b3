// NVFP4 quantization (formats.md 9.2) as combinational logic, exact with one rounding each:
//   s   = E4M3_SAT_RNE(amax / (6g))          g = 2^G, a generation-time constant
//   P_i = E2M1_SAT_RNE(V_i / (g · decode(s)))  decode(s) = sig · 2^(max(e,1) - 10), sig ≤ 15
// No divider: both roundings compare against the exact midpoints of the target grid.
// - Scale: RNE(amax/6g) > v_c ⟺ amax > 6g·mid_c (or = and c odd: the tie goes to the even code
//   c+1), mid_c = (v_c + v_{c+1})/2. The 126 thresholds 6g·mid_c are constants (g is fixed), so
//   each becomes the smallest binary32 pattern U_c with that property (`nvfp4ScaleThresholds`,
//   exact rational arithmetic at generation time); s = #{c : amax ≥ U_c} ∈ 0..126 (saturates at
//   0x7E = 448, underflows to 0).
// - Elements: y = V/(g·d) > mid_j ⟺ Z > sig·M_j with Z = 4·sig·y = N·2^(p - 21 - G - (max(e,1)
//   - 10)) (N the 24-bit significand of |V|, p = floor(log2|V|)) and M_j = 4·mid_j ∈ {1, 3, 5, 7,
//   10, 14, 20}. A shifter gives floor(Z) and a sticky bit (Z ≥ 512 > 15·20 saturates), which
//   decide > and = exactly; the E2M1 magnitude code is #{j : y above mid_j, or on it and j odd}.
import { cat, type Expr, lit, mux, s, u } from '../../hdl/index.js';
import {
  add,
  compare,
  decode,
  type Exact,
  finite,
  fromBinary32Bits,
  mul,
  toBinary32Bits,
} from '../../numerics/index.js';
import { adderTree } from '../arith/index.js';
import { blockMax, normalizeBinary32 } from '../mx-scale/index.js';

/** The largest finite E4M3 code (448); s never exceeds it (SAT). */
export const E4M3_MAX_CODE = 0x7e;
/** 4 × the E2M1 midpoints 0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5. */
export const E2M1_MIDPOINTS_X4 = [1, 3, 5, 7, 10, 14, 20] as const;

/** The smallest binary32 magnitude pattern ≥ x (x > 0 finite): 0x7F800000 above the max. */
function ceilPattern(x: Exact): { pattern: number; exact: boolean } {
  const rtz = toBinary32Bits(x, { mode: 'rtz' }); // ≤ x; 0 below 2^-149, max finite above
  const exact = compare(fromBinary32Bits(rtz), x) === 0;
  return { pattern: exact ? rtz : rtz + 1, exact };
}

/**
 * U_c for c = 0..125 with g = 2^G: amax ≥ U_c ⟺ E4M3_RNE(amax / 6g) > decode(c). Computed with
 * exact values: T_c = 6·2^G·(v_c + v_{c+1})/2 = 3·2^G·(v_c + v_{c+1}).
 */
export function nvfp4ScaleThresholds(G: number): number[] {
  const three = finite(false, 3n, G);
  return Array.from({ length: E4M3_MAX_CODE }, (_, c) => {
    const t = mul(three, add(decode('fp8_e4m3', c), decode('fp8_e4m3', c + 1)));
    const { pattern, exact } = ceilPattern(t);
    // On the midpoint itself RNE picks the even code: up (to c+1) iff c is odd.
    return exact && c % 2 === 0 ? pattern + 1 : pattern;
  });
}

export interface Nvfp4Logic {
  /** u8 E4M3 scale code: 0x7F for a non-finite block, else 0..0x7E. */
  readonly scale: Expr;
  /** u4 E2M1 code per element. */
  readonly codes: readonly Expr[];
}

/** NVFP4 quantization of `values` (u32 binary32 bits each) with g = 2^G. */
export function nvfp4QuantizeLogic(values: readonly Expr[], G: number): Nvfp4Logic {
  const { amax, nonFinite } = blockMax(values);
  // Scale: count the midpoints amax lies above (thermometer code → binary by an adder tree).
  const above = nvfp4ScaleThresholds(G).map((t) => amax.ge(lit(t, u(31))));
  const sc = adderTree(above).asUnsigned().trunc(7); // 0..126
  const e = sc.bits(6, 3);
  const normal = e.orR();
  const sig = cat(normal, sc.bits(2, 0)); // u4, 0..15
  const eff = mux(normal, e, lit(1, u(4))); // max(e, 1)
  const scaleZero = sc.eq(0);
  // Thresholds sig·M_j shared by every element (≤ 15·20 = 300).
  const th = E2M1_MIDPOINTS_X4.map((mj) => sig.mul(lit(mj, u(5)))); // u9
  // drop = -(p - 21 - G - (eff - 10)) = eff + 11 + G - p: floor(Z) = N >> drop.
  const base = eff
    .toSigned()
    .extend(11)
    .addWrap(lit(11 + G, s(11)));
  const codes = values.map((v) => {
    const mag = v.bits(30, 0);
    const { exp, sig: n } = normalizeBinary32(mag);
    const drop = base.subWrap(exp.extend(11));
    const big = drop.lt(lit(15, s(11))); // Z ≥ 2^(23 - drop) ≥ 512: above every threshold
    const amt = mux(drop.gt(lit(25, s(11))), lit(25, s(11)), drop)
      .trunc(5)
      .asUnsigned(); // 15..25 when !big
    const f = n.shrBy(amt); // floor(Z) < 2^9 when !big
    const sticky = f.shlBy(amt).trunc(24).ne(n);
    const fz = f.trunc(9);
    const ups = th.map((t, j) => {
      // j odd: the tie goes up (to the even code j+1): Z ≥ t ⟺ floor(Z) ≥ t.
      const over = j % 2 === 1 ? fz.ge(t) : fz.gt(t).or(fz.eq(t).and(sticky));
      return big.or(over);
    });
    const code = adderTree(ups).asUnsigned().trunc(3); // 0..7, saturates at 6 (code 7)
    const m3 = mux(mag.eq(0), lit(0, u(3)), code);
    // Signed zeros kept (-0 → 0x8); s = 0 or a non-finite block: every element +0.
    return mux(nonFinite.or(scaleZero), lit(0, u(4)), cat(v.bit(31), m3));
  });
  const scale = mux(nonFinite, lit(0x7f, u(8)), sc.extend(8));
  return { scale, codes };
}
