// Regression: Verilator 5.006 computes `a << n` (and `>>`) as `a << (n mod 64)` when `n` is a
// computed wire of 65 bits or more: `y = 64'h1 << t` with t = 37568 (a 65-bit xor) gave 1
// instead of 0 (37568 mod 64 = 0), so the native simulator (which follows the contract: a shift
// by >= w gives 0, or copies of the sign for shrSV) and Verilator disagreed. The emitter now
// clamps an amount wider than needed for the width to a few bits. This co-simulates, for every
// amount width 1..130, shifts of a 64-bit and of a second value (width rotating through 1..130)
// by a computed amount that a 5-bit selector steers to 0, 1, w-1, w, w+1, 63, 64, 65, 2^32,
// 2^64 and more (taken mod 2^width of the amount), and by the raw amount input. A subset also
// runs in Icarus, directly and through Yosys, against the reference interpreter; constant
// shifts by up to 2^40 (printed as 0 from the width on) are co-simulated too.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosimDesigns, mismatchError } from '../../src/backends/index.js';
import type { CellOp, Netlist, Ref } from '../../src/hdl/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { compile } from '../../src/sim/index.js';
import { HandModule } from '../unit/emit/hand.js';
import { checkInIcarus } from '../unit/emit/icarus-run.js';
import { lintAll } from '../support/lint-set.js';

const SHIFTS: readonly CellOp[] = ['shlV', 'shrUV', 'shrSV'];
const OTHER_WIDTHS = [1, 2, 5, 8, 16, 31, 32, 33, 63, 65, 96, 127, 128, 130];

/** Amounts of interest for value widths `ws`, before truncation to the amount width. */
function amounts(ws: readonly number[]): bigint[] {
  const around = (c: bigint): bigint[] => [c - 1n, c, c + 1n];
  return [
    0n,
    1n,
    ...ws.flatMap((w) => around(BigInt(w))),
    ...around(32n),
    ...around(64n),
    ...around(128n),
    ...around(1n << 32n),
    ...around(1n << 64n),
    37568n, // 37568 mod 64 = 0: the value of the original report
  ];
}

/** One design: amount width `wn`; shifts of a 64-bit `a` and a `wb`-bit `b`. */
function design(wn: number, wb: number): Netlist {
  const m = new HandModule(`shift_n${wn}_b${wb}`);
  const a = m.input('a', 64);
  const b = m.input('b', wb);
  const sel = m.input('sel', 5);
  const nin = m.input('nin', wn);
  const cands = amounts([64, wb]).map((v) => BigInt.asUintN(wn, v));
  expect(cands.length).to.be.at.most(31); // sel 31 (and any unused code) picks nin
  // n = sel == 0 ? c0 : sel == 1 ? c1 : ... : nin, a computed wire of width wn.
  let n: Ref = nin;
  for (let i = cands.length - 1; i >= 0; i--) {
    const hit = m.op('eq', 1, [sel, m.const(5, BigInt(i))]);
    n = m.op('mux', wn, [hit, m.const(wn, cands[i] ?? 0n), n]);
  }
  n = m.op('xor', wn, [n, m.const(wn, 0n)], {}, 'n');
  for (const op of SHIFTS) {
    m.output(`a_${op}`, m.op(op, 64, [a, n]));
    m.output(`b_${op}`, m.op(op, wb, [b, n]));
    m.output(`a_${op}_in`, m.op(op, 64, [a, nin]));
  }
  return { top: m.name, modules: [m.def()] };
}

/** Constant shifts of a `w`-bit input by amounts up to 2^40 (the emitter prints >= w as 0). */
function constantShifts(w: number): Netlist {
  const m = new HandModule(`const_shift_${w}`);
  const a = m.input('a', w);
  const ks = [1, w - 1, w, w + 1, 31, 32, 33, 63, 64, 65, 2 ** 32, 2 ** 40].filter((k) => k > 0);
  for (const k of ks)
    for (const op of ['shl', 'shrU', 'shrS'] as const)
      m.output(`${op}_${k}`, m.op(op, w, [a], { amount: k }));
  return { top: m.name, modules: [m.def()] };
}

describe('regression: shifts by amounts of any width agree in the native simulator and Verilator', function () {
  this.timeout(20 * 60_000);
  const widths = (i: number): [number, number] => [
    i + 1,
    OTHER_WIDTHS[i % OTHER_WIDTHS.length] ?? 8,
  ];

  const picked = Array.from({ length: 130 }, (_, i) => widths(i)).filter(
    ([wn]) => wn <= 8 || (wn >= 62 && wn <= 72) || wn >= 126,
  );

  it('the emitted designs are lint-clean in verilator -Wall, iverilog and yosys (amount widths 1..8, 62..72, 126..130; constant shifts)', async () => {
    const problems = await lintAll(
      [...picked.map(([wn, wb]) => design(wn, wb)), constantShifts(1), constantShifts(65)].map(
        (nl) => ({ name: nl.top, sv: emitSv(nl) }),
      ),
    );
    expect(picked).to.have.length(24);
    expect(problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n')).to.equal('');
  });

  it('amount widths 1..130, amounts around 0, w, 63, 64, 2^32, 2^64 (one build)', async () => {
    const designs = Array.from({ length: 130 }, (_, i) => {
      const nl = design(...widths(i));
      return { name: nl.top, netlist: nl };
    });
    const rep = await cosimDesigns(designs, {
      native: compile,
      cycles: 400,
      seed: 5,
      build: { opt: 'O0' },
    });
    expect(rep.designs).to.equal(130);
    expect(rep.compared).to.equal(130 * 400 * 9);
    if (rep.mismatches.length > 0)
      expect.fail(
        `${mismatchError(rep).format()}\nall: ${rep.mismatches.map((m) => `${m.design}.${m.port}@${m.cycle}`).join(', ')}`,
      );
  });

  it('the emitted designs equal the reference interpreter in Icarus, and after Yosys proc/opt (same widths)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-wide-shift-'));
    try {
      for (const [wn, wb] of picked) {
        const nl = design(wn, wb);
        for (const viaYosys of [false, true]) {
          const label = `${nl.top}${viaYosys ? '_yosys' : ''}`;
          const r = await checkInIcarus(nl, emitSv(nl), {
            dir,
            label,
            seed: BigInt(wn),
            cycles: 150,
            resetCycles: 0,
            viaYosys,
          });
          expect(r.mismatches.join('\n'), label).to.equal('');
          expect([r.checked, r.clean], label).to.deep.equal([150 * 9, true]);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('constant shifts by up to 2^40 agree in the native simulator, Verilator and Icarus', async () => {
    const designs = [1, 8, 32, 33, 64, 65, 130].map((w) => {
      const nl = constantShifts(w);
      return { name: nl.top, netlist: nl };
    });
    const rep = await cosimDesigns(designs, { native: compile, cycles: 100, seed: 2 });
    expect(rep.compared).to.be.greaterThan(7 * 100 * 30);
    if (rep.mismatches.length > 0) expect.fail(mismatchError(rep).format());
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-const-shift-'));
    try {
      for (const d of designs) {
        const r = await checkInIcarus(d.netlist, emitSv(d.netlist), {
          dir,
          label: d.name,
          seed: 7n,
          cycles: 40,
          resetCycles: 0,
        });
        expect(r.mismatches.join('\n'), d.name).to.equal('');
        expect(r.clean, d.name).to.equal(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
