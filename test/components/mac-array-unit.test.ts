// mac-array and scalable-pe: hand-calculated transactions, the latency from derive(), exact
// accumulator widths against the tables of formats.md 1.3 / 5.3, and config errors.
import { expect } from 'chai';
import '../../src/components/index.js';
import {
  getComponent,
  parseConfig,
  type AnyComponentKind,
  type Beat,
} from '../../src/components/index.js';
import { deriveMacArray, macArraySchema } from '../../src/components/mac-array/index.js';
import { deriveScalablePe } from '../../src/components/scalable-pe/index.js';
import { elaborate, MxgenError } from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';

/** Offers one beat per cycle with out_ready = 1; returns output beats and the first latency. */
function drive(kind: AnyComponentKind, raw: unknown, beats: readonly Beat[]) {
  const config = parseConfig(kind, raw);
  const sim = compile(elaborate(kind.generate(config)));
  const f = kind.stream(config);
  sim.reset(2);
  const outs: Beat[] = [];
  const fired: number[] = [];
  const offered: number[] = [];
  let next = 0;
  for (let t = 0; t < 200 + beats.length * 2; t++) {
    const beat = beats[next];
    sim.poke('in_valid', beat ? 1 : 0);
    for (const x of f.in) sim.poke(`in_${x.name}`, beat?.[x.name] ?? 0n);
    sim.poke('out_ready', 1);
    if (beat && sim.peek('in_ready') === 1n) {
      fired.push(t);
      next++;
    }
    const valid = sim.peek('out_valid') === 1n;
    if (valid) {
      outs.push(Object.fromEntries(f.out.map((x) => [x.name, sim.peek(`out_${x.name}`)])));
      offered.push(t);
    }
    sim.step(1);
  }
  return { outs, fired, offered, derived: kind.derive(config) };
}

const mac = getComponent('mac-array');
const pe = getComponent('scalable-pe');

describe('mac-array: hand-calculated transactions', () => {
  it('fp4 e2m1: [6, -0.5, 1.5]·[4, 3, -2] = 19.5 (formats.md 5.4 without scales): S = 78 in units of 2^-2, fp32 0x419C0000', () => {
    // sig: A = [12, -1, 3], B = [8, 6, -4]; S = 96 - 6 - 12 = 78; 78·2^-2 = 19.5 = 1.00111b·2^4.
    const cfg = {
      rows: 1,
      cols: 1,
      aFormat: 'fp4_e2m1',
      bFormat: 'fp4_e2m1',
      depth: 3,
      output: 'fp32',
    };
    const r = drive(mac, cfg, [
      { a: 0x7n, b: 0x6n },
      { a: 0x9n, b: 0x5n },
      { a: 0x3n, b: 0xcn },
    ]);
    expect(r.outs).to.have.length(1);
    expect(r.outs[0]?.acc).to.equal(78n);
    expect(r.outs[0]?.fp32).to.equal(0x419c0000n);
    // The last beat transfers at fired[2]; the output is first offered latency cycles later.
    expect((r.offered[0] ?? 0) - (r.fired[2] ?? 0)).to.equal(r.derived.latencyCycles);
    expect(r.derived.latencyCycles).to.equal(3);
  });

  it('e5m2: 57344² + (2^-16)² - 57344² is exactly 2^-32 (formats.md 5.4): acc 1, fp32 0x2F800000', () => {
    const cfg = {
      rows: 1,
      cols: 1,
      aFormat: 'fp8_e5m2',
      bFormat: 'fp8_e5m2',
      depth: 3,
      output: 'fp32',
    };
    const r = drive(mac, cfg, [
      { a: 0x7bn, b: 0x7bn },
      { a: 0x01n, b: 0x01n },
      { a: 0xfbn, b: 0x7bn },
    ]);
    expect(r.outs[0]?.acc).to.equal(1n);
    expect(r.outs[0]?.special).to.equal(0n);
    expect(r.outs[0]?.fp32).to.equal(0x2f800000n);
  });

  it('e5m2 specials: Inf × 0 is NaN, +Inf with -Inf is NaN, +Inf × 2 is +Inf', () => {
    const cfg = {
      rows: 1,
      cols: 1,
      aFormat: 'fp8_e5m2',
      bFormat: 'fp8_e5m2',
      depth: 2,
      output: 'fp32',
    };
    // 0x7C = +Inf, 0xFC = -Inf, 0x40 = 2, 0x3C = 1, 0x00 = +0.
    const r = drive(mac, cfg, [
      { a: 0x7cn, b: 0x00n },
      { a: 0x3cn, b: 0x3cn },
      { a: 0x7cn, b: 0x40n },
      { a: 0xfcn, b: 0x40n },
      { a: 0x7cn, b: 0x40n },
      { a: 0x3cn, b: 0x3cn },
    ]);
    expect(r.outs.map((o) => o.special)).to.deep.equal([1n, 1n, 2n]);
    expect(r.outs.map((o) => o.fp32)).to.deep.equal([0x7fc00000n, 0x7fc00000n, 0x7f800000n]);
    // The finite products still sum: 1·1 in the first and third tile (units of 2^-32: 2^32).
    expect(r.outs[0]?.acc).to.equal(1n << 32n);
  });

  it('weight-stationary 2×2 int8: W = [[1, 2], [3, 4]], a = [5, 6] gives [23, 34] after rows+cols+1 cycles', () => {
    const cfg = { rows: 2, cols: 2, dataflow: 'ws', aFormat: 'int8', bFormat: 'int8' };
    const W = deriveMacArray(macArraySchema.parse(cfg)).accWidthBits; // int8² · 2: 17 bits
    expect(W).to.equal(17);
    const r = drive(mac, cfg, [
      { load: 1n, b: 0x0201n },
      { load: 1n, b: 0x0403n },
      { load: 0n, a: 0x0605n },
      { load: 0n, a: 0xfbfbn }, // a = [-5, -5]: y = [-20, -30]
    ]);
    const mask = (1n << 17n) - 1n;
    expect(r.outs.map((o) => [o.acc! & mask, o.acc! >> 17n])).to.deep.equal([
      [23n, 34n],
      [BigInt.asUintN(17, -20n), BigInt.asUintN(17, -30n)],
    ]);
    expect((r.offered[0] ?? 0) - (r.fired[2] ?? 0)).to.equal(5);
  });
});

describe('mac-array: exact accumulator widths (formats.md 1.3 and 5.3 tables)', () => {
  const cases: [string, string, number, number][] = [
    ['fp8_e4m3', 'fp8_e4m3', 32, 42],
    ['fp8_e5m2', 'fp8_e5m2', 32, 70],
    ['fp8_e4m3', 'fp8_e5m2', 32, 56],
    ['fp6_e2m3', 'fp6_e3m2', 32, 21],
    ['fp4_e2m1', 'fp4_e2m1', 32, 14],
    ['mxint8_element', 'mxint8_element', 32, 21],
    ['int8', 'int8', 32, 21],
    ['int4', 'int4', 32, 13],
    ['int8', 'uint8', 32, 21],
    ['int4', 'int8', 16, 16],
    ['uint8', 'uint8', 32, 22],
  ];
  for (const [a, b, k, w] of cases)
    it(`${a} × ${b} with K = ${k} needs exactly ${w} bits`, () => {
      const d = deriveMacArray(macArraySchema.parse({ aFormat: a, bFormat: b, depth: k }));
      expect(d.accWidthBits).to.equal(w);
    });
  it('names modules from the config, most important first', () => {
    const c = macArraySchema.parse({ aFormat: 'fp8_e4m3', bFormat: 'int4', depth: 8 });
    expect(mac.moduleName(c)).to.match(/^mac_array_4x4_os_e4m3_int4_k8_acc\d+$/);
  });
});

describe('mac-array and scalable-pe: config errors are sentences naming the field', () => {
  const bad = (kind: AnyComponentKind, raw: unknown): string => {
    try {
      parseConfig(kind, raw);
    } catch (e) {
      expect(e).to.be.instanceOf(MxgenError);
      return (e as MxgenError).message;
    }
    throw new Error('expected a config error');
  };
  it('rejects an accumulator narrower than the exact width', () => {
    expect(bad(mac, { aFormat: 'int8', bFormat: 'int8', depth: 32, accWidthBits: 16 })).to.equal(
      'mac-array.accWidthBits: accWidthBits must be in 21..256 for int8 × int8 with K = 32 (exact sum width 21); got 16',
    );
  });
  it('rejects a depth that differs from the rows of a weight-stationary array', () => {
    expect(bad(mac, { dataflow: 'ws', rows: 4, depth: 8 })).to.match(
      /^mac-array\.depth: depth of a weight-stationary array is its rows \(4\); got 8/,
    );
  });
  it('rejects an unknown element format and an unknown field', () => {
    expect(bad(mac, { aFormat: 'fp7' })).to.match(/^mac-array\.aFormat: must be one of int2, /);
    expect(bad(mac, { colums: 4 })).to.match(/colums/);
  });
  it('rejects a PE accumulator narrower than the exact width', () => {
    expect(bad(pe, { maxBeats: 256, accWidthBits: 20 })).to.match(
      /^scalable-pe\.accWidthBits: accWidthBits must be in 25\.\.64/,
    );
  });
  it('accepts an accumulator width at both ends of its range, and rejects one past the top', () => {
    // int8 × int8, K = 32: exact width 21, so 21..256 (mac-array); maxBeats 256: 25..64 (PE).
    const raw = { aFormat: 'int8', bFormat: 'int8', depth: 32 };
    for (const w of [21, 256])
      expect(mac.derive(parseConfig(mac, { ...raw, accWidthBits: w }))).to.include({
        accWidthBits: w,
      });
    expect(bad(mac, { ...raw, accWidthBits: 257 })).to.match(/must be in 21\.\.256 .*got 257$/);
    for (const w of [25, 64])
      expect(pe.derive(parseConfig(pe, { maxBeats: 256, accWidthBits: w }))).to.include({
        accWidthBits: w,
      });
    expect(bad(pe, { maxBeats: 256, accWidthBits: 65 })).to.match(/must be in 25\.\.64 .*got 65$/);
  });
});

describe('scalable-pe: hand-calculated beats', () => {
  it('exact width: 256 beats of at most 255² = 65025 need 25 bits', () => {
    // 256 · 65025 = 16646400 < 2^24 = 16777216; most negative 256 · (-128 · 255) fits too.
    expect(deriveScalablePe({ maxBeats: 256 }).accWidthBits).to.equal(25);
  });
  it('8×8 (-128)·(-128), 2×2 sixteen 3·3, 4×4 four (-8)·7, then one sum over two beats', () => {
    const r = drive(pe, {}, [
      { mode: 0n, sa: 1n, sb: 1n, a: 0x80n, b: 0x80n, last: 1n }, // 16384
      { mode: 4n, sa: 0n, sb: 0n, a: 0xffffffffn, b: 0xffffffffn, last: 1n }, // 16 · 9 = 144
      { mode: 2n, sa: 1n, sb: 1n, a: 0x8888n, b: 0x7777n, last: 1n }, // 4 · -56 = -224
      { mode: 1n, sa: 0n, sb: 1n, a: 0x02ffn, b: 0x8fn, last: 0n }, // 255·(-1) + 2·(-8) = -271
      { mode: 3n, sa: 1n, sb: 0n, a: 0xfn, b: 0x3n, last: 1n }, // (-1)·3 = -3 → total -274
    ]);
    expect(r.outs.map((o) => BigInt.asIntN(25, o.acc ?? 0n))).to.deep.equal([
      16384n,
      144n,
      -224n,
      -274n,
    ]);
    expect((r.offered[0] ?? 0) - (r.fired[0] ?? 0)).to.equal(2);
  });
});
