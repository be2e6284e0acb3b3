// OliVe outlier-victim pairs (formats.md section 6): olive4 (int4 normals, E2M1 abfloat
// outliers, abias 2) and olive8 (int8 normals, E2M5 outliers). Decoders emit (int, shift).
import { type EncodeInput, toExact } from './encode.js';
import { exactNumber } from './binary.js';
import { fail } from './errors.js';
import { compare, type Exact, type FiniteExact, fromInt, mul, toDecimalString } from './exact.js';

export type OliveVariant = 'olive4' | 'olive8';

interface Candidate {
  readonly mag: bigint;
  readonly outlier: boolean;
  /** Magnitude code: the int for normals, (E << M) | m for outliers. */
  readonly magCode: number;
}

interface OliveSpec {
  readonly bits: number;
  /** Outlier mantissa bits (1 for olive4, 5 for olive8). */
  readonly manBits: number;
  readonly maxNormal: number;
  readonly candidates: readonly Candidate[];
}

function spec(variant: OliveVariant): OliveSpec {
  const bits = variant === 'olive4' ? 4 : 8;
  const manBits = variant === 'olive4' ? 1 : 5;
  const maxNormal = (1 << (bits - 1)) - 1;
  const cands: Candidate[] = [];
  for (let i = 0; i <= maxNormal; i++) cands.push({ mag: BigInt(i), outlier: false, magCode: i });
  for (let e = 0; e < 4; e++)
    for (let m = 0; m < 1 << manBits; m++) {
      if (e === 0 && m === 0) continue; // reserved magnitude code
      const mag = BigInt((1 << manBits) + m) << BigInt(e + 2);
      cands.push({ mag, outlier: true, magCode: (e << manBits) | m });
    }
  return { bits, manBits, maxNormal, candidates: cands };
}

const SPECS: Readonly<Record<OliveVariant, OliveSpec>> = {
  olive4: spec('olive4'),
  olive8: spec('olive8'),
};

function getSpec(variant: OliveVariant): OliveSpec {
  const s = SPECS[variant];
  if (!s) fail(`unknown OliVe variant '${String(variant)}'; use olive4 or olive8`);
  return s;
}

/** Quantized element: signed value in LSB units and whether it is an outlier. */
export interface OliveQ {
  readonly neg: boolean;
  readonly cand: Candidate;
}

/** (c_i + c_{i+1})·σ for each pair of neighbouring candidates: the decision points of 6.4. */
function midpoints(s: OliveSpec, sigma: FiniteExact): Exact[] {
  const c = s.candidates;
  return c.slice(0, -1).map((lo, i) => mul(fromInt(lo.mag + (c[i + 1] as Candidate).mag), sigma));
}

/**
 * Nearest grid member of |x|/σ (6.4), x of sign `neg`: normal ties to the even integer, the
 * normal/outlier tie to the normal, outlier ties to even mantissa, saturation at the top.
 * Exact comparisons of `ax` = 2|x| with (c_i + c_{i+1})·σ (`mids`, computed once per encoded
 * vector); as doubles when both sides are exact doubles (`axN`, `midsN`), which compare exactly:
 * a GPT-2 FFN's 4.7 M OliVe weights spent seconds in BigInt comparisons.
 */
function quantizeElement(
  s: OliveSpec,
  neg: boolean,
  ax: Exact | undefined,
  axN: number | undefined,
  mids: readonly Exact[],
  midsN: readonly number[] | undefined,
): OliveQ {
  const c = s.candidates;
  let lo = 0;
  let hi = c.length - 1; // answer index in [lo, hi]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const a = c[mid] as Candidate;
    const b = c[mid + 1] as Candidate;
    const m = midsN?.[mid] as number;
    const cmp =
      axN !== undefined
        ? axN < m
          ? -1
          : axN > m
            ? 1
            : 0
        : compare(ax as Exact, mids[mid] as Exact);
    const goesLow =
      cmp !== 0 ? cmp === -1 : a.outlier !== b.outlier ? !a.outlier : (a.magCode & 1) === 0;
    if (goesLow) hi = mid;
    else lo = mid + 1;
  }
  return { neg: neg && (c[lo] as Candidate).mag !== 0n, cand: c[lo] as Candidate };
}

/** The decision points as doubles, if every one is an exact double. */
function midsAsDoubles(mids: readonly Exact[]): number[] | undefined {
  const nums = mids.map(exactNumber);
  return nums.every((m) => m !== undefined) ? (nums as number[]) : undefined;
}

/**
 * The pair bytes of quantized elements (6.4): two normals stay; otherwise the larger outlier
 * keeps its slot and the other becomes the identifier. An odd count is padded with +0.
 */
function pairBytes(s: OliveSpec, qs: OliveQ[]): Uint8Array {
  if (qs.length % 2 === 1) qs.push({ neg: false, cand: s.candidates[0] as Candidate });
  const id = 1 << (s.bits - 1);
  const mask = (1 << s.bits) - 1;
  const normalCode = (q: OliveQ): number =>
    (q.neg ? -Number(q.cand.mag) : Number(q.cand.mag)) & mask;
  const outlierCode = (q: OliveQ): number => (q.neg ? id : 0) | q.cand.magCode;
  const out: number[] = [];
  for (let j = 0; j < qs.length; j += 2) {
    const q0 = qs[j] as OliveQ;
    const q1 = qs[j + 1] as OliveQ;
    let c0: number;
    let c1: number;
    if (!q0.cand.outlier && !q1.cand.outlier) [c0, c1] = [normalCode(q0), normalCode(q1)];
    else if (q0.cand.outlier && (!q1.cand.outlier || q0.cand.mag >= q1.cand.mag))
      [c0, c1] = [outlierCode(q0), id];
    else [c0, c1] = [id, outlierCode(q1)];
    if (s.bits === 4) out.push(c0 | (c1 << 4));
    else out.push(c0, c1);
  }
  return Uint8Array.from(out);
}

function checkSigma(sigma: EncodeInput): FiniteExact {
  const s = toExact(sigma);
  if (s.kind !== 'finite' || s.neg || s.sig === 0n)
    fail(`OliVe scale σ = ${toDecimalString(s)} must be positive and finite: pass σ > 0`);
  return s;
}

/**
 * Encodes values with scale σ into pair codes: olive4 one byte per pair (c0 low nibble), olive8
 * two bytes per pair. An odd length is padded with +0. NaN / ±Inf inputs are errors.
 */
export function oliveEncode(
  values: readonly EncodeInput[],
  sigma: EncodeInput,
  variant: OliveVariant = 'olive4',
): Uint8Array {
  const s = getSpec(variant);
  const sg = checkSigma(sigma);
  const xs = values.map((v, i) => {
    const x = toExact(v);
    if (x.kind !== 'finite')
      fail(
        `OliVe input ${i} is ${x.kind === 'nan' ? 'NaN' : 'Inf'}: only finite values can be encoded`,
      );
    return x;
  });
  const mids = midpoints(s, sg);
  const midsN = midsAsDoubles(mids);
  const qs = xs.map((x) => {
    const ax: Exact = { ...x, neg: false, exp: x.sig === 0n ? 0 : x.exp + 1 };
    return quantizeElement(s, x.neg, ax, midsN && exactNumber(ax), mids, midsN);
  });
  return pairBytes(s, qs);
}

/**
 * `oliveEncode(values, 2^sigmaExp, variant)` for values that are exact doubles (binary32 values,
 * say), without an Exact per value: the same bytes, 2|x| compared with the decision points as
 * doubles. Undefined when a value is not finite or a decision point is not an exact double (use
 * oliveEncode, which reports a non-finite value). A GPT-2 FFN has 4.7 M OliVe weights.
 */
export function oliveEncodeNumbers(
  values: readonly number[],
  sigmaExp: number,
  variant: OliveVariant = 'olive4',
): Uint8Array | undefined {
  const s = getSpec(variant);
  const mids = midpoints(s, fromInt(1n, sigmaExp));
  const midsN = midsAsDoubles(mids);
  if (!midsN) return undefined;
  const qs: OliveQ[] = [];
  for (const v of values) {
    if (!Number.isFinite(v)) return undefined;
    qs.push(quantizeElement(s, v < 0, undefined, 2 * Math.abs(v), mids, midsN));
  }
  return pairBytes(s, qs);
}

/** Exponent-integer form: value = int << shift (units of σ). */
export interface OliveTerm {
  readonly int: number;
  readonly shift: number;
}

/** Pair decoder of 6.3 / 6.6. */
export function oliveDecodePair(
  variant: OliveVariant,
  c0: number,
  c1: number,
): [OliveTerm, OliveTerm] {
  const s = getSpec(variant);
  const id = 1 << (s.bits - 1);
  for (const c of [c0, c1])
    if (!Number.isInteger(c) || c < 0 || c > (1 << s.bits) - 1)
      fail(`OliVe ${variant} code ${c} is out of range 0..${(1 << s.bits) - 1}`);
  const zero: OliveTerm = { int: 0, shift: 0 };
  if (c0 === id && c1 === id) return [zero, zero];
  if (c0 === id) return [zero, abfloatTerm(s, c1)];
  if (c1 === id) return [abfloatTerm(s, c0), zero];
  return [intTerm(s, c0), intTerm(s, c1)];
}

/** The outlier of a pair: an abfloat code (6.2). */
function abfloatTerm(s: OliveSpec, c: number): OliveTerm {
  const id = 1 << (s.bits - 1);
  const e = (c >> s.manBits) & 3;
  const m = c & ((1 << s.manBits) - 1);
  const mag = (1 << s.manBits) + m;
  return { int: c & id ? -mag : mag, shift: e + 2 };
}

/** A normal value of a pair: a two's complement integer code. */
function intTerm(s: OliveSpec, c: number): OliveTerm {
  return { int: c & (1 << (s.bits - 1)) ? c - (1 << s.bits) : c, shift: 0 };
}

/** Decodes a pair-code stream (as produced by oliveEncode) to terms, two per pair. */
export function oliveDecode(bytes: Uint8Array, variant: OliveVariant = 'olive4'): OliveTerm[] {
  const out: OliveTerm[] = [];
  if (variant === 'olive4')
    for (const b of bytes) out.push(...oliveDecodePair(variant, b & 15, b >> 4));
  else {
    if (bytes.length % 2 !== 0) fail(`olive8 data must hold whole pairs (an even number of bytes)`);
    for (let i = 0; i < bytes.length; i += 2)
      out.push(...oliveDecodePair(variant, bytes[i] ?? 0, bytes[i + 1] ?? 0));
  }
  return out;
}

/** Exact values σ·(int << shift). */
export function oliveValues(
  bytes: Uint8Array,
  sigma: EncodeInput,
  variant: OliveVariant = 'olive4',
): Exact[] {
  const s = checkSigma(sigma);
  return oliveDecode(bytes, variant).map((t) => mul(s, fromInt(BigInt(t.int), t.shift)));
}

/** Exact integer dot product Σ (int_a·int_b) << (shift_a + shift_b) of two decoded streams. */
export function oliveDot(a: readonly OliveTerm[], b: readonly OliveTerm[]): bigint {
  if (a.length !== b.length)
    fail(`oliveDot needs equally long inputs; got ${a.length} and ${b.length}`);
  let acc = 0n;
  a.forEach((t, i) => {
    const u = b[i] as OliveTerm;
    acc += BigInt(t.int * u.int) << BigInt(t.shift + u.shift);
  });
  return acc;
}
