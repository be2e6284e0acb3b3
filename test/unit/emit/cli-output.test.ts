// writeDesignDir: complete folders only. A writer killed mid-write leaves no rtl-out/<design>/
// (and an existing one untouched); the next run cleans the leftovers. Manifest is deterministic.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildManifest, OWNER_FILE, OWNER_MARK, writeDesignDir } from '../../../src/flow/output.js';
import { emitSv } from '../../../src/emit/sv/index.js';
import { elaborate, MxgenError } from '../../../src/hdl/index.js';
import { catalogueEntry } from '../../designs/index.js';

const OUTPUT_URL = pathToFileURL(resolve('src/flow/output.ts')).href;

/** A child that writes 200 files of 64 KiB and stops forever after the 3rd, until killed. */
const CHILD = `
import { writeDesignDir } from '${OUTPUT_URL}';
const files = Array.from({ length: 200 }, (_, i) => ({ name: 'm' + i + '.sv', text: 'x'.repeat(65536) }));
await writeDesignDir(process.argv[2], 'big', files, {
  onFileWritten: async (_name, i) => {
    if (i === 2) { process.stdout.write('MID-WRITE\\n'); await new Promise(() => {}); }
  },
});
`;

/** A child that replaces 'big' and stops forever between its two renames, until killed. */
const CHILD_SWAP = `
import { writeDesignDir } from '${OUTPUT_URL}';
await writeDesignDir(process.argv[2], 'big', [{ name: 'new.sv', text: 'replacement' }], {
  onOldMovedAside: async () => { process.stdout.write('MID-WRITE\\n'); await new Promise(() => {}); },
});
`;

/** The pid of a process that has exited (a dead writer's leftovers carry it). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  if (r.pid === undefined || r.status !== 0) throw new Error('could not start node');
  return r.pid;
}

/** Runs the child until it reports being mid-write, then SIGKILLs it. */
function killMidWrite(script: string, outRoot: string): Promise<void> {
  return new Promise((done, fail) => {
    // A direct spawn (not runTool): the test must kill the writer at a chosen point.
    const child = spawn(process.execPath, ['--import', 'tsx', script, outRoot], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('MID-WRITE')) child.kill('SIGKILL');
    });
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? done() : fail(new Error(`child ended without kill: ${err}`)),
    );
  });
}

/** A design folder's files without the ownership marker. */
const ls = (dir: string): string[] => readdirSync(dir).filter((n) => n !== OWNER_FILE);

describe('cli writeDesignDir', () => {
  let root = '';
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'mxgen-out-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes every file into <out>/<design>/ and replaces an existing folder', async () => {
    const out = join(root, 'rtl-out');
    await writeDesignDir(out, 'd', [
      { name: 'a.sv', text: 'one' },
      { name: 'b.sv', text: 'two' },
    ]);
    await writeDesignDir(out, 'd', [{ name: 'c.sv', text: 'three' }]);
    expect(ls(join(out, 'd'))).to.deep.equal(['c.sv']);
    expect(readFileSync(join(out, 'd', 'c.sv'), 'utf8')).to.equal('three');
    expect(readdirSync(out)).to.deep.equal(['d']);
  });

  it('a writer killed mid-write leaves no partial design folder', async () => {
    const out = join(root, 'rtl-out');
    const script = join(root, 'child.mjs');
    writeFileSync(script, CHILD);
    await killMidWrite(script, out);
    expect(existsSync(join(out, 'big'))).to.equal(false);
    // With a complete folder in place, a killed rewrite leaves it as it was.
    await writeDesignDir(out, 'big', [{ name: 'old.sv', text: 'complete' }]);
    await killMidWrite(script, out);
    expect(ls(join(out, 'big'))).to.deep.equal(['old.sv']);
    // The next run removes the dead writer's temp folder.
    await writeDesignDir(out, 'big', [{ name: 'new.sv', text: 'n' }]);
    expect(readdirSync(out)).to.deep.equal(['big']);
  });

  it('a writer killed between moving the old folder aside and renaming the new one in loses nothing', async () => {
    const out = join(root, 'rtl-out');
    const script = join(root, 'child-swap.mjs');
    writeFileSync(script, CHILD_SWAP);
    await writeDesignDir(out, 'big', [{ name: 'old.sv', text: 'complete' }]);
    await killMidWrite(script, out);
    // The kill left no big/ (only the dead writer's .big.old-* and .big.tmp-*).
    expect(existsSync(join(out, 'big'))).to.equal(false);
    expect(readdirSync(out).filter((n) => n.startsWith('.big.old-'))).to.have.length(1);
    // The next run puts the previous complete folder back before it cleans up: while it writes,
    // big/ is the previous folder, byte for byte.
    let during: string[] | null = null;
    await writeDesignDir(out, 'big', [{ name: 'next.sv', text: 'n' }], {
      onFileWritten: () => {
        const big = join(out, 'big');
        during = existsSync(big) ? [...ls(big), readFileSync(join(big, 'old.sv'), 'utf8')] : null;
      },
    });
    expect(during, 'big/ while the next run writes').to.deep.equal(['old.sv', 'complete']);
    expect(readdirSync(out)).to.deep.equal(['big']);
    expect(ls(join(out, 'big'))).to.deep.equal(['next.sv']);
  });

  it('the next run repairs each state a killed writer can leave, by hand-made leftovers', async () => {
    const out = join(root, 'rtl-out');
    const dead = deadPid();
    const t = (ms: number): string => ms.toString(36);
    const folder = (name: string, file: string): void => {
      mkdirSync(join(out, name), { recursive: true });
      writeFileSync(join(out, name, file), file);
      // Hand-made leftovers of mxgen runs carry the ownership marker, as real ones do.
      writeFileSync(join(out, name, OWNER_FILE), OWNER_MARK);
    };
    /** Writes 'd' once more and returns what d/ held while it wrote (null: no d/). */
    const nextRun = async (): Promise<string[] | null> => {
      let during: string[] | null = null;
      await writeDesignDir(out, 'd', [{ name: 'new.sv', text: 'n' }], {
        onFileWritten: () => {
          during = existsSync(join(out, 'd')) ? ls(join(out, 'd')) : null;
        },
      });
      expect(ls(join(out, 'd'))).to.deep.equal(['new.sv']);
      return during;
    };
    const leftovers = (): string[] => readdirSync(out).filter((n) => n !== 'd');
    // Killed between its two renames, twice (concurrent writers): no d/, two old folders; the one
    // moved aside last (larger time stamp) comes back, the other and the temp folder go.
    folder(`.d.old-${dead}-${t(1000)}`, 'older.sv');
    folder(`.d.old-${dead}-${t(2000)}`, 'newer.sv');
    folder(`.d.tmp-${dead}-${t(900)}`, 'tmp.sv');
    expect(await nextRun()).to.deep.equal(['newer.sv']);
    expect(leftovers()).to.deep.equal([]);
    // Killed after the swap, during the deletion: d/ is new; the old and the half-deleted del
    // folders go, d/ stays.
    folder(`.d.old-${dead}-${t(3000)}`, 'old.sv');
    folder(`.d.del-${dead}-${t(3000)}`, 'half.sv');
    expect(await nextRun()).to.deep.equal(['new.sv']);
    expect(leftovers()).to.deep.equal([]);
    // A del folder (maybe partial) is never restored, even with d/ missing.
    rmSync(join(out, 'd'), { recursive: true });
    folder(`.d.del-${dead}-${t(4000)}`, 'half.sv');
    expect(await nextRun()).to.equal(null);
    expect(leftovers()).to.deep.equal([]);
    // A live writer's folders (this process) are left alone, and so are other designs'.
    const live = [`.d.old-${process.pid}-${t(5000)}`, `.d.tmp-${process.pid}-${t(5000)}`];
    const other = `.dd.old-${dead}-${t(5000)}`;
    for (const n of [...live, other]) folder(n, 'x.sv');
    rmSync(join(out, 'd'), { recursive: true });
    expect(await nextRun()).to.equal(null);
    expect(leftovers().sort()).to.deep.equal([...live, other].sort());
  });

  it('refuses design and file names with path separators', async () => {
    for (const [design, file] of [
      ['../up', 'a.sv'],
      ['ok', 'sub/a.sv'],
    ] as const) {
      try {
        await writeDesignDir(root, design, [{ name: file, text: '' }]);
        expect.fail('expected a usage error');
      } catch (e) {
        expect(e).to.be.instanceOf(MxgenError);
        expect((e as MxgenError).message).to.contain('is not a plain file name');
      }
    }
  });

  it('builds the same manifest twice, listing modules, files, top ports and digest', () => {
    const make = () =>
      buildManifest('mac', emitSv(elaborate(catalogueEntry('mac_array_2x2').build())), '9.9.9');
    const a = make();
    expect(make().text).to.equal(a.text);
    const m = JSON.parse(a.text) as Record<string, unknown>;
    expect(m.design).to.equal('mac');
    expect(m.top).to.equal('mac_array_2x2_s8_acc20');
    expect(m.mxgenVersion).to.equal('9.9.9');
    expect(m.files).to.deep.equal(['mac_pe_s8_acc20.sv', 'mac_array_2x2_s8_acc20.sv']);
    // Ports of the top: en, clear (1 bit), a0 a1 b0 b1 (8 bits), four 20-bit accumulators.
    const ports = m.ports as { name: string; width: number }[];
    expect(ports.map((p) => p.width)).to.deep.equal([1, 1, 8, 8, 8, 8, 20, 20, 20, 20]);
    expect(m.configDigest).to.match(/^[0-9a-f]{8}$/);
  });
});
