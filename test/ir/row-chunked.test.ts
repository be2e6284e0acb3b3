// Row ops longer than their chunk (row-ops/chunk.ts, docs/ir.md "Row ops"): the unit feeds a
// chunk-lane component ceil(features / chunk) beats per token. On two fixtures (every chunkable op
// at 40 features in chunks that mostly do not divide 40; the gpt2-block graph at d_model 48 with
// chunked layernorms and GELU, 8 decoded tokens), weights in SRAM and embedded: native = golden,
// Verilator = golden and = native on every output every cycle (one build), every unit's latency
// and the cycles per token as the schedule says; the component's size does not grow with the
// row; a bad chunk or too many features is a one-line error naming the field.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getComponent,
  layernormChunkedKind,
  NORM_CHUNKED_DEFAULTS,
  parseConfig,
} from '../../src/components/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/flow/flow.js';
import { readDesignFile } from '../../src/flow/design-file.js';
import { measureThroughput } from '../../src/flow/throughput.js';
import { replayDesigns } from '../../src/flow/replay.js';
import { elaborate, MxgenError } from '../../src/hdl/index.js';
import {
  compileGraph,
  designVectors,
  graphSchedule,
  heldCycles,
  streamInterface,
  unitSchedule,
} from '../../src/ir/index.js';
import { chunkable } from '../../src/ir/chunk-link.js';
import { compileFile } from '../e2e/designs.js';

const FIXTURES = ['test/ir/fixtures/rows-chunked.yaml', 'test/ir/fixtures/gpt2-block-chunked.yaml'];
const STORAGES = ['memory', 'embedded'] as const;
const ACT_CHUNK = 'test/ir/fixtures/act-chunk.yaml';
const MX_CHUNK = 'test/ir/fixtures/mx-chunk.yaml';

describe('ir: chunked row units', function () {
  this.timeout(20 * 60_000);

  for (const path of FIXTURES)
    for (const storage of STORAGES)
      it(`${path} (${storage}): the row units are chunked; latencies and cycles per token match the schedule`, () => {
        const c = compileFile(path, storage);
        const rows = c.graph.nodes.filter((n) => n.unit?.kind === 'row-unit');
        const chunked = rows.filter((n) => n.unit?.kind === 'row-unit' && n.unit.chunk);
        expect(chunked.length, 'chunked row units').to.be.at.least(3);
        const t = measureThroughput(c, designVectors(c.graph, 2), 500, 4);
        const units = c.graph.nodes.filter((n) => n.unit);
        units.forEach((n, i) => {
          const s = unitSchedule(n.unit ?? ({} as never));
          // A reader that fills its token SRAM chunk by chunk holds this unit's beat (proj, K = 192).
          const held = heldCycles(c.graph, n.name);
          expect(t.units[i]?.cyclesPerToken, `${n.name} (${n.unit?.kind})`).to.equal(
            s.latency + 1 + held,
          );
        });
        expect(t.cyclesPerToken, 'design cycles per token').to.equal(
          graphSchedule(c.graph).interval,
        );
      });

  // Real-size layer → real-size layer: fc1's output leaves its double-buffered SRAM as fc2's
  // chunks (decision 53: int codes between lane units; decision 57: MX blocks with their scales
  // between MX-block units); fc1 takes the next token as it offers the first beat, fc2 is
  // handshaken at the first chunk. Natively bit-exact here; Verilator in
  // test/e2e/real-size.test.ts's batch.
  for (const path of [ACT_CHUNK, MX_CHUNK])
    it(`${path}: a chunked stream between two real-size layers; latencies and cycles per token match the schedule`, () => {
      const c = compileFile(path, 'memory');
      const lin = c.graph.nodes.flatMap((n) => (n.unit?.kind === 'linear-unit' ? [n.unit] : []));
      expect(lin.map((u) => [u.outChunk, u.inChunked])).to.deep.equal([
        [lin[1]?.tile, undefined],
        [undefined, true],
      ]);
      const r = simulateNative(c, 2, 0.2, 0.2);
      expect(r.native.beatsCompared).to.equal(2 * r.vectors.tokens);
      expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
      const t = measureThroughput(c, designVectors(c.graph, 2), 500, 4);
      const units = c.graph.nodes.filter((n) => n.unit);
      units.forEach((n, i) => {
        const s = unitSchedule(n.unit ?? ({} as never));
        expect(heldCycles(c.graph, n.name), n.name).to.equal(0);
        expect(t.units[i]?.cyclesPerToken, n.name).to.equal(s.latency + 1);
      });
      // fc1 is the slower one: its interval is its latency (no output register to wait for).
      const s0 = unitSchedule(units[0]?.unit ?? ({} as never));
      expect(s0.interval).to.equal(s0.latency - 1);
      expect(t.cyclesPerToken).to.equal(graphSchedule(c.graph).interval);
      expect(t.cyclesPerToken).to.equal(s0.interval);
      // The token buffers are counted apart from the weight SRAMs: fc1's input (2·C chunk words)
      // and output (two tokens of codes), fc2's input; an MX token has a scale per 32 codes.
      const [u1, u2] = lin;
      if (!u1 || !u2) throw new Error('two layers');
      const two = (f: number, mx: boolean): number => 2 * f * 8 + (mx ? (2 * f * 8) / 32 : 0);
      const mx = u1.input.mx;
      expect(t.units.map((x) => x.bufferBits)).to.deep.equal([
        two(u1.inFeatures, mx) + two(u1.outFeatures, mx),
        two(u2.inFeatures, mx),
      ]);
      expect(t.bufferBits).to.equal((t.units[0]?.bufferBits ?? 0) + (t.units[1]?.bufferBits ?? 0));
      // The link's limits: weights in SRAM; an MX producer quantizes one block per write.
      expect(chunkable(u1, u2)).to.equal(true);
      expect(chunkable({ ...u1, storage: 'embedded' }, u2)).to.equal(false);
      if (mx)
        expect(chunkable({ ...u1, lanes: 64 }, u2), '64 lanes: two blocks a write').to.equal(false);
      // Embedded weights: no token SRAMs, no chunked stream.
      const e = compileFile(path, 'embedded');
      for (const n of e.graph.nodes)
        if (n.unit?.kind === 'linear-unit')
          expect([n.unit.outChunk, n.unit.inChunked], n.name).to.deep.equal([undefined, undefined]);
    });

  it('native = golden, Verilator = golden and = native every cycle (both fixtures, SRAM and embedded, one build)', async () => {
    const compiled = FIXTURES.flatMap((p) =>
      STORAGES.map((s) => ({ label: `${p} (${s})`, c: compileFile(p, s) })),
    );
    const runs: NativeRun[] = compiled.map((d) => simulateNative(d.c, 3, 0.2, 0.2));
    runs.forEach((r, i) => {
      expect(r.native.beatsCompared, `${compiled[i]?.label} native beats`).to.be.greaterThan(0);
      expect(r.native.mismatches, `${compiled[i]?.label} native`).to.equal(0);
    });
    const reps = await replayDesigns(
      runs.map((r) => ({ netlist: r.netlist, sv: r.sv, run: r.run, images: r.memories.images })),
    );
    reps.forEach((rep, i) => {
      const run = runs[i] as NativeRun;
      const label = compiled[i]?.label;
      const v = verilatorChecks(rep, run.vectors, streamInterface(run.graph));
      expect(v.verilator.beatsCompared, `${label} beats`).to.equal(3 * run.vectors.tokens);
      expect(v.verilator.mismatches, `${label}: ${v.verilator.firstMismatch}`).to.equal(0);
      expect(v.nativeVsVerilator.values).to.be.greaterThan(0);
      expect(v.nativeVsVerilator.mismatches, `${label}: ${v.nativeVsVerilator.first}`).to.equal(0);
    });
  });

  it('a chunked component grows with the chunk, not with the row', () => {
    const svBytes = (n: number, chunk: number): number => {
      const k = getComponent(layernormChunkedKind.kind);
      const cfg = parseConfig(k, { ...NORM_CHUNKED_DEFAULTS, n, chunk });
      return emitSv(elaborate(k.generate(cfg))).files.reduce((a, f) => a + f.text.length, 0);
    };
    const small = svBytes(64, 16);
    const big = svBytes(4096, 16);
    expect(big / small, `n 4096 vs 64 at chunk 16: ${big} vs ${small} bytes`).to.be.below(1.5);
    expect(svBytes(4096, 32) / big, 'chunk 32 vs 16').to.be.above(1.25);
  });

  describe('bad input: one line naming the field', () => {
    let dir = '';
    before(() => (dir = mkdtempSync(join(tmpdir(), 'mxgen-chunk-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const design = (features: number, node: string): string => {
      const f = join(dir, `d${features}-${node.length}.yaml`);
      writeFileSync(
        f,
        [
          'design: bad_chunk',
          'graph:',
          `  - { op: input, name: x, features: ${features} }`,
          `  - ${node}`,
          'outputs: [y]',
          'precision: { weights: int8, activations: int8 }',
          '',
        ].join('\n'),
      );
      return f;
    };
    const oneLine = (f: string, re: RegExp): void => {
      let err: unknown;
      try {
        compileGraph(readDesignFile(f));
      } catch (e) {
        err = e;
      }
      expect(err, f).to.be.instanceOf(MxgenError);
      const msg = (err as MxgenError).message;
      expect(msg.split('\n'), msg).to.have.length(1);
      expect(msg).to.match(re);
    };
    for (const bad of ['0', '65', '2.5', '"x"'])
      it(`chunk: ${bad}`, () =>
        oneLine(design(96, `{ op: layernorm, name: y, input: x, chunk: ${bad} }`), /chunk/));
    it('a layernorm of 5000 features (the integer definition takes 4096)', () =>
      oneLine(
        design(5000, '{ op: layernorm, name: y, input: x }'),
        /graph\[1\]\.input: .*5000 features.*4096/,
      ));
    it('a hadamard of 128 features (no chunked form)', () =>
      oneLine(
        design(128, '{ op: hadamard, name: y, input: x }'),
        /graph\[1\]\.input: .*128 features.*64/,
      ));
  });
});
