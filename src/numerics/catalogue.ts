// The formats catalogue (`mxgen formats`): per format its bits, bias, extreme values as exact
// decimal strings and its special encodings.
import { decode } from './decode.js';
import { type Exact, finite, toDecimalString, toDyadicString } from './exact.js';
import { type ElementFormat, listFormats } from './formats.js';
import { oliveDecodePair, type OliveVariant } from './olive.js';

export interface CatalogueEntry {
  readonly name: string;
  readonly title: string;
  readonly bits: number;
  readonly bias: number | null;
  readonly minSubnormal: string | null;
  readonly minNormal: string | null;
  readonly max: string;
  readonly min: string;
  /** The fixed-point LSB 2^lsbExp of 5.2 and the value range in LSB units. */
  readonly lsbExp: number;
  readonly maxSig: string;
  readonly minSig: string;
  readonly specials: readonly string[];
  /** The same extremes as `n·2^k` (odd n), short enough for a table. */
  readonly dyadic: {
    readonly minSubnormal: string | null;
    readonly minNormal: string | null;
    readonly max: string;
  };
}

const hex = (c: number, bits: number): string =>
  `0x${c
    .toString(16)
    .toUpperCase()
    .padStart(Math.ceil(bits / 4), '0')}`;

function dec(x: Exact): string {
  return toDecimalString(x);
}

function specialsOf(f: ElementFormat): string[] {
  const out: string[] = [];
  const nan: string[] = [];
  const inf: string[] = [];
  for (let c = 0; c < 2 ** f.bits; c++) {
    const v = decode(f, c);
    if (v.kind === 'nan') nan.push(hex(c, f.bits));
    else if (v.kind === 'inf') inf.push(`${v.neg ? '-' : '+'}Inf ${hex(c, f.bits)}`);
    else if (v.sig === 0n && v.neg) out.push(`-0 ${hex(c, f.bits)}`);
  }
  if (inf.length) out.unshift(...inf);
  if (nan.length) out.unshift(`NaN ${nan.join(' ')}`);
  if (f.kind === 'grid')
    out.push(`${hex(f.specialCode, f.bits)} = ${dec(decode(f, f.specialCode))} (replaces -0)`);
  if (!out.length) out.push('none');
  return out;
}

export function catalogueEntry(f: ElementFormat): CatalogueEntry {
  const e = entry(f);
  const dy = (t: string | null, x: Exact): string | null => (t === null ? null : toDyadicString(x));
  const minNormal = f.kind === 'float' ? f.emin : -127;
  return {
    ...e,
    dyadic: {
      minSubnormal: dy(e.minSubnormal, finite(false, 1n, f.lsbExp)),
      minNormal: dy(e.minNormal, finite(false, 1n, minNormal)),
      max: toDyadicString(finite(false, f.maxSig, f.lsbExp)),
    },
  };
}

function entry(f: ElementFormat): Omit<CatalogueEntry, 'dyadic'> {
  const lsb = finite(false, 1n, f.lsbExp);
  const common = {
    name: f.name,
    title: f.title,
    bits: f.bits,
    max: dec(finite(false, f.maxSig, f.lsbExp)),
    min: dec(finite(false, f.minSig, f.lsbExp)),
    lsbExp: f.lsbExp,
    maxSig: f.maxSig.toString(),
    minSig: f.minSig.toString(),
    specials: specialsOf(f),
  };
  switch (f.kind) {
    case 'float':
      return {
        ...common,
        bias: f.bias,
        minSubnormal: dec(lsb),
        minNormal: dec(finite(false, 1n, f.emin)),
      };
    case 'e8m0':
      return {
        ...common,
        min: dec(finite(false, 1n, -127)),
        bias: f.bias,
        minSubnormal: null,
        minNormal: dec(finite(false, 1n, -127)),
      };
    case 'int':
    case 'grid':
      return { ...common, bias: null, minSubnormal: dec(lsb), minNormal: null };
  }
}

/** Every registered format's catalogue entry, in registry order. */
export function formatCatalogue(): CatalogueEntry[] {
  return listFormats().map(catalogueEntry);
}

/**
 * OliVe pair formats (formats.md 6.2, 6.6) as catalogue rows: values in units of σ, codes per
 * element, decoded in pairs. Not element formats: encode/decode them with oliveEncode/oliveDecode.
 */
export function oliveCatalogue(): CatalogueEntry[] {
  return (['olive4', 'olive8'] as const).map(oliveEntry);
}

function oliveEntry(variant: OliveVariant): CatalogueEntry {
  const bits = variant === 'olive4' ? 4 : 8;
  const id = 1 << (bits - 1);
  const mags = (outlier: boolean): number[] => {
    const out: number[] = [];
    for (let c = 0; c < 2 ** bits; c++) {
      // the identifier is no value; the outlier magnitude code 0 is reserved (never encoded)
      if (c === id || (outlier && (c & (id - 1)) === 0)) continue;
      const [t] = outlier ? oliveDecodePair(variant, c, id) : oliveDecodePair(variant, c, 0);
      out.push(Math.abs(t.int) * 2 ** t.shift);
    }
    return out;
  };
  const maxNormal = Math.max(...mags(false));
  const outliers = mags(true);
  const [lo, hi] = [Math.min(...outliers), Math.max(...outliers)];
  const max = finite(false, BigInt(hi), 0);
  return {
    name: variant,
    title: `OliVe outlier-victim pairs: int${bits} normals -${maxNormal}..${maxNormal}, abfloat outliers ±${lo}..±${hi} (units of σ)`,
    bits,
    bias: null,
    minSubnormal: '1',
    minNormal: null,
    max: dec(max),
    min: `-${dec(max)}`,
    lsbExp: 0,
    maxSig: String(hi),
    minSig: String(-hi),
    specials: [
      `${hex(id, bits)} = outlier identifier: this slot is the victim (0), the other an outlier ±${lo}..±${hi}`,
    ],
    dyadic: { minSubnormal: '1·2^0', minNormal: null, max: toDyadicString(max) },
  };
}
