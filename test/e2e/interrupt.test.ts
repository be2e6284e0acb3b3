// Issue 19: SIGINT and SIGTERM during a Verilator build, a Yosys run and a Verilator replay stop
// every child process (make, g++, Verilator, Yosys/ABC, the model) and leave no temporary
// folders; after a SIGKILL the watchdog still ends the tools and the next run removes the dead
// run's leftovers. Each run works in a sandbox (its own build cache), so "a child survived" is "a
// process whose working directory or command line is in the sandbox".
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { leftovers } from '../support/leftovers.js';

const BIN = resolve('bin/mxgen.js');
// 64 × 64 features on one multiplier: 4096 cycles per token, long enough to catch each stage.
const SLOW =
  'design: slow\nmacs: 1\ngraph:\n  - { op: input, name: x, features: 64 }\n' +
  '  - { op: linear, name: fc1, input: x, features: 64 }\n' +
  'precision: { weights: int8, activations: int8 }\n';

/** Processes whose working directory or command line lies in `sb` (pid, command line). */
function processesIn(sb: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      // A zombie (killed, not yet reaped by init) is dead.
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${e}/cwd`);
      } catch {
        // Not ours to read.
      }
      if (cwd.startsWith(sb) || cmd.includes(sb)) out.push(`${e} ${cmd}`);
    } catch {
      // Gone.
    }
  }
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Stopped {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly pid: number;
}

/** Starts mxgen in `sb`, waits until `ready(sb)` holds, sends `sig`, waits for the exit. */
async function interruptAt(
  sb: string,
  args: readonly string[],
  ready: (sb: string) => boolean,
  sig: NodeJS.Signals,
): Promise<Stopped> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: sb,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('close', (code, signal) => done({ code, signal })),
  );
  let finished = false;
  void exited.then(() => (finished = true));
  const t0 = Date.now();
  while (!ready(sb)) {
    if (finished) throw new Error(`mxgen ended before the stage was reached: ${stderr}`);
    if (Date.now() - t0 > 240_000) throw new Error('stage not reached in 240 s');
    await sleep(20);
  }
  child.kill(sig);
  const r = await exited;
  // The watchdogs poll every 0.3 s: wait for the sandbox's processes to end (at most 20 s: on a
  // loaded 2-core machine a killed Yosys/ABC group takes seconds to be reaped).
  for (let i = 0; i < 200 && processesIn(sb).length > 0; i++) await sleep(100);
  return { ...r, stderr, pid: child.pid ?? 0 };
}

const toolIn = (sub: string) => (sb: string) =>
  processesIn(join(sb, sub)).some((p) => !p.includes(BIN));
const replaying = (sb: string): boolean => processesIn(sb).some((p) => p.includes('Vdut'));

function expectClean(sb: string, r: Stopped, sig: NodeJS.Signals): void {
  expect(r.code, r.stderr).to.equal(sig === 'SIGINT' ? 130 : 143);
  expect(r.stderr.trim()).to.equal(
    `mxgen: interrupted (${sig}); stopped its tools and removed its temporary files`,
  );
  expect(processesIn(sb), 'surviving child processes').to.deep.equal([]);
  expect(leftovers(sb, r.pid), 'leftover temporaries').to.deep.equal([]);
  expect(existsSync(join(sb, 'out', 'slow')), 'a partial output folder').to.equal(false);
}

describe('e2e: interrupts (issue 19)', function () {
  this.timeout(600_000);
  let root = '';
  before(() => (root = mkdtempSync(join(tmpdir(), 'mxgen-intr-'))));
  after(() => rmSync(root, { recursive: true, force: true }));
  const sandbox = (name: string): string => {
    const sb = join(root, name);
    mkdirSync(sb, { recursive: true });
    writeFileSync(join(sb, 'slow.yaml'), SLOW);
    return sb;
  };

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    it(`${sig} during a Verilator build (make, g++)`, async () => {
      const sb = sandbox(`build-${sig}`);
      const r = await interruptAt(
        sb,
        ['run', 'slow.yaml', '--no-area', '--vectors', '1', '--out', 'out'],
        toolIn('sim/build/'),
        sig,
      );
      expectClean(sb, r, sig);
    });

    it(`${sig} during Yosys`, async () => {
      const sb = sandbox(`yosys-${sig}`);
      const r = await interruptAt(
        sb,
        [
          'run',
          'slow.yaml',
          '--no-verilator',
          '--yosys',
          'system',
          '--vectors',
          '1',
          '--out',
          'out',
        ],
        toolIn('sim/build/yosys/'),
        sig,
      );
      expectClean(sb, r, sig);
    });
  }

  describe('during a Verilator replay', () => {
    let sb = '';
    before(() => {
      sb = sandbox('replay');
      // One complete run: the build is cached, the next runs go straight to the replay.
      const r = spawnSync(
        process.execPath,
        [BIN, 'run', 'slow.yaml', '--no-area', '--vectors', '1', '--out', 'warm'],
        { cwd: sb, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).to.equal(0);
    });
    for (const sig of ['SIGINT', 'SIGTERM'] as const)
      it(`${sig} stops the model and removes the stimulus folder`, async () => {
        const r = await interruptAt(
          sb,
          ['run', 'slow.yaml', '--no-area', '--vectors', '40', '--out', 'out'],
          replaying,
          sig,
        );
        expectClean(sb, r, sig);
      });
  });

  it('SIGKILL during Yosys: the watchdog ends Yosys, the next run removes the leftovers', async () => {
    const sb = sandbox('kill');
    const r = await interruptAt(
      sb,
      ['run', 'slow.yaml', '--no-verilator', '--yosys', 'system', '--vectors', '1', '--out', 'out'],
      toolIn('sim/build/yosys/'),
      'SIGKILL',
    );
    expect(r.signal).to.equal('SIGKILL');
    expect(processesIn(sb), 'Yosys/ABC after mxgen was killed').to.deep.equal([]);
    expect(leftovers(sb).length, 'the killed run leaves its folder').to.be.greaterThan(0);
    // Any later run that uses the cache removes the dead run's temporaries first.
    const next = spawnSync(
      process.execPath,
      [BIN, 'run', 'slow.yaml', '--no-verilator', '--no-area', '--vectors', '1', '--out', 'out'],
      { cwd: sb, encoding: 'utf8' },
    );
    expect(next.status, next.stderr).to.equal(0);
    const yosysNext = spawnSync(
      process.execPath,
      [BIN, 'area', 'mx-scale', '--tool', 'system', '--out', 'out2'],
      { cwd: sb, encoding: 'utf8' },
    );
    expect(yosysNext.status, yosysNext.stderr).to.equal(0);
    expect(leftovers(sb, r.pid)).to.deep.equal([]);
  });
});
