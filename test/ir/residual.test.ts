// Fork/join hardware of a residual block (docs/ir.md, "Fork and join"): the add unit against hand
// calculations (formats.md 7.2: exact sum, RNE shift, saturation) and the golden model's add, the
// register-file FIFO and the eager fork against a queue model under random valid/ready.
import { expect } from 'chai';
import fc from 'fast-check';
import { elaborate } from '../../src/hdl/index.js';
import { add, fromInt } from '../../src/numerics/index.js';
import { readDesignFile } from '../../src/flow/design-file.js';
import { compileGraph, quantizeElement } from '../../src/ir/index.js';
import { nativeVsGolden } from '../support/native-design.js';
import { generateAdd } from '../../src/ir/hw-add.js';
import { addModuleName } from '../../src/ir/hw-add.js';
import { generateFifo, generateFork } from '../../src/ir/hw-stream.js';
import { compile } from '../../src/sim/index.js';

const RUNS = Math.max(40, Number(process.env.MXGEN_FUZZ_N ?? '0') || 0);

// a: int8 at 2^-8, b: int8 at 2^-3, out: int8 at 2^-3 (x·2^-3 codes); two features per beat.
const base = {
  kind: 'add-unit' as const,
  node: 'res',
  features: 2,
  a: { tensor: 'fc2', element: 'int8', bits: 8, exp: -8 },
  b: { tensor: 'x', element: 'int8', bits: 8, exp: -3 },
  outElement: 'int8',
  outBits: 8,
  outExp: -3,
};
const cfg = { ...base, module: addModuleName(base) };

function addSim(): (a: number, b: number) => number {
  const sim = compile(elaborate(generateAdd(cfg)));
  sim.reset();
  return (a, b) => {
    const u8 = (x: number): bigint => BigInt(x & 255);
    sim.poke('in_a', u8(a) | (u8(0) << 8n));
    sim.poke('in_b', u8(b) | (u8(0) << 8n));
    sim.poke('in_a_valid', 1);
    sim.poke('in_b_valid', 1);
    sim.poke('out_ready', 1);
    expect(Number(sim.peek('in_a_ready'))).to.equal(1);
    sim.step();
    expect(Number(sim.peek('out_valid'))).to.equal(1);
    return Number(BigInt.asIntN(8, sim.peek('out_y') & 255n));
  };
}

describe('ir: add unit (join, exact aligned sum, int cast)', () => {
  it('hand-computed sums: ties to even and saturation', () => {
    const run = addSim();
    // 16·2^-8 + 1·2^-3 = 1.5·2^-3 → tie → 2 (even)
    expect(run(16, 1)).to.equal(2);
    // 48·2^-8 + 1·2^-3 = 2.5·2^-3 → tie → 2 (even)
    expect(run(48, 1)).to.equal(2);
    // −16·2^-8 = −0.5·2^-3 → tie → 0
    expect(run(-16, 0)).to.equal(0);
    // 17·2^-8 + 2·2^-3 = 2.53125·2^-3 → 3
    expect(run(17, 2)).to.equal(3);
    // 127·2^-8 + 127·2^-3 = 130.97·2^-3 → saturates at 127
    expect(run(127, 127)).to.equal(127);
    // −128·2^-8 − 128·2^-3 = −132·2^-3 → saturates at −128
    expect(run(-128, -128)).to.equal(-128);
  });
  it('equals the golden model (exact add, then quantizeElement) on random codes', () => {
    const run = addSim();
    fc.assert(
      fc.property(
        fc.integer({ min: -128, max: 127 }),
        fc.integer({ min: -128, max: 127 }),
        (a, b) => {
          const gold = quantizeElement(
            [add(fromInt(BigInt(a), -8), fromInt(BigInt(b), -3))],
            'int8',
            -3,
          );
          const code = gold.codes[0] ?? 0;
          expect(run(a, b)).to.equal(code >= 128 ? code - 256 : code);
        },
      ),
      { seed: 7, numRuns: RUNS },
    );
  });
});

describe('ir: stream FIFO and eager fork', () => {
  it('FIFO (depth 3): tokens leave in order, in_ready = not full, under random valid/ready', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 20, maxLength: 80 }),
        (steps) => {
          const sim = compile(elaborate(generateFifo(8, 3)));
          sim.reset();
          const model: number[] = [];
          let next = 1;
          for (const [pushWant, popWant] of steps) {
            sim.poke('in_valid', pushWant ? 1 : 0);
            sim.poke('in_x', next);
            sim.poke('out_ready', popWant ? 1 : 0);
            expect(Number(sim.peek('in_ready'))).to.equal(model.length < 3 ? 1 : 0);
            expect(Number(sim.peek('out_valid'))).to.equal(model.length > 0 ? 1 : 0);
            if (model.length > 0) expect(Number(sim.peek('out_y'))).to.equal(model[0]);
            const pop = popWant && model.length > 0;
            const push = pushWant && model.length < 3;
            if (pop) model.shift();
            if (push) model.push(next++ & 255);
            sim.step();
          }
        },
      ),
      { seed: 5, numRuns: RUNS },
    );
  });
  it('fork (2 ways): each branch takes every token exactly once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: 20, maxLength: 80 }),
        (steps) => {
          const sim = compile(elaborate(generateFork(8, 2)));
          sim.reset();
          const got: number[][] = [[], []];
          let token = 1;
          let sent = 0;
          for (const [r0, r1] of steps) {
            sim.poke('in_valid', 1);
            sim.poke('in_x', token);
            sim.poke('out0_ready', r0 ? 1 : 0);
            sim.poke('out1_ready', r1 ? 1 : 0);
            [r0, r1].forEach((r, i) => {
              if (r && sim.peek(`out${i}_valid`) === 1n)
                got[i]?.push(Number(sim.peek(`out${i}_y`)));
            });
            const accepted = sim.peek('in_ready') === 1n;
            sim.step();
            if (accepted) {
              sent++;
              token = (token + 1) & 255;
            }
          }
          // Both branches saw tokens 1..sent in order; a branch may hold one more (the current one).
          for (const g of got) {
            expect(g.slice(0, sent)).to.deep.equal(
              Array.from({ length: sent }, (_, k) => (k + 1) & 255),
            );
            expect(g.length - sent).to.be.within(0, 1);
          }
        },
      ),
      { seed: 9, numRuns: RUNS },
    );
  });
});

describe('ir: residual design structure', () => {
  it('forks x to fc1 and the add, with a depth-5 FIFO on the short branch', () => {
    // levels: x 0, fc1 1 (act1 is fused into fc1's output stage), fc2 2 → FIFO depth
    // 2·(2 − 0) + 1 = 5 on operand b (x)
    const c = compileGraph(readDesignFile('templates/designs/residual.yaml'));
    const names = elaborate(c.top).modules.map((m) => m.name);
    expect(names.some((n) => n.startsWith('stream_fork2_'))).to.equal(true);
    expect(names.some((n) => n.startsWith('stream_fifo5_'))).to.equal(true);
    expect(names.some((n) => n.startsWith('add_16_'))).to.equal(true);
  });
});

describe('ir: a DAG with a 3-way fork and two joins', () => {
  it('test/ir/fixtures/two-branch.yaml: 20 tensors bit-exact vs golden under gaps and stalls', () => {
    // levels: x 0, fc1 1 (r1 fused into it), fc2 1, s 2 → FIFOs: fc2 into s depth 2·(1 − 1) + 1
    // = 1, x into s2 depth 2·(2 − 0) + 1 = 5; x is read by fc1, fc2 and s2 (a 3-way fork).
    const c = compileGraph(readDesignFile('test/ir/fixtures/two-branch.yaml'));
    const names = elaborate(c.top).modules.map((m) => m.name);
    for (const p of ['stream_fork3_', 'stream_fifo1_', 'stream_fifo5_'])
      expect(
        names.some((n) => n.startsWith(p)),
        p,
      ).to.equal(true);
    const r = nativeVsGolden(c, 20, 3);
    expect(r.native.length).to.equal(r.golden.length);
    r.native.forEach((y, i) => expect(y, `beat ${i}`).to.equal(r.golden[i]));
  });
});
