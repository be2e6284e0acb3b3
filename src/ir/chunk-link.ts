// Chunked streams between real-size layer units (decision 53, docs/ir.md "Real-size output
// tokens"): a `memory` lane unit whose int output of more than TOKEN_SRAM_FEATURES features is
// read by exactly one lane unit that keeps its input token in SRAM (`laneTokenInSram`) writes its
// output groups into a double-buffered SRAM and sends the token as the reader's chunks (`tile`
// codes per beat), which the reader writes straight into its token SRAM. Neither side holds the
// token in flip-flops; every other stream keeps one token per beat, byte for byte.
import { streamSinks } from './dag.js';
import { elementBits } from './formats.js';
import type { Graph } from './graph.js';
import type { LinearUnitConfig } from './units.js';
import { TOKEN_SRAM_FEATURES } from './units/control.js';
import { laneTokenInSram } from './units/lanes/generate.js';
import { LANES_UNIT } from './units/lanes/index.js';

/** Whether producer `p`'s output stream can reach reader `c` as a chunked stream. */
export function chunkable(p: LinearUnitConfig, c: LinearUnitConfig): boolean {
  return (
    p.storage === 'memory' &&
    LANES_UNIT.takes(p) &&
    !p.outOlive &&
    !p.outMx &&
    p.outFeatures > TOKEN_SRAM_FEATURES &&
    LANES_UNIT.takes(c) &&
    laneTokenInSram(c) &&
    c.inFeatures === p.outFeatures &&
    elementBits(c.input.element) === p.outBits &&
    c.tile % p.lanes === 0 &&
    c.inFeatures / c.tile >= 2
  );
}

/** Marks every chunkable producer → reader pair (`outChunk`, `inChunked`) and renames both. */
export function linkChunkedStreams(g: Graph): void {
  for (const [src, sinks] of streamSinks(g)) {
    const n = g.nodes.find((x) => x.name === src);
    const sink = sinks[0];
    if (sinks.length !== 1 || sink?.kind !== 'unit' || sink.port !== 'in') continue;
    const q = g.nodes.find((x) => x.name === sink.node);
    const p = n?.unit;
    const c = q?.unit;
    if (!n || !q || p?.kind !== 'linear-unit' || c?.kind !== 'linear-unit' || !chunkable(p, c))
      continue;
    const pu = { ...p, outChunk: c.tile };
    n.unit = { ...pu, module: LANES_UNIT.moduleName(pu) };
    const cu = { ...c, inChunked: true };
    q.unit = { ...cu, module: LANES_UNIT.moduleName(cu) };
  }
}
