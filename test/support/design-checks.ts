// Test helper: a compiled design through the native simulator against the golden model under
// random gaps and stalls, then the same run replayed in Verilator (every output beat vs golden,
// every port every cycle vs native). Asserts 0 mismatches and returns the beats compared.
import { expect } from 'chai';
import { simulateNative, verilatorChecks } from '../../src/flow/flow.js';
import { replayDesigns } from '../../src/flow/replay.js';
import { type Compiled, streamInterface } from '../../src/ir/index.js';

export async function nativeAndVerilator(
  c: Compiled,
  tensors: number,
  verilator = true,
): Promise<number> {
  const r = simulateNative(c, tensors, 0.3, 0.3);
  expect(r.native.mismatches, r.native.firstMismatch).to.equal(0);
  expect(new Set(r.vectors.outBeats.map((b) => b.y)).size, 'distinct outputs').to.be.greaterThan(1);
  if (!verilator) return r.native.beatsCompared;
  const [rep] = await replayDesigns([
    { netlist: r.netlist, sv: r.sv, run: r.run, images: r.memories.images },
  ]);
  const v = verilatorChecks(rep!, r.vectors, streamInterface(r.graph));
  expect(v.verilator.beatsCompared).to.equal(r.native.beatsCompared);
  expect(v.verilator.mismatches, v.verilator.firstMismatch).to.equal(0);
  expect(v.nativeVsVerilator.mismatches, v.nativeVsVerilator.first).to.equal(0);
  return r.native.beatsCompared;
}
