// One meaning of `<design>` for every command: a design file (.ts/.js exporting a ModuleBuilder),
// a registered component (`<kind>` or `<kind>/<example>`, with `--set key=value` overrides of
// its config), or a dataflow design (a .yaml path, or the name of a bundled one in
// templates/designs/).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  getComponent,
  listComponents,
  parseConfig,
  type AnyComponentKind,
} from '../components/index.js';
import { MxgenError, type ModuleBuilder } from '../hdl/index.js';
import { compileGraph, type Compiled, type WeightsStorage, withOverrides } from '../ir/index.js';
import { readDesignFile } from './design-file.js';
import { loadDesign } from './design.js';

export const DESIGN_DIR = 'templates/designs';

export const DESIGN_ARG =
  'a component (<kind> or <kind>/<example>), a dataflow design (.yaml, or a name in ' +
  'templates/designs), or a .ts/.js file exporting a ModuleBuilder';

export const SET_HELP =
  'override a component config field (repeatable), e.g. --set element=fp8_e4m3 --set k=32';

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
    node[parts[parts.length - 1] as string] = parseYaml(s.slice(eq + 1)) as unknown;
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
  const bundled = join(DESIGN_DIR, `${spec}.yaml`);
  const isKind = listComponents().some((k) => k.kind === spec.split('/')[0]);
  const yaml = /\.ya?ml$/.test(spec)
    ? spec
    : !isKind && /^[\w-]+$/.test(spec) && existsSync(bundled)
      ? bundled
      : null;
  if (yaml !== null) {
    noSets('the dataflow design');
    const compiled = compileGraph(withOverrides(readDesignFile(yaml), overrides));
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

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
