// `mxgen import <model.onnx>` as a library call: an ONNX model → a design file (the IR's YAML) and
// its weights in a side file (`<name>.weights.safetensors`, docs/onnx.md). Both are written to
// temporary names and renamed, so a failed import leaves nothing behind.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { MxgenError } from '../hdl/index.js';
import { importOnnx, splitWeights } from '../ir/index.js';
import { intOption } from './options.js';

export interface ImportOpts {
  out?: string;
  output?: string;
  name?: string;
  macs?: string;
  force?: boolean;
}

export interface ImportResult {
  /** The importer's notes (e.g. a rounded eps). */
  readonly notes: readonly string[];
  /** The design file and the weights file written. */
  readonly written: readonly [string, string];
}

export function importCommand(model: string, opts: ImportOpts): ImportResult {
  if (!/\.onnx$/i.test(model))
    throw new MxgenError('usage', `${model}: mxgen import takes an .onnx model`);
  const macs = intOption('macs', opts.macs, 64, 1, 1 << 20);
  const imp = importOnnx(model, {
    ...(opts.output ? { output: opts.output } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    macs,
  });
  const name = String(imp.design.design);
  const dir = opts.out ?? '.';
  const yamlName = `${name}.yaml`;
  const wName = `${name}.weights.safetensors`;
  if (!existsSync(dir)) throw new MxgenError('io', `--out ${dir}: no such folder`);
  for (const f of [yamlName, wName])
    if (existsSync(join(dir, f)) && opts.force !== true)
      throw new MxgenError('io', `${join(dir, f)} exists`, {
        hint: 'pass --force to replace it',
      });
  const split = splitWeights(imp.design, wName);
  const header = [
    `# Written by mxgen import: ${imp.design.description as string}.`,
    `# Weights, biases, γ and β: ${wName} (safetensors layout, F64; docs/onnx.md).`,
    '# ONNX tensor → design tensor:',
    ...Object.entries(imp.names).map(([k, v]) => `#   ${k} → ${v}`),
    ...imp.notes.map((n) => `# note: ${n}`),
  ].join('\n');
  const tmp = (f: string): string => join(dir, `.${f}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp(wName), split.bytes);
    writeFileSync(tmp(yamlName), `${header}\n${stringify(split.design, { lineWidth: 0 })}`);
    renameSync(tmp(wName), join(dir, wName));
    renameSync(tmp(yamlName), join(dir, yamlName));
  } catch (e) {
    rmSync(tmp(wName), { force: true });
    rmSync(tmp(yamlName), { force: true });
    throw new MxgenError(
      'io',
      `cannot write to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return { notes: imp.notes, written: [join(dir, yamlName), join(dir, wName)] };
}
