// SRAMs end to end: a design with several SRAMs (init images, widths 1/8/32/33/64, depths that are
// and are not powers of two, out-of-range addresses, read enables, a 1RW use where the read and
// the write share the address, a ROM, pointer chasing, an SRAM in a twice-instantiated child)
// runs in the native simulator and in Verilator on the same random stimulus and agrees on every
// output every cycle; its SV is lint-clean under verilator -Wall and Icarus agrees with the
// reference interpreter; one Verilator binary serves different images.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosimDesigns, lintFiles, mismatchError } from '../../src/backends/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import {
  elaborate,
  ModuleBuilder,
  u,
  type Expr,
  type MemImage,
  type Netlist,
} from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';
import { checkInIcarus } from '../unit/emit/icarus-run.js';

/** Deterministic image words from a seed (mixed bits, corners). */
function image(width: number, depth: number, seed: number): MemImage {
  const words: bigint[] = [];
  let x = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  for (let i = 0; i < depth; i++) {
    x = BigInt.asUintN(64, x * 6364136223846793005n + 1442695040888963407n);
    const r = (x << 64n) | (x >> 7n);
    words.push(i % 5 === 0 ? (1n << BigInt(width)) - 1n : BigInt.asUintN(width, r));
  }
  return { width, words };
}

/** The child: one 16 x 12 SRAM bank (both instances read the same image, bank.hex). */
function bank(): ModuleBuilder {
  const m = new ModuleBuilder('sram_bank');
  const a = m.input('a', u(4));
  const d = m.input('d', u(12));
  const we = m.input('we', u(1));
  const w = m.sram('w', { width: 12, depth: 16, init: 'bank.hex' });
  w.write(a.xor(5), d, we);
  m.output('q', u(12)).set(w.read(a));
  return m;
}

function sramMix(allInit: boolean): Netlist {
  const m = new ModuleBuilder(allInit ? 'sram_mix_init' : 'sram_mix');
  // 1 bit x 5 words, separate ports, read enable.
  const s1 = m.sram('s1', { width: 1, depth: 5, init: 's1.hex' });
  s1.write(m.input('s1_wa', u(3)), m.input('s1_wd', u(1)), m.input('s1_we', u(1)));
  const q1 = s1.read(m.input('s1_ra', u(3)), m.input('s1_re', u(1)));
  m.output('q1', u(1)).set(q1);
  // 8 bits x 16 words (power of two, no guard), always reading.
  const s8 = m.sram('s8', { width: 8, depth: 16, init: 's8.hex' });
  s8.write(m.input('s8_wa', u(4)), m.input('s8_wd', u(8)), m.input('s8_we', u(1)));
  const q8 = s8.read(m.input('s8_ra', u(4)));
  m.output('q8', u(8)).set(q8);
  // 32 bits x 37 words, addresses one bit wider than needed (out of range often).
  const s32 = m.sram('s32', { width: 32, depth: 37, ...(allInit ? { init: 's32.hex' } : {}) });
  s32.write(m.input('s32_wa', u(7)), m.input('s32_wd', u(32)), m.input('s32_we', u(1)));
  const q32 = s32.read(m.input('s32_ra', u(7)), m.input('s32_re', u(1)));
  m.output('q32', u(32)).set(q32);
  // 33 bits x 8 words used as 1RW: one address for read and write (read-during-write each write).
  const s33 = m.sram('s33', { width: 33, depth: 8, init: 's33.hex' });
  const a33 = m.input('s33_a', u(3));
  s33.write(a33, m.input('s33_wd', u(33)), m.input('s33_we', u(1)));
  m.output('q33', u(33)).set(s33.read(a33, m.input('s33_re', u(1))));
  // 64 bits x 3 words, a ROM (no write port); address 3 is out of range.
  const rom = m.sram('rom', { width: 64, depth: 3, init: 'rom.hex' });
  m.output('q64', u(64)).set(rom.read(m.input('rom_a', u(2))));
  // Pointer chasing: the next address is the word just read, xor an input. Not in the Icarus
  // variant: there the reset-less read register powers up X, so its address stays X.
  if (allInit) return finish(m, q1, q8, q32);
  const chase = m.sram('chase', { width: 4, depth: 16, init: 'chase.hex' });
  const ptr = m.wire('ptr', u(4));
  const qc = chase.read(ptr);
  ptr.set(qc.xor(m.input('kick', u(4))));
  m.output('qc', u(4)).set(qc);
  return finish(m, q1, q8, q32);
}

/** Read data feeding logic, and a child with an SRAM instantiated twice. */
function finish(m: ModuleBuilder, q1: Expr, q8: Expr, q32: Expr): Netlist {
  m.output('mix', u(9)).set(q8.add(q32.bits(7, 0)).add(q1.extend(9)).trunc(9));
  const b = bank();
  for (const i of [0, 1]) {
    const inst = m.instance(b, `u_bank${i}`);
    inst.connect({ a: q8.bits(3 + i, i), d: q32.bits(11, 0), we: q1 });
    m.output(`bank${i}`, u(12)).set(inst.out('q'));
  }
  return elaborate(m);
}

function images(seed: number): Map<string, MemImage> {
  return new Map([
    ['s1.hex', image(1, 5, seed + 1)],
    ['s8.hex', image(8, 16, seed + 2)],
    ['s32.hex', image(32, 37, seed + 3)],
    ['s33.hex', image(33, 8, seed + 4)],
    ['rom.hex', image(64, 3, seed + 5)],
    ['chase.hex', image(4, 16, seed + 6)],
    ['bank.hex', image(12, 16, seed + 7)],
  ]);
}

describe('SRAM co-simulation: native simulator vs Verilator vs Icarus', function () {
  this.timeout(20 * 60_000);

  it('agrees with Verilator on every output every cycle, and one build serves two images', async () => {
    const nl = sramMix(false);
    const run = (seed: number) =>
      cosimDesigns([{ name: 'sram_mix', netlist: nl, images: images(seed) }], {
        native: compile,
        cycles: 500,
        vectors: 3,
        seed: 7,
        build: { opt: 'O0' },
        vcdDir: 'sim/cosim-failures',
      });
    const a = await run(100);
    if (a.mismatches.length > 0) expect.fail(mismatchError(a).format());
    const top = nl.modules[nl.modules.length - 1];
    const outs = top?.ports.filter((p) => p.dir === 'out').length ?? 0;
    expect(a.compared).to.equal(outs * 500 * 3);
    // Other data, the same SV: the cached binary is reused and still agrees.
    const b = await run(200);
    expect(b.build.hit).to.equal(true);
    expect(b.build.key).to.equal(a.build.key);
    if (b.mismatches.length > 0) expect.fail(mismatchError(b).format());
  });

  it('the native simulator itself sees different data with the other image', () => {
    const nl = sramMix(false);
    const peekRom = (seed: number): bigint => {
      const sim = compile(nl, { images: images(seed) });
      sim.poke('rom_a', 1);
      sim.step();
      return sim.peek('q64');
    };
    expect(peekRom(100)).to.equal(images(100).get('rom.hex')?.words[1]);
    expect(peekRom(100)).not.to.equal(peekRom(200));
  });

  it('is lint-clean under verilator --lint-only -Wall', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-sram-lint-'));
    try {
      for (const nl of [sramMix(false), sramMix(true)]) {
        const sv = emitSv(nl);
        const files = sv.files.map((f) => join(dir, f.name));
        sv.files.forEach((f, i) => writeFileSync(files[i] as string, f.text));
        const msgs = await lintFiles(files, { top: sv.top });
        expect(msgs.map((x) => `${x.code}: ${x.message}`)).to.deep.equal([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Icarus (iverilog -g2012) runs the same SV and agrees with the reference', async () => {
    // Icarus powers memories up X: every SRAM here has an init image (docs/hdl.md).
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-sram-icarus-'));
    try {
      const nl = sramMix(true);
      const r = await checkInIcarus(nl, emitSv(nl), {
        dir,
        label: 'sram_mix',
        seed: 99n,
        cycles: 300,
        resetCycles: 3,
        images: images(100),
      });
      expect(r.mismatches).to.deep.equal([]);
      expect(r.clean).to.equal(true);
      expect(r.checked).to.be.greaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
