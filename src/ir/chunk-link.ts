// Chunked streams between real-size layer units (decisions 53 and 57, docs/ir.md "Real-size
// output tokens"): a `memory` unit whose output of more than TOKEN_SRAM_FEATURES features is read
// by exactly one unit that keeps its input token in SRAM writes its output into a double-buffered
// SRAM and sends the token as the reader's chunks (`tile` codes per beat), which the reader writes
// straight into its token SRAM. Two pairs qualify: a lane unit's int codes to a lane unit
// (decision 53), and an MX-block unit's quantized blocks (codes and scale) to an MX-block unit
// (decision 57). Neither side holds the token in flip-flops; every other stream keeps one token
// per beat, byte for byte.
import { streamSinks } from './dag.js';
import { elementBits } from './formats.js';
import type { Graph } from './graph.js';
import type { LinearUnitConfig } from './units.js';
import { TOKEN_SRAM_FEATURES, tokenInSram } from './units/control.js';
import { laneTokenInSram } from './units/lanes/generate.js';
import { LANES_UNIT } from './units/lanes/index.js';
import { MX_BLOCKS_UNIT } from './units/mx-blocks/index.js';
import { linearUnitOf } from './units/registry.js';

/**
 * Features of one write into the producer's output SRAM (a lane unit's group of `lanes` int
 * codes, an MX-block unit's quantized 32-element block), or undefined when its output cannot be
 * chunked.
 */
function writeFeatures(p: LinearUnitConfig): number | undefined {
  if (p.storage !== 'memory' || p.outOlive || p.outFeatures <= TOKEN_SRAM_FEATURES) return;
  if (LANES_UNIT.takes(p)) return p.outMx ? undefined : p.lanes;
  const q = p.component?.kind === 'mx-dot' ? p.component.quantize : undefined;
  // One mx-quantize (lanes ≤ 32): one block per write, its scale beside its codes.
  if (MX_BLOCKS_UNIT.takes(p) && p.outMx && q && p.lanes <= 32) return 32;
  return undefined;
}

/** Whether the reader `c` keeps its token in SRAM as chunks that a producer of `p`'s kind can send. */
function chunkReader(p: LinearUnitConfig, c: LinearUnitConfig): boolean {
  if (p.outMx) return MX_BLOCKS_UNIT.takes(c) && tokenInSram(c) && c.input.mx === true;
  return LANES_UNIT.takes(c) && laneTokenInSram(c);
}

/** Whether producer `p`'s output stream can reach reader `c` as a chunked stream. */
export function chunkable(p: LinearUnitConfig, c: LinearUnitConfig): boolean {
  const w = writeFeatures(p);
  return (
    w !== undefined &&
    chunkReader(p, c) &&
    c.inFeatures === p.outFeatures &&
    elementBits(c.input.element) === p.outBits &&
    c.tile % w === 0 &&
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
    n.unit = { ...pu, module: linearUnitOf(pu).moduleName(pu) };
    const cu = { ...c, inChunked: true };
    q.unit = { ...cu, module: linearUnitOf(cu).moduleName(cu) };
  }
}
