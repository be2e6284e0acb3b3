// Element and scale formats as data (formats.md sections 1-3, 9.1): a registry by OCP name.
// Every descriptor carries what a hardware generator needs: bits, the fixed-point form of its
// values (`lsbExp`, `maxSig`, `minSig`, `fixedBits`) and which specials exist.
import { fail } from './errors.js';

interface FormatCommon {
  /** Registry name (OCP spelling): `fp8_e4m3`, `int8`, `e8m0`, `bitmod_fp4_er+`, ... */
  readonly name: string;
  /** One-line description for the catalogue. */
  readonly title: string;
  /** Width of one code. */
  readonly bits: number;
  /** Every finite value is an integer multiple of 2^lsbExp (5.2: the fixed LSB). */
  readonly lsbExp: number;
  /** Largest finite value in units of 2^lsbExp. */
  readonly maxSig: bigint;
  /** Most negative finite value in units of 2^lsbExp (0 for unsigned formats). */
  readonly minSig: bigint;
  /** Two's complement width that holds every finite value in units of 2^lsbExp. */
  readonly fixedBits: number;
  readonly hasInf: boolean;
  readonly hasNaN: boolean;
  readonly hasNegZero: boolean;
  /** ml_dtypes dtype with identical decoding, if any (oracle tests). */
  readonly mlDtypes?: string;
}

/** Where a float format keeps its specials. */
export type FloatSpecials =
  | 'ieee' // exponent all ones: mantissa 0 = ±Inf, else NaN (E5M2)
  | 'nan-only' // only S.1…1.1…1 is NaN, no Inf (OCP E4M3, "fn")
  | 'none'; // every code is finite (FP6, FP4)

/** Sign-magnitude float with subnormals (2.2). */
export interface FloatFormat extends FormatCommon {
  readonly kind: 'float';
  readonly expBits: number;
  readonly manBits: number;
  readonly bias: number;
  readonly specials: FloatSpecials;
  /** Unbiased exponent of the min normal (1 - bias) and of the max normal. */
  readonly emin: number;
  readonly emax: number;
  /** M + 1: significand width including the hidden bit. */
  readonly sigBits: number;
  /** Largest left shift of the significand in the fixed form: max(e,1) - 1 for the max code. */
  readonly maxShift: number;
  /** FP8 standalone conversion needs an explicit overflow policy (2.3); FP6/FP4 saturate only. */
  readonly policyRequired: boolean;
}

/** Two's complement (or unsigned) integer, value = code · 2^lsbExp (1.1; MXINT8 element 3.1). */
export interface IntFormat extends FormatCommon {
  readonly kind: 'int';
  readonly signed: boolean;
}

/** E8M0 scale: 2^(code-127), 0xFF = NaN, no zero, no sign (3.2). */
export interface ScaleFormat extends FormatCommon {
  readonly kind: 'e8m0';
  readonly bias: number;
}

/** A value table (BitMoD, 9.1): code → value in units of 2^lsbExp. */
export interface GridFormat extends FormatCommon {
  readonly kind: 'grid';
  /** Signed value of each code in units of 2^lsbExp, indexed by code. */
  readonly table: readonly bigint[];
  /** The code whose value replaced -0, and that value's name (ER+, ...). */
  readonly specialCode: number;
  readonly variant: BitModVariant;
}

export type BitModVariant = 'er+' | 'er-' | 'ea+' | 'ea-';
export type ElementFormat = FloatFormat | IntFormat | ScaleFormat | GridFormat;

const bitLength = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);
const signedWidth = (lo: bigint, hi: bigint): number =>
  Math.max(bitLength(hi), lo < 0n ? bitLength(-lo - 1n) : 0) + 1;

function float(
  name: string,
  expBits: number,
  manBits: number,
  bias: number,
  specials: FloatSpecials,
  mlDtypes: string,
): FloatFormat {
  const topE = (1 << expBits) - 1;
  const maxE = specials === 'ieee' ? topE - 1 : topE;
  const maxM = specials === 'nan-only' ? (1 << manBits) - 2 : (1 << manBits) - 1;
  const maxSig = BigInt((1 << manBits) + maxM) << BigInt(maxE - 1);
  return {
    kind: 'float',
    name,
    title: `OCP ${expBits + manBits + 1}-bit float E${expBits}M${manBits}`,
    bits: 1 + expBits + manBits,
    expBits,
    manBits,
    bias,
    specials,
    emin: 1 - bias,
    emax: maxE - bias,
    sigBits: manBits + 1,
    maxShift: maxE - 1,
    lsbExp: 1 - bias - manBits,
    maxSig,
    minSig: -maxSig,
    fixedBits: signedWidth(-maxSig, maxSig),
    hasInf: specials === 'ieee',
    hasNaN: specials !== 'none',
    hasNegZero: true,
    policyRequired: expBits + manBits + 1 === 8,
    mlDtypes,
  };
}

function int(bits: number, signed: boolean, lsbExp = 0, name?: string): IntFormat {
  const minSig = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const maxSig = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  return {
    kind: 'int',
    name: name ?? `${signed ? '' : 'u'}int${bits}`,
    title:
      lsbExp === 0
        ? `${signed ? 'two’s complement' : 'unsigned'} ${bits}-bit integer`
        : `MXINT8 element: two’s complement 8 bits, value code·2^${lsbExp} (1.${-lsbExp} fixed point)`,
    bits,
    signed,
    lsbExp,
    maxSig,
    minSig,
    fixedBits: signedWidth(minSig, maxSig),
    hasInf: false,
    hasNaN: false,
    hasNegZero: false,
  };
}

const E8M0: ScaleFormat = {
  kind: 'e8m0',
  name: 'e8m0',
  title: 'OCP MX shared scale: 2^(code-127), 0xFF = NaN',
  bits: 8,
  bias: 127,
  lsbExp: -127,
  maxSig: 1n << 254n,
  minSig: 0n,
  fixedBits: 256,
  hasInf: false,
  hasNaN: true,
  hasNegZero: false,
  mlDtypes: 'float8_e8m0fnu',
};

/** BitMoD specials (9.1) in OCP units: FP3 ±3 / ±6, FP4 ±5 / ±8. */
function bitmod(base: 'fp3' | 'fp4', variant: BitModVariant): GridFormat {
  // Magnitudes in units of 2^lsbExp: FP3 {0,1,2,4} (lsb 1), FP4 E2M1 {0,..,6} (lsb 0.5).
  const mags = base === 'fp3' ? [0n, 1n, 2n, 4n] : [0n, 1n, 2n, 3n, 4n, 6n, 8n, 12n];
  const extra = base === 'fp3' ? (variant[1] === 'r' ? 3n : 6n) : variant[1] === 'r' ? 10n : 16n;
  const special = variant.endsWith('+') ? extra : -extra;
  const table = [...mags, special, ...mags.slice(1).map((m) => -m)];
  const values = table;
  const maxSig = values.reduce((a, b) => (b > a ? b : a), 0n);
  const minSig = values.reduce((a, b) => (b < a ? b : a), 0n);
  return {
    kind: 'grid',
    name: `bitmod_${base}_${variant}`,
    title: `BitMoD ${base.toUpperCase()} ${variant.toUpperCase()}: -0 code means ${special < 0n ? '-' : '+'}${base === 'fp3' ? extra : Number(extra) / 2}`,
    bits: base === 'fp3' ? 3 : 4,
    lsbExp: base === 'fp3' ? 0 : -1,
    maxSig,
    minSig,
    fixedBits: signedWidth(minSig, maxSig),
    hasInf: false,
    hasNaN: false,
    hasNegZero: false,
    table,
    specialCode: mags.length,
    variant,
  };
}

const MXINT8_ELEMENT = int(8, true, -6, 'mxint8_element');

const ALL: readonly ElementFormat[] = [
  ...[2, 3, 4, 5, 6, 7, 8].map((n) => int(n, true)),
  ...[2, 3, 4, 5, 6, 7, 8].map((n) => int(n, false)),
  float('fp8_e4m3', 4, 3, 7, 'nan-only', 'float8_e4m3fn'),
  float('fp8_e5m2', 5, 2, 15, 'ieee', 'float8_e5m2'),
  float('fp6_e2m3', 2, 3, 1, 'none', 'float6_e2m3fn'),
  float('fp6_e3m2', 3, 2, 3, 'none', 'float6_e3m2fn'),
  float('fp4_e2m1', 2, 1, 1, 'none', 'float4_e2m1fn'),
  E8M0,
  MXINT8_ELEMENT,
  ...(['fp3', 'fp4'] as const).flatMap((b) =>
    (['er+', 'er-', 'ea+', 'ea-'] as const).map((v) => bitmod(b, v)),
  ),
];

const REGISTRY = new Map<string, ElementFormat>(ALL.map((f) => [f.name, f]));

/** Short and library spellings accepted by `getFormat`. */
export const FORMAT_ALIASES: ReadonlyMap<string, string> = new Map([
  ['e4m3', 'fp8_e4m3'],
  ['e5m2', 'fp8_e5m2'],
  ['e2m3', 'fp6_e2m3'],
  ['e3m2', 'fp6_e3m2'],
  ['e2m1', 'fp4_e2m1'],
  ['float8_e4m3fn', 'fp8_e4m3'],
  ['float8_e5m2', 'fp8_e5m2'],
  ['float6_e2m3fn', 'fp6_e2m3'],
  ['float6_e3m2fn', 'fp6_e3m2'],
  ['float4_e2m1fn', 'fp4_e2m1'],
  ['float8_e8m0fnu', 'e8m0'],
]);

/** Every element / scale format, in catalogue order. */
export function listFormats(): readonly ElementFormat[] {
  return ALL;
}

/** Looks a format up by name or alias; unknown names are a config error listing the choices. */
export function getFormat(name: string): ElementFormat {
  const f = REGISTRY.get(name) ?? REGISTRY.get(FORMAT_ALIASES.get(name) ?? '');
  if (!f) fail(`unknown format '${name}'; known formats: ${ALL.map((x) => x.name).join(', ')}`);
  return f;
}

/** Accepts a descriptor or a name. */
export function resolveFormat(f: ElementFormat | string): ElementFormat {
  return typeof f === 'string' ? getFormat(f) : f;
}

export const FP8_E4M3 = getFormat('fp8_e4m3') as FloatFormat;
export const FP8_E5M2 = getFormat('fp8_e5m2') as FloatFormat;
export const FP6_E2M3 = getFormat('fp6_e2m3') as FloatFormat;
export const FP6_E3M2 = getFormat('fp6_e3m2') as FloatFormat;
export const FP4_E2M1 = getFormat('fp4_e2m1') as FloatFormat;
export const INT8 = getFormat('int8') as IntFormat;
export { E8M0, MXINT8_ELEMENT };
