// `verilator --lint-only -Wall`: runs the linter on SV text or files and parses its messages
// (`%Warning-CODE: file:line:col: message`) into records; the emitter's tests require none.
import { rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../cleanup.js';
import { basename, join } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { runTool, tail } from '../process.js';
import { VERILATOR_WIDTH_ARGS } from './build.js';

export interface LintMessage {
  readonly severity: 'warning' | 'error';
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Verilator's code (`WIDTH`, `UNUSEDSIGNAL`, ...), or `ERROR` for an uncoded error. */
  readonly code: string;
  readonly message: string;
}

const MSG_RE = /^%(Warning|Error)(?:-([A-Z0-9_]+))?: (?:([^:\s][^:]*):(\d+):(\d+): )?(.*)$/;

/** Parses Verilator's output; continuation lines (source excerpts, notes) are dropped. */
export function parseVerilatorMessages(text: string): LintMessage[] {
  const out: LintMessage[] = [];
  for (const line of text.split('\n')) {
    const m = MSG_RE.exec(line);
    if (!m) continue;
    const message = m[6] ?? '';
    // The closing summary is not a finding.
    if (m[3] === undefined && /^Exiting due to/.test(message)) continue;
    out.push({
      severity: m[1] === 'Error' ? 'error' : 'warning',
      file: m[3] ?? '',
      line: m[4] ? Number(m[4]) : 0,
      column: m[5] ? Number(m[5]) : 0,
      code: m[2] ?? (m[1] === 'Error' ? 'ERROR' : 'WARNING'),
      message,
    });
  }
  return out;
}

export interface LintOptions {
  /** Top module (default: Verilator picks the only uninstantiated one). */
  top?: string;
  /** File name the text is linted under and messages report (default `design.sv`). */
  fileName?: string;
  /** Extra Verilator arguments, e.g. `-Wno-DECLFILENAME`. */
  args?: readonly string[];
  timeoutMs?: number;
}

/** Lints SV files on disk with `-Wall`; returns every warning and error found. */
export async function lintFiles(
  files: readonly string[],
  opts: LintOptions = {},
): Promise<LintMessage[]> {
  const args = [
    '--lint-only',
    '-Wall',
    '-Wno-fatal',
    ...VERILATOR_WIDTH_ARGS,
    ...(opts.top ? ['--top-module', opts.top] : []),
    ...(opts.args ?? []),
    ...files,
  ];
  const r = await runTool('verilator', args, {
    okCodes: [0, 1],
    timeoutMs: opts.timeoutMs ?? 5 * 60_000,
  });
  const text = `${r.stderr}\n${r.stdout}`;
  const msgs = parseVerilatorMessages(text);
  if (r.code !== 0 && !msgs.some((m) => m.severity === 'error'))
    throw new MxgenError(
      'tool',
      `verilator --lint-only failed (exit ${r.code}) without a message`,
      {
        notes: [tail(text)],
      },
    );
  return msgs;
}

/** Lints SV text (written to a temporary file named `opts.fileName`). */
export async function lintSv(sv: string, opts: LintOptions = {}): Promise<LintMessage[]> {
  const dir = makeTempDir('lint');
  const name = basename(opts.fileName ?? 'design.sv');
  try {
    writeFileSync(join(dir, name), sv);
    const msgs = await lintFiles([join(dir, name)], opts);
    // Report the file as the caller named it, not as the temporary path.
    return msgs.map((m) =>
      m.file === join(dir, name) ? { ...m, file: opts.fileName ?? name } : m,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLint(m: LintMessage): string {
  return `${m.file}:${m.line}:${m.column}: ${m.severity}[${m.code}]: ${m.message}`;
}
