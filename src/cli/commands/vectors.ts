// `mxgen vectors <design> --count N --seed S`: seeded random input beats of a component and the
// expected output beats from its golden model (the registry's `reference`), written as a vector
// file (docs/cocotb.md) to rtl-out/<design>/cocotb/vectors.json, where the generated cocotb test
// reads it. A design is a registered component kind, `<kind>` (its first example) or
// `<kind>/<example>`, or a dataflow design (`templates/designs/<name>.yaml`, or a .yaml path),
// whose expected beats come from the IR's golden evaluation.
import { existsSync } from 'node:fs';
import { relative, join } from 'node:path';
import type { Command } from 'commander';
import {
  getComponent,
  listComponents,
  parseConfig,
  type AnyComponentKind,
} from '../../components/index.js';
import { emitSv, type SvOutput } from '../../emit/sv/index.js';
import {
  elaborate,
  MxgenError,
  topModule,
  type ModuleBuilder,
  type ModuleDef,
} from '../../hdl/index.js';
import { compileGraph, designVectors as graphVectors } from '../../ir/index.js';
import { action } from '../action.js';
import { readDesignFile } from '../design-file.js';
import { componentVectors, vectorPortsOf, writeVectorFile, type VectorInput } from '../vectors.js';

export interface ComponentDesign {
  /** Output folder name: `<kind>-<example>`. */
  readonly name: string;
  readonly kind: AnyComponentKind;
  /** Parsed with the kind's schema. */
  readonly config: unknown;
}

/** `<kind>` or `<kind>/<example>` from the component registry. */
export function resolveComponentDesign(spec: string): ComponentDesign {
  if (/\.(m?ts|m?js)$/.test(spec))
    throw new MxgenError(
      'usage',
      `design file ${spec} has no reference model to compute expected beats`,
      {
        hint: 'vectors and cocotb tests need a registered component: <kind> or <kind>/<example>',
      },
    );
  const [kindName = '', example, ...rest] = spec.split('/');
  if (rest.length > 0 || kindName === '' || example === '')
    throw new MxgenError(
      'usage',
      `design ${JSON.stringify(spec)} is not <kind> or <kind>/<example>`,
      {
        hint: `known kinds: ${
          listComponents()
            .map((k) => k.kind)
            .join(', ') || 'none registered yet'
        }`,
      },
    );
  const kind = getComponent(kindName);
  const ex =
    example === undefined ? kind.examples[0] : kind.examples.find((e) => e.name === example);
  if (!ex)
    throw new MxgenError(
      'usage',
      example === undefined
        ? `component kind ${kind.kind} has no examples; name one as <kind>/<example>`
        : `component kind ${kind.kind} has no example ${JSON.stringify(example)}`,
      { hint: `its examples: ${kind.examples.map((e) => e.name).join(', ') || 'none'}` },
    );
  const config = parseConfig(kind, ex.config, `${kind.kind}/${ex.name}`);
  return { name: `${kind.kind}-${ex.name}`, kind, config };
}

/** What `vectors` and `cocotb` need of a design: a name, its top and its golden beats. */
export interface VectorDesign {
  /** Output folder name. */
  readonly name: string;
  build(): ModuleBuilder;
  /** `count` input units (component: beats; dataflow design: input tensors) for `seed`. */
  vectors(top: ModuleDef, svTop: string, count: number, seed: number): VectorInput;
}

function componentDesign(spec: string): VectorDesign {
  const d = resolveComponentDesign(spec);
  return {
    name: d.name,
    build: () => d.kind.generate(d.config),
    vectors: (top, svTop, count, seed) =>
      componentVectors(d.kind, d.config, top, { design: d.name, count, seed, top: svTop }),
  };
}

/** A dataflow design: `count` input tensors (each `tokens` beats), tensors seed·count onwards
 * of the design's seeded inputs (the design's own `seed` fixes its weights). */
function dataflowDesign(path: string): VectorDesign {
  const compiled = compileGraph(readDesignFile(path));
  const name = compiled.graph.name;
  return {
    name,
    build: () => compiled.top,
    vectors: (top, svTop, count, seed) => {
      const v = graphVectors(compiled.graph, count, seed * count);
      return {
        design: name,
        top: svTop,
        seed,
        ports: vectorPortsOf(top),
        inBeats: v.inBeats,
        outBeats: v.outBeats,
      };
    },
  };
}

export const DESIGN_DIR = 'templates/designs';

/** A .yaml path, a bundled design name (templates/designs/<name>.yaml) or a component. */
export function resolveDesign(spec: string): VectorDesign {
  if (/\.ya?ml$/.test(spec)) return dataflowDesign(spec);
  const bundled = join(DESIGN_DIR, `${spec}.yaml`);
  const isKind = listComponents().some((k) => k.kind === spec.split('/')[0]);
  if (!isKind && /^[\w-]+$/.test(spec) && existsSync(bundled)) return dataflowDesign(bundled);
  return componentDesign(spec);
}

export interface Elaborated {
  readonly sv: SvOutput;
  readonly top: ModuleDef;
}

export function elaborateDesign(d: VectorDesign): Elaborated {
  const netlist = elaborate(d.build());
  return { sv: emitSv(netlist), top: topModule(netlist) };
}

export function intOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < min || v > max)
    throw new MxgenError('usage', `--${name} must be an integer in [${min}, ${max}]; got ${text}`);
  return v;
}

export interface VectorsCliOptions {
  count?: string;
  seed?: string;
  out?: string;
  file?: string;
}

export const DEFAULT_COUNT = 200;
export const DESIGN_ARG =
  'a component (<kind> or <kind>/<example>) or a dataflow design (.yaml, or a name in templates/designs)';
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
export function vectorsCommand(
  spec: string,
  opts: VectorsCliOptions = {},
): { path: string; in: number; out: number } {
  const count = intOption('count', opts.count, DEFAULT_COUNT, 1, 1_000_000);
  const seed = intOption('seed', opts.seed, DEFAULT_SEED, 0, 0xffff_ffff);
  const d = resolveDesign(spec);
  const v = designVectors(d, count, seed);
  const path = opts.file ?? join(opts.out ?? 'rtl-out', d.name, 'cocotb', 'vectors.json');
  writeVectorFile(path, v);
  return { path, in: v.inBeats.length, out: v.outBeats.length };
}

export function register(program: Command): void {
  program
    .command('vectors')
    .description('write random input beats and golden expected output beats of a component (JSON)')
    .argument('<design>', DESIGN_ARG)
    .option('--count <n>', COUNT_HELP, String(DEFAULT_COUNT))
    .option('--seed <s>', 'seed of the input beats and of the cocotb stalls', String(DEFAULT_SEED))
    .option('--out <dir>', 'output root folder', 'rtl-out')
    .option('--file <path>', 'write here instead of <out>/<design>/cocotb/vectors.json')
    .action(
      action((spec: string, opts: VectorsCliOptions) => {
        const r = vectorsCommand(spec, opts);
        console.log(
          `wrote ${relative(process.cwd(), r.path) || r.path} (${r.in} input beats, ${r.out} expected output beats)`,
        );
      }),
    );
}
