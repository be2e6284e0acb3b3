// Runs a built harness: encodes stimulus rows (one bigint per input per cycle) into MXS1 files,
// runs the binary once for all vector sets, and decodes the MXO1 output files into rows.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../cleanup.js';
import { join } from 'node:path';
import { MxgenError, type MemImages } from '../../hdl/index.js';
import { writeImages } from '../images.js';
import { runTool } from '../process.js';
import { totalWords, wordsOf, type HarnessPort, type HarnessSpec } from './harness.js';

export const STIM_MAGIC = 0x3153584d;
export const OUT_MAGIC = 0x314f584d;

/** One vector set: `rows[t][k]` is input k (in `spec.inputs` order) at cycle t. */
export type Rows = readonly (readonly bigint[])[];

export function encodeStimulus(inputs: readonly HarnessPort[], rows: Rows): Buffer {
  const perCycle = totalWords(inputs);
  const words = new Uint32Array(2 + rows.length * perCycle);
  words[0] = STIM_MAGIC;
  words[1] = rows.length;
  let k = 2;
  rows.forEach((row, t) => {
    if (row.length !== inputs.length)
      throw new MxgenError(
        'usage',
        `stimulus row ${t} has ${row.length} values; the harness has ${inputs.length} inputs`,
      );
    inputs.forEach((p, i) => {
      let v = row[i] ?? 0n;
      if (v < 0n || v >> BigInt(p.width) !== 0n)
        throw new MxgenError(
          'usage',
          `stimulus value ${v} for input ${p.name} at cycle ${t} does not fit in ${p.width} bits`,
          { hint: 'pass the unsigned bit pattern, in [0, 2^width)' },
        );
      for (let w = wordsOf(p.width); w > 0; w--) {
        words[k++] = Number(v & 0xffffffffn);
        v >>= 32n;
      }
    });
  });
  return Buffer.from(words.buffer, words.byteOffset, words.byteLength);
}

export function decodeOutputs(
  outputs: readonly HarnessPort[],
  buf: Buffer,
  what = 'outputs',
): bigint[][] {
  if (buf.byteLength % 4 !== 0 || buf.byteLength < 8)
    throw new MxgenError('tool', `harness wrote a truncated output file (${what})`);
  const words = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  if (words[0] !== OUT_MAGIC)
    throw new MxgenError('tool', `harness output file ${what} has no MXO1 header`);
  const cycles = words[1] ?? 0;
  const perCycle = totalWords(outputs);
  if (words.length !== 2 + cycles * perCycle)
    throw new MxgenError('tool', `harness output file ${what} does not match the port list`);
  const rows: bigint[][] = [];
  let k = 2;
  for (let t = 0; t < cycles; t++) {
    const row: bigint[] = [];
    for (const p of outputs) {
      const n = wordsOf(p.width);
      if (n === 1) row.push(BigInt(words[k] ?? 0));
      else {
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[k + i] ?? 0);
        row.push(v);
      }
      k += n;
    }
    rows.push(row);
  }
  return rows;
}

export interface RunHarnessOptions {
  timeoutMs?: number;
  /**
   * SRAM init images, written as `.hex` files into the run directory (the binary's working
   * directory, where the design's `$readmemh` looks). Not part of the build: one binary serves
   * any images.
   */
  images?: MemImages;
}

/** Runs `exe` on every vector set in one process; returns the output rows of each set. */
export async function runHarness(
  exe: string,
  spec: HarnessSpec,
  sets: readonly Rows[],
  opts: RunHarnessOptions = {},
): Promise<bigint[][][]> {
  if (sets.length === 0) return [];
  const dir = makeTempDir('vlrun');
  try {
    writeImages(dir, opts.images);
    const args: string[] = [];
    sets.forEach((rows, i) => {
      const stim = join(dir, `stim${i}.bin`);
      writeFileSync(stim, encodeStimulus(spec.inputs, rows));
      args.push(stim, join(dir, `out${i}.bin`));
    });
    await runTool(exe, args, { cwd: dir, timeoutMs: opts.timeoutMs ?? 10 * 60_000 });
    return sets.map((_, i) =>
      decodeOutputs(spec.outputs, readFileSync(join(dir, `out${i}.bin`)), `set ${i}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
