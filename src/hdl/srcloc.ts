// Source locations of builder calls: a stack is captured cheaply when a node is created (V8
// formats it only when read) and parsed lazily into `path:line:col` of the first frame outside
// src/hdl, relative to the working directory. MXGEN_SRCLOC=0 turns capture off.
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A captured, not yet parsed, call stack (undefined when capture is off). */
export interface LazyLoc {
  stack?: string;
  /** The parsed location, filled on first use ('' = none found). */
  resolved?: string;
}

const HDL_DIR = dirname(fileURLToPath(import.meta.url)) + sep;
const STACK_DEPTH = 24;

let enabled = process.env.MXGEN_SRCLOC !== '0';

/** Turn capture on or off (tests; the environment variable sets the initial value). */
export function setSrcLocCapture(on: boolean): void {
  enabled = on;
}

export function srcLocCaptureEnabled(): boolean {
  return enabled;
}

/** Capture the current stack; cheap, parsed only by `resolveLoc`. */
export function captureLoc(): LazyLoc | undefined {
  if (!enabled) return undefined;
  const holder: LazyLoc = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = STACK_DEPTH;
  Error.captureStackTrace(holder, captureLoc);
  Error.stackTraceLimit = limit;
  return holder;
}

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

function frameLoc(line: string): string | undefined {
  const m = FRAME.exec(line);
  if (!m) return undefined;
  let file = m[1] ?? '';
  if (file.startsWith('file://')) file = fileURLToPath(file);
  if (!isAbsolute(file)) return undefined; // node:internal, native, eval
  if (file.startsWith(HDL_DIR)) return undefined;
  return `${relative(process.cwd(), file)}:${m[2]}:${m[3]}`;
}

/** `path:line:col` of the first frame outside src/hdl, or undefined. */
export function resolveLoc(l: LazyLoc | undefined): string | undefined {
  if (!l) return undefined;
  if (l.resolved !== undefined) return l.resolved || undefined;
  let found = '';
  const lines = (l.stack ?? '').split('\n');
  for (let i = 1; i < lines.length; i++) {
    const loc = frameLoc(lines[i] ?? '');
    if (loc) {
      found = loc;
      break;
    }
  }
  l.resolved = found;
  l.stack = undefined;
  return found || undefined;
}

/** The user's location right now (for errors thrown at the call). */
export function here(): string | undefined {
  return resolveLoc(captureLoc());
}
