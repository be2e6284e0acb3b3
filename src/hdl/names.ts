// Names: legal identifiers for builder names, and deterministic digests of generator configs
// (for module names and ModuleDef.configDigest).
import { createHash } from 'node:crypto';
import { MxgenError } from './errors.js';
import { here } from './srcloc.js';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names the builder reserves: the implicit clock and reset. */
export const RESERVED_NAMES: readonly string[] = ['clk', 'rst'];

export function isIdentifier(name: string): boolean {
  return IDENT.test(name);
}

/** Canonical JSON: keys sorted, bigint as `"<digits>n"`, undefined fields dropped. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new MxgenError('config', `cannot digest the non-finite number ${v}`, {
        loc: here(),
        hint: 'use finite numbers in generator configs',
      });
    return JSON.stringify(v);
  }
  if (typeof v === 'bigint') return JSON.stringify(`${v}n`);
  if (Array.isArray(v))
    return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  throw new MxgenError('config', `cannot digest a ${typeof v} in a generator config`, {
    loc: here(),
    hint: 'configs are plain data: objects, arrays, strings, numbers, bigints, booleans, null',
  });
}

/** The first 8 hex digits of sha256(canonicalJson(config)): stable across runs and key order. */
export function configDigest(config: unknown): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 8);
}

/** `<base>_<digest>`: a deterministic module name for a config that has no readable name. */
export function digestName(base: string, config: unknown): string {
  return `${base}_${configDigest(config)}`;
}
