// The KV cache in the area report: `mxgen area kv-attention` (real Yosys, area.json) counts the
// cache as memory bits — two SRAMs of capacity × kvHeads·headDim·kvBits — and changing only the
// KV format (kvBits 8 → 4) halves them while nothing else in the config changes. The unit's
// divider and exp make ABC slow on a loaded machine, so the smallest head (headDim 1) is used;
// results are cached by content hash like every area run.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kvCacheBits, KV_ATTENTION_DEFAULTS } from '../../src/components/index.js';

const BASE = {
  heads: 1,
  kvHeads: 1,
  headDim: 1,
  capacity: 4,
  seqLen: 4,
  scoreBits: 8,
  probBits: 6,
};

function memoryBits(kvBits: number, dir: string): number {
  const sets = Object.entries({ ...BASE, kvBits }).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const out = join(dir, `kv${kvBits}`);
  const r = spawnSync(
    process.execPath,
    [resolve('bin/mxgen.js'), 'area', 'kv-attention', ...sets, '--out', out, '--timeout', '1500'],
    { encoding: 'utf8', timeout: 1_600_000 },
  );
  expect(r.status, r.stderr).to.equal(0);
  const [folder] = readdirSync(out);
  const rep = JSON.parse(readFileSync(join(out, folder ?? '', 'area.json'), 'utf8')) as {
    total: { memoryBits: number };
  };
  return rep.total.memoryBits;
}

describe('area: the KV cache bits follow the KV format', function () {
  this.timeout(60 * 60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-kv-area-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('int8 → int4 KV cache: area.json memory bits 2·4·1·8 = 64 → 32', () => {
    const b8 = memoryBits(8, dir);
    const b4 = memoryBits(4, dir);
    expect(b8)
      .to.equal(kvCacheBits({ ...KV_ATTENTION_DEFAULTS, ...BASE, kvBits: 8 }))
      .and.to.equal(64);
    expect(b4).to.equal(32);
  });
});
