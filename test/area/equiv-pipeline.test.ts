// A pipelined variant equals its 1-stage ("combinational": all logic before one output register)
// form, proven with Yosys and ABC: both forms at a small configuration, out_ready held at 1, the
// 1-stage outputs delayed by the difference in latency (streamAligned), the miter of the two
// proven by ABC's dprove for every input sequence (rst included) from the all-zero state. A
// one-bit bug planted in the pipelined form's output fails that proof and is then found by the
// search from reset, with the cycle and the inputs.
// What this does not cover: back pressure (out_ready low), docs/equiv.md.
import { expect } from 'chai';
import { proveEquivalent, streamAligned, type EquivOptions } from '../../src/backends/index.js';
import { getComponent } from '../../src/components/index.js';
import { elaborate, type Netlist } from '../../src/hdl/index.js';
import { plantBug, side } from '../support/equiv-sides.js';
import { smallConfig } from '../support/small-configs.js';

/** Kinds with a `stages` option, at their small configuration: 1 stage against `stages`. */
export const PIPELINES: readonly { readonly kind: string; readonly stages: number }[] = [
  { kind: 'mx-dot', stages: 3 },
  { kind: 'mx-quantize', stages: 2 },
  { kind: 'mx-scale', stages: 2 },
  { kind: 'olive-encoder', stages: 2 },
  { kind: 'mul', stages: 2 },
  { kind: 'matmul', stages: 2 },
  { kind: 'gelu', stages: 2 },
  { kind: 'silu', stages: 2 },
  // fp32-acc (stages 2 registers the input beat before the adder) proves the same way, in 309 s
  // on the loaded machine: past this test's budget (docs/equiv.md).
];

function build(kind: string, stages: number): Netlist {
  return elaborate(getComponent(kind).generate(smallConfig(kind, { stages })));
}

describe('pipelined variants are proven equal to their 1-stage forms (Yosys + ABC, small configs)', function () {
  this.timeout(600_000);
  const opts: EquivOptions = { tool: 'system', engine: 'abc', cycles: 4 };
  for (const { kind, stages } of PIPELINES) {
    it(`${kind}: ${stages} stages = 1 stage delayed by ${stages - 1}, and a planted one-bit bug is found`, async () => {
      const one = streamAligned(side(`${kind} 1 stage`, build(kind, 1)), stages - 1);
      const piped = build(kind, stages);
      const r = await proveEquivalent(
        one,
        streamAligned(side(`${kind} ${stages} stages`, piped), 0),
        opts,
      );
      expect(r.kind, JSON.stringify(r)).to.equal('equal');
      const bug = plantBug(piped);
      const d = await proveEquivalent(one, streamAligned(side(`${kind} bug`, bug.netlist), 0), {
        ...opts,
        cycles: stages + 1,
      });
      if (d.kind !== 'different')
        throw new Error(`${kind}: the bug in ${bug.where} was not found (${JSON.stringify(d)})`);
      expect(d.outputs.length, bug.where).to.be.greaterThan(0);
      expect(d.steps.length).to.equal(d.cycle + 1);
    });
  }

  it('a latency off by one is not equal: mx-dot, 1 stage delayed by 1 against 3 stages', async () => {
    const one = streamAligned(side('mx-dot 1 stage', build('mx-dot', 1)), 1);
    const three = streamAligned(side('mx-dot 3 stages', build('mx-dot', 3)), 0);
    const d = await proveEquivalent(one, three, { ...opts, cycles: 4 });
    if (d.kind !== 'different') throw new Error(`expected a difference, got ${JSON.stringify(d)}`);
    expect(d.outputs.map((o) => o.name)).to.include('out_valid');
  });
});
