// Numeric and choice options, validated the same way by every command: integers are decimal
// digits only (no `1.5`, `abc`, `1e3`, `0x10`), within a documented range; a choice not in its list
// is a usage error with "did you mean".
import { didYouMean, MxgenError } from '../hdl/index.js';

export function intOption(
  name: string,
  text: string | undefined,
  fallback: number,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(v) || v < min || v > max)
    throw new MxgenError(
      'usage',
      `--${name} must be an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any size' : max}; got ${JSON.stringify(text)}`,
    );
  return v;
}

export function choiceOption<T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new MxgenError(
    'usage',
    `--${name} must be one of ${choices.join(', ')}; got ${JSON.stringify(text)}${didYouMean(text, choices)}`,
  );
}

/** Worker threads: 1 to 256. */
export const MAX_WORKERS = 256;

/** A positive number (`--clock-mhz`, `--timeout`). */
export function positiveNumber(what: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new MxgenError('usage', `${what} must be a positive number; got ${v}`);
  return n;
}

/** A probability in [0, 1) (`--stall`). */
export function probability(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^(0|1|0?\.\d+)$/.test(text) || !(v >= 0 && v < 1))
    throw new MxgenError('usage', `--${name} must be a probability in [0, 1); got ${text}`);
  return v;
}
