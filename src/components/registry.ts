// The component registry: every generator registers its kind with a config schema, examples,
// naming, derived values, the generator itself and a transaction-level reference model. Test
// suites, `mxgen generate`, `mxgen vectors` and the IR lowering all go through it.
import type { ZodType, ZodTypeDef } from 'zod';
import { didYouMean, MxgenError, type ModuleBuilder } from '../hdl/index.js';
import type { Rng } from './random.js';

/** One beat of a valid/ready stream (docs/streams.md): field name (no in_/out_ prefix) → bits. */
export type { Beat } from '../hdl/index.js';
import type { Beat } from '../hdl/index.js';

export interface StreamFields {
  /** Input beat fields, in port order; ports are `in_<field>`. */
  readonly in: readonly { readonly name: string; readonly width: number }[];
  /** Output beat fields, in port order; ports are `out_<field>`. */
  readonly out: readonly { readonly name: string; readonly width: number }[];
}

export interface Derived {
  /** Cycles from an input beat's transfer to its output beat's first offer, without stalls. */
  readonly latencyCycles: number;
  readonly [key: string]: number | string | boolean | readonly number[];
}

export interface Example<C> {
  readonly name: string;
  readonly config: C;
}

export interface ComponentKind<C> {
  /** Kebab-case kind, e.g. `mac-array`. */
  readonly kind: string;
  /** One line for `--help` and the README table. */
  readonly description: string;
  /** Validates unknown input and fills defaults. */
  readonly schema: ZodType<C, ZodTypeDef, unknown>;
  readonly examples: readonly Example<C>[];
  moduleName(config: C): string;
  derive(config: C): Derived;
  generate(config: C): ModuleBuilder;
  stream(config: C): StreamFields;
  /** A random legal input beat. */
  randomBeat(config: C, rng: Rng): Beat;
  /** Every input beat, when the input space is small enough to test exhaustively (≤ 2^20). */
  exhaustiveBeats?(config: C): Iterable<Beat>;
  /** The expected output beats for a sequence of input beats, from `src/numerics`. */
  reference(config: C, inBeats: readonly Beat[]): Beat[];
  /** The numeric contract in one paragraph (rounding, saturation, NaN/Inf, widths, latency). */
  contract(config: C): string;
}

/** A registered kind with its config type erased; configs are parsed with its schema first. */
export type AnyComponentKind = ComponentKind<unknown>;

const REGISTRY = new Map<string, AnyComponentKind>();

export function registerComponent<C>(kind: ComponentKind<C>): void {
  if (REGISTRY.has(kind.kind))
    throw new MxgenError('config', `component kind ${kind.kind} registered twice`, {
      hint: 'each component kind registers once: give the second one another kind name',
    });
  REGISTRY.set(kind.kind, kind as unknown as AnyComponentKind);
}

export function listComponents(): readonly AnyComponentKind[] {
  return [...REGISTRY.values()];
}

export function getComponent(kind: string): AnyComponentKind {
  const k = REGISTRY.get(kind);
  if (!k)
    throw new MxgenError(
      'config',
      `unknown component kind ${JSON.stringify(kind)}${didYouMean(kind, [...REGISTRY.keys()])}`,
      {
        hint: `known kinds: ${[...REGISTRY.keys()].join(', ')}`,
      },
    );
  return k;
}

/** Validates a raw config (from YAML, the CLI or code); errors name the field path. */
export function parseConfig(kind: AnyComponentKind, raw: unknown, where = kind.kind): unknown {
  const r = kind.schema.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => {
    const path = i.path.length > 0 ? `${where}.${i.path.join('.')}` : where;
    // An enum field: the closest allowed names to the value given.
    const options = /must be one of (.+)$/.exec(i.message)?.[1]?.split(', ');
    const got = i.path.reduce<unknown>(
      (o, k) =>
        typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined,
      raw,
    );
    const hint = options && typeof got === 'string' ? didYouMean(got, options) : '';
    return `${path}: ${i.message}${typeof got === 'string' && options ? ` (got ${JSON.stringify(got)}${hint})` : ''}`;
  });
  throw new MxgenError('config', issues[0] ?? `${where}: invalid config`, {
    notes: issues.slice(1),
  });
}
