// One meaning of `<design>` for every command: a design file (.ts/.js exporting a ModuleBuilder),
// a registered component (`<kind>` or `<kind>/<example>`, with `--set key=value` overrides of
// its config), or a dataflow design (a .yaml path, or the name of a bundled one in
// templates/designs/).
import { existsSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import {
  getComponent,
  listComponents,
  parseConfig,
  type AnyComponentKind,
} from '../components/index.js';
import { didYouMean, MxgenError, type ModuleBuilder } from '../hdl/index.js';
import { compileGraph, type Compiled, type WeightsStorage, withOverrides } from '../ir/index.js';
import { readDesignFile } from './design-file.js';
import { checkLimits, estimateDesign } from './estimate.js';
import { loadDesign } from './design.js';

/** The bundled dataflow designs, found from mxgen's own files (any working directory). */
export const DESIGN_DIR = fileURLToPath(new URL('../../templates/designs', import.meta.url));

/** Names of the bundled dataflow designs (`default`, `mlp-int8`, ...). */
export function bundledDesigns(): string[] {
  try {
    return readdirSync(DESIGN_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, ''))
      .sort();
  } catch {
    return [];
  }
}

/**
 * The YAML file of a dataflow design argument of `mxgen <command>`: a .yaml/.yml path or a bundled
 * design's name. Module designs (.ts/.js) and unknown extensions are usage errors saying which
 * kind of file the command takes.
 */
export function dataflowPath(spec: string, command: string): string {
  if (/\.ya?ml$/i.test(spec)) return spec;
  if (MODULE_FILE.test(spec))
    throw new MxgenError(
      'usage',
      `mxgen ${command} takes a dataflow design (.yaml); ${spec} is a TypeScript/JavaScript module design`,
      { hint: 'run a module design with mxgen generate, sim, cosim or area' },
    );
  if (/^[\w-]+$/.test(spec)) {
    const bundled = join(DESIGN_DIR, `${spec}.yaml`);
    if (existsSync(bundled)) return bundled;
    throw new MxgenError(
      'usage',
      `no dataflow design file or bundled design named ${JSON.stringify(spec)}${didYouMean(spec, bundledDesigns())}`,
      { hint: `bundled designs: ${bundledDesigns().join(', ')}; or pass a .yaml path` },
    );
  }
  throw new MxgenError(
    'usage',
    `${spec}: a design file of kind ${JSON.stringify(extname(spec) || '(no extension)')} is not supported; mxgen ${command} takes a dataflow design (.yaml)`,
    { hint: 'pass a .yaml dataflow design, e.g. templates/designs/default.yaml' },
  );
}

export interface ComponentDesign {
  /** Output folder name: `<kind>-<example>`, or the module name when `--set` changes the config. */
  readonly name: string;
  readonly kind: AnyComponentKind;
  /** Parsed with the kind's schema. */
  readonly config: unknown;
}

export type ResolvedDesign =
  | { readonly source: 'module'; readonly name: string; build(): ModuleBuilder }
  | {
      readonly source: 'component';
      readonly name: string;
      build(): ModuleBuilder;
      readonly component: ComponentDesign;
    }
  | {
      readonly source: 'dataflow';
      readonly name: string;
      build(): ModuleBuilder;
      readonly compiled: Compiled;
    };

const MODULE_FILE = /\.(m?ts|m?js)$/;

/** `key=value` pairs; values are YAML scalars (`32`, `true`, `fp8_e4m3`); keys may be dotted. */
export function parseSets(sets: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    const key = eq > 0 ? s.slice(0, eq) : '';
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(key))
      throw new MxgenError('usage', `--set ${JSON.stringify(s)} is not key=value`, {
        hint: 'write --set field=value, e.g. --set k=32',
      });
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      node[p] = typeof next === 'object' && next !== null ? next : {};
      node = node[p] as Record<string, unknown>;
    }
    let value: unknown;
    try {
      value = parseYaml(s.slice(eq + 1), { maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw new MxgenError(
        'usage',
        `--set ${JSON.stringify(s)}: the value is not valid YAML (${(e as Error).message.split('\n')[0]})`,
        { hint: 'quote strings and close brackets, e.g. --set k=32 or --set "shape=[1, 2]"' },
      );
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return out;
}

function mergeDeep(base: unknown, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> =
    typeof base === 'object' && base !== null ? { ...(base as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(over))
    out[k] =
      typeof v === 'object' && v !== null && !Array.isArray(v)
        ? mergeDeep(out[k], v as Record<string, unknown>)
        : v;
  return out;
}

/** `<kind>` or `<kind>/<example>` from the component registry, with optional overrides. */
export function resolveComponentDesign(
  spec: string,
  sets: readonly string[] = [],
): ComponentDesign {
  if (MODULE_FILE.test(spec))
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
  if (sets.length === 0)
    return {
      name: `${kind.kind}-${ex.name}`,
      kind,
      config: parseConfig(kind, ex.config, `${kind.kind}/${ex.name}`),
    };
  const config = parseConfig(kind, mergeDeep(ex.config, parseSets(sets)), kind.kind);
  return { name: kind.moduleName(config), kind, config };
}

/** Resolves any `<design>` argument; `sets` apply to components only. */
export async function resolveDesign(
  spec: string,
  sets: readonly string[] = [],
  overrides: { readonly seed?: number; readonly weightsStorage?: WeightsStorage } = {},
): Promise<ResolvedDesign> {
  const noSets = (what: string): void => {
    if (sets.length > 0)
      throw new MxgenError('usage', `--set applies to components, not to ${what} ${spec}`, {
        hint: 'edit the design file instead',
      });
  };
  if (MODULE_FILE.test(spec)) {
    noSets('the design file');
    const d = await loadDesign(spec);
    return { source: 'module', name: d.name, build: d.build };
  }
  if (/\.[A-Za-z0-9]+$/.test(spec) && !/\.ya?ml$/i.test(spec) && existsSync(spec))
    throw new MxgenError(
      'usage',
      `${spec}: a design file of kind ${JSON.stringify(extname(spec))} is not supported`,
      {
        hint: 'pass a dataflow design (.yaml), a module design (.ts/.mts/.js/.mjs) or a component <kind>',
      },
    );
  const bundled = join(DESIGN_DIR, `${spec}.yaml`);
  const isKind = listComponents().some((k) => k.kind === spec.split('/')[0]);
  const yaml = /\.ya?ml$/.test(spec)
    ? spec
    : !isKind && /^[\w-]+$/.test(spec) && existsSync(bundled)
      ? bundled
      : null;
  if (yaml !== null) {
    noSets('the dataflow design');
    const g = withOverrides(readDesignFile(yaml), overrides);
    // The pre-flight limits (docs/reliability.md) for one tensor: generate, sim, cosim, area.
    if (process.env.MXGEN_NO_LIMITS !== '1')
      checkLimits(estimateDesign(g, 1), yaml, undefined, 'set MXGEN_NO_LIMITS=1');
    const compiled = compileGraph(g);
    return { source: 'dataflow', name: compiled.graph.name, build: () => compiled.top, compiled };
  }
  const component = resolveComponentDesign(spec, sets);
  return {
    source: 'component',
    name: component.name,
    build: () => component.kind.generate(component.config),
    component,
  };
}
