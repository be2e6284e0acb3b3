// Memoized generators: the same config gives the same ModuleBuilder object, so a design that
// instantiates a component many times elaborates it once (instead of building and comparing one
// builder per instance).
import type { ModuleBuilder } from './module.js';
import { canonicalJson } from './names.js';

/** Wrap `generate` so that configs with equal canonical JSON return the same builder. */
export function memoGenerator<C>(
  generate: (config: C) => ModuleBuilder,
): (config: C) => ModuleBuilder {
  const cache = new Map<string, ModuleBuilder>();
  return (config: C): ModuleBuilder => {
    const key = canonicalJson(config);
    let b = cache.get(key);
    if (!b) cache.set(key, (b = generate(config)));
    return b;
  };
}
