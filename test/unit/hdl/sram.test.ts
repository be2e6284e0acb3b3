// m.sram(): builder errors at the caller's line, the netlist it elaborates to, the $readmemh hex
// format (round trip and every parse error) and the emitted SV (a real array, image-independent).
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitSv } from '../../../src/emit/sv/index.js';
import {
  elaborate,
  formatMemHex,
  ModuleBuilder,
  MxgenErrors,
  parseMemHex,
  s,
  u,
  type Netlist,
} from '../../../src/hdl/index.js';
import { thrown } from '../../support/mxgen-error.js';

const FILE = fileURLToPath(import.meta.url);
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** `test/unit/hdl/sram.test.ts:<line>:` of the line carrying `// @L:<marker>`. */
function at(marker: string): string {
  const i = LINES.findIndex((l) => l.trimEnd().endsWith(`// @L:${marker}`));
  if (i < 0) throw new Error(`no marker ${marker}`);
  return `${relative(process.cwd(), FILE)}:${i + 1}:`;
}

/** A 1R1W SRAM `w` with every port on an input, its read data on `q`. */
function sramDesign(opts: { width: number; depth: number; init?: string; name?: string }): Netlist {
  const m = new ModuleBuilder(opts.name ?? 'sram_t');
  const aw = Math.max(1, Math.ceil(Math.log2(opts.depth)));
  const ra = m.input('ra', u(aw));
  const re = m.input('re', u(1));
  const wa = m.input('wa', u(aw));
  const wd = m.input('wd', u(opts.width));
  const we = m.input('we', u(1));
  const w = m.sram('w', {
    width: opts.width,
    depth: opts.depth,
    ...(opts.init ? { init: opts.init } : {}),
  });
  w.write(wa, wd, we);
  m.output('q', u(opts.width)).set(w.read(ra, re));
  return elaborate(m);
}

describe('sram builder', () => {
  it('a second read port is an error at its line, noting the first', () => {
    const m = new ModuleBuilder('two_reads');
    const a = m.input('a', u(4));
    const w = m.sram('w', { width: 8, depth: 16 });
    w.read(a); // @L:read1
    const e = thrown(() => w.read(a)); // @L:read2
    expect(e.kind).to.equal('usage');
    expect(e.message).to.equal('sram w has one read port; this is a second read');
    expect(e.loc?.startsWith(at('read2'))).to.equal(true, e.loc);
    expect(e.notes[0]).to.contain(at('read1'));
    expect(e.hint).to.contain('1R1W');
  });

  it('a second write port is an error at its line', () => {
    const m = new ModuleBuilder('two_writes');
    const a = m.input('a', u(4));
    const d = m.input('d', u(8));
    const w = m.sram('w', { width: 8, depth: 16 });
    w.write(a, d, 1);
    const e = thrown(() => w.write(a, d, 1)); // @L:write2
    expect(e.message).to.equal('sram w has one write port; this is a second write');
    expect(e.loc?.startsWith(at('write2'))).to.equal(true, e.loc);
  });

  it('write data of another shape is a shape problem at the write', () => {
    const m = new ModuleBuilder('shape_mismatch');
    const a = m.input('a', u(4));
    const d = m.input('d', s(8));
    const w = m.sram('w', { width: 8, depth: 16 });
    w.write(a, d, 1); // @L:shape
    m.output('q', u(8)).set(w.read(a));
    const e = thrown(() => elaborate(m));
    expect(e).to.be.instanceOf(MxgenErrors);
    const [p] = (e as MxgenErrors).errors;
    expect(p?.kind).to.equal('shape');
    expect(p?.message).to.equal(
      'cannot assign s8 to the data of sram w write port (u8): shapes must be identical',
    );
    expect(p?.loc?.startsWith(at('shape'))).to.equal(true, p?.loc);
  });

  it('rejects depth < 1, bad widths, bad init names, a wide read enable and signed addresses', () => {
    const m = new ModuleBuilder('bad_opts');
    const e0 = thrown(() => m.sram('a', { width: 8, depth: 0 })); // @L:depth
    expect(e0.message).to.equal('sram a: depth must be an integer >= 1; got 0');
    expect(e0.loc?.startsWith(at('depth'))).to.equal(true, e0.loc);
    expect(thrown(() => m.sram('b', { width: 8, depth: 2.5 })).kind).to.equal('shape');
    expect(thrown(() => m.sram('c', { width: 0, depth: 4 })).message).to.equal(
      'sram c: width must be an integer in 1..1048576; got 0',
    );
    for (const bad of ['../w.hex', 'dir/w.hex', 'w".hex', '', '.hidden', 'a b.hex']) {
      const e = thrown(() => m.sram('d', { width: 8, depth: 4, init: bad }));
      expect(e.kind).to.equal('name');
      expect(e.message).to.equal(`sram d: init ${JSON.stringify(bad)} is not a plain file name`);
    }
    const w = m.sram('e', { width: 8, depth: 4 });
    const x = m.input('x', u(2));
    expect(thrown(() => w.read(x, x)).message).to.equal(
      'sram e: the read enable must be u1; got u2',
    );
    expect(thrown(() => w.read(x.asSigned())).message).to.equal(
      'sram e: the read address must be unsigned; got s2',
    );
  });

  it('elaborates to a Mem of kind sram with init and read enable, deterministically', () => {
    const a = sramDesign({ width: 32, depth: 128, init: 'fc1_w0.hex' });
    const b = sramDesign({ width: 32, depth: 128, init: 'fc1_w0.hex' });
    const top = a.modules[0];
    const mem = top?.mems[0];
    expect(mem?.kind).to.equal('sram');
    expect(mem?.init).to.equal('fc1_w0.hex');
    expect(mem?.readPorts).to.have.length(1);
    expect(mem?.readPorts[0]?.en).to.be.a('number');
    expect(mem?.writePorts).to.have.length(1);
    expect(top?.clocked).to.equal(true);
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
  });

  it('the read register breaks a loop through the address (no comb-loop error)', () => {
    const m = new ModuleBuilder('chase');
    const w = m.sram('w', { width: 4, depth: 16, init: 'chase.hex' });
    const addr = m.wire('addr', u(4));
    const q = w.read(addr);
    addr.set(q); // pointer chasing: mem[mem[mem[...]]]
    m.output('q', u(4)).set(q);
    expect(() => elaborate(m)).not.to.throw();
  });
});

describe('sram hex images ($readmemh format)', () => {
  it('formats one zero-padded word per line with a trailing newline', () => {
    expect(formatMemHex({ width: 8, words: [0n, 0xabn, 7n] })).to.equal('00\nab\n07\n');
    expect(formatMemHex({ width: 1, words: [1n, 0n] })).to.equal('1\n0\n');
    expect(formatMemHex({ width: 33, words: [0x1ffffffffn, 5n] })).to.equal(
      '1ffffffff\n000000005\n',
    );
  });

  it('round-trips any image of widths 1..130', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 130 }).chain((width) =>
          fc.record({
            width: fc.constant(width),
            words: fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(width)) - 1n }), {
              minLength: 1,
              maxLength: 40,
            }),
          }),
        ),
        (img) => {
          const text = formatMemHex(img);
          const back = parseMemHex(text, {
            width: img.width,
            depth: img.words.length,
            file: 'x.hex',
          });
          expect(back).to.deep.equal(img);
        },
      ),
      { seed: 12, numRuns: 200 },
    );
  });

  it('reports a wrong word count, a bad digit, a word too wide and an @ marker by file and line', () => {
    const words100 = formatMemHex({ width: 32, words: new Array<bigint>(100).fill(1n) });
    const count = thrown(() =>
      parseMemHex(words100, { width: 32, depth: 128, file: 'fc1_w0.hex', mem: 'fc1.w0' }),
    );
    expect(count.kind).to.equal('io');
    expect(count.message).to.equal('fc1_w0.hex: 100 words; memory fc1.w0 has depth 128');
    const digit = thrown(() => parseMemHex('00\n1g\n', { width: 8, depth: 2, file: 'f.hex' }));
    expect(digit.message).to.equal('f.hex:2: bad hex digit "g" in "1g"');
    const wide = thrown(() => parseMemHex('1ff\n00\n', { width: 8, depth: 2, file: 'f.hex' }));
    expect(wide.message).to.equal('f.hex:1: word 1ff is wider than 8 bits');
    const marker = thrown(() => parseMemHex('@10\n00\n', { width: 8, depth: 1, file: 'f.hex' }));
    expect(marker.message).to.equal('f.hex:1: address marker @10 is not supported');
    for (const e of [count, digit, wide, marker]) expect(e.message).not.to.contain('\n');
  });

  it('formatting a word that does not fit is an error', () => {
    expect(thrown(() => formatMemHex({ width: 4, words: [16n] })).message).to.contain(
      'does not fit 4 bits',
    );
  });
});

describe('sram SV emission', () => {
  it('prints a real array, $readmemh and the registered read outside any reset', () => {
    const sv = emitSv(sramDesign({ width: 32, depth: 128, init: 'fc1_w0.hex' })).files[0]?.text;
    expect(sv).to.contain('logic [31:0] w [0:127];');
    expect(sv).to.contain('initial $readmemh("fc1_w0.hex", w);');
    expect(sv).to.contain('if (we) w[wa] <= wd;');
    expect(sv).to.contain('if (re) w_r0 <= w[ra];');
    expect(sv).not.to.contain('if (rst)');
    expect(sv).not.to.contain('w_127');
  });

  it('guards out-of-range addresses only when the depth is not a power of two', () => {
    const sv = emitSv(sramDesign({ width: 8, depth: 100 })).files[0]?.text;
    expect(sv).to.contain("if (we && wa < 7'd100) w[wa] <= wd;");
    expect(sv).to.contain("if (re) w_r0 <= (ra < 7'd100) ? w[ra] : 8'h00;");
    expect(sv).not.to.contain('$readmemh');
  });

  it('two designs identical except for the image give byte-identical SV', () => {
    // The image is not part of the builder or the netlist: only its file name is.
    const a = sramDesign({ width: 16, depth: 64, init: 'img.hex' });
    const b = sramDesign({ width: 16, depth: 64, init: 'img.hex' });
    const text = (nl: Netlist): string =>
      emitSv(nl)
        .files.map((f) => f.text)
        .join('\n');
    expect(text(a)).to.equal(text(b));
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
  });
});
