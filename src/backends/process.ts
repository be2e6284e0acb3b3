// The only place that starts external tools: argument arrays (never a shell string), a timeout,
// captured output, and a `tool` error carrying the command, the exit code and the last lines.
import { spawn } from 'node:child_process';
import { MxgenError } from '../hdl/index.js';
import { runTempDir, trackChild } from './cleanup.js';

export interface RunOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Exit codes that count as success (default: [0]). */
  okCodes?: readonly number[];
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

const TAIL_LINES = 15;

export function tail(text: string, n = TAIL_LINES): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-n).join('\n');
}

export function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
}

/** Runs `cmd args`; resolves on an ok exit code, otherwise rejects with a `tool` MxgenError. */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const okCodes = opts.okCodes ?? [0];
  const shown = commandLine(cmd, args);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], {
      cwd: opts.cwd,
      env: { ...process.env, TMPDIR: runTempDir(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, killed as a whole on a timeout, an interrupt or mxgen's death.
      detached: true,
    });
    trackChild(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') {
        reject(
          new MxgenError('tool', `${cmd} not found (needed for: ${shown})`, {
            hint: 'run scripts/setup.sh to install the tools mxgen uses',
          }),
        );
      } else reject(new MxgenError('tool', `cannot start ${shown}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new MxgenError(
            'tool',
            `${cmd} timed out after ${Math.round(timeoutMs / 1000)} s: ${shown}`,
            {
              notes: [tail(stderr || stdout)].filter((s) => s.length > 0),
            },
          ),
        );
        return;
      }
      const exit = code ?? 128;
      if (signal || !okCodes.includes(exit)) {
        const last = tail(stderr.trim() ? stderr : stdout);
        reject(
          new MxgenError('tool', `${cmd} failed (exit ${signal ?? exit}): ${shown}`, {
            notes: last ? [`last lines of output:\n${last}`] : [],
          }),
        );
        return;
      }
      resolve({ code: exit, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
