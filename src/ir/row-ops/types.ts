// The definition of one element-wise / row-wise op (docs/ir.md "Row ops"): everything the IR
// needs to know about it in one place, so that a further op is one more file in this folder plus
// its line in `index.ts` — the passes, the golden/FP64 evaluation, the unit and the top wiring
// handle every `RowOpNode` through these fields.
import type { z } from 'zod';
import type { RowOpKind } from '../graph.js';

/** One integer operand or result of a row op: `bits`-bit codes at 2^exp (value = code·2^exp). */
export interface IntSpec {
  /** The tensor (for messages and reports). */
  readonly tensor: string;
  /** Element format name (`int8`, `uint8`, …). */
  readonly element: string;
  readonly bits: number;
  readonly signed: boolean;
  /** Exponent of one code LSB: the element's lsbExp plus the tensor scale. */
  readonly exp: number;
}

/** The formats of one row-op node after `quantize`, checked against what the op accepts. */
export interface RowSpec {
  /** Elements per row of the output (the token's features). */
  readonly features: number;
  /** The operands, each with its own elements per row (equal to `features` but for matmul). */
  readonly inputs: readonly (IntSpec & { readonly features: number })[];
  /** Per-feature constants (γ, β) as codes at their own exponents. */
  readonly params: readonly IntSpec[];
  readonly out: IntSpec;
  readonly attrs: Readonly<Record<string, string | number>>;
}

/** A registered hardware component (`src/components`) and its config, as lowering picks it. */
export interface RowComponent {
  readonly kind: string;
  readonly config: Readonly<Record<string, string | number>>;
  /**
   * Set when the component takes the token in beats of `chunk` features (the row is longer than
   * the chunk): the unit feeds it ceil(features / chunk) beats per token (row-ops/hw.ts).
   */
  readonly chunk?: number;
}

export type ParamRole = 'gamma' | 'beta';

/** A calibrated parameter of a row op: `bits`-bit unsigned codes, named `tensor` in reports. */
export interface CalibratedParam {
  readonly tensor: string;
  readonly bits: number;
  readonly codes: readonly number[];
}

/**
 * The state one op keeps across the tokens of a sequence (the KV cache of `kv_attention`): one
 * box per node per input tensor, empty at the sequence's first token.
 */
export interface SeqBox {
  state?: unknown;
}

export interface RowOpDef {
  readonly op: RowOpKind;
  /** Its `op` in design files and messages when that differs from `op` (act_matmul: `matmul`). */
  readonly designOp?: string;
  /**
   * Output features from the operands' features, or the reason they do not fit (a one-line
   * shape mismatch); without it the operands need equal shapes and the output keeps them.
   */
  outFeatures?(
    attrs: Readonly<Record<string, string | number>>,
    inputs: readonly number[],
  ): number | string;
  /** Design-file fields naming the activation operands, in port order (`input`, or `a`, `b`). */
  readonly operandFields: readonly string[];
  /** Per-feature constants it reads: `<node>.<role>`, values in the field `<role>_values`. */
  readonly params: readonly ParamRole[];
  /** Its own design-file fields (besides op, name, operands and `<role>_values`), with defaults. */
  readonly fields: z.ZodRawShape;
  /** The output format name when `precision.tensors` names none (default: `activations`). */
  defaultOutput?(activations: string): string;
  /**
   * An output format fixed by its name, not calibrated (softmax: probabilities at 2^-bits);
   * undefined when the name does not fit the op (lowering then names what it accepts).
   */
  fixedOutput?(name: string): { readonly scaleExp: number } | undefined;
  /** Signedness of the output codes the op produces. */
  readonly outSigned: boolean;
  /** Accepted input exponent range (the golden definition's parameter range). */
  readonly inExpRange: readonly [number, number];
  /**
   * Most features of one token the op takes (default ROW_MAX_FEATURES, one beat of the
   * one-row component; chunked ops take rows longer than their chunk up to this).
   */
  readonly maxFeatures?: number;
  /** A one-line problem with the number of features (hadamard: not a power of two), if any. */
  checkFeatures?(features: number): string | undefined;
  /** The component that computes it, for a checked spec. */
  component(spec: RowSpec): RowComponent;
  /**
   * The golden codes of one row (signed ints for signed outputs) from the integer golden
   * definition of `src/numerics` with the component's own config: inputs and params as signed
   * integers.
   */
  golden(
    c: RowComponent,
    inputs: readonly (readonly number[])[],
    params: readonly (readonly number[])[],
    seq: SeqBox,
  ): number[];
  /** FP64 of one row on the unquantized reals. */
  fp64(
    attrs: Readonly<Record<string, string | number>>,
    inputs: readonly (readonly number[])[],
    params: readonly (readonly number[])[],
    seq: SeqBox,
  ): number[];
  /**
   * Calibrated parameters of the op (kv_attention's static KV channel scales, decision 44): set
   * by `quantize` from the calibration run, not given in the design; the unit reads them after
   * the const params, from an SRAM word (memory) or literals (embedded), like γ/β, and the
   * golden definition gets their codes (unsigned) after the const params'.
   */
  calibratedParams?(spec: RowSpec): readonly CalibratedParam[];
  /** Busy cycles of the unit per token (the slowest position), when more than one. */
  cyclesPerToken?(c: RowComponent): number;
}
