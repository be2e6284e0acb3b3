// Problems found while building, kept with their call site and turned into MxgenErrors by
// elaborate(), which throws them all together.
import { type ErrorKind, MxgenError } from './errors.js';
import { type LazyLoc, resolveLoc } from './srcloc.js';

export interface Problem {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly hint?: string;
  /** Computed when the error is made (so other call sites are parsed only then). */
  readonly notes?: () => readonly string[];
  readonly site: LazyLoc | undefined;
}

/** Where problems of one module are collected. */
export interface ProblemSink {
  readonly name: string;
  report(p: Problem): void;
}

export function problemError(p: Problem): MxgenError {
  const loc = resolveLoc(p.site);
  return new MxgenError(p.kind, p.message, {
    ...(loc === undefined ? {} : { loc }),
    ...(p.hint === undefined ? {} : { hint: p.hint }),
    notes: p.notes ? p.notes() : [],
  });
}

/** `at path:line:col` or `at an unknown location`. */
export function atLoc(site: LazyLoc | undefined): string {
  const l = resolveLoc(site);
  return l === undefined ? 'at an unknown location' : `at ${l}`;
}
