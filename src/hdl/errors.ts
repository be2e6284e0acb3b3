// The one error type of mxgen: a kind, a one-sentence message, the user's source location, a
// hint and notes. The CLI prints `format(err)` and maps the kind to an exit code.

// 'internal' (added for src/components): an invariant of mxgen itself broke, i.e. a bug to report.
export type ErrorKind =
  | 'shape'
  | 'driver'
  | 'comb-loop'
  | 'name'
  | 'config'
  | 'tool'
  | 'mismatch'
  | 'io'
  | 'usage'
  | 'internal';

export class MxgenError extends Error {
  readonly kind: ErrorKind;
  readonly loc: string | undefined;
  readonly hint: string | undefined;
  readonly notes: readonly string[];

  constructor(
    kind: ErrorKind,
    message: string,
    opts: { loc?: string; hint?: string; notes?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'MxgenError';
    this.kind = kind;
    this.loc = opts.loc;
    this.hint = opts.hint;
    this.notes = opts.notes ?? [];
  }

  /** `path:line:col: error[kind]: message`, then the hint and each note on its own line. */
  format(): string {
    const head = `${this.loc ? `${this.loc}: ` : ''}error[${this.kind}]: ${this.message}`;
    const lines = [head];
    if (this.hint) lines.push(`  hint: ${this.hint}`);
    for (const n of this.notes) lines.push(`  note: ${n}`);
    return lines.join('\n');
  }
}

/** The hint of every 'internal' error. */
export const BUG_HINT = 'a bug in mxgen: please report it with the design that triggers it';

/** An invariant of mxgen itself broke (kind 'internal'): a bug to report, not bad input. */
export function internalError(message: string): MxgenError {
  return new MxgenError('internal', message, { hint: BUG_HINT });
}

/** Several problems found by one check, thrown together. */
export class MxgenErrors extends MxgenError {
  readonly errors: readonly MxgenError[];

  constructor(errors: readonly MxgenError[]) {
    const first = errors[0];
    if (!first) throw new Error('MxgenErrors needs at least one error');
    super(first.kind, `${errors.length} problem${errors.length === 1 ? '' : 's'} found`);
    this.errors = errors;
  }

  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}
