// Configurations of the hardware units that `lower` produces (plain JSON data: bigints as
// decimal strings), one per layer of the token-serial pipeline (docs/ir.md).
import type { FormatMap } from '../numerics/index.js';

/** How a unit's input vector is encoded on its stream: element codes, plus an MX scale field. */
export interface UnitInput {
  /** Element format of the codes (for MX: the block's element format; `olive4`/`olive8`: pair codes, element 2j in the low half of pair j). */
  readonly element: string;
  /** True when the beat also carries one E8M0 scale (`<field>_scale`) for the whole vector (MX, or olive4_dyn: σ = 2^(X − 127 + inputExp)). */
  readonly mx: boolean;
}

export interface LinearUnitConfig {
  readonly kind: 'linear-unit';
  readonly module: string;
  /**
   * `embedded`: weights, biases and shifts are constants in the logic. `memory`: they are SRAM
   * words (images written next to the SV, writable through the weight-load port), and the
   * module depends only on `unitHardwareConfig(config)`.
   */
  readonly storage: 'embedded' | 'memory' | 'stream';
  /** Stream mode: bits per cycle of the weight port (one step's weight fields per beat). */
  readonly portBits?: number;
  /** Memory mode: data files are `<imagePrefix>_<store><bank>.hex` (design and layer name). */
  readonly imagePrefix?: string;
  /** Source node (for reports). */
  readonly node: string;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Output features computed side by side, and input features per lane per cycle. */
  readonly lanes: number;
  readonly tile: number;
  readonly input: UnitInput;
  /** Exponent of the input element's fixed form (lsbExp + tensor scale; MX adds X - 127). */
  readonly inputExp: number;
  /** Weights W[j][k] row-major as signed integers at 2^weightExp (constants, ROM-like tables). */
  readonly weights: readonly string[];
  readonly weightExp: number;
  /** Biases as signed integers at the accumulator's LSB 2^(inputExp + weightExp), or absent. */
  readonly bias?: readonly string[];
  /**
   * When set, the lanes are registry components instead of the unit's own multipliers: one
   * `olive-pe` per lane, fed `tile / 2` weight pairs (stored as OliVe pair codes, `pairWords`
   * row-major: row j, pair i) and `tile` int8 activations (or `tile / 2` OliVe activation pairs,
   * inputExp = log2 σ_a) per beat; its exact accumulator is in units of 2^(inputExp + weightExp)
   * with weightExp = log2 σ_w.
   */
  readonly component?:
    | {
        readonly kind: 'olive-pe';
        readonly config: Readonly<Record<string, string | number>>;
        readonly pairWords: readonly number[];
        readonly pairBits: number;
      }
    | {
        /** One `scalable-pe` per lane: `tile` int activations (wa bits) × int weight codes (wb bits). */
        readonly kind: 'scalable-pe';
        readonly config: Readonly<Record<string, string | number>>;
        readonly mode: number;
        readonly wa: number;
        readonly wb: number;
        /** Weight codes W[j][k] (two's complement, wb bits), row-major. */
        readonly weightCodes: WeightCodes;
      }
    | {
        /**
         * One `mac-array` (output-stationary, 1 row × `lanes` columns, depth K) for all lanes: one
         * k-step per beat (activation k × the group's `lanes` weight codes), exact sums in units
         * of 2^(inputExp + weightExp).
         */
        readonly kind: 'mac-array';
        readonly config: Readonly<Record<string, string | number>>;
        /** Weight codes W[j][k] in the weight element format, row-major. */
        readonly weightCodes: WeightCodes;
        readonly bBits: number;
      }
    | {
        /**
         * The unit's own vector MAC lanes (units/lanes/vector-lane.ts): per lane and beat, `tile`
         * activation codes × `tile` weight codes (element formats), decoded and accumulated
         * exactly in `accBits`, in units of 2^(inputExp + weightExp).
         */
        readonly kind: 'vector';
        readonly aElement: string;
        readonly bElement: string;
        readonly accBits: number;
        /** Weight codes W[j][k] in the weight element format, row-major. */
        readonly weightCodes: WeightCodes;
      }
    | {
        /** One `mx-dot` per lane: a whole MX block (the token) × one weight row's block per beat. */
        readonly kind: 'mx-dot';
        readonly config: Readonly<Record<string, string | number | boolean>>;
        /** Per weight row: its E8M0 scale and its element codes. */
        readonly rowScales: readonly number[];
        readonly rowCodes: readonly (readonly number[])[];
        /** MX output: the lanes' binary32 results go through one `mx-quantize` block. */
        readonly quantize?: { readonly format: string; readonly k: number };
        /**
         * Several 32-element blocks per token (units/mx-blocks/): the unit walks G groups ×
         * `blocks` blocks, one block of the token × one block of a weight row per lane per step;
         * the lanes' binary32 block results are summed in binary32 (fp32-blockwise).
         * `rowScales` then holds the row-major scales [j·blocks + b]; an MX output is quantized
         * per 32 finished features (`quantize.k` = 32).
         */
        readonly blocks?: number;
      }
    | {
        /**
         * One `dialect-mac` per lane: the token (one DialectFP4 block, K ≤ 32: its codes, X and
         * dialect id from `in_x_scale` = X | d << 8) × one weight row's block per beat; the exact
         * result sum·2^exp is cast to the output int (units/dialect/).
         */
        readonly kind: 'dialect-mac';
        readonly config: Readonly<Record<string, string | number>>;
        /** Per weight row: its E8M0 scale, its dialect id and its 4-bit codes. */
        readonly rowScales: readonly number[];
        readonly rowDialects: readonly number[];
        readonly rowCodes: readonly (readonly number[])[];
      }
    | {
        /**
         * One `mixed-lane` per lane (units/mixed/): the token's codes (a byte per channel)
         * and one weight row per pass, beat by beat as the format map says; each group's exact
         * Σ q_a·q_b is shifted left by d_a + d_w and accumulated (power-of-two group scales,
         * decision 34), then cast to the output int.
         */
        readonly kind: 'mixed-lane';
        readonly config: Readonly<Record<string, unknown>>;
        /** Number of groups of a row (the token carries one d_a byte per group). */
        readonly groups: number;
        /** Per weight row: its signed codes and each group's exponent offset d_w. */
        readonly rowCodes: readonly (readonly number[])[];
        readonly rowExps: readonly (readonly number[])[];
      };
  /** Output: signed integer codes of `outBits` at 2^outExp (RNE then saturation, formats.md 7.2). */
  readonly outElement: string;
  readonly outBits: number;
  readonly outExp: number;
  /**
   * An OliVe output tensor: each finished feature (exact total at 2^(inputExp + weightExp)) is
   * rounded to binary32 (RNE), and one `olive-encoder` block (σ = 2^sigmaExp) turns the vector
   * into pair codes; `outElement` is the variant, `outBits` its bits per element.
   */
  readonly outOlive?: {
    readonly variant: 'olive4' | 'olive8';
    readonly sigmaExp: number;
    /**
     * olive4_dyn: σ = 2^(X − 127 + sigmaExp) per token, X from one `mx-scale` (this format and
     * policy) over the vector's binary32 values; X is the output beat's `out_y_scale` (outMx).
     */
    readonly dynamic?: { readonly format: string; readonly policy: string };
  };
  /** The output beat also carries the E8M0 scale (`out_y_scale`): an MX or olive4_dyn output. */
  readonly outMx?: boolean;
  /** A fused relu: an output code with its sign bit set becomes 0 (the golden code-level relu). */
  readonly relu?: boolean;
  /**
   * Real-size output (decision 53, `linkChunkedStreams`): the output token goes through a
   * double-buffered SRAM and leaves as outFeatures / outChunk beats of `outChunk` codes (its
   * reader's chunk), not one beat and no output register.
   */
  readonly outChunk?: number;
  /** Real-size input (decision 53): the token arrives as inFeatures / tile beats of `tile` codes. */
  readonly inChunked?: boolean;
}

export interface ReluUnitConfig {
  readonly kind: 'relu-unit';
  readonly module: string;
  readonly node: string;
  readonly features: number;
  /** Element format of the codes; the MSB is the sign for every signed int and float format. */
  readonly element: string;
  readonly signed: boolean;
}

/** One input of an add unit: signed int codes of `bits` at 2^exp. */
export interface AddOperand {
  /** The tensor the operand reads (for reports). */
  readonly tensor: string;
  readonly element: string;
  readonly bits: number;
  /** The LSB exponent of the code's fixed form (MX: without the block scale, which adds X − 127). */
  readonly exp: number;
  /** An MX operand: the stream carries `8·ceil(features/32)` bits of E8M0 block scales. */
  readonly mx?: true;
  /**
   * An OliVe operand (decision 45): pair codes (element 2j in the low bits), each pair decoded
   * exactly (decodeOlivePair) to int << shift in units of σ = 2^exp; with `mx` (olive4_dyn) the
   * stream carries the token's X (8 bits) and σ = 2^(exp + X).
   */
  readonly olive?: 'olive4' | 'olive8';
  /**
   * A blockdialect operand (with `mx`): DialectFP4 codes, per 32 a 16-bit word X | dialect << 8
   * on the stream; value = ±half units · 2^(exp + X) (dialect-mac's table and decoder).
   */
  readonly dialect?: true;
  /**
   * A mixed (format-map) operand (with `mx`, element int8): a signed code byte per channel and a
   * d byte per group on the stream; channel k's group is `mixedGroups[k]`, value = q · 2^(exp + d).
   */
  readonly mixedGroups?: readonly number[];
  /**
   * An nvfp4 operand (with `mx`, element fp4_e2m1): E2M1 codes, an E4M3 scale byte per 16 on the
   * stream; value = (E4M3 fixed · E2M1 fixed) · 2^exp exactly (exp = both LSBs + log2 g).
   */
  readonly nvfp4?: true;
}

/**
 * Joins two streams: out = a·2^a.exp + b·2^b.exp (exact; a float operand's exp is its fixed
 * form's LSB) rounded once (RNE, saturation) to `outElement`: a signed int code at 2^outExp, or a
 * float element code at the tensor scale 2^outExp.
 */
export interface AddUnitConfig {
  readonly kind: 'add-unit';
  readonly module: string;
  readonly node: string;
  readonly features: number;
  readonly a: AddOperand;
  readonly b: AddOperand;
  readonly outElement: string;
  readonly outBits: number;
  readonly outExp: number;
  /** An unsigned int output (`outElement` uintN at 2^outExp): RNE, then saturation to 0..2^N − 1. */
  readonly outUnsigned?: true;
  /**
   * An output quantized from binary32 (decision 45): each lane's exact (or round-to-odd) sum
   * rounded to binary32 (RNE), then `mx-quantize` per block (an OCP MX format: E8M0 per 32;
   * `nvfp4`: E4M3 per 16 with g = 2^outTensorScaleExp) or one `olive-encoder` (outOlive).
   */
  readonly outMxFormat?: string;
  readonly outTensorScaleExp?: number;
  readonly outOlive?: LinearUnitConfig['outOlive'];
  /**
   * A blockdialect output (≤ 32 features): binary32 (RNE) per lane, then one `dialect-quantize`
   * (online), as a cast into blockdialect; `out_y_scale` = X | dialect << 8.
   */
  readonly outDialect?: true;
  /**
   * A mixed (format-map) output, both operands at static exponents: the exact lane sums (at
   * 2^min(a.exp, b.exp)) into the cast/linear units' mixed quantizer (hw-mixed-quant.ts) in the
   * one register stage; `out_y_scale` = a d byte per group.
   */
  readonly outMixed?: { readonly map: FormatMap; readonly exp: number };
  /** The output beat carries `out_y_scale` (block scales, or olive4_dyn's X). */
  readonly outMx?: boolean;
}

/**
 * A standalone cast: int codes (`input`, at 2^inputExp) per feature, converted exactly as the
 * golden `cast` (hw-out.ts: int RNE + saturation, binary32 + mx-quantize, binary32 +
 * olive-encoder). One token at a time; the output beat carries the E8M0 scale when `outMx`.
 */
export interface CastUnitConfig {
  readonly kind: 'cast-unit';
  readonly module: string;
  readonly node: string;
  readonly features: number;
  readonly input: {
    readonly element: string;
    readonly bits: number;
    readonly signed: boolean;
    /**
     * An MX input (the MX element's codes, `in_x_scale` = an E8M0 scale per 32): each code's
     * exact value at 2^(inputExp + X − 127) cast to the signed int output (decision 45).
     */
    readonly mx?: true;
  };
  readonly inputExp: number;
  readonly outElement: string;
  readonly outBits: number;
  readonly outExp: number;
  readonly outOlive?: LinearUnitConfig['outOlive'];
  /** MX output: the MX format of the one `mx-quantize` block. */
  readonly outMxFormat?: string;
  /** blockdialect output: one `dialect-quantize` (online rule); the scale word is X | d << 8. */
  readonly outDialect?: true;
  /** Mixed-precision output: the on-chip mixed quantizer (hw-mixed-quant.ts); a d byte per group. */
  readonly outMixed?: { readonly map: FormatMap; readonly exp: number };
  readonly outMx?: boolean;
}

/**
 * An element-wise / row-wise op (row-ops/): one registered component that takes the whole token
 * per beat, with its per-feature constants (γ, β) as constants (`embedded`) or one SRAM word
 * each read with the token (`memory`). One operand: ports `in_valid/in_x/in_ready`; two: a join
 * like the add unit (`in_a…`, `in_b…`).
 */
export interface RowUnitConfig {
  readonly kind: 'row-unit';
  readonly module: string;
  readonly node: string;
  readonly op: string;
  readonly features: number;
  /** Activation operands: the unit port, the component's input field, the codes' element. */
  readonly inputs: readonly {
    readonly port: 'in' | 'a' | 'b';
    readonly field: string;
    readonly tensor: string;
    readonly element: string;
    readonly bits: number;
    /** Codes per beat (the output's `features` but for matmul). */
    readonly features: number;
  }[];
  /** Per-feature constants: the component field, code bits and the codes (two's complement). */
  readonly params: readonly {
    readonly field: string;
    readonly tensor: string;
    readonly bits: number;
    readonly codes: readonly number[];
  }[];
  readonly storage: 'embedded' | 'memory';
  /**
   * Features per beat into the component when the token is longer (row-ops/chunk.ts): the unit
   * feeds ceil(features / chunk) beats per token and collects as many output beats.
   */
  readonly chunk?: number;
  /** Memory mode: data files are `<imagePrefix>_<store><bank>.hex`. */
  readonly imagePrefix?: string;
  /** The registry component and its config (codes' widths and scale exponents). */
  readonly component: {
    readonly kind: string;
    readonly config: Readonly<Record<string, string | number>>;
  };
  /** The component's output field (`y`, softmax `p`). */
  readonly outField: string;
  readonly outElement: string;
  readonly outBits: number;
  readonly outExp: number;
}

/** Bits of a unit's `out_y_scale`: 8 per 32-element MX block (olive4_dyn: one X). */
export function outScaleBits(c: UnitConfig): number {
  if ((c.kind === 'cast-unit' || c.kind === 'add-unit') && c.outDialect) return 16; // X | dialect << 8
  if ((c.kind === 'cast-unit' || c.kind === 'add-unit') && c.outMixed)
    return 8 * c.outMixed.map.reduce((a, r) => a + Math.ceil((r.end - r.start) / r.groupSize), 0);
  if (c.kind === 'linear-unit' && c.outMx && !c.outOlive)
    return 8 * Math.max(1, Math.ceil(c.outFeatures / 32));
  if (c.kind === 'add-unit' && c.outMxFormat !== undefined)
    return 8 * Math.ceil(c.features / (c.outMxFormat === 'nvfp4' ? 16 : 32));
  return 8;
}

export type UnitConfig =
  LinearUnitConfig | ReluUnitConfig | AddUnitConfig | CastUnitConfig | RowUnitConfig;

/** Fields of a linear unit config that hold values (weights, biases, scale exponents). */
const VALUE_FIELDS = ['weights', 'bias', 'inputExp', 'weightExp', 'outExp'] as const;
/**
 * A layer's weight codes W[j][k], row-major, one byte each (two for formats wider than 8 bits):
 * a typed array, so the graph copies between passes are a memcpy of K·N bytes, not K·N numbers.
 */
export type WeightCodes = Uint8Array | Uint16Array;

/** The codes of quantized rows as one row-major WeightCodes array. */
export function weightCodesOf(rows: readonly { readonly codes: readonly number[] }[]): WeightCodes {
  const n = rows.reduce((a, r) => a + r.codes.length, 0);
  const wide = rows.some((r) => r.codes.some((c) => c > 255));
  const out = wide ? new Uint16Array(n) : new Uint8Array(n);
  let at = 0;
  for (const r of rows) {
    out.set(r.codes, at);
    at += r.codes.length;
  }
  return out;
}

const COMPONENT_VALUE_FIELDS = [
  'pairWords',
  'weightCodes',
  'rowScales',
  'rowDialects',
  'rowCodes',
  'rowExps',
] as const;

/**
 * The part of a unit config that decides its hardware: everything in `embedded` mode; in
 * `memory` and `stream` modes the config without the values (weights, biases, exponents), so that module
 * names and the SV do not change when only the values change.
 */
export function unitHardwareConfig(c: UnitConfig): unknown {
  if (c.kind === 'row-unit') {
    if (c.storage === 'embedded') return c;
    const { module: _module, ...rest } = c;
    return { ...rest, params: c.params.map(({ codes: _codes, ...p }) => p) };
  }
  if (c.kind !== 'linear-unit' || c.storage === 'embedded') return c;
  const out: Record<string, unknown> = { ...c, bias: c.bias !== undefined };
  for (const f of VALUE_FIELDS) if (f !== 'bias') delete out[f];
  delete out.module;
  if (c.component) {
    const comp: Record<string, unknown> = { ...c.component };
    for (const f of COMPONENT_VALUE_FIELDS) delete comp[f];
    out.component = comp;
  }
  return out;
}
