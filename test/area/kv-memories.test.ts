// Issue 13: changing only the KV-cache format changes the KV memory bits in area.json as
// expected, and every check stays green. The full area synthesis of the attention unit (its
// restoring divider and exps) takes longer than a test may (>1500 s per run on the shared
// machine), so area.json comes from `mxgen area --memories-only`: the real Yosys, stopped after
// the coarse synthesis whose `$mem_v2` cells are the ones the full flow counts (shown first on a
// small design where both runs finish: the same memory bits, SRAM and ROM).
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthArea, synthMemories, type MemoryReport } from '../../src/backends/index.js';
import { kvCacheBits } from '../../src/components/index.js';
import { romLookup } from '../../src/components/arith/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { area } from '../../src/flow/index.js';
import { elaborate, ModuleBuilder, u } from '../../src/hdl/index.js';
import { compileGraph, designToGraph } from '../../src/ir/index.js';
import { nativeVsGolden } from '../support/native-design.js';

/** An SRAM and a constant table (which Yosys turns into a ROM) under one top. */
function sramAndTable(): ModuleBuilder {
  const m = new ModuleBuilder('sram_and_table');
  const w = m.sram('w', { width: 12, depth: 64 });
  w.write(m.input('wa', u(6)), m.input('wd', u(12)), m.input('we', u(1)));
  const q = w.read(m.input('ra', u(6)), m.input('re', u(1)));
  const table = Array.from({ length: 32 }, (_, i) => BigInt((i * 37) % 61));
  m.output('t', u(6)).set(romLookup(m.input('ta', u(5)), table, 6));
  m.output('q', u(12)).set(q);
  return m;
}

const kvDesign = (kv: unknown): string =>
  JSON.stringify({
    design: 'kv_mem',
    seed: 3,
    macs: 32,
    tokens: 8,
    graph: [
      { op: 'input', name: 'x', features: 16 },
      {
        op: 'attention',
        name: 'attn',
        input: 'x',
        features: 16,
        heads: 4,
        kv_heads: 2,
        kv_format: kv,
      },
    ],
    outputs: ['attn'],
    precision: { weights: 'int8', activations: 'int8' },
  });

describe('area: memory bits without the logic synthesis (--memories-only)', function () {
  this.timeout(30 * 60_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxgen-kvmem-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts the same memory bits as the full area synthesis (an SRAM and a ROM)', async () => {
    const sv = emitSv(elaborate(sramAndTable()));
    const full = await synthArea(sv.files, sv.top, { tool: 'system', cacheDir: null });
    const mem = await synthMemories(sv.files, sv.top, { tool: 'system' });
    expect(mem.total.memoryBits).to.equal(full.total.memoryBits);
    expect(mem.total.ramBits).to.equal(64 * 12);
    expect(mem.memories.find((c) => c.name === 'w')).to.include({
      kind: 'ram',
      width: 12,
      depth: 64,
    });
    expect(mem.total.romBits).to.be.greaterThan(0); // the 32-entry table became a ROM
    expect(mem.total.memoryBits - mem.total.ramBits).to.equal(mem.total.romBits);
  });

  // KV cache: 2 SRAMs × 8 positions × (8 channels · element bits + scales)
  const formats: [string, unknown, string, number][] = [
    ['int8', 'int8', 'int', 8],
    ['int4', 'int4', 'int', 4],
    ['fp8_e4m3', 'fp8_e4m3', 'fp8_e4m3', 8],
    ['mxfp4_e2m1', 'mxfp4_e2m1', 'mxfp4_e2m1', 4],
    ['int4 per token', { format: 'int4', scale: 'per_token' }, 'int_per_token', 4],
    ['int4 per channel', { format: 'int4', scale: 'per_channel' }, 'int_per_channel', 4],
    [
      'int4 keys per channel',
      { format: 'int4', scale: 'per_channel', value_scale: 'per_token' },
      'int_k_channel_v_token',
      4,
    ],
  ];
  const reports = new Map<string, MemoryReport>();
  for (const [label, kv, kvFormat, kvBits] of formats)
    it(`kv_format ${label}: area.json has the KV SRAMs of 2 × 8 × the format's row, native = golden`, async () => {
      const file = join(dir, `kv-${label.replace(/ /g, '-')}.yaml`);
      writeFileSync(file, kvDesign(kv));
      const r = await area(file, { memoriesOnly: true, out: join(dir, 'out'), force: true });
      const json = JSON.parse(readFileSync(join(r.dir, 'area.json'), 'utf8')) as MemoryReport;
      expect(json.kind).to.equal('memories-only');
      const kvCells = json.memories.filter((c) => c.name === 'k_cache' || c.name === 'v_cache');
      const expected = kvCacheBits({
        heads: 4,
        kvHeads: 2,
        headDim: 4,
        capacity: 8,
        seqLen: 8,
        inBits: 8,
        inScaleExp: 0,
        kvFormat,
        kvBits,
      } as never);
      expect(kvCells.map((c) => c.kind)).to.deep.equal(['ram', 'ram']);
      expect(kvCells.reduce((a, c) => a + c.bits, 0)).to.equal(expected);
      reports.set(label, json);
      // the checks stay green: the same design decodes bit for bit against the golden model
      const c = compileGraph(designToGraph(JSON.parse(kvDesign(kv)), 'kv.yaml'));
      const run = nativeVsGolden(c, 3, 5, 0.2);
      expect(run.native).to.deep.equal(run.golden);
    });

  it('only the KV SRAMs change: the RAM bits differ by exactly the KV bits', () => {
    const ram = (l: string): number => reports.get(l)?.total.ramBits ?? NaN;
    expect(ram('int8') - ram('int4')).to.equal(2 * 8 * 8 * 4); // int4 halves the codes
    expect(ram('fp8_e4m3')).to.equal(ram('int8'));
    expect(ram('int8') - ram('mxfp4_e2m1')).to.equal(2 * 8 * (8 * 8 - (8 * 4 + 2 * 8)));
    expect(ram('int4 per token') - ram('int4')).to.equal(2 * 8 * 3); // a 3-bit shift per token
    // per channel (decision 44): the caches hold int4 codes only; the 3-bit shifts of the 8 K
    // and 8 V channels are one 48-bit parameter word of the attention's row unit (two SRAM banks)
    expect(ram('int4 per channel') - ram('int4')).to.equal(16 * 3);
    const params = (reports.get('int4 per channel')?.memories ?? []).filter((c) =>
      /^p\d$/.test(c.name),
    );
    expect(params.map((c) => [c.kind, c.bits])).to.deep.equal([
      ['ram', 32],
      ['ram', 16],
    ]);
    // keys per channel, values per token: 8 K channel shifts + a 3-bit V shift per position
    expect(ram('int4 keys per channel') - ram('int4')).to.equal(8 * 3 + 8 * 3);
  });
});
