// docs/formats-compared.md: SQNR against FP64 of every 4-bit-class format mxgen has a golden model
// for, on the same heavy-tailed data (Student-t weights and activations, and LM-like activations
// with outlier channels), next to bits per value and the Yosys area of the matching MAC lane (read
// from docs/area-sweep.csv, which scripts/area-sweep.ts measures). Every quantization is the exact
// golden model of src/numerics; only the data generation, the Hadamard rotation of the
// "Hadamard + int4" row (as QuaRot evaluates it) and the error sums use binary64.
// Run: node --import tsx scripts/formats-compared.ts   (writes docs/formats-compared.md)
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  atomFormatMap,
  binary32BitsOfNumber,
  bitmodDequantizeChannel,
  bitmodQuantizeChannel,
  dequantize,
  dialectDequantize,
  dialectQuantizeActivation,
  dialectQuantizeWeight,
  type Exact,
  hadamardEntry,
  mixedDequantize,
  mixedQuantize,
  nvfp4Decode,
  nvfp4Quantize,
  oliveEncode,
  oliveValues,
  outlierPermutation,
  quantize,
} from '../src/numerics/index.js';

/** Deterministic uniform (0, 1) from a 32-bit mulberry-style generator. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 2 ** 32;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Student-t with ν degrees of freedom: z / sqrt(χ²_ν / ν). */
function studentT(u: () => number, nu: number): number {
  let chi = 0;
  for (let i = 0; i < nu; i++) chi += normal(u) ** 2;
  return normal(u) / Math.sqrt(chi / nu);
}

export interface Dataset {
  readonly name: string;
  readonly note: string;
  /** rows × channels, binary32 values (as JS numbers, exactly representable). */
  readonly rows: readonly (readonly number[])[];
  readonly role: 'weights' | 'activations';
}

export function datasets(rows: number, channels: number): Dataset[] {
  const mk = (seed: number, f: (u: () => number, c: number) => number): number[][] => {
    const u = uniform(seed);
    return Array.from({ length: rows }, () =>
      Array.from({ length: channels }, (_, c) => Math.fround(f(u, c))),
    );
  };
  const chanScale = (() => {
    const u = uniform(99);
    return Array.from({ length: channels }, () => Math.exp(0.3 * normal(u)));
  })();
  const outliers = new Set(
    Array.from(
      { length: Math.max(1, Math.round(channels / 64)) },
      (_, i) => (37 * i + 11) % channels,
    ),
  );
  return [
    {
      name: 'Student-t ν=3 (weights)',
      note: 'i.i.d. t(3)·0.02',
      rows: mk(1, (u) => 0.02 * studentT(u, 3)),
      role: 'weights',
    },
    {
      name: 'Student-t ν=5 (activations)',
      note: 'i.i.d. t(5)',
      rows: mk(2, (u) => studentT(u, 5)),
      role: 'activations',
    },
    {
      name: 'LM-like activations, outlier channels',
      note: `Laplace body × per-channel log-normal scale (σ = 0.3), ${outliers.size} of ${channels} channels × 40`,
      rows: mk(3, (u, c) => {
        const lap = (u() < 0.5 ? -1 : 1) * Math.log(u());
        return lap * (chanScale[c] ?? 1) * (outliers.has(c) ? 40 : 1);
      }),
      role: 'activations',
    },
  ];
}

const num = (x: Exact): number =>
  x.kind === 'finite' ? (x.neg ? -1 : 1) * Number(x.sig) * 2 ** x.exp : NaN;
const bitsOf = (xs: readonly number[]): number[] => xs.map(binary32BitsOfNumber);

function blocks<T>(xs: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += k) out.push(xs.slice(i, i + k));
  return out;
}

/** H_n·x / √n in binary64. */
function rotate(x: readonly number[]): number[] {
  const n = x.length;
  return x.map((_, i) => x.reduce((a, v, j) => a + hadamardEntry(i, j) * v, 0) / Math.sqrt(n));
}

export interface FormatRow {
  readonly id: string;
  readonly label: string;
  /** Bits per value as mxgen stores it (elements plus amortized scales/metadata). */
  readonly bits: (channels: number) => number;
  /** The area-sweep row of the matching MAC lane, if one exists. */
  readonly lane?: string;
  readonly laneNote: string;
  /** Quantize-dequantize one dataset (all rows); returns x̂ per row. */
  readonly run: (d: Dataset) => number[][];
}

const int4Groups = (g: number) => (row: readonly number[]) =>
  mixedDequantize(
    mixedQuantize(bitsOf(row), [{ start: 0, end: row.length, bits: 4, groupSize: g }]),
  ).map(num);

function amaxAll(d: Dataset): number {
  return Math.max(...d.rows.flatMap((r) => r.map(Math.abs)));
}

export const FORMATS: readonly FormatRow[] = [
  {
    id: 'int4-g32',
    label: 'int4, per-group scale (g = 32)',
    bits: () => 4 + 32 / 32,
    lane: 'int4',
    laneNote: 'int4 PE (mac-array)',
    run: (d) => d.rows.map(int4Groups(32)),
  },
  {
    id: 'int4-g128',
    label: 'int4, per-group scale (g = 128)',
    bits: () => 4 + 32 / 128,
    lane: 'int4',
    laneNote: 'int4 PE (mac-array)',
    run: (d) => d.rows.map(int4Groups(128)),
  },
  {
    id: 'mxfp4',
    label: 'MXFP4 (E2M1, k = 32, E8M0)',
    bits: () => 4 + 8 / 32,
    lane: 'mx-dot-mxfp4_e2m1',
    laneNote: 'mx-dot e2m1 k = 32',
    run: (d) => d.rows.map((r) => quantize(bitsOf(r), 'mxfp4_e2m1').flatMap(dequantize).map(num)),
  },
  {
    id: 'nvfp4',
    label: 'NVFP4 (E2M1, k = 16, E4M3 + tensor scale)',
    bits: () => 4 + 8 / 16,
    laneNote: '— (no NVFP4 lane in the sweep)',
    run: (d) => {
      const g = binary32BitsOfNumber(Math.fround(amaxAll(d) / (448 * 6)));
      return d.rows.map((r) =>
        blocks(bitsOf(r), 16)
          .flatMap((b) => nvfp4Decode(nvfp4Quantize(b, g), g))
          .map(num),
      );
    },
  },
  {
    id: 'dialect-online',
    label: 'DialectFP4, online two-stage (k = 32)',
    bits: () => 4 + 12 / 32,
    lane: 'dialect-umul',
    laneNote: 'dialect-mac umul, 32 lanes',
    run: (d) =>
      d.rows.map((r) =>
        blocks(bitsOf(r), 32)
          .flatMap((b) => dialectDequantize(dialectQuantizeActivation(b, b.length)))
          .map(num),
      ),
  },
  {
    id: 'dialect-mse',
    label: 'DialectFP4, offline best MSE (k = 32)',
    bits: () => 4 + 12 / 32,
    lane: 'dialect-int4',
    laneNote: 'dialect-mac int4+residual, 32 lanes',
    run: (d) =>
      d.rows.map((r) =>
        blocks(bitsOf(r), 32)
          .flatMap((b) => dialectDequantize(dialectQuantizeWeight(b, b.length)))
          .map(num),
      ),
  },
  {
    id: 'bitmod-fp4',
    label: 'BitMoD FP4, per-group variant (g = 128)',
    bits: (c) => 4 + 10 / 128 + 8 / c,
    lane: 'bitmod-pe',
    laneNote: 'bitmod-pe, 8 lanes (FP4: 5 cycles per beat)',
    run: (d) =>
      d.rows.map((r) =>
        bitmodDequantizeChannel(bitmodQuantizeChannel(bitsOf(r), 'fp4', 128), 'fp4').map(num),
      ),
  },
  {
    id: 'bitmod-fp3',
    label: 'BitMoD FP3, per-group variant (g = 128)',
    bits: (c) => 3 + 10 / 128 + 8 / c,
    lane: 'bitmod-pe',
    laneNote: 'bitmod-pe, 8 lanes (FP3: 3 cycles per beat)',
    run: (d) =>
      d.rows.map((r) =>
        bitmodDequantizeChannel(bitmodQuantizeChannel(bitsOf(r), 'fp3', 128), 'fp3').map(num),
      ),
  },
  {
    id: 'olive4',
    label: 'OliVe4 (outlier-victim pairs, σ per tensor)',
    bits: () => 4,
    lane: 'olive4',
    laneNote: 'olive-pe olive4 × olive4',
    run: (d) => {
      // σ: the smallest power of two with 3·rms ≤ 7σ (the IR's calibration rule)
      const all = d.rows.flat();
      const rms = Math.sqrt(all.reduce((a, v) => a + v * v, 0) / all.length);
      const sigma = 2 ** Math.ceil(Math.log2((3 * rms) / 7));
      const s = { binary32: binary32BitsOfNumber(sigma) };
      return d.rows.map((r) =>
        oliveValues(
          oliveEncode(
            r.map((v) => ({ binary32: binary32BitsOfNumber(v) })),
            s,
            'olive4',
          ),
          s,
          'olive4',
        )
          .map(num)
          .slice(0, r.length),
      );
    },
  },
  {
    id: 'atom',
    label: 'Atom: int8 outlier channels + int4 (g = 128)',
    bits: (c) => {
      const o = Math.max(1, c / 32);
      return (4 * (c - o) + 8 * o) / c + (32 * (Math.ceil((c - o) / 128) + 1)) / c;
    },
    lane: 'scalable-8-2',
    laneNote: 'mixed-lane on the scalable-pe',
    run: (d) => {
      const c = d.rows[0]?.length ?? 0;
      const o = Math.max(1, c / 32);
      // outlier channels: the largest per-channel amax over the tensor (Atom's calibration)
      const score = Array.from({ length: c }, (_, j) =>
        Math.max(...d.rows.map((r) => Math.abs(r[j] ?? 0))),
      );
      const perm = outlierPermutation(score, o);
      const map = atomFormatMap(c, o, 128);
      return d.rows.map((r) => {
        const y = mixedDequantize(mixedQuantize(bitsOf(perm.map((j) => r[j] ?? 0)), map)).map(num);
        const back = new Array<number>(c).fill(0);
        perm.forEach((j, i) => (back[j] = y[i] ?? 0));
        return back;
      });
    },
  },
  {
    id: 'hadamard-int4',
    label: 'Hadamard (n = 32) + int4 (g = 32)',
    bits: () => 4 + 32 / 32,
    lane: 'int4',
    laneNote: 'int4 PE (+ fwht adders per token)',
    run: (d) =>
      d.rows.map((r) =>
        blocks(r, 32).flatMap((b) => {
          const z = rotate(b).map((v) => Math.fround(v));
          return rotate(int4Groups(32)(z));
        }),
      ),
  },
];

export function sqnrDb(
  x: readonly (readonly number[])[],
  y: readonly (readonly number[])[],
): number {
  let s = 0;
  let n = 0;
  x.forEach((r, i) =>
    r.forEach((v, j) => {
      s += v * v;
      n += (v - (y[i]?.[j] ?? NaN)) ** 2;
    }),
  );
  return 10 * Math.log10(s / n);
}

function laneArea(): Map<string, { ge: number; perProduct: number }> {
  const m = new Map<string, { ge: number; perProduct: number }>();
  let text = '';
  try {
    text = readFileSync(resolve('docs/area-sweep.csv'), 'utf8');
  } catch {
    return m;
  }
  const [head, ...lines] = text.trim().split('\n');
  const cols = (head ?? '').split(',');
  const at = (name: string): number => cols.indexOf(name);
  for (const l of lines) {
    const c = l.split(',');
    if (c[at('status')] !== 'ok') continue;
    m.set(c[at('id')] ?? '', {
      ge: Number(c[at('gate_equivalents')]),
      perProduct: Number(c[at('ge_per_product')]),
    });
  }
  return m;
}

export function formatsComparedMarkdown(rows = 64, channels = 256): string {
  const data = datasets(rows, channels);
  const area = laneArea();
  const table = FORMATS.map((f) => {
    const sq = data.map((d) => sqnrDb(d.rows, f.run(d)).toFixed(2));
    const a = f.lane ? area.get(f.lane) : undefined;
    return `| ${f.label} | ${f.bits(channels).toFixed(3)} | ${sq.join(' | ')} | ${f.laneNote} | ${a ? a.perProduct.toFixed(1) : '—'} |`;
  });
  return [
    '# Formats compared: SQNR, bits per value, MAC-lane area',
    '',
    '<!-- Generated by scripts/formats-compared.ts; edit the script, not this file. -->',
    '',
    '```sh',
    'node --import tsx scripts/area-sweep.ts        # the lane areas (docs/area-sweep.csv), Yosys',
    'node --import tsx scripts/formats-compared.ts  # this file',
    '```',
    '',
    `SQNR = 10·log10(Σx² / Σ(x − x̂)²) against the binary64 data (rounded once to binary32, the`,
    `formats' input), over ${rows} rows × ${channels} channels per data set; x̂ is the exact dequantized`,
    'value of the golden model (`src/numerics`), quantizing along the channel axis. Data (seeded):',
    '',
    ...data.map((d) => `- **${d.name}**: ${d.note}.`),
    '',
    'The LM-like set is synthetic (no model activations are measured in this repository); its',
    'outlier channels follow the pattern LLM.int8 and Atom report (a few channels far above the rest).',
    '',
    `| format | bits/value | ${data.map((d) => `SQNR ${d.name} (dB)`).join(' | ')} | MAC lane | lane GE per product |`,
    `| --- | ---: | ${data.map(() => '---:').join(' | ')} | --- | ---: |`,
    ...table,
    '',
    'Notes.',
    '- Bits per value count the stored element bits plus amortized metadata as mxgen stores it:',
    '  int4 group scales and Atom group scales are binary32 (16-bit scales, as Atom and QuaRot use,',
    '  would subtract 16/g); DialectFP4 stores an E8M0 exponent and a 4-bit dialect id per 32',
    '  (the paper: 5-bit exponent); BitMoD an 8-bit scale code and a 2-bit variant per group plus',
    '  an 8-bit exponent per channel; NVFP4 an E4M3 scale per 16 (its binary32 tensor scale not',
    '  counted); OliVe4 one σ per tensor (not counted).',
    '- Area: GE per product of the matching lane in docs/area-sweep.md (Yosys, mxgen_ge.lib). The',
    '  DialectFP4 and MX rows are 32-element block dot products; the int4, OliVe and scalable rows',
    '  single PEs with a K = 32 accumulator; the BitMoD PE is bit-serial (INT4 mode: 2 products per',
    '  cycle for 8 lanes). Hadamard + int4 also needs the fwht unit per token (adders only).',
    '- DialectFP4 online = the activation rule (5-bit intermediates, two stages); offline = the',
    '  weight rule (least squared error over all 16 dialects). Atom: the 1/32 of the channels with',
    '  the largest amax (calibrated on the same tensor) in int8. Hadamard + int4: each 32-element',
    '  block rotated by H/√32 in binary64, int4-quantized, rotated back (QuaRot evaluates this way;',
    '  the `fwht` unit does the integer part exactly).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  writeFileSync(resolve('docs/formats-compared.md'), formatsComparedMarkdown());
  console.log('wrote docs/formats-compared.md');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main();
