// Throughput of the golden numerics: element encode / decode and MX block quantization (values/s).
import type { BenchRecord } from '../bench.js';
import { decode, encode, getFormat, quantizeBlock } from '../../src/numerics/index.js';

/** Formats whose encode / decode rates are measured. */
export const BENCH_FORMATS = ['fp8_e4m3', 'fp4_e2m1', 'int8'] as const;

function inputs(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    // values in ±[2^-8, 2^8): the interesting range of the element formats
    out.push(((a & 0x80000000) | ((119 + (a % 16)) << 23) | (a & 0x7fffff)) >>> 0);
  }
  return out;
}

/** Codes fed to decode: the inputs' low bits, so every code of the format (not only 0..15) occurs. */
export function decodeCodes(format: string, xs: readonly number[]): number[] {
  const mask = 2 ** getFormat(format).bits - 1;
  return xs.map((b) => b & mask);
}

function rate(count: number, fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  const ns = Number(process.hrtime.bigint() - t0);
  return Math.round((count * 1e9) / ns);
}

export async function run(o: { values?: number; blocks?: number } = {}): Promise<BenchRecord[]> {
  const xs = inputs(Math.max(o.values ?? 200_000, 32 * (o.blocks ?? 2000)), 1);
  const recs: BenchRecord[] = [];
  for (const f of BENCH_FORMATS) {
    let sink = 0;
    const codes = decodeCodes(f, xs);
    const enc = rate(xs.length, () => {
      for (const b of xs) sink ^= encode(f, { binary32: b }, { overflow: 'saturate' });
    });
    const dec = rate(codes.length, () => {
      for (const c of codes) sink ^= decode(f, c).kind.length;
    });
    recs.push({ name: `numerics.encode.${f}`, valuesPerSecond: enc });
    recs.push({ name: `numerics.decode.${f}`, valuesPerSecond: dec, sink: sink & 1 });
  }
  for (const f of ['mxfp8_e4m3', 'mxfp4_e2m1', 'mxint8']) {
    const n = 32 * (o.blocks ?? 2000);
    const q = rate(n, () => {
      for (let i = 0; i < n; i += 32) quantizeBlock(xs.slice(i, i + 32), f);
    });
    recs.push({ name: `numerics.mxQuantize.${f}`, valuesPerSecond: q });
  }
  return recs;
}
