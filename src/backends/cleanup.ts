// Temporary folders and child processes of a run, and what happens to them when the run is
// interrupted (issue 19):
//   - every temporary name carries the process id (`…-<pid>-<random>`, `….tmp-<pid>`), so any run
//     can tell a dead run's leftovers (pid not alive) from a live one's and remove them;
//   - every child is started in its own process group (runTool) and watched by a tiny `sh`
//     watchdog that kills the group when mxgen dies, even by SIGKILL (Yosys/ABC, g++, Verilator
//     models, Icarus, Python never outlive the run);
//   - on SIGINT/SIGTERM the CLI's handler (installInterruptHandlers) kills every child process
//     group, runs the registered undo actions (put a moved-aside output folder back), removes this
//     process's temporary folders and exits 130 (SIGINT) or 143 (SIGTERM).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Roots scanned for this process's temporaries on an interrupt (absolute paths). */
const roots = new Set<string>([resolve(tmpdir())]);
const undo = new Map<number, () => void>();
let undoId = 0;
const children = new Set<number>();

/** A temporary name's owner pid, or null when `name` is not one of mxgen's temporaries. */
export function tempOwner(name: string): number | null {
  const m =
    /^mxgen-[a-z0-9]+-(\d+)-[A-Za-z0-9]+$/.exec(name) ??
    /^\.tmp-[0-9a-z-]{1,12}-(\d+)-[A-Za-z0-9]+$/.exec(name) ??
    /\.tmp-(\d+)(?:-[0-9a-z]+)?$/.exec(name);
  return m?.[1] ? Number(m[1]) : null;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Scans `dir` on an interrupt (and for dead runs' leftovers). */
export function registerTempRoot(dir: string): void {
  roots.add(resolve(dir));
}

/** In the shared OS temp dir only `mxgen-…` names are ours; elsewhere every temporary form. */
function ours(dir: string, name: string): number | null {
  const pid = tempOwner(name);
  if (pid === null) return null;
  return resolve(dir) === resolve(tmpdir()) && !name.startsWith('mxgen-') ? null : pid;
}

/** Removes the temporaries of dead processes in `dir` (best effort; never throws). */
export function removeDeadTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    // Output folders (`.<design>.tmp-…`) have their own recovery in cli/output.ts.
    if (/^\.[^.].*\.(tmp|old|del)-\d+-[0-9a-z]+$/.test(n) && !n.startsWith('.tmp-')) continue;
    const pid = ours(dir, n);
    if (pid !== null && pid !== process.pid && !pidAlive(pid))
      rmSync(join(dir, n), { recursive: true, force: true });
  }
}

/** A fresh temporary folder `<parent>/mxgen-<what>-<pid>-<random>` (parent: the OS temp dir). */
export function makeTempDir(what: string, parent = tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  registerTempRoot(parent);
  removeDeadTemps(parent);
  return mkdtempSync(join(parent, `mxgen-${what}-${process.pid}-`));
}

let runTmp: string | undefined;

/**
 * This run's own temporary folder, given to every child as TMPDIR (g++'s `cc*.s`, Python's
 * files), so that what a killed tool leaves goes with the run. Removed at exit and on interrupts.
 */
export function runTempDir(): string {
  if (runTmp === undefined) {
    const dir = makeTempDir('run');
    runTmp = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return runTmp;
}

/** Registers a synchronous action run on an interrupt; returns the function that unregisters it. */
export function atInterrupt(fn: () => void): () => void {
  const id = ++undoId;
  undo.set(id, fn);
  return () => undo.delete(id);
}

/** The tool-started children of this process (their process groups are killed on an interrupt). */
export function trackChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  children.add(pid);
  child.once('exit', () => children.delete(pid));
  // Watchdog: kills the child's group when this process dies (SIGKILL included) and exits when the
  // group is gone. Its own group, so a terminal's Ctrl-C does not end it before it can act.
  const script =
    `PATH=/usr/bin:/bin; while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pid} 2>/dev/null; do sleep 0.3; done; ` +
    `kill -9 -${pid} 2>/dev/null; exit 0`;
  try {
    const w = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    w.on('error', () => undefined);
    w.unref();
  } catch {
    // No watchdog: the interrupt handler still kills the group.
  }
}

/** Pids of this process's direct children (worker threads' children included), from /proc. */
function procChildren(): number[] {
  try {
    const out: number[] = [];
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[1]) === process.pid) out.push(Number(e));
      } catch {
        // Gone already.
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Removes this process's temporaries (worker threads' included) in every known root. */
function removeOwnTemps(): void {
  for (const root of roots) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const n of names)
      if (ours(root, n) === process.pid) rmSync(join(root, n), { recursive: true, force: true });
  }
}

/** Kills every child process group, undoes, removes this process's temporaries. Synchronous. */
export function cleanUpNow(): void {
  for (const pid of new Set([...children, ...procChildren()])) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Not a group leader, or gone.
      }
    }
  }
  for (const fn of [...undo.values()].reverse()) {
    try {
      fn();
    } catch {
      // Best effort: the next run's recovery handles the rest.
    }
  }
  undo.clear();
  removeOwnTemps();
}

let installed = false;

/** SIGINT/SIGTERM: clean up (above), say so on one line, exit 130 or 143. */
export function installInterruptHandlers(): void {
  if (installed) return;
  installed = true;
  // At a normal exit every temporary of this process is a leftover (e.g. a worker thread's).
  process.once('exit', () => {
    try {
      removeOwnTemps();
    } catch {
      // Best effort.
    }
  });
  for (const [sig, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(sig, () => {
      cleanUpNow();
      process.stderr.write(
        `mxgen: interrupted (${sig}); stopped its tools and removed its temporary files\n`,
      );
      process.exit(code);
    });
  }
}
