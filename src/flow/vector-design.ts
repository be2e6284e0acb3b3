// `mxgen vectors <design> --count N --seed S`: seeded random input beats of a component and the
// expected output beats from its golden model (the registry's `reference`), written as a vector
// file (docs/cocotb.md) to rtl-out/<design>/cocotb/vectors.json, where the generated cocotb test
// reads it. A design is a registered component kind, `<kind>` (its first example) or
// `<kind>/<example>`, or a dataflow design (`templates/designs/<name>.yaml`, or a .yaml path),
// whose expected beats come from the IR's golden evaluation.
import { join } from 'node:path';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { emitSv, type SvOutput } from '../emit/sv/index.js';
import {
  elaborate,
  MxgenError,
  topModule,
  type ModuleBuilder,
  type ModuleDef,
} from '../hdl/index.js';
import { designVectors as graphVectors, memoryFiles } from '../ir/index.js';
import { resolveDesign, type ResolvedDesign } from './resolve.js';
import { intOption } from './options.js';
import {
  componentVectors,
  VECTOR_FORMAT,
  vectorPortsOf,
  writeVectorFile,
  type VectorInput,
} from './vectors.js';
import { checkFileTarget, checkOutputTarget, OWNER_FILE, OWNER_MARK } from './output.js';

/** What `vectors` and `cocotb` need of a design: a name, its top and its golden beats. */
export interface VectorDesign {
  /** Output folder name. */
  readonly name: string;
  build(): ModuleBuilder;
  /** Data files written next to the SV (a dataflow design's SRAM images). */
  readonly dataFiles: readonly { name: string; text: string }[];
  /** `count` input units (component: beats; dataflow design: input tensors) for `seed`. */
  vectors(top: ModuleDef, svTop: string, count: number, seed: number): VectorInput;
}

/** The golden vectors of a resolved design; design files have no reference model. */
export function vectorDesignOf(d: ResolvedDesign): VectorDesign {
  switch (d.source) {
    case 'module':
      throw new MxgenError(
        'usage',
        `design file ${d.name} has no reference model to compute expected beats`,
        {
          hint: 'vectors and cocotb tests need a registered component: <kind> or <kind>/<example>',
        },
      );
    case 'component': {
      const c = d.component;
      return {
        name: d.name,
        build: d.build,
        dataFiles: [],
        vectors: (top, svTop, count, seed) =>
          componentVectors(c.kind, c.config, top, { design: d.name, count, seed, top: svTop }),
      };
    }
    case 'dataflow':
      // `count` input tensors (each `tokens` beats): tensors seed·count onwards of the design's
      // seeded inputs (the design's own `seed` fixes its weights).
      return {
        name: d.name,
        build: d.build,
        dataFiles: memoryFiles(d.compiled.memories),
        vectors: (top, svTop, count, seed) => {
          const v = graphVectors(d.compiled.graph, count, seed * count);
          // The weight-load port (memory-mode layers) stays idle: the SRAMs start from their
          // images, written next to the SV.
          const ports = vectorPortsOf(top);
          const constants = new Map(
            ports
              .filter((p) => p.direction === 'input' && /^wl_(valid|sel|row|data)$/.test(p.name))
              .map((p) => [p.name, 0n] as const),
          );
          return {
            design: d.name,
            top: svTop,
            seed,
            ports,
            inBeats: v.inBeats,
            outBeats: v.outBeats,
            ...(constants.size > 0 ? { constants } : {}),
          };
        },
      };
  }
}

/** A .yaml path, a bundled design name (templates/designs/<name>.yaml) or a component. */
export async function resolveVectorDesign(
  spec: string,
  sets: readonly string[] = [],
): Promise<VectorDesign> {
  return vectorDesignOf(await resolveDesign(spec, sets));
}

export interface Elaborated {
  readonly sv: SvOutput;
  readonly top: ModuleDef;
}

export function elaborateDesign(d: VectorDesign): Elaborated {
  const netlist = elaborate(d.build());
  return { sv: emitSv(netlist), top: topModule(netlist) };
}

export interface VectorsCliOptions {
  set?: string[];
  count?: string;
  seed?: string;
  out?: string;
  file?: string;
  force?: boolean;
}

export const DEFAULT_COUNT = 200;
export const COUNT_HELP = 'random input beats (dataflow designs: input tensors)';
export const DEFAULT_SEED = 1;

/** The vector file of a design (no writing). */
export function designVectors(
  d: VectorDesign,
  count: number,
  seed: number,
  e?: Elaborated,
): VectorInput {
  const { sv, top } = e ?? elaborateDesign(d);
  return d.vectors(top, sv.top, count, seed);
}

/** The whole command without printing; returns the written path and the number of beats. */
export async function vectorsCommand(
  spec: string,
  opts: VectorsCliOptions = {},
): Promise<{ path: string; in: number; out: number }> {
  const count = intOption('count', opts.count, DEFAULT_COUNT, 1, 1_000_000);
  const seed = intOption('seed', opts.seed, DEFAULT_SEED, 0, 0xffff_ffff);
  const d = await resolveVectorDesign(spec, opts.set);
  const force = opts.force === true;
  if (opts.file !== undefined) checkFileTarget(opts.file, VECTOR_FORMAT, force);
  else checkOutputTarget(opts.out ?? 'rtl-out', d.name, force);
  const v = designVectors(d, count, seed);
  const path = opts.file ?? join(opts.out ?? 'rtl-out', d.name, 'cocotb', 'vectors.json');
  if (opts.file === undefined) {
    // A design folder this command creates is mxgen's (generate/cocotb may replace it later).
    const designDir = join(opts.out ?? 'rtl-out', d.name);
    if (!existsSync(designDir)) {
      mkdirSync(designDir, { recursive: true });
      writeFileSync(join(designDir, OWNER_FILE), OWNER_MARK);
    }
  }
  writeVectorFile(path, v);
  return { path, in: v.inBeats.length, out: v.outBeats.length };
}
