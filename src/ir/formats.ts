// Tensor formats of the IR: an element format with a power-of-two tensor scale, an MX block
// format, an OliVe pair format with a power-of-two σ, or the exact accumulator (a linear whose only
// consumer is a cast). Quantization of exact values into each format, op by op, is the golden model.
import {
  binary32BitsOfNumber,
  decode,
  decodeFixed,
  dequantize,
  dialectDequantize,
  dialectQuantizeActivation,
  dialectQuantizeWeight,
  type FormatMap,
  mixedQuantizePow2,
  NVFP4_BLOCK_SIZE,
  nvfp4Decode,
  nvfp4Quantize,
  type ElementFormat,
  encode,
  type Exact,
  fitSigned,
  fromInt,
  fromNumber,
  getFormat,
  getMxFormat,
  listFormats,
  listMxFormats,
  mul,
  type MxFormat,
  NAN,
  oliveEncode,
  oliveEncodeNumbers,
  oliveValues,
  quantizeBlock,
  roundShiftSigned,
  scale2,
  toBinary32Bits,
  type FiniteExact,
} from '../numerics/index.js';
import { MxgenError } from '../hdl/index.js';

export type TensorFormat =
  | { readonly kind: 'element'; readonly name: string; readonly scaleExp: number }
  | { readonly kind: 'mx'; readonly name: string }
  /** NVFP4 (formats.md 9.2): E2M1 codes, an E4M3 scale per 16, tensor scale g = 2^scaleExp. */
  | { readonly kind: 'nvfp4'; readonly name: 'nvfp4'; readonly scaleExp: number }
  | { readonly kind: 'olive'; readonly name: 'olive4' | 'olive8'; readonly sigmaExp: number }
  | { readonly kind: 'olive-dyn'; readonly name: 'olive4_dyn'; readonly variant: 'olive4' }
  | { readonly kind: 'dialect'; readonly name: 'blockdialect'; readonly rule: DialectRule }
  | {
      readonly kind: 'mixed';
      readonly name: string;
      readonly map: FormatMap;
      /** Tensor base exponent: a group's scale is 2^(exp + d), 0 ≤ d ≤ MIXED_D_MAX. */
      readonly exp: number;
    }
  | { readonly kind: 'fixed'; readonly bits: number; readonly exp: number }
  | { readonly kind: 'exact' };

/**
 * How a `blockdialect` tensor picks each block's dialect (docs/blockdialect.md): `offline` (weights:
 * the least exact squared error) or `online` (activations: the two-stage rule of dialect-quantize).
 */
export type DialectRule = 'offline' | 'online';

/** DialectFP4 block size of the IR's `blockdialect` tensors. */
export const DIALECT_BLOCK = 32;

/** Largest group exponent offset d of a `mixed` tensor (a 4-bit field per group). */
export const MIXED_D_MAX = 15;

/**
 * The canonical name of a format map (design files write it as an object, docs/ir.md): one
 * `_i<bits>g<group size>x<channels>` per range in channel order, e.g. `mixed_i4g8x24_i8g8x8`.
 */
export function mixedFormatName(map: FormatMap): string {
  return `mixed${map.map((r) => `_i${r.bits}g${r.groupSize}x${r.end - r.start}`).join('')}`;
}

/**
 * Atom's map by name, `mixed_atom_o<outliers>g<group>`: the last `outliers` channels int8, the
 * rest int4, both in groups of `group` (resolved against the tensor's channel count).
 */
export function atomMixedName(outliers: number, group: number): string {
  return `mixed_atom_o${outliers}g${group}`;
}

/** Whether `name` is a mixed-precision format name (`mixed_…`). */
export function isMixedName(name: string): boolean {
  return /^mixed(_i\d+g\d+x\d+)+$/.test(name) || /^mixed_atom_o\d+g\d+$/.test(name);
}

/**
 * The format map of a `mixed_…` name for a tensor of `channels` channels (not checked against
 * it: `checkFormatMap` does that), or undefined when `name` is not one.
 */
export function mixedMapOf(name: string, channels: number): FormatMap | undefined {
  const atom = /^mixed_atom_o(\d+)g(\d+)$/.exec(name);
  if (atom) {
    const o = Number(atom[1]);
    const groupSize = Number(atom[2]);
    const rest = { start: 0, end: channels - o, bits: 4, groupSize };
    const out = { start: channels - o, end: channels, bits: 8, groupSize };
    return o === 0 ? [rest] : o === channels ? [out] : [rest, out];
  }
  if (!isMixedName(name)) return undefined;
  let start = 0;
  return [...name.matchAll(/_i(\d+)g(\d+)x(\d+)/g)].map((m) => {
    const n = Number(m[3]);
    const r = { start, end: start + n, bits: Number(m[1]), groupSize: Number(m[2]) };
    start += n;
    return r;
  });
}

/** A format name as written in a design file, before calibration fixes the scale. */
export type FormatName = string;

/** Every name a design file may use, for error messages. */
export function knownFormatNames(): string[] {
  const el = listFormats()
    .filter((f) => f.kind === 'int' || f.kind === 'float')
    .filter((f) => f.name !== 'mxint8_element')
    .map((f) => f.name);
  return [
    ...el,
    ...listMxFormats().map((f) => f.name),
    'nvfp4',
    'olive4',
    'olive8',
    'olive4_dyn',
    'blockdialect',
  ];
}

export type FormatClass = 'element' | 'mx' | 'nvfp4' | 'olive' | 'olive-dyn' | 'dialect' | 'mixed';

/**
 * `olive4_dyn`: olive4 with a per-token σ = 2^(X − 127 + OLIVE_DYN_OFFSET), X the E8M0 code that
 * `mx-scale` (format OLIVE_DYN_SCALE.format, policy floor, one block = the whole token vector)
 * computes from the token's binary32 values: X − 127 = floor(log2 amax) − 2 (emax of E2M1), so
 * σ = 2^(floor(log2 amax) − 3) and amax/σ ∈ [8, 16): the token's largest value sits at the top
 * of the int4 normal range or in the outlier range (> 9.5σ), like the calibrated static σ.
 * X travels on the stream like an MX scale.
 */
export const OLIVE_DYN_SCALE = { format: 'mxfp4_e2m1', policy: 'floor' } as const;
export const OLIVE_DYN_OFFSET = -1;

/** Which family a name belongs to, or undefined when it is not a tensor format. */
export function formatClass(name: string): FormatClass | undefined {
  if (name === 'olive4' || name === 'olive8') return 'olive';
  if (name === 'olive4_dyn') return 'olive-dyn';
  if (name === 'blockdialect') return 'dialect';
  if (name === 'nvfp4') return 'nvfp4';
  if (isMixedName(name)) return 'mixed';
  if (listMxFormats().some((f) => f.name === name)) return 'mx';
  if (name === 'mxint8_element') return undefined;
  const el = listFormats().find((f) => f.name === name);
  if (el && (el.kind === 'int' || el.kind === 'float')) return 'element';
  return undefined;
}

export function formatLabel(f: TensorFormat): string {
  switch (f.kind) {
    case 'element':
      return `${f.name}·2^${f.scaleExp}`;
    case 'mx':
      return f.name;
    case 'nvfp4':
      return `nvfp4(g=2^${f.scaleExp})`;
    case 'olive':
      return `${f.name}(σ=2^${f.sigmaExp})`;
    case 'olive-dyn':
      return `${f.name}(σ=2^(X-${127 - OLIVE_DYN_OFFSET}) per token)`;
    case 'dialect':
      return `${f.name}(${f.rule})`;
    case 'mixed':
      return `${f.name}(2^${f.exp}·2^d per group)`;
    case 'fixed':
      return `int${f.bits}·2^${f.exp}`;
    case 'exact':
      return 'exact';
  }
}

export function elementOf(f: TensorFormat): ElementFormat {
  if (f.kind === 'element') return getFormat(f.name);
  if (f.kind === 'mx') return getMxFormat(f.name).element;
  throw new MxgenError('config', `${formatLabel(f)} has no element format`);
}

export function mxOf(f: TensorFormat): MxFormat {
  if (f.kind !== 'mx') throw new MxgenError('config', `${formatLabel(f)} is not an MX format`);
  return getMxFormat(f.name);
}

/** Largest finite magnitude of an element format (exact). */
export function elementMax(el: ElementFormat): FiniteExact {
  return fromInt(el.maxSig, el.lsbExp);
}

/** Smallest e such that amax·2^-e ≤ m, with amax > 0 and m > 0 as JS numbers (exact compares). */
export function fitExponent(amax: number, m: number): number {
  if (!(amax > 0)) return 0;
  let e = 0;
  while (amax * 2 ** -e > m) e++;
  while (amax * 2 ** -(e - 1) <= m) e--;
  return e;
}

/** One quantized vector: element codes, MX scales (one per 32-block) and the exact values. */
export interface QVector {
  readonly codes: readonly number[];
  readonly scales: readonly number[];
  readonly values: readonly Exact[];
}

/** Quantizes exact values into an element format with tensor scale 2^s: RNE, saturating. */
export function quantizeElement(values: readonly Exact[], name: string, s: number): QVector {
  const el = getFormat(name);
  const codes = values.map((v) =>
    el.kind === 'int'
      ? encodeIntRne(el.bits, el.signed, v, s)
      : encode(el, scale2(v, -s), { rounding: 'rne', overflow: 'saturate' }),
  );
  const q = { codes, scales: [], values: codes.map((c) => scale2(decode(el, c), s)) };
  if (el.kind === 'int') INT_ROWS.set(q, { el, s });
  return q;
}

/**
 * `quantizeElement(exactOf(reals), name, s)` for an integer element format, from JS numbers: the
 * same codes (x·2^-s is exact in binary64, and so is the RNE tie test below 2^52) without an
 * Exact per value; the values are built on first use (a real-size layer's millions of weights
 * need only their codes). Undefined for other formats or out-of-range inputs (use the exact path).
 */
/**
 * Rows quantized to an integer element format (value = signed code · 2^s), registered by the
 * quantizers, so integer arithmetic on them (dot products, the smallest weight exponent) can
 * work on the codes instead of one Exact per value.
 */
const INT_ROWS = new WeakMap<QVector, { readonly el: ElementFormat; readonly s: number }>();

/** An integer row's format and scale exponent, if `q` is one. */
export function intRowOf(
  q: QVector,
): { readonly el: ElementFormat; readonly s: number } | undefined {
  return INT_ROWS.get(q);
}

/**
 * Registers `q` as an integer row of `row`'s format and scale: for an operation that keeps its
 * input's codes and scale (relu on an integer tensor), so later dot products stay on the codes.
 */
export function markIntRow(
  q: QVector,
  row: { readonly el: ElementFormat; readonly s: number },
): QVector {
  INT_ROWS.set(q, row);
  return q;
}

/** The signed value of an integer element code. */
export const signedCode = (el: ElementFormat, c: number): number =>
  el.kind === 'int' && el.signed && c >= 2 ** (el.bits - 1) ? c - 2 ** el.bits : c;

export function quantizeIntReals(
  reals: readonly number[],
  name: string,
  s: number,
): QVector | undefined {
  const el = getFormat(name);
  if (el.kind !== 'int') return undefined;
  const lo = el.signed ? -(2 ** (el.bits - 1)) : 0;
  const hi = el.signed ? 2 ** (el.bits - 1) - 1 : 2 ** el.bits - 1;
  const k = 2 ** -s;
  const codes = new Array<number>(reals.length);
  for (let i = 0; i < reals.length; i++) {
    const y = (reals[i] as number) * k;
    if (!(Math.abs(y) < 2 ** 52)) return undefined;
    const f = Math.floor(y);
    const d = y - f;
    const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
    const q = r < lo ? lo : r > hi ? hi : r;
    codes[i] = q < 0 ? q + 2 ** el.bits : q + 0; // + 0: no -0 code
  }
  let values: Exact[] | undefined;
  const q: QVector = {
    codes,
    scales: [],
    get values(): readonly Exact[] {
      return (values ??= codes.map((c) => scale2(decode(el, c), s)));
    },
  };
  INT_ROWS.set(q, { el, s });
  return q;
}

/** Formats.md 7.2: signed RNE shift then saturation; the definition the hardware implements. */
function encodeIntRne(bits: number, signed: boolean, v: Exact, s: number): number {
  if (v.kind !== 'finite') throw new MxgenError('config', 'only finite values can be quantized');
  const sig = v.neg ? -v.sig : v.sig;
  const k = s - v.exp; // value·2^-s = sig·2^(exp-s)
  const r = k > 0 ? roundShiftSigned(sig, k, 'rne') : sig << BigInt(-k);
  if (!signed) {
    const hi = (1n << BigInt(bits)) - 1n;
    return Number(r < 0n ? 0n : r > hi ? hi : r);
  }
  const q = fitSigned(r, bits, 'saturate');
  return Number(q < 0n ? q + (1n << BigInt(bits)) : q);
}

/** Signed `bits`-bit integers at 2^exp (biases at the accumulator's LSB): RNE, saturating. */
export function quantizeFixed(values: readonly Exact[], bits: number, exp: number): QVector {
  const ints = values.map((v) => {
    if (v.kind !== 'finite') throw new MxgenError('config', 'only finite values can be quantized');
    const sig = v.neg ? -v.sig : v.sig;
    const k = exp - v.exp;
    return fitSigned(k > 0 ? roundShiftSigned(sig, k, 'rne') : sig << BigInt(-k), bits, 'saturate');
  });
  return { codes: ints.map(Number), scales: [], values: ints.map((i) => fromInt(i, exp)) };
}

/** An element format's codes as fixed-form significands (formats.md 5.2), NaN for specials. */
const FIXED_SIGS = new WeakMap<ElementFormat, Float64Array>();
export function fixedSigs(el: ElementFormat): Float64Array {
  let t = FIXED_SIGS.get(el);
  if (!t) {
    t = Float64Array.from({ length: 2 ** el.bits }, (_, c) => {
      const d = decodeFixed(el, c);
      return d.kind === 'finite' ? Number(d.sig) : NaN;
    });
    FIXED_SIGS.set(el, t);
  }
  return t;
}

/**
 * A float element format's non-negative finite values by code (codes 0..max are exactly those,
 * in increasing order; the specials follow them), as doubles (exact: a few significant bits).
 */
const FLOAT_GRIDS = new WeakMap<ElementFormat, Float64Array>();
function floatGrid(el: ElementFormat): Float64Array {
  let g = FLOAT_GRIDS.get(el);
  if (!g) {
    const sigs = fixedSigs(el).subarray(0, 2 ** (el.bits - 1));
    const top = sigs.findIndex(Number.isNaN);
    g = (top < 0 ? sigs : sigs.subarray(0, top)).map((m) => m * 2 ** el.lsbExp);
    FLOAT_GRIDS.set(el, g);
  }
  return g;
}

/**
 * `encode(el, y, { rounding: 'rne', overflow: 'saturate' })` of a float element format for a
 * double y whose value is exact: the nearest grid value (a tie to the even code), the largest
 * finite one above it, the sign kept (-0 and negatives that round to 0 give the sign code).
 */
function encodeFloatRne(el: ElementFormat, grid: Float64Array, y: number): number {
  const sign = y < 0 || Object.is(y, -0) ? 2 ** (el.bits - 1) : 0;
  const a = Math.abs(y);
  const top = grid.length - 1;
  if (a >= (grid[top] as number)) return sign + top;
  let lo = 0; // grid[lo] <= a < grid[hi]
  let hi = top;
  while (hi - lo > 1) {
    const m = (lo + hi) >>> 1;
    if ((grid[m] as number) <= a) lo = m;
    else hi = m;
  }
  const mid = ((grid[lo] as number) + (grid[hi] as number)) / 2;
  const c = a < mid ? lo : a > mid ? hi : lo % 2 === 0 ? lo : hi;
  return sign + c;
}

const F64 = new DataView(new ArrayBuffer(8));
/** floor(log2 a) of a positive normal double, from its exponent field. */
function ilog2Number(a: number): number {
  F64.setFloat64(0, a);
  return ((F64.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

/**
 * `quantizeMx(exactOf(reals), name)` from JS numbers for an MX format of float elements: the
 * same codes and scales (each real rounded to binary32 by Math.fround, RNE as toBinary32Bits;
 * the block scale from the exponent of the largest magnitude; every element scaled by a power of
 * 2, exact in binary64, then rounded on the element grid), with the values built on first use.
 * A real-size MX layer's millions of weights took seconds of exact arithmetic each run.
 * Undefined for other MX formats (the exact path).
 */
export function quantizeMxReals(reals: readonly number[], name: string): QVector | undefined {
  const f = getMxFormat(name);
  const el = f.element;
  if (el.kind !== 'float') return undefined;
  const grid = floatGrid(el);
  const k = f.blockSize;
  const codes = new Array<number>(reals.length);
  const scales: number[] = [];
  for (let i = 0; i < reals.length; i += k) {
    const end = Math.min(i + k, reals.length);
    let amax = 0;
    let finiteBlock = true;
    for (let j = i; j < end; j++) {
      const a = Math.abs(Math.fround(reals[j] as number));
      if (!Number.isFinite(a)) finiteBlock = false;
      else if (a > amax) amax = a;
    }
    if (!finiteBlock) {
      scales.push(0xff);
      codes.fill(0, i, end);
      continue;
    }
    const s = amax === 0 ? 0 : Math.min(127, Math.max(-127, ilog2Number(amax) - f.emaxElem));
    scales.push(amax === 0 ? 0 : s + 127);
    const m = 2 ** -s;
    for (let j = i; j < end; j++)
      codes[j] = encodeFloatRne(el, grid, Math.fround(reals[j] as number) * m);
  }
  let values: Exact[] | undefined;
  return {
    codes,
    scales,
    get values(): readonly Exact[] {
      return (values ??= codes.map((c, j) => {
        const x = scales[Math.floor(j / k)] as number;
        return x === 0xff ? NAN : mul(decode('e8m0', x), decode(el, c));
      }));
    },
  };
}

/** MX: each value rounded to binary32 (RNE), then quantizeBlock per 32 consecutive values. */
export function quantizeMx(values: readonly Exact[], name: string): QVector {
  const f = getMxFormat(name);
  const bits = values.map((v) => toBinary32Bits(v));
  const codes: number[] = [];
  const scales: number[] = [];
  const out: Exact[] = [];
  for (let i = 0; i < bits.length; i += f.blockSize) {
    const chunk = bits.slice(i, i + f.blockSize);
    const b = quantizeBlock(chunk, f);
    scales.push(b.scale);
    codes.push(...b.codes.slice(0, chunk.length));
    out.push(...dequantize(b).slice(0, chunk.length));
  }
  return { codes, scales, values: out };
}

/** binary32 bits of g = 2^e (a subnormal below 2^-126), e in -149..127. */
function pow2Binary32(e: number): number {
  if (e < -149 || e > 127)
    throw new MxgenError(
      'config',
      `an nvfp4 tensor scale 2^${e} is not a binary32 (2^-149..2^127)`,
    );
  return e >= -126 ? ((e + 127) << 23) >>> 0 : 2 ** (e + 149);
}

/**
 * NVFP4 with tensor scale g = 2^s: each value rounded to binary32 (RNE), then `nvfp4Quantize`
 * per 16 consecutive values (a short tail padded with +0): E2M1 codes and one E4M3 scale per
 * block, as the `mx-quantize` component (format nvfp4) computes on chip.
 */
export function quantizeNvfp4(values: readonly Exact[], s: number): QVector {
  const g = pow2Binary32(s);
  const bits = values.map((v) => toBinary32Bits(v));
  const codes: number[] = [];
  const scales: number[] = [];
  const out: Exact[] = [];
  for (let i = 0; i < bits.length; i += NVFP4_BLOCK_SIZE) {
    const chunk = bits.slice(i, i + NVFP4_BLOCK_SIZE);
    const b = nvfp4Quantize(chunk, g);
    scales.push(b.scale);
    codes.push(...b.codes.slice(0, chunk.length));
    out.push(...nvfp4Decode(b, g).slice(0, chunk.length));
  }
  return { codes, scales, values: out };
}

/**
 * OliVe with σ = 2^s: each value rounded to binary32 (RNE) first, as the on-chip path does before
 * its `olive-encoder`, then `oliveEncode`: pair codes (olive4 one byte per pair, element 2j in the
 * low nibble; olive8 one byte per element) and the decoded exact values.
 */
export function quantizeOlive(
  values: readonly Exact[],
  variant: 'olive4' | 'olive8',
  s: number,
): QVector {
  const sigma = fromInt(1n, s);
  const bytes = oliveEncode(
    values.map((v) => ({ binary32: toBinary32Bits(v) })),
    sigma,
    variant,
  );
  const vals = oliveValues(bytes, sigma, variant).slice(0, values.length);
  return { codes: [...bytes], scales: [], values: vals };
}

/**
 * `quantizeOlive(exactOf(reals), variant, s)` from JS numbers: each real rounded to binary32 by
 * Math.fround (RNE, as toBinary32Bits), then `oliveEncodeNumbers`; the values are built on
 * first use. Undefined where that path does not apply (the exact path).
 */
export function quantizeOliveReals(
  reals: readonly number[],
  variant: 'olive4' | 'olive8',
  s: number,
): QVector | undefined {
  const bytes = oliveEncodeNumbers(reals.map(Math.fround), s, variant);
  if (!bytes) return undefined;
  let values: Exact[] | undefined;
  return {
    codes: [...bytes],
    scales: [],
    get values(): readonly Exact[] {
      return (values ??= oliveValues(bytes, fromInt(1n, s), variant).slice(0, reals.length));
    },
  };
}

/**
 * olive4_dyn: each value rounded to binary32 (RNE); X = the E8M0 scale of the block of all of them
 * (`quantizeBlock(...).scale`, OLIVE_DYN_SCALE); then `oliveEncode` with σ = 2^(X − 127 +
 * OLIVE_DYN_OFFSET). `scales` = [X].
 */
export function quantizeOliveDyn(values: readonly Exact[], variant: 'olive4'): QVector {
  const bits = values.map((v) => toBinary32Bits(v));
  const x = quantizeBlock(bits, OLIVE_DYN_SCALE.format, {
    k: Math.max(1, bits.length),
    scalePolicy: OLIVE_DYN_SCALE.policy,
  }).scale;
  const q = quantizeOlive(values, variant, x - 127 + OLIVE_DYN_OFFSET);
  return { codes: q.codes, scales: [x], values: q.values };
}

/**
 * blockdialect: each value rounded to binary32 (RNE), then per block of DIALECT_BLOCK values (a
 * short tail padded with +0) `dialectQuantizeWeight` (offline) or `dialectQuantizeActivation`
 * (online). `scales` holds two bytes per block, the E8M0 scale X then the dialect id, so a stream's
 * scale word of a block is X | dialect << 8 (16 bits, the top 4 zero).
 */
export function quantizeDialect(values: readonly Exact[], rule: DialectRule): QVector {
  const bits = values.map((v) => toBinary32Bits(v));
  const codes: number[] = [];
  const scales: number[] = [];
  const out: Exact[] = [];
  for (let i = 0; i < bits.length; i += DIALECT_BLOCK) {
    const chunk = bits.slice(i, i + DIALECT_BLOCK);
    const b =
      rule === 'offline'
        ? dialectQuantizeWeight(chunk, DIALECT_BLOCK)
        : dialectQuantizeActivation(chunk, DIALECT_BLOCK);
    scales.push(b.scale, b.dialect);
    codes.push(...b.codes.slice(0, chunk.length));
    out.push(...dialectDequantize(b).slice(0, chunk.length));
  }
  return { codes, scales, values: out };
}

/**
 * `mixed`: mixedQuantizePow2 with base 2^exp (docs/blockdialect.md). `codes` are the signed codes
 * as 8-bit two's complement bytes (a stream carries every channel in a byte), `scales` one d per
 * group in channel order.
 */
export function quantizeMixed(values: readonly Exact[], map: FormatMap, exp: number): QVector {
  const groups = mixedQuantizePow2(values, map, exp, MIXED_D_MAX);
  const codes = groups.flatMap((g) => g.codes.map((q) => q & 0xff));
  const out = groups.flatMap((g) => g.codes.map((q) => fromInt(BigInt(q), exp + g.d)));
  return { codes, scales: groups.map((g) => g.d), values: out };
}

/** Bits per element on a stream: olive4 4 (a pair is one byte), olive8 8, else the element's. */
export function elementBits(name: string): number {
  if (isMixedName(name)) return 8;
  if (name === 'nvfp4') return 4;
  if (name === 'olive4' || name === 'olive4_dyn' || name === 'blockdialect') return 4;
  if (name === 'olive8') return 8;
  return getFormat(name).bits;
}

/** Bits of one code of a quantized vector (`QVector.codes`): OliVe codes are bytes. */
export function codeBits(name: string): number {
  if (isMixedName(name)) return 8;
  if (name === 'nvfp4') return 4;
  if (name === 'blockdialect') return 4;
  return name === 'olive4' || name === 'olive8' || name === 'olive4_dyn' ? 8 : getFormat(name).bits;
}

export function quantizeTo(values: readonly Exact[], f: TensorFormat): QVector {
  switch (f.kind) {
    case 'element':
      return quantizeElement(values, f.name, f.scaleExp);
    case 'mx':
      return quantizeMx(values, f.name);
    case 'nvfp4':
      return quantizeNvfp4(values, f.scaleExp);
    case 'olive':
      return quantizeOlive(values, f.name, f.sigmaExp);
    case 'olive-dyn':
      return quantizeOliveDyn(values, f.variant);
    case 'dialect':
      return quantizeDialect(values, f.rule);
    case 'mixed':
      return quantizeMixed(values, f.map, f.exp);
    case 'fixed':
      return quantizeFixed(values, f.bits, f.exp);
    case 'exact':
      return { codes: [], scales: [], values };
  }
}

/** Calibrated format for a tensor whose largest magnitude is amax (FP64 calibration run). */
export function calibrate(name: string, amax: number, rms: number, channels = 1): TensorFormat {
  const cls = formatClass(name);
  if (cls === 'mx') return { kind: 'mx', name };
  // nvfp4: g = 2^e, the power of two with amax ≤ 448·6·g (the recipe g = amax / (448·6), rounded up)
  if (cls === 'nvfp4')
    return { kind: 'nvfp4', name: 'nvfp4', scaleExp: fitExponent(amax, 448 * 6) };
  if (cls === 'olive-dyn') return { kind: 'olive-dyn', name: 'olive4_dyn', variant: 'olive4' };
  if (cls === 'dialect') return { kind: 'dialect', name: 'blockdialect', rule: 'online' };
  const map = mixedMapOf(name, channels);
  if (map) {
    // The base: the largest calibrated group fits the narrowest range at d = MIXED_D_MAX.
    const qmax = Math.min(...map.map((r) => 2 ** (r.bits - 1) - 1));
    return { kind: 'mixed', name, map, exp: fitExponent(amax, qmax) - MIXED_D_MAX };
  }
  if (cls === 'olive') {
    // σ: the power of two with 3·rms ≤ 7σ (olive4) or 3·rms ≤ 127σ (olive8); outliers cover the rest.
    const v = name === 'olive4' ? 'olive4' : 'olive8';
    return { kind: 'olive', name: v, sigmaExp: fitExponent(3 * rms, v === 'olive4' ? 7 : 127) };
  }
  const el = getFormat(name);
  const max = Number(el.maxSig) * 2 ** el.lsbExp;
  return { kind: 'element', name, scaleExp: fitExponent(amax, max) };
}

export { fromNumber, binary32BitsOfNumber };
