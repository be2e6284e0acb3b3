// The native simulator on SRAMs, by hand-calculated cycles: the synchronous read register,
// read-during-write (old word), out-of-range reads, en = 0 holds, no reset of the array, init
// images (and their errors), peekMem/pokeMem, VCD and the typed model.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { elaborate, ModuleBuilder, u, type MemImage, type Netlist } from '../../../src/hdl/index.js';
import { compile, emitTypedModelSource, generateSource, instantiate, Simulator, VcdWriter } from '../../../src/sim/index.js';
import { thrown } from '../../support/mxgen-error.js';

/** `w`: 6 words of `width` bits (depth not a power of two), read port on `ra`/`re`, write on `wa`/`wd`/`we`. */
function design(width: number, init = true): Netlist {
  const m = new ModuleBuilder(`sram_sim_${width}`);
  const ra = m.input('ra', u(3));
  const re = m.input('re', u(1));
  const wa = m.input('wa', u(3));
  const wd = m.input('wd', u(width));
  const we = m.input('we', u(1));
  const w = m.sram('w', { width, depth: 6, ...(init ? { init: 'w.hex' } : {}) });
  w.write(wa, wd, we);
  m.output('q', u(width)).set(w.read(ra, re));
  return elaborate(m);
}

const image = (width: number): MemImage => ({
  width,
  words: [1n, 2n, 3n, 4n, 5n, (1n << BigInt(width)) - 1n].map((x) => BigInt.asUintN(width, x)),
});

/** One cycle: poke, sample q (before the edge), step. */
function cycle(sim: Simulator, ra: number, re: number, wa = 0, wd: bigint = 0n, we = 0): bigint {
  sim.poke('ra', ra);
  sim.poke('re', re);
  sim.poke('wa', wa);
  sim.poke('wd', wd);
  sim.poke('we', we);
  const q = sim.peek('q');
  sim.step();
  return q;
}

describe('sim: sram', () => {
  for (const width of [1, 8, 32, 33, 64]) {
    it(`${width}-bit words: registered read, old word on read-during-write, range, hold`, () => {
      const sim = compile(design(width), { images: new Map([['w.hex', image(width)]]) });
      const top = (1n << BigInt(width)) - 1n;
      const v = (x: bigint): bigint => x & top;
      expect(cycle(sim, 5, 1)).to.equal(0n); // power-up: the read register is 0
      expect(cycle(sim, 1, 1, 1, v(0x55n), 1)).to.equal(top); // mem[5] read last edge
      expect(cycle(sim, 1, 1)).to.equal(v(2n)); // read of 1 during its write: the old word
      expect(cycle(sim, 7, 1)).to.equal(v(0x55n)); // the new word
      expect(cycle(sim, 2, 0)).to.equal(0n); // addr 7 >= depth 6 reads 0
      expect(cycle(sim, 2, 1, 6, top, 1)).to.equal(0n); // en = 0 held; write to 6 is dropped
      expect(cycle(sim, 0, 1)).to.equal(v(3n));
      sim.reset(2); // an SRAM has no reset: words stay; the read register keeps reading
      expect(sim.peekMem('w', 1)).to.equal(v(0x55n));
      expect(sim.peekMem('w', 5)).to.equal(top);
      expect(cycle(sim, 0, 1)).to.equal(v(1n));
      sim.pokeMem('w', 0, v(9n));
      cycle(sim, 0, 1);
      expect(cycle(sim, 0, 1)).to.equal(v(9n));
    });
  }

  it('writes during reset commit (the array ignores rst)', () => {
    const sim = compile(design(8, false));
    sim.poke('rst', 1);
    cycle(sim, 0, 1, 3, 0x77n, 1);
    sim.poke('rst', 0);
    expect(sim.peekMem('w', 3)).to.equal(0x77n);
  });

  it('without init every word powers up 0', () => {
    const sim = compile(design(8, false));
    for (let a = 0; a < 6; a++) expect(sim.peekMem('w', a)).to.equal(0n);
  });

  it('names the file when an image is missing or has the wrong shape', () => {
    const nl = design(8);
    const none = thrown(() => compile(nl));
    expect([none.kind, none.message, none.hint]).to.deep.equal([
      'usage',
      'no image w.hex for sram w',
      "pass images: new Map([['w.hex', { width: 8, words }]]) (6 words)",
    ]);
    const narrow = thrown(() =>
      compile(nl, { images: new Map([['w.hex', { width: 4, words: image(8).words.map(() => 0n) }]]) }),
    );
    expect(narrow.message).to.equal(
      'w.hex: 6 words of 4 bits; memory w has depth 6 and width 8',
    );
    const short = thrown(() =>
      compile(nl, { images: new Map([['w.hex', { width: 8, words: [1n] }]]) }),
    );
    expect(short.message).to.equal('w.hex: 1 words of 8 bits; memory w has depth 6 and width 8');
    expect(thrown(() => compile(nl, { images: new Map([['w.hex', { width: 8, words: [1n, 2n, 3n, 4n, 5n, 256n] }]]) })).message).to.equal(
      'w.hex: word 5 (256) does not fit 8 bits',
    );
  });

  it('clearState restores the loaded image; a model never given images clears to 0', () => {
    const sim = compile(design(8), { images: new Map([['w.hex', image(8)]]) });
    sim.pokeMem('w', 2, 0x99n);
    sim.clearState();
    expect(sim.peekMem('w', 2)).to.equal(3n);
    // Built by hand without loadImages: clearState has no image to restore.
    const c = generateSource(design(8));
    const raw = new Simulator(c.design, c.layout, instantiate(c.source), c.source);
    raw.pokeMem('w', 2, 0x99n);
    raw.clearState();
    expect(raw.peekMem('w', 2)).to.equal(0n);
  });

  it('records a VCD of a design with an SRAM', () => {
    const sim = compile(design(8), { images: new Map([['w.hex', image(8)]]) });
    let text = '';
    const vcd = new VcdWriter(sim, (c) => (text += c));
    cycle(sim, 1, 1);
    cycle(sim, 2, 1);
    sim.step(2);
    vcd.close();
    expect(text).to.contain('$var wire 8');
    expect(text).to.contain('b10 '); // q = 2 after the first edge
  });

  it('the typed model runs the SRAM and loads images with loadMem', async () => {
    const nl = design(33);
    const src = await emitTypedModelSource(nl);
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-sram-ts-'));
    try {
      const file = join(dir, 'model.ts');
      writeFileSync(file, src);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, new () => {
        ra: number; re: number; readonly q: bigint; loadMem(n: string, w: readonly bigint[]): void; step(n?: number): void;
      }>; // prettier-ignore
      const Model = Object.values(mod)[0];
      if (!Model) throw new Error('no model class');
      const m = new Model();
      m.loadMem('w', image(33).words);
      m.ra = 5;
      m.re = 1;
      m.step();
      expect(m.q).to.equal((1n << 33n) - 1n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
