// OCP MX block formats (formats.md 3-4): an element format, its emax_elem, the E8M0 scale and the
// block size. Scale policies: 'floor' (OCP) and the torchao-style variants defined in docs/numerics.md.
import { fail } from './errors.js';
import {
  type FloatFormat,
  FP4_E2M1,
  FP6_E2M3,
  FP6_E3M2,
  FP8_E4M3,
  FP8_E5M2,
  type IntFormat,
  MXINT8_ELEMENT,
} from './formats.js';

export interface MxFormat {
  readonly kind: 'mx';
  /** OCP name: mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1. */
  readonly name: string;
  readonly element: FloatFormat | IntFormat;
  /** Unbiased exponent of the element's largest normal (section 4): E4M3 8 … INT8 0. */
  readonly emaxElem: number;
  /** Mantissa bits used by the 'even' scale policy (floats: M; INT8: 6). */
  readonly manBits: number;
  /** Default block size k (32 for every OCP MX format). */
  readonly blockSize: number;
}

export type ScalePolicy = 'floor' | 'ceil' | 'even' | 'rceil';
export const SCALE_POLICIES: readonly ScalePolicy[] = ['floor', 'ceil', 'even', 'rceil'];

function mx(name: string, element: FloatFormat | IntFormat): MxFormat {
  return {
    kind: 'mx',
    name,
    element,
    emaxElem: element.kind === 'float' ? element.emax : 0,
    manBits: element.kind === 'float' ? element.manBits : -element.lsbExp,
    blockSize: 32,
  };
}

const MX_ALL: readonly MxFormat[] = [
  mx('mxint8', MXINT8_ELEMENT),
  mx('mxfp8_e4m3', FP8_E4M3),
  mx('mxfp8_e5m2', FP8_E5M2),
  mx('mxfp6_e2m3', FP6_E2M3),
  mx('mxfp6_e3m2', FP6_E3M2),
  mx('mxfp4_e2m1', FP4_E2M1),
];

export function listMxFormats(): readonly MxFormat[] {
  return MX_ALL;
}

/** Looks an MX format up by name; unknown names are a config error listing the choices. */
export function getMxFormat(name: string): MxFormat {
  const f = MX_ALL.find((x) => x.name === name);
  if (!f)
    fail(
      `unknown MX format '${name}'; known: ${MX_ALL.map((x) => x.name).join(', ')}, nvfp4 (k = 16, E4M3 scale: nvfp4Quantize)`,
    );
  return f;
}

export function resolveMxFormat(f: MxFormat | string): MxFormat {
  return typeof f === 'string' ? getMxFormat(f) : f;
}

/** One MX block: E8M0 scale code X and k element codes P. */
export interface MxBlock {
  readonly format: MxFormat;
  readonly scale: number;
  readonly codes: readonly number[];
}
