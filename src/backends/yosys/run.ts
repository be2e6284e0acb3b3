// Starting Yosys: the system binary when present, else @yowasp/yosys in a child Node process. Both
// go through `runTool` (argument arrays, timeout, errors with the command and the last lines), and
// their failures are rewritten into one-line `tool` errors that name the Yosys used.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { version as yowaspPackageVersion } from '@yowasp/yosys';
import { MxgenError } from '../../hdl/index.js';
import { runTool, tail } from '../process.js';
import type { YosysKind, YosysToolInfo } from './types.js';

export type YosysChoice = YosysKind | 'auto';

export interface YosysSelectOptions {
  /** `auto` (default): the system binary if it runs, else @yowasp/yosys. */
  tool?: YosysChoice;
  /** Command for the system Yosys (default `yosys` on PATH). */
  yosysPath?: string;
  /** Told which Yosys `auto` chose when it falls back to @yowasp/yosys (results differ by tool). */
  onNote?: (text: string) => void;
}

export interface SelectedYosys {
  readonly info: YosysToolInfo;
  readonly cmd: string;
}

// The TypeScript source (run through tsx in the child), also from the compiled tree (dist/).
const RUNNER = fileURLToPath(
  new URL('../../../src/backends/yosys/yowasp-runner.ts', import.meta.url),
);

async function probeSystem(cmd: string): Promise<YosysToolInfo | null> {
  try {
    const r = await runTool(cmd, ['-V'], { timeoutMs: 30_000 });
    const text = r.stdout.trim();
    const v = /Yosys (\d+\.\d+)/.exec(text)?.[1];
    return v ? { kind: 'system', version: v, detail: text } : null;
  } catch {
    return null;
  }
}

export function yowaspInfo(): YosysToolInfo {
  // Package versions are `<yosys major>.<minor>.<build>` (see its README).
  const v = /^(\d+\.\d+)/.exec(yowaspPackageVersion)?.[1] ?? yowaspPackageVersion;
  return { kind: 'yowasp', version: v, detail: `@yowasp/yosys ${yowaspPackageVersion}` };
}

/** Picks the Yosys to run and finds its version; a forced system Yosys that is missing throws. */
export async function selectYosys(opts: YosysSelectOptions = {}): Promise<SelectedYosys> {
  const choice = opts.tool ?? 'auto';
  const cmd = opts.yosysPath ?? 'yosys';
  if (choice === 'yowasp') return { info: yowaspInfo(), cmd: process.execPath };
  const sys = await probeSystem(cmd);
  if (sys) return { info: sys, cmd };
  if (choice === 'system')
    throw new MxgenError('tool', `Yosys not found: \`${cmd} -V\` did not run`, {
      hint: 'install it with scripts/setup.sh (apt-get install yosys), or use --tool yowasp',
    });
  const info = yowaspInfo();
  opts.onNote?.(
    `no system Yosys (\`${cmd} -V\` did not run); using ${info.detail} (areas differ between Yosys versions; choose with --yosys/--tool system|yowasp)`,
  );
  return { info, cmd: process.execPath };
}

/** tsx's loader as a file URL, so the child resolves it whatever its working directory. */
function tsxImport(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

function firstError(text: string): string | undefined {
  // `ERROR: ...` or, for source errors, `file.sv:2: ERROR: ...`.
  const line = text.split('\n').find((l) => /(^|: )ERROR:/.test(l.trim()));
  return line?.trim();
}

/** Runs `yosys -q -s <script>` inside `workdir`; returns its stdout. */
export async function runYosysScript(
  y: SelectedYosys,
  workdir: string,
  script: string,
  timeoutMs: number,
): Promise<string> {
  const yargs = ['-q', '-s', script];
  const [cmd, args] =
    y.info.kind === 'system'
      ? [y.cmd, yargs]
      : [y.cmd, ['--import', tsxImport(), RUNNER, workdir, ...yargs]];
  if (y.info.kind === 'yowasp' && !existsSync(RUNNER))
    throw new MxgenError('tool', `the yowasp runner ${RUNNER} is missing`);
  try {
    const r = await runTool(cmd, args, { cwd: workdir, timeoutMs });
    return r.stdout;
  } catch (e) {
    if (!(e instanceof MxgenError)) throw e;
    const who = `${y.info.detail.split(' (')[0]}${y.info.kind === 'yowasp' ? '' : ` (${cmd})`}`;
    if (/timed out/.test(e.message)) {
      const secs = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
      throw new MxgenError('tool', `${who} timed out after ${secs}`, {
        hint: 'synthesize a smaller design or raise the timeout (--timeout <seconds>)',
        notes: e.notes,
        cause: e,
      });
    }
    const notes = e.notes.join('\n');
    const err = firstError(notes);
    throw new MxgenError('tool', `${who} failed: ${err ?? e.message}`, {
      notes: [
        `command: ${e.message}`,
        ...(notes
          ? [`last lines of output:\n${tail(notes.replace(/^last lines of output:\n/, ''))}`]
          : []),
      ],
      cause: e,
    });
  }
}
