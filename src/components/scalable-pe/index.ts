// Registers the scalable-pe component kind (BitFusion-style precision-scalable PE).
import {
  registerComponent,
  type Beat,
  type ComponentKind,
  type StreamFields,
} from '../registry.js';
import type { Rng } from '../random.js';
import {
  deriveScalablePe,
  PE_MODES,
  scalablePeName,
  scalablePeSchema,
  type ScalablePeConfig,
} from './config.js';
import { generateScalablePe } from './generate.js';
import { scalablePeReference } from './reference.js';

export * from './config.js';
export { generateScalablePe } from './generate.js';
export { scalablePeReference, beatSum } from './reference.js';

function streamOf(c: ScalablePeConfig): StreamFields {
  return {
    in: [
      { name: 'mode', width: 3 },
      { name: 'sa', width: 1 },
      { name: 'sb', width: 1 },
      { name: 'a', width: 32 },
      { name: 'b', width: 32 },
      { name: 'last', width: 1 },
    ],
    out: [{ name: 'acc', width: deriveScalablePe(c).accWidthBits }],
  };
}

/** A packed word of `n` elements of `w` bits, each often an extreme (min, max, 0, -1). */
function randomWord(rng: Rng, w: number, n: number): bigint {
  let v = 0n;
  const top = (1n << BigInt(w)) - 1n;
  const pick = [0n, top, 1n << BigInt(w - 1), top >> 1n, 1n];
  for (let i = n - 1; i >= 0; i--) {
    const e = rng.chance(0.3) ? (pick[rng.int(pick.length)] ?? 0n) : rng.bits(w);
    v = (v << BigInt(w)) | e;
  }
  return v;
}

function randomBeat(_c: ScalablePeConfig, rng: Rng): Beat {
  const md = PE_MODES[rng.int(PE_MODES.length)] ?? PE_MODES[0];
  // Unused high bits of the words are random too (the PE must ignore them).
  const a =
    randomWord(rng, md.wa, md.products) |
    (rng.bits(32) & ~((1n << BigInt(md.wa * md.products)) - 1n));
  const b =
    randomWord(rng, md.wb, md.products) |
    (rng.bits(32) & ~((1n << BigInt(md.wb * md.products)) - 1n));
  return {
    mode: BigInt(md.code),
    sa: rng.chance(0.5) ? 1n : 0n,
    sb: rng.chance(0.5) ? 1n : 0n,
    a: BigInt.asUintN(32, a),
    b: BigInt.asUintN(32, b),
    last: rng.chance(0.3) ? 1n : 0n,
  };
}

/**
 * Every operand pair of every mode and signedness on every product lane (other lanes 0), one
 * beat per sum: all 2^18 int8 × int8 products in mode 8×8, and lane by lane for the others.
 */
function* exhaustiveBeats(): Iterable<Beat> {
  for (const md of PE_MODES)
    for (let s = 0; s < 4; s++)
      for (let lane = 0; lane < md.products; lane++)
        for (let x = 0n; x < 1n << BigInt(md.wa); x++)
          for (let y = 0n; y < 1n << BigInt(md.wb); y++)
            yield {
              mode: BigInt(md.code),
              sa: BigInt(s & 1),
              sb: BigInt(s >> 1),
              a: x << BigInt(md.wa * lane),
              b: y << BigInt(md.wb * lane),
              last: 1n,
            };
}

function contract(c: ScalablePeConfig): string {
  const d = deriveScalablePe(c);
  return (
    'An input beat has in_mode (0: 8×8, 1: 8×4, 2: 4×4, 3: 4×2, 4: 2×2 bits; 5..7 reserved, no products), ' +
    'in_sa / in_sb (1: the a / b elements are two’s complement, 0: unsigned), in_a and in_b (32 bits each, element i of ' +
    'width w at bits [w·i + w - 1 : w·i]; 1, 2, 4, 8 or 16 elements per word by mode, higher bits ignored) and in_last. ' +
    `Each beat adds Σ a_i·b_i to a ${d.accWidthBits}-bit accumulator (exact for ${c.maxBeats} beats per sum, modulo 2^${d.accWidthBits} beyond); ` +
    'a beat with in_last = 1 closes the sum: out_acc is the two’s complement total and the accumulator restarts at 0. ' +
    `Latency ${d.latencyCycles} cycles from the last beat to the output; stalls as a whole when out_ready is low.`
  );
}

export const scalablePeKind: ComponentKind<ScalablePeConfig> = {
  kind: 'scalable-pe',
  description: 'BitFusion-style precision-scalable PE: 16 2-bit bricks, 1-16 products per beat',
  schema: scalablePeSchema,
  examples: [
    { name: 'bitfusion-256-beats', config: scalablePeSchema.parse({}) },
    { name: 'bitfusion-acc32', config: scalablePeSchema.parse({ maxBeats: 4, accWidthBits: 32 }) },
  ],
  moduleName: scalablePeName,
  derive: deriveScalablePe,
  generate: generateScalablePe,
  stream: streamOf,
  randomBeat,
  exhaustiveBeats,
  reference: scalablePeReference,
  contract,
};

registerComponent(scalablePeKind);
