// Runs a command's action: prints mxgen errors as their one formatted message (stack only with
// --debug or MXGEN_DEBUG=1) and exits 0 ok, 1 bad input, 2 tool missing/failed, 3 mismatch.
import { MxgenError, type ErrorKind } from '../flow/index.js';

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

/** File-system errors caused by the user's files, folders or permissions (not bugs). */
const FS_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
};

/** An errno error of the file system as a one-line `io` error naming the path. */
export function fsError(e: unknown): MxgenError | null {
  const err = e as NodeJS.ErrnoException;
  const what = err?.code !== undefined ? FS_CODES[err.code] : undefined;
  if (!(e instanceof Error) || what === undefined) return null;
  const path = err.path ?? (err as { dest?: string }).dest;
  return new MxgenError(
    'io',
    `${err.syscall ? `${err.syscall} ` : ''}${path ?? ''}: ${what} (${err.code})`.trim(),
    {
      hint: 'check the path and its permissions, or choose another --out / working directory',
      cause: e,
    },
  );
}

/** The stacks of `e` and of its causes (--debug). */
function stacks(e: unknown): string {
  const out: string[] = [];
  for (let c = e, i = 0; c instanceof Error && i < 5; c = c.cause, i++)
    if (c.stack) out.push(i === 0 ? c.stack : `caused by: ${c.stack}`);
  return out.join('\n');
}

export function reportError(e0: unknown): number {
  const e = e0 instanceof MxgenError || isKinded(e0) ? e0 : (fsError(e0) ?? e0);
  if (e instanceof MxgenError || isKinded(e)) {
    const text = typeof e.format === 'function' ? e.format() : `error[${e.kind}]: ${e.message}`;
    console.error(text);
    if (debugEnabled()) console.error(stacks(e));
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
