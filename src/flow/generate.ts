// `mxgen generate <design>`: elaborate a design file, emit SystemVerilog and write
// `rtl-out/<design>/` (one `<module>.sv` per module plus manifest.json), atomically.
import { emitSv } from '../emit/sv/index.js';
import { elaborate, MxgenError } from '../hdl/index.js';
import { resolveDesign } from './resolve.js';
import { buildManifest, checkOutputTarget, mxgenVersion, writeDesignDir } from './output.js';
import { memoryFiles } from '../ir/index.js';
import { designOverrides } from './run.js';

export interface GenerateOptions {
  set?: string[];
  out?: string;
  locations?: string;
  force?: boolean;
  seed?: string;
  weightsStorage?: string;
}

export interface GenerateResult {
  readonly dir: string;
  readonly modules: number;
  readonly lines: number;
}

/** The whole command without printing: load, elaborate, emit, write. */
export async function generate(spec: string, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const locations = opts.locations ?? 'none';
  if (locations !== 'none' && locations !== 'relative')
    throw new MxgenError('usage', `--locations must be relative or none; got ${locations}`, {
      hint: '--locations relative adds // file:line comments',
    });
  const design = await resolveDesign(spec, opts.set, designOverrides(opts));
  const out = opts.out ?? 'rtl-out';
  checkOutputTarget(out, design.name, opts.force === true);
  const sv = emitSv(elaborate(design.build()), { locations });
  const manifest = buildManifest(design.name, sv, mxgenVersion());
  const data = design.source === 'dataflow' ? memoryFiles(design.compiled.memories) : [];
  const dir = await writeDesignDir(out, design.name, [...sv.files, ...data, manifest], {
    force: opts.force === true,
  });
  const lines = sv.modules.reduce((n, m) => n + m.lines, 0);
  return { dir, modules: sv.modules.length, lines };
}
