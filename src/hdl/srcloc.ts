// Source locations of builder calls. A node captures the stack cheaply when it is created (V8
// keeps raw frames and formats nothing until `.stack` is read). When a location is needed, the
// raw call sites are read (no string formatting), the first frame outside src/hdl is picked,
// mapped through the module's source map (tsx) and printed as `path:line:col` relative to the
// working directory; results are cached per generated position, so a loop that creates
// thousands of nodes at one call site maps it once. MXGEN_SRCLOC=0 turns capture off.
import { existsSync, readFileSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A captured, not yet parsed, call stack (undefined when capture is off). */
export interface LazyLoc {
  stack?: unknown;
  /** The parsed location, filled on first use ('' = none found). */
  resolved?: string;
}

const HDL_DIR = fileURLToPath(new URL('.', import.meta.url));
const STACK_DEPTH = 8;
/** Frames kept for an error thrown now (rare, so be generous). */
const ERROR_DEPTH = 40;
/** Frames kept below a known entry point (the user's frame is normally the first). */
const ENTRY_DEPTH = 2;

let enabled = process.env.MXGEN_SRCLOC !== '0';

/** Turn capture on or off (tests, benchmarks; MXGEN_SRCLOC=0 sets the initial value). */
export function setSrcLocCapture(on: boolean): void {
  enabled = on;
}

export function srcLocCaptureEnabled(): boolean {
  return enabled;
}

/** A public builder function; frames from it upwards are not captured. */
export type Entry = (...args: never[]) => unknown;

/**
 * Capture the current stack; cheap, parsed only by `resolveLoc`. With `entry` (the public
 * builder call on the stack) only the frames below it are kept, which is cheaper still.
 */
export function captureLoc(entry?: Entry, depth?: number): LazyLoc | undefined {
  if (!enabled) return undefined;
  const holder: LazyLoc = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth ?? (entry ? ENTRY_DEPTH : STACK_DEPTH);
  Error.captureStackTrace(holder, entry ?? captureLoc);
  Error.stackTraceLimit = limit;
  return holder;
}

const rawSites = (_e: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;
const cache = new Map<string, string>();

function toPath(file: string): string | undefined {
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  return isAbsolute(path) && !path.startsWith(HDL_DIR) ? path : undefined;
}

const fileMaps = new Map<string, { map: SourceMap; dir: string } | null>();

/**
 * The `<file>.map` next to a compiled module (dist/, bin/compiled.js), read on first use: the
 * compiled CLI runs without Node's source-map support, which would cost start-up time.
 */
function fileMap(file: string): { map: SourceMap; dir: string } | null {
  let m = fileMaps.get(file);
  if (m !== undefined) return m;
  m = null;
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (/\.m?js$/.test(path) && existsSync(`${path}.map`)) {
    try {
      m = {
        map: new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))),
        dir: dirname(path),
      };
    } catch {
      m = null;
    }
  }
  fileMaps.set(file, m);
  return m;
}

/**
 * `path:line:col` of a generated position, through the source map when there is one, or ''
 * when that position is in src/hdl (the compiled CLI is one bundle: its frames are told apart
 * only after mapping).
 */
function mapped(file: string, line: number, col: number): string {
  const key = `${file}:${line}:${col}`;
  let hit = cache.get(key);
  if (hit !== undefined) return hit;
  let [src, l, c] = [file, line, col];
  const own = findSourceMap(file);
  const fm = own ? null : fileMap(file);
  const entry = (own ?? fm?.map)?.findEntry(line - 1, col - 1);
  if (entry && 'originalLine' in entry) {
    [src, l, c] = [entry.originalSource, entry.originalLine + 1, entry.originalColumn + 1];
    if (fm) src = resolve(fm.dir, src);
  }
  const path = src.startsWith('file://') ? fileURLToPath(src) : src;
  hit =
    isAbsolute(path) && path.startsWith(HDL_DIR)
      ? ''
      : `${relative(process.cwd(), toPath(src) ?? src)}:${l}:${c}`;
  cache.set(key, hit);
  return hit;
}

function fromSites(sites: readonly NodeJS.CallSite[]): string {
  for (const s of sites) {
    const file = s.getFileName();
    if (!file || toPath(file) === undefined) continue;
    const loc = mapped(file, s.getLineNumber() ?? 0, s.getColumnNumber() ?? 0);
    if (loc) return loc;
  }
  return '';
}

const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

/** Fallback when something formatted the stack first: parse the (source-mapped) text. */
function fromText(stack: string): string {
  for (const line of stack.split('\n').slice(1)) {
    const m = FRAME.exec(line);
    const path = m ? toPath(m[1] ?? '') : undefined;
    if (!m || !path) continue;
    if (!fileMap(path)) return `${relative(process.cwd(), path)}:${m[2]}:${m[3]}`;
    const loc = mapped(path, Number(m[2]), Number(m[3]));
    if (loc) return loc;
  }
  return '';
}

/** `path:line:col` of the first frame outside src/hdl, or undefined. */
export function resolveLoc(l: LazyLoc | undefined): string | undefined {
  if (!l) return undefined;
  if (l.resolved === undefined) {
    const prev = Error.prepareStackTrace;
    Error.prepareStackTrace = rawSites;
    let stack: unknown;
    try {
      stack = l.stack;
    } finally {
      Error.prepareStackTrace = prev;
    }
    l.resolved = Array.isArray(stack)
      ? fromSites(stack as NodeJS.CallSite[])
      : typeof stack === 'string'
        ? fromText(stack)
        : '';
    l.stack = undefined;
  }
  return l.resolved || undefined;
}

/** The user's location right now (for errors thrown at the call). */
export function here(): string | undefined {
  return resolveLoc(captureLoc(undefined, ERROR_DEPTH));
}
