// Source locations of builder calls. A node captures the stack cheaply when it is created (V8
// keeps raw frames and formats nothing until `.stack` is read). When a location is needed, the
// raw call sites are read (no string formatting), the first frame outside src/hdl is picked,
// mapped through the module's source map (tsx) and printed as `path:line:col` relative to the
// working directory; results are cached per generated position, so a loop that creates
// thousands of nodes at one call site maps it once. MXGEN_SRCLOC=0 turns capture off.
import { existsSync, readFileSync } from 'node:fs';
import { findSourceMap } from 'node:module';
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

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/**
 * A source map's mappings decoded into flat arrays, with the lookup of Node's `SourceMap`
 * (`findEntry`: the last mapping at or before the position): Node's parser builds an object per
 * mapping, which costs a large part of a small run on the compiled CLI's 0.8 MB maps.
 */
export class FlatMap {
  private readonly at: number[] = [];
  private readonly sources: readonly string[];

  constructor(payload: { sources: string[]; mappings: string }) {
    this.sources = payload.sources;
    const m = payload.mappings;
    const at = this.at;
    let line = 0;
    let col = 0;
    let src = 0;
    let oLine = 0;
    let oCol = 0;
    const field = [0, 0, 0, 0, 0];
    let n = 0;
    let value = 0;
    let shift = 0;
    const flush = (): void => {
      if (n === 0) return;
      col += field[0] as number;
      if (n >= 4) {
        src += field[1] as number;
        oLine += field[2] as number;
        oCol += field[3] as number;
        at.push(line, col, src, oLine, oCol);
      } else at.push(line, col, -1, 0, 0);
      n = 0;
    };
    for (let i = 0; i < m.length; i++) {
      const ch = m.charCodeAt(i);
      if (ch === 59 /* ; */) {
        flush();
        line++;
        col = 0;
        continue;
      }
      if (ch === 44 /* , */) {
        flush();
        continue;
      }
      const d = B64[ch] ?? -1;
      if (d < 0) continue;
      value += (d & 31) << shift;
      if (d & 32) {
        shift += 5;
        continue;
      }
      if (n < 5) field[n] = value & 1 ? -(value >>> 1) : value >>> 1;
      n++;
      value = 0;
      shift = 0;
    }
    flush();
  }

  /** 0-based generated position → 0-based original position (Node's `findEntry` search). */
  findEntry(
    line: number,
    col: number,
  ): { originalSource: string; originalLine: number; originalColumn: number } | undefined {
    const at = this.at;
    const count0 = at.length / 5;
    if (count0 === 0) return undefined;
    let first = 0;
    let count = count0;
    while (count > 1) {
      const step = count >> 1;
      const mid = first + step;
      const l = at[mid * 5] as number;
      if (line < l || (line === l && col < (at[mid * 5 + 1] as number))) count = step;
      else {
        first = mid;
        count -= step;
      }
    }
    const l = at[first * 5] as number;
    if (first === 0 && (line < l || (line === l && col < (at[1] as number)))) return undefined;
    // A mapping without a source (one field) maps nowhere, as in Node's.
    if ((at[first * 5 + 2] as number) < 0) return undefined;
    return {
      originalSource: this.sources[at[first * 5 + 2] as number] ?? '',
      originalLine: at[first * 5 + 3] as number,
      originalColumn: at[first * 5 + 4] as number,
    };
  }
}

const fileMaps = new Map<string, { map: FlatMap; dir: string } | null>();

/**
 * The `<file>.map` next to a compiled module (dist/, bin/compiled.js), read on first use: the
 * compiled CLI runs without Node's source-map support, which would cost start-up time.
 */
function fileMap(file: string): { map: FlatMap; dir: string } | null {
  let m = fileMaps.get(file);
  if (m !== undefined) return m;
  m = null;
  const path = file.startsWith('file://') ? fileURLToPath(file) : file;
  if (/\.m?js$/.test(path) && existsSync(`${path}.map`)) {
    try {
      m = {
        map: new FlatMap(
          JSON.parse(readFileSync(`${path}.map`, 'utf8')) as {
            sources: string[];
            mappings: string;
          },
        ),
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
  const entry = own?.findEntry(line - 1, col - 1);
  if (entry && 'originalLine' in entry) {
    [src, l, c] = [entry.originalSource, entry.originalLine + 1, entry.originalColumn + 1];
  } else if (fm) {
    const e = fm.map.findEntry(line - 1, col - 1);
    if (e)
      [src, l, c] = [resolve(fm.dir, e.originalSource), e.originalLine + 1, e.originalColumn + 1];
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
