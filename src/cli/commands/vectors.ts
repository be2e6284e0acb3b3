// `mxgen vectors <design> --count N --seed S`: seeded random input beats of a component and the
// expected output beats from its golden model (the registry's `reference`), written as a vector
// file (docs/cocotb.md) to rtl-out/<design>/cocotb/vectors.json, where the generated cocotb test
// reads it. A design is a registered component kind, `<kind>` (its first example) or
// `<kind>/<example>`.
import { relative, join } from 'node:path';
import type { Command } from 'commander';
import {
  getComponent,
  listComponents,
  parseConfig,
  type AnyComponentKind,
} from '../../components/index.js';
import { emitSv, type SvOutput } from '../../emit/sv/index.js';
import { elaborate, MxgenError, topModule, type ModuleDef } from '../../hdl/index.js';
import { action } from '../action.js';
import { componentVectors, writeVectorFile, type VectorInput } from '../vectors.js';

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

export interface Elaborated {
  readonly sv: SvOutput;
  readonly top: ModuleDef;
}

export function elaborateComponent(d: ComponentDesign): Elaborated {
  const netlist = elaborate(d.kind.generate(d.config));
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
export const DEFAULT_SEED = 1;

/** The vector file of a component design (no writing). */
export function designVectors(
  d: ComponentDesign,
  count: number,
  seed: number,
  e?: Elaborated,
): VectorInput {
  const { sv, top } = e ?? elaborateComponent(d);
  return componentVectors(d.kind, d.config, top, { design: d.name, count, seed, top: sv.top });
}

/** The whole command without printing; returns the written path and the number of beats. */
export function vectorsCommand(
  spec: string,
  opts: VectorsCliOptions = {},
): { path: string; in: number; out: number } {
  const count = intOption('count', opts.count, DEFAULT_COUNT, 1, 1_000_000);
  const seed = intOption('seed', opts.seed, DEFAULT_SEED, 0, 0xffff_ffff);
  const d = resolveComponentDesign(spec);
  const v = designVectors(d, count, seed);
  const path = opts.file ?? join(opts.out ?? 'rtl-out', d.name, 'cocotb', 'vectors.json');
  writeVectorFile(path, v);
  return { path, in: v.inBeats.length, out: v.outBeats.length };
}

export function register(program: Command): void {
  program
    .command('vectors')
    .description('write random input beats and golden expected output beats of a component (JSON)')
    .argument('<design>', 'a registered component: <kind> (its first example) or <kind>/<example>')
    .option('--count <n>', 'number of random input beats', String(DEFAULT_COUNT))
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
