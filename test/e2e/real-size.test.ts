// Real-size layers (issue 12): weights in SRAM or streamed, RTL independent of the values.
// - the GPT-2-small FFN family (768 → 3072 → relu → 768: int8, W4A8, olive4 weights, MX) bit-exact
//   against the golden model in the native simulator for ≥ 4 tokens, and its recording replayed
//   in Verilator, every output every cycle — one build for every replay of this file (the
//   family, the chunked pairs, the load-port run and the stream-mode runs: `replays()`);
// - two seeds: byte-identical SV, only the weight images differ;
// - new weights written through the weight-load port give the new weights' golden results;
//   a write to no SRAM is ignored and raises wl_error;
// - stream mode: cycles per token within 10 % of the port's bandwidth bound, int4 weights ≥ 1.8×
//   the tokens/s of int8 at the same port width;
// - bad input: one-line errors naming the field.
import { expect } from 'chai';
import { readDesignFile } from '../../src/flow/design-file.js';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/flow/flow.js';
import { replayDesigns, type Replay } from '../../src/flow/replay.js';
import { measureThroughput } from '../../src/flow/throughput.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate } from '../../src/hdl/index.js';
import {
  compileGraph,
  type Compiled,
  designVectors,
  memoryFiles,
  streamInterface,
  withOverrides,
} from '../../src/ir/index.js';
import { lintAll } from '../support/lint-set.js';
import { thrown } from '../support/mxgen-error.js';
import { bundledDesigns, DESIGN_DIR, isRealSize } from './designs.js';
import { runLoaded, type LoadedRun } from '../support/load-port.js';

const FFN = ['ffn-gpt2', 'ffn-gpt2-w4a8', 'ffn-gpt2-olive4', 'ffn-gpt2-mxfp4'].map(
  (d) => `${DESIGN_DIR}/${d}.yaml`,
);
/** Small pairs of real-size layers linked by a chunked stream: int lanes (53), MX blocks (57). */
const CHUNKED = ['test/ir/fixtures/act-chunk.yaml', 'test/ir/fixtures/mx-chunk.yaml'];
/** Input tensors (4 tokens each) of the real-size designs; more with MXGEN_FUZZ_N. */
const FFN_TENSORS = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '0') || 0);

function compileWith(path: string, o: { seed?: number } = {}): Compiled {
  return compileGraph(withOverrides(readDesignFile(path), o));
}

/** The ffn-gpt2 family compiled and simulated natively once, shared by the tests below. */
let ffnRuns: NativeRun[] | undefined;
function realSizeRuns(): NativeRun[] {
  if (ffnRuns) return ffnRuns;
  const runs: NativeRun[] = [];
  for (const path of FFN) {
    const c = compileWith(path);
    const u = c.graph.nodes.flatMap((n) => (n.unit?.kind === 'linear-unit' ? [n.unit] : []));
    expect(
      u.map((x) => x.storage),
      path,
    ).to.deep.equal(['memory', 'memory']);
    const r = simulateNative(c, FFN_TENSORS, 0.05, 0.05);
    expect(r.vectors.outBeats.length, path).to.equal(FFN_TENSORS * 4);
    expect(r.native.mismatches, `${path}: ${r.native.firstMismatch}`).to.equal(0);
    runs.push(r);
  }
  ffnRuns = runs;
  return runs;
}

/** Small pairs of real-size layers linked by a chunked stream, simulated natively once. */
let chunkedRuns: NativeRun[] | undefined;
function smallChunkedRuns(): NativeRun[] {
  chunkedRuns ??= CHUNKED.map((path) => simulateNative(compileWith(path), 2, 0.2, 0.2));
  return chunkedRuns;
}

/**
 * The load-port fixture: seed 2's SRAM words written one per cycle into seed 1's hardware
 * (started from seed 1's images), then one write to an address no SRAM has, then 3 tensors.
 */
interface LoadPortRun extends LoadedRun {
  readonly a: Compiled;
  readonly b: Compiled;
  readonly nl: ReturnType<typeof elaborate>;
}
let loadPort: LoadPortRun | undefined;
function loadPortRun(): LoadPortRun {
  if (loadPort) return loadPort;
  const path = 'test/ir/fixtures/load-port.yaml';
  const a = compileWith(path, { seed: 1 });
  const b = compileWith(path, { seed: 2 });
  const nl = elaborate(a.top);
  const bad = {
    wl_valid: 1n,
    wl_sel: BigInt(b.memories.srams.length),
    wl_row: 0n,
    wl_data: 0xffffffffn,
  };
  const r = runLoaded(nl, a, b, { tensors: 3, idle: 0.1, stall: 0.1, seed: 5, extra: [bad] });
  loadPort = { a, b, nl, ...r };
  return loadPort;
}

/** The stream-mode fixtures (int8 and int4 weights), simulated natively once. */
const STREAM = ['stream-w8', 'stream-w4'];
let streamed: { c: Compiled; r: NativeRun }[] | undefined;
function streamRuns(): { c: Compiled; r: NativeRun }[] {
  streamed ??= STREAM.map((f) => {
    const c = compileWith(`test/ir/fixtures/${f}.yaml`);
    return { c, r: simulateNative(c, 2, 0.1, 0.1) };
  });
  return streamed;
}

/**
 * Every Verilator replay of this file in one build (one batch): the ffn-gpt2 family, the chunked
 * pairs, the load-port run and the stream-mode runs.
 */
let batch:
  Promise<{ ffn: Replay[]; chunked: Replay[]; loadPort: Replay; stream: Replay[] }> | undefined;
function replays(): NonNullable<typeof batch> {
  batch ??= (async () => {
    const ffn = realSizeRuns();
    const chunked = smallChunkedRuns();
    const lp = loadPortRun();
    const st = streamRuns().map((x) => x.r);
    const native = (r: NativeRun) => ({
      netlist: r.netlist,
      sv: r.sv,
      run: r.run,
      images: r.memories.images,
    });
    const reps = await replayDesigns([
      ...ffn.map(native),
      ...chunked.map(native),
      { netlist: lp.nl, sv: emitSv(lp.nl), run: lp.run, images: lp.a.memories.images },
      ...st.map(native),
    ]);
    const take = (n: number): Replay[] => reps.splice(0, n);
    const out = {
      ffn: take(ffn.length),
      chunked: take(chunked.length),
      loadPort: take(1)[0] as Replay,
      stream: take(st.length),
    };
    if (!out.loadPort || out.stream.length !== st.length) throw new Error('replay');
    return out;
  })();
  return batch;
}

describe('e2e: real-size layers (weights in SRAM, streamed weights)', () => {
  it('the real-size bundled designs are the ffn-gpt2 family', () => {
    expect(bundledDesigns(true).filter(isRealSize).sort()).to.deep.equal([...FFN].sort());
  });

  it(`ffn-gpt2 (int8, W4A8, olive4, mxfp8 × mxfp4): ${FFN_TENSORS * 4} tokens native = golden, Verilator = native every cycle`, async function () {
    this.timeout(3_600_000);
    const runs = realSizeRuns();
    // In the same build: small pairs of real-size layers linked by a chunked stream (decisions 53
    // and 57), and the load-port and stream-mode runs of the tests below.
    const smalls = smallChunkedRuns();
    smalls.forEach((small, i) =>
      expect(small.native.mismatches, `${CHUNKED[i]}: ${small.native.firstMismatch}`).to.equal(0),
    );
    const { ffn: reps, chunked: lasts } = await replays();
    expect(lasts.length).to.equal(CHUNKED.length);
    lasts.forEach((rep, i) => {
      const small = smalls[i] as NativeRun;
      const path = CHUNKED[i];
      const vs = verilatorChecks(rep, small.vectors, streamInterface(small.graph));
      expect(vs.verilator.mismatches, `${path}: ${vs.verilator.firstMismatch}`).to.equal(0);
      expect(vs.verilator.beatsCompared).to.equal(2 * small.vectors.tokens);
      expect(vs.nativeVsVerilator.values).to.be.greaterThan(0);
      expect(vs.nativeVsVerilator.mismatches, `${path}: ${vs.nativeVsVerilator.first}`).to.equal(0);
    });
    reps.forEach((rep, i) => {
      const run = runs[i] as NativeRun;
      const v = verilatorChecks(rep, run.vectors, streamInterface(run.graph));
      expect(v.verilator.mismatches, `${FFN[i]}: ${v.verilator.firstMismatch}`).to.equal(0);
      expect(v.verilator.beatsCompared).to.equal(FFN_TENSORS * 4);
      expect(v.nativeVsVerilator.mismatches, `${FFN[i]}: ${v.nativeVsVerilator.first}`).to.equal(0);
      expect(v.nativeVsVerilator.cycles).to.be.greaterThan(4 * 9216);
    });
  });

  it('real-size tokens sit in a double-buffered SRAM, not in registers; small units keep the register', () => {
    const runs = realSizeRuns();
    runs.forEach((r, i) => {
      const linears = r.netlist.modules.filter((m) => m.name.startsWith('linear_'));
      expect(linears.length, FFN[i]).to.equal(2);
      for (const m of linears) {
        const units = r.graph.nodes.flatMap((n) =>
          n.unit?.kind === 'linear-unit' && n.unit.module === m.name ? [n.unit] : [],
        );
        const u = units[0];
        if (!u) throw new Error(`${m.name}: no unit`);
        const C = u.inFeatures / u.tile;
        const buf = m.mems.find((x) => x.name === 'x_buf');
        expect(buf?.kind, `${FFN[i]} ${m.name}`).to.equal('sram');
        expect(buf?.depth).to.equal(2 * C);
        // Neither the token nor its registered chunk (feed_a) nor its scales are registers.
        for (const r of ['x_tok', 'feed_a', 'x_scales'])
          expect(
            m.regs.some((x) => x.name === r),
            `${m.name}: ${r}`,
          ).to.equal(false);
        // Decisions 53 and 57: fc1 (lane or MX-block layer) sends its output token from a
        // double-buffered SRAM as fc2's chunks (no `y`, `y_elems` or `y_scale` register), and
        // fc2 takes chunk beats.
        const mx = u.outMx === true;
        const first = u.node === 'fc1';
        expect(
          [u.outChunk !== undefined, u.inChunked === true],
          `${FFN[i]} ${u.node}`,
        ).to.deep.equal([first, !first]);
        const oc = u.outChunk;
        if (oc === undefined) continue;
        const ybuf = m.mems.filter((x) => x.name.startsWith('y_buf'));
        expect(ybuf.length).to.be.greaterThan(0);
        expect(
          ybuf.every((x) => x.kind === 'sram' && x.depth === (2 * u.outFeatures) / oc),
          `${m.name}: y_buf SRAMs`,
        ).to.equal(true);
        // Two tokens of codes (and of an MX token's block scales).
        expect(ybuf.reduce((a, x) => a + x.width * x.depth, 0)).to.equal(
          2 * u.outFeatures * u.outBits + (mx ? (2 * u.outFeatures * 8) / 32 : 0),
        );
        expect(ybuf.length).to.be.at.most(16);
        for (const r of ['y', 'y_elems', 'y_scale'])
          expect(
            m.regs.some((x) => x.name === r),
            `${m.name}: ${r}`,
          ).to.equal(false);
        // What is left in flip-flops: counters, the lanes' state and one word's combining
        // register; an MX unit also its block of binary32 totals waiting for mx-quantize.
        const ff = m.regs.reduce((a, x) => a + x.width, 0);
        expect(ff, `${m.name} flip-flop bits`).to.be.below(600 + (mx ? 32 * 32 : 0));
        const port = m.ports.find((p) => p.name === 'out_y');
        expect(port?.width).to.equal(oc * u.outBits);
        const sc = m.ports.find((p) => p.name === 'out_y_scale');
        expect(sc?.width).to.equal(mx ? (oc / 32) * 8 : undefined);
      }
    });
    const small = compileWith(`${DESIGN_DIR}/mlp-int8.yaml`);
    const nl = elaborate(small.top);
    for (const m of nl.modules.filter((x) => x.name.startsWith('linear_'))) {
      expect(m.mems.some((x) => x.name === 'x_buf')).to.equal(false);
      expect(m.regs.some((x) => x.name === 'x_tok')).to.equal(true);
    }
  });

  // Linted here, from the designs this file has generated (as the small ones in the batches).
  it('ffn-gpt2 family: verilator -Wall, iverilog and yosys check -assert pass on each set of files', async function () {
    this.timeout(1_800_000);
    const designs = [
      ...realSizeRuns().map((r, i) => ({
        name: (FFN[i] ?? '').replace(/^.*\//, '').replace(/\.yaml$/, ''),
        sv: r.sv,
        images: r.memories.images,
      })),
      // The chunked streams' producers and readers (decisions 53 and 57).
      ...CHUNKED.map((path) => {
        const small = compileWith(path);
        const name = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
        return { name, sv: emitSv(elaborate(small.top)), images: small.memories.images };
      }),
    ];
    const problems = await lintAll(designs);
    expect(problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n')).to.equal('');
  });

  it('two seeds: byte-identical SV and module names, only the weight images differ', () => {
    for (const path of [
      `${DESIGN_DIR}/ffn-gpt2-w4a8.yaml`,
      `${DESIGN_DIR}/mlp-int8.yaml`,
      `${DESIGN_DIR}/mx-blocks.yaml`,
    ]) {
      const [a, b] = [3, 4].map((seed) => compileWith(path, { seed }));
      if (!a || !b) throw new Error('compile');
      const sa = emitSv(elaborate(a.top));
      const sb = emitSv(elaborate(b.top));
      expect(
        sb.files.map((f) => f.name),
        path,
      ).to.deep.equal(sa.files.map((f) => f.name));
      sa.files.forEach((f, i) =>
        expect(sb.files[i]?.text === f.text, `${path} ${f.name}`).to.equal(true),
      );
      const ha = memoryFiles(a.memories);
      const hb = memoryFiles(b.memories);
      expect(hb.map((f) => f.name)).to.deep.equal(ha.map((f) => f.name));
      expect(
        ha.some((f, i) => f.text !== hb[i]?.text),
        `${path}: the images differ`,
      ).to.equal(true);
    }
  });

  it('weights written through the load port give the golden result of the new weights (native + Verilator)', async function () {
    this.timeout(3_600_000);
    const { a, b, nl, sim, run, writes, vectors: v } = loadPortRun();
    expect(emitSv(elaborate(b.top)).files.map((f) => f.text)).to.deep.equal(
      emitSv(nl).files.map((f) => f.text),
    );
    expect(writes).to.be.greaterThan(100);
    expect(run.outBeats.map((x) => x.y)).to.deep.equal(v.outBeats.map((x) => x.y));
    expect(sim.peek('wl_error')).to.equal(1n);
    // Seed 1's own golden results differ, so the run above really used the loaded weights.
    const va = designVectors(a.graph, 3);
    expect(va.outBeats.map((x) => x.y)).to.not.deep.equal(v.outBeats.map((x) => x.y));
    const chk = verilatorChecks((await replays()).loadPort, v, streamInterface(b.graph));
    expect(chk.verilator.mismatches, chk.verilator.firstMismatch).to.equal(0);
    expect(chk.nativeVsVerilator.mismatches, chk.nativeVsVerilator.first).to.equal(0);
  });

  it('stream mode: bit-exact, within 10 % of the bandwidth bound, int4 ≥ 1.8× the tokens/s of int8', async function () {
    this.timeout(3_600_000);
    const tps: number[] = [];
    const runs = streamRuns();
    runs.forEach(({ c, r }, i) => {
      const f = STREAM[i] as string;
      expect(c.memories.streams.map((s) => s.prefix)).to.deep.equal(['w_fc1', 'w_fc2']);
      expect(r.native.mismatches, `${f}: ${r.native.firstMismatch}`).to.equal(0);
      const t = measureThroughput(c, r.vectors, 500, 3);
      const bound = t.bandwidthBoundCyclesPerToken ?? 0;
      expect(bound, f).to.equal(f === 'stream-w8' ? 1024 : 512);
      expect(t.cyclesPerToken / bound, `${f}: ${t.cyclesPerToken} cycles/token`).to.be.within(
        1,
        1.1,
      );
      tps.push(t.tokensPerSecond);
    });
    expect((tps[1] ?? 0) / (tps[0] ?? 1)).to.be.at.least(1.8);
    const { stream: reps } = await replays();
    reps.forEach((rep, i) => {
      const { r } = runs[i] as { r: NativeRun };
      const v = verilatorChecks(rep, r.vectors, streamInterface(r.graph));
      expect(v.verilator.mismatches, v.verilator.firstMismatch).to.equal(0);
      expect(v.nativeVsVerilator.mismatches, v.nativeVsVerilator.first).to.equal(0);
    });
  });

  it('bad input: one line naming the field', () => {
    const base = readDesignFile('test/ir/fixtures/stream-w8.yaml');
    const odd = { ...base, weightPortBits: 60 };
    expect(thrown(() => compileGraph(odd)).message).to.match(
      /weight_port_bits: 60 is not a multiple of the 8-bit weight codes of fc1/,
    );
    const wide = { ...base, weightPortBits: 8 * 3 * 128 * 7 };
    expect(thrown(() => compileGraph(wide)).message).to.match(
      /weight_port_bits: 21504 bits carry 2688 weights per cycle, which no lanes × tile of fc1/,
    );
    const fp = withOverrides(readDesignFile(`${DESIGN_DIR}/fp8-olive8.yaml`), {
      weightsStorage: 'stream',
    });
    expect(thrown(() => compileGraph(fp)).message).to.match(
      /weights_storage: stream takes int\/fp element .* \(vector lanes\); got fp8_e5m2.* × olive8/,
    );
  });
});
