// Runs a command's action: prints mxgen errors as their one formatted message (stack only with
// --debug or MXGEN_DEBUG=1) and exits 0 ok, 1 bad input, 2 tool missing/failed, 3 mismatch.
import { MxgenError, type ErrorKind } from '../hdl/index.js';

export const EXIT = { ok: 0, input: 1, tool: 2, mismatch: 3 } as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'tool':
      return EXIT.tool;
    case 'mismatch':
      return EXIT.mismatch;
    default:
      return EXIT.input;
  }
}

/** Duck-typed: numerics (which depends on nothing of ours) throws its own error with a kind. */
interface KindedError {
  kind: ErrorKind;
  message: string;
  format?: () => string;
}

function isKinded(e: unknown): e is KindedError {
  return e instanceof Error && typeof (e as { kind?: unknown }).kind === 'string';
}

export function debugEnabled(): boolean {
  return process.env.MXGEN_DEBUG === '1' || process.argv.includes('--debug');
}

export function reportError(e: unknown): number {
  if (e instanceof MxgenError || isKinded(e)) {
    const text = typeof e.format === 'function' ? e.format() : `error[${e.kind}]: ${e.message}`;
    console.error(text);
    if (debugEnabled() && e instanceof Error && e.stack) console.error(e.stack);
    return exitCodeFor(e.kind);
  }
  // Not one of ours: a bug in mxgen. Say so, with the stack.
  console.error(`mxgen: internal error: ${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof Error && e.stack) console.error(e.stack);
  return EXIT.tool;
}

/** Wraps an async command action so that errors become a message and an exit code. */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number | void> | number | void,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await fn(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (e) {
      process.exitCode = reportError(e);
    }
  };
}
