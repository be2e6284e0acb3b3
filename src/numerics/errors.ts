// The error type of the numerics layer (which imports nothing else of mxgen): a kind, a
// one-sentence message naming the bad value and the fix, and the CLI's `error[kind]:` format.

export type NumericsErrorKind = 'config';

export class NumericsError extends Error {
  readonly kind: NumericsErrorKind;

  constructor(message: string, kind: NumericsErrorKind = 'config') {
    super(message);
    this.name = 'NumericsError';
    this.kind = kind;
  }

  /** `error[config]: <message>`, the line the CLI prints. */
  format(): string {
    return `error[${this.kind}]: ${this.message}`;
  }
}

/** Throws a config error; `never` so callers can use it in expressions. */
export function fail(message: string): never {
  throw new NumericsError(message);
}
