// Residual `add` into MX, nvfp4, OliVe and unsigned int outputs (issue 13 point 2, decision 45):
// the exact sum of the two decoded operands, rounded to binary32 (RNE) and quantized by the
// format's own quantizer (formats.ts quantizeTo: quantizeMx, quantizeNvfp4, quantizeOlive), or
// RNE + saturation at 0..2^N − 1 for uintN. The add unit is checked token by token against that
// golden in the native simulator (fast-check: random operands incl. MX scales 2^-127..2^127, ±0),
// and the small fixture designs run natively here and in Verilator in the embedded e2e batch.
import { expect } from 'chai';
import fc from 'fast-check';
import { readDesignFile } from '../../src/flow/design-file.js';
import { elaborate } from '../../src/hdl/index.js';
import { addModuleName, generateAdd } from '../../src/ir/hw-add.js';
import { castModuleName, generateCast } from '../../src/ir/hw-cast.js';
import {
  compileGraph,
  mxElementName,
  packCodes,
  quantizeTo,
  type TensorFormat,
} from '../../src/ir/index.js';
import type { AddOperand, AddUnitConfig } from '../../src/ir/units.js';
import {
  add,
  decode,
  type Exact,
  fromInt,
  nvfp4Decode,
  getFormat,
  dialectDequantize,
  oliveDecodePair,
  scale2,
} from '../../src/numerics/index.js';
import { compile } from '../../src/sim/index.js';
import { ADD_OUT_FIXTURES } from '../e2e/designs.js';
import { nativeAndVerilator } from '../support/design-checks.js';

const F = 'test/ir/fixtures';

const finiteCodes = (name: string): number[] =>
  Array.from({ length: 2 ** getFormat(name).bits }, (_, c) => c).filter(
    (c) => decode(name, c).kind === 'finite',
  );

type Out = Omit<AddUnitConfig, 'kind' | 'module' | 'node' | 'features' | 'a' | 'b'>;

/** The add unit's output fields for a tensor format (what lower-add writes). */
function outSpec(f: TensorFormat): Out {
  if (f.kind === 'mx') {
    const el = mxElementName(f.name);
    return {
      outElement: el,
      outBits: getFormat(el).bits,
      outExp: 0,
      outMxFormat: f.name,
      outMx: true,
    };
  }
  if (f.kind === 'nvfp4')
    return {
      outElement: 'fp4_e2m1',
      outBits: 4,
      outExp: 0,
      outMxFormat: 'nvfp4',
      outTensorScaleExp: f.scaleExp,
      outMx: true,
    };
  if (f.kind === 'olive')
    return {
      outElement: f.name,
      outBits: f.name === 'olive4' ? 4 : 8,
      outExp: 0,
      outOlive: { variant: f.name, sigmaExp: f.sigmaExp },
    };
  if (f.kind === 'mixed')
    return {
      outElement: f.name,
      outBits: 8,
      outExp: 0,
      outMixed: { map: f.map, exp: f.exp },
      outMx: true,
    };
  if (f.kind === 'dialect')
    return { outElement: 'blockdialect', outBits: 4, outExp: 0, outDialect: true, outMx: true };
  if (f.kind !== 'element') expect.fail('test: unexpected format');
  const el = getFormat(f.name);
  return {
    outElement: f.name,
    outBits: el.bits,
    outExp: el.kind === 'float' ? f.scaleExp : el.lsbExp + f.scaleExp, // as lower-add
    ...(el.kind === 'int' && !el.signed ? { outUnsigned: true as const } : {}),
  };
}

interface Token {
  a: number[];
  b: number[];
  /** E8M0 block scale of an MX operand (one block: features ≤ 32). */
  xa: number;
  xb: number;
}

/** Runs tokens through one add unit (out_ready held) and compares every output beat with the golden. */
function checkUnit(
  a: AddOperand,
  b: AddOperand,
  out: TensorFormat,
  n: number,
  tokens: Token[],
): void {
  const base = { kind: 'add-unit' as const, node: 'y', features: n, a, b, ...outSpec(out) };
  const cfg: AddUnitConfig = { ...base, module: addModuleName(base) };
  const sim = compile(elaborate(generateAdd(cfg)));
  sim.reset();
  sim.poke('out_ready', 1);
  // an OliVe lane: its pair decoded by the golden pair decoder, int << shift at σ = 2^exp
  // (olive4_dyn: 2^(exp + X))
  const values = (o: AddOperand, cs: number[], x: number): Exact[] =>
    cs.map((c, i) => {
      if (o.mixedGroups) {
        // a signed byte at 2^(exp + d), d = its group's byte (group g: bits 4g..4g+3 of x)
        const d = (x >> (4 * (o.mixedGroups[i] ?? 0))) & 15;
        return fromInt(BigInt(c >= 128 ? c - 256 : c), o.exp + d);
      }
      if (o.nvfp4) {
        // the golden nvfp4 decoder: the E4M3 scale byte x, g = 2^(exp + 10) as binary32 bits
        const g = (o.exp + 10 + 127) << 23;
        const [v] = nvfp4Decode({ scale: x, codes: [c] }, g);
        return v ?? expect.fail('nvfp4');
      }
      if (o.dialect) {
        // the golden dequantizer: X | dialect << 8 (the test's dialect id rides in bits 8..11)
        const [v] = dialectDequantize({ scale: x & 0xff, dialect: x >> 8, codes: [c] });
        return v ?? expect.fail('dialect');
      }
      if (!o.olive)
        return scale2(decode(o.element, c), o.mx ? x - 127 : o.exp - getFormat(o.element).lsbExp);
      const j = i - (i % 2);
      const t = oliveDecodePair(o.olive, cs[j] ?? 0, cs[j + 1] ?? 0)[i % 2] ?? expect.fail('pair');
      return fromInt(BigInt(t.int), t.shift + o.exp + (o.mx ? x : 0));
    });
  for (const t of tokens) {
    sim.poke('in_a_valid', 1);
    sim.poke('in_b_valid', 1);
    sim.poke('in_a', packCodes(t.a, a.bits));
    sim.poke('in_b', packCodes(t.b, b.bits));
    // every block of an MX operand gets the same scale here
    const blocks = (x: number): bigint => packCodes(Array<number>(Math.ceil(n / 32)).fill(x), 8);
    const scaleOf = (o: AddOperand, x: number): bigint =>
      o.mixedGroups
        ? packCodes(
            Array.from({ length: Math.max(...o.mixedGroups) + 1 }, (_, g) => (x >> (4 * g)) & 15),
            8,
          )
        : o.dialect
          ? packCodes(Array<number>(Math.ceil(n / 32)).fill(x), 16)
          : o.nvfp4
            ? packCodes(Array<number>(Math.ceil(n / 16)).fill(x), 8)
            : blocks(x);
    if (a.mx) sim.poke('in_a_scale', scaleOf(a, t.xa));
    if (b.mx) sim.poke('in_b_scale', scaleOf(b, t.xb));
    let cycles = 0;
    while (Number(sim.peek('in_a_ready')) !== 1 && cycles++ < 20) sim.step();
    sim.step();
    sim.poke('in_a_valid', 0);
    sim.poke('in_b_valid', 0);
    while (Number(sim.peek('out_valid')) !== 1 && cycles++ < 20) sim.step();
    expect(cycles, 'cycles to the output').to.be.lessThan(20);
    const va = values(a, t.a, t.xa);
    const vb = values(b, t.b, t.xb);
    const sums = va.map((v, i) => add(v, vb[i] ?? expect.fail('lane')));
    const q = quantizeTo(sums, out);
    const codeBits = out.kind === 'olive' ? 8 : base.outBits;
    const want = packCodes(q.codes, codeBits);
    const got = BigInt(sim.peek('out_y'));
    const label = () =>
      `${a.element}${a.mx ? `·X=${t.xa}` : ''} [${t.a.join(',')}] + ${b.element}${b.mx ? `·X=${t.xb}` : ''} [${t.b.join(',')}] → ${JSON.stringify(out)}`;
    if (got !== want)
      expect.fail(`${label()}: codes ${got.toString(16)}, golden ${want.toString(16)}`);
    if (base.outMx) {
      const ws = packCodes(q.scales, 8);
      const gs = BigInt(sim.peek('out_y_scale'));
      if (gs !== ws)
        expect.fail(`${label()}: scales ${gs.toString(16)}, golden ${ws.toString(16)}`);
    }
    sim.step(); // the output is taken
  }
}

const op = (element: string, scaleExp: number, mx = false): AddOperand =>
  mx
    ? {
        tensor: element,
        element,
        bits: getFormat(element).bits,
        exp: getFormat(element).lsbExp - 127,
        mx: true,
      }
    : {
        tensor: element,
        element,
        bits: getFormat(element).bits,
        exp: getFormat(element).lsbExp + scaleExp,
      };

const OUTS: TensorFormat[] = [
  { kind: 'mx', name: 'mxfp8_e4m3' },
  { kind: 'mx', name: 'mxfp4_e2m1' },
  { kind: 'mx', name: 'mxint8' },
  { kind: 'nvfp4', name: 'nvfp4', scaleExp: -3 },
  { kind: 'nvfp4', name: 'nvfp4', scaleExp: 4 },
  { kind: 'olive', name: 'olive4', sigmaExp: -2 },
  { kind: 'olive', name: 'olive8', sigmaExp: 1 },
  { kind: 'element', name: 'uint8', scaleExp: -2 },
  { kind: 'element', name: 'uint4', scaleExp: 1 },
  { kind: 'dialect', name: 'blockdialect', rule: 'online' },
  // mixed: static operands only (lower-add refuses run-time scales); int4 and int8 groups of 2
  ...[-6, 2].map((exp): TensorFormat => ({
    kind: 'mixed',
    name: 'mixed_i4g2x2_i8g2x2',
    map: [
      { start: 0, end: 2, bits: 4, groupSize: 2 },
      { start: 2, end: 4, bits: 8, groupSize: 2 },
    ],
    exp,
  })),
];
/** A mixed output takes operands at static exponents only (lower-add). */
const staticOnly = (out: TensorFormat, a: AddOperand, b: AddOperand): boolean =>
  out.kind !== 'mixed' || [a, b].every((o) => !o.mx || o.nvfp4);

describe('ir add: MX, nvfp4, OliVe and unsigned outputs (binary32 RNE, then the quantizer)', () => {
  const N = 4;
  const PLAIN = ['int8', 'uint8', 'fp8_e4m3', 'fp8_e5m2', 'fp4_e2m1'];
  const MX = ['fp8_e4m3', 'fp8_e5m2', 'fp4_e2m1', 'mxint8_element'];
  it('fast-check: plain and MX operands (scales 2^-127..2^127), every output kind, ±0', function () {
    this.timeout(5 * 60_000);
    fc.assert(
      fc.property(
        fc.constantFrom(...OUTS),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(...PLAIN),
        fc.constantFrom(...MX),
        fc.constantFrom(...PLAIN),
        fc.constantFrom(...MX),
        fc.integer({ min: -12, max: 8 }),
        fc.integer({ min: -12, max: 8 }),
        fc.array(
          fc.tuple(
            fc.array(fc.nat(255), { minLength: N, maxLength: N }),
            fc.array(fc.nat(255), { minLength: N, maxLength: N }),
            fc.nat(254),
            fc.nat(254),
            fc.nat(3),
          ),
          { minLength: 12, maxLength: 12 },
        ),
        (out, aMx, bMx, pa, ma, pb, mb, sa, sb, raw) => {
          const ea = aMx ? ma : pa;
          const eb = bMx ? mb : pb;
          const ca = finiteCodes(ea);
          const cb = finiteCodes(eb);
          // OliVe encodes finite binary32 values only: keep the sums below 2^128 for it
          const xMax = out.kind === 'olive' ? 200 : 255;
          const negZero = (e: string): number =>
            getFormat(e).kind === 'float' ? 2 ** (getFormat(e).bits - 1) : 0;
          const tokens: Token[] = raw.map(([xa, xb, Xa, Xb, mode]) => ({
            // mode 0: -0 + -0 lanes; 1: scales near the tensor scale (cancellation); else anywhere
            a: xa.map((r, i) => (mode === 0 && i < 2 ? negZero(ea) : (ca[r % ca.length] ?? 0))),
            b: xb.map((r, i) => (mode === 0 && i < 2 ? negZero(eb) : (cb[r % cb.length] ?? 0))),
            xa: mode === 1 ? 127 + sa + (Xa % 5) : Xa % xMax,
            xb: mode === 1 ? 127 + sa + (Xb % 9) - 4 : Xb % xMax,
          }));
          fc.pre(staticOnly(out, op(ea, sa, aMx), op(eb, sb, bMx)));
          checkUnit(op(ea, sa, aMx), op(eb, sb, bMx), out, N, tokens);
        },
      ),
      { numRuns: 150, seed: 45 },
    );
  });

  it('fast-check: olive4/olive8 (σ 2^-6..2^4) and olive4_dyn (X 0..254) operands with int, fp, MX, OliVe, blockdialect and mixed ones, every output kind', function () {
    this.timeout(5 * 60_000);
    const OLIVE: AddOperand[] = [
      { tensor: 'o', element: 'olive4', bits: 4, exp: 0, olive: 'olive4' },
      { tensor: 'o', element: 'olive8', bits: 8, exp: 0, olive: 'olive8' },
      { tensor: 'o', element: 'olive4_dyn', bits: 4, exp: -128, mx: true, olive: 'olive4' },
    ];
    const INTS = [
      ...OUTS.filter((o) => o.kind !== 'olive'),
      { kind: 'element', name: 'int8', scaleExp: -3 } as const,
      { kind: 'element', name: 'fp8_e4m3', scaleExp: 0 } as const,
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...OUTS, ...INTS),
        fc.constantFrom(...OLIVE),
        fc.integer({ min: -6, max: 4 }),
        fc.constantFrom(
          'int8',
          'fp8_e4m3',
          'fp4_e2m1',
          'mx:fp8_e5m2',
          'olive4',
          'olive8',
          'blockdialect',
          'mixed',
          'nvfp4',
        ),
        fc.integer({ min: -8, max: 4 }),
        fc.array(
          fc.tuple(
            fc.array(fc.nat(255), { minLength: N, maxLength: N }),
            fc.array(fc.nat(255), { minLength: N, maxLength: N }),
            fc.nat(254),
            fc.nat(254),
          ),
          { minLength: 8, maxLength: 8 },
        ),
        (out, oa, sigma, other, sb, raw) => {
          const a: AddOperand = oa.mx ? oa : { ...oa, exp: sigma };
          const b: AddOperand =
            other === 'nvfp4'
              ? { tensor: 'b', element: 'fp4_e2m1', bits: 4, exp: sb - 10, mx: true, nvfp4: true }
              : other === 'mixed'
                ? {
                    tensor: 'b',
                    element: 'int8',
                    bits: 8,
                    exp: sb,
                    mx: true,
                    mixedGroups: [0, 0, 1, 1],
                  }
                : other === 'blockdialect'
                  ? { tensor: 'b', element: other, bits: 4, exp: -128, mx: true, dialect: true }
                  : other.startsWith('olive')
                    ? {
                        tensor: 'b',
                        element: other,
                        bits: other === 'olive4' ? 4 : 8,
                        exp: sb,
                        olive: other as 'olive4',
                      }
                    : other.startsWith('mx:')
                      ? op(other.slice(3), 0, true)
                      : op(other, sb);
          fc.pre(staticOnly(out, a, b));
          const cb = b.olive || b.dialect || b.mixedGroups ? undefined : finiteCodes(b.element);
          // OliVe outputs encode finite binary32 values only: keep the scales moderate there
          const lim = (X: number) => (out.kind === 'olive' ? 100 + (X % 50) : X);
          const tokens: Token[] = raw.map(([xa, xb, Xa, Xb]) => ({
            a: xa.map((r) => r % 2 ** a.bits),
            b: xb.map((r) => (cb ? (cb[r % cb.length] ?? 0) : r % 2 ** b.bits)),
            xa: lim(Xa),
            // blockdialect: X | dialect << 8, every dialect id 0..15
            // nvfp4: an E4M3 scale byte 0..0x7e (the quantizer's range)
            xb: b.dialect ? lim(Xb) | ((Xa & 15) << 8) : b.nvfp4 ? Xb % 127 : lim(Xb),
          }));
          checkUnit(a, b, out, N, tokens);
          checkUnit(
            b,
            a,
            out,
            N,
            tokens.map((t) => ({ a: t.b, b: t.a, xa: t.xb, xb: t.xa })),
          );
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });

  it('a multi-block MX output (40 features: 32 + 8) and nvfp4 (40: 16 + 16 + 8): scales per block', () => {
    const fin = finiteCodes('fp8_e5m2'); // finite in every operand format used here
    const codes = (seed: number) =>
      Array.from({ length: 40 }, (_, i) => fin[(i * 37 + seed * 11) % fin.length] ?? 0);
    const tokens: Token[] = [0, 1, 2, 3].map((s) => ({
      a: codes(s),
      b: codes(s + 5),
      xa: 120 + s,
      xb: 127,
    }));
    checkUnit(
      op('int8', -4),
      op('fp8_e4m3', 0, true),
      { kind: 'mx', name: 'mxfp8_e4m3' },
      40,
      tokens,
    );
    checkUnit(
      op('int8', -4),
      op('fp8_e5m2', -9),
      { kind: 'nvfp4', name: 'nvfp4', scaleExp: -2 },
      40,
      tokens,
    );
  });
});

describe('ir add: quantized outputs in designs', () => {
  // Verilator: the same fixtures ride in the embedded batch (test/e2e/verilator-embedded.test.ts).
  for (const path of ADD_OUT_FIXTURES)
    it(`${path}: 0 mismatches natively under gaps and stalls`, function () {
      this.timeout(2 * 60_000);
      const c = compileGraph(readDesignFile(path));
      expect(c.graph.nodes.find((n) => n.name === 'y')?.unit?.kind).to.equal('add-unit');
      return nativeAndVerilator(c, 5, false).then((beats) => expect(beats).to.equal(20));
    });

  it('an nvfp4 operand (once refused): its E4M3 scales on the stream, a constant exponent', () => {
    const c = compileGraph(readDesignFile(`${F}/add-in-nvfp4.yaml`));
    const u = c.graph.nodes.find((n) => n.name === 'y')?.unit;
    if (u?.kind !== 'add-unit') return expect.fail('y is not an add unit');
    // s is nvfp4 with g = 2^e: E4M3 fixed (2^-9) · E2M1 fixed (2^-1) at 2^(e − 10)
    expect(u.a).to.include({ element: 'fp4_e2m1', bits: 4, mx: true, nvfp4: true });
  });
});

describe('ir cast: an MX tensor into a signed int (exact decode, one RNE at the block scale)', () => {
  it('every finite code of four MX elements × 63 block scales (every one in 2^-23..2^23) → int8 / int4 at three scales', () => {
    let checked = 0;
    for (const element of ['fp8_e4m3', 'fp8_e5m2', 'fp4_e2m1', 'mxint8_element'])
      for (const [outElement, outExp] of [
        ['int8', -3],
        ['int8', 4],
        ['int4', -1],
      ] as const) {
        const el = getFormat(element);
        const out = getFormat(outElement);
        const base = {
          kind: 'cast-unit' as const,
          node: 'c',
          features: 1,
          input: { element, bits: el.bits, signed: true, mx: true as const },
          inputExp: el.lsbExp - 127,
          outElement,
          outBits: out.bits,
          outExp,
        };
        const sim = compile(elaborate(generateCast({ ...base, module: castModuleName(base) })));
        sim.reset();
        sim.poke('in_valid', 1);
        sim.poke('out_ready', 1);
        for (let X = 0; X < 255; X += X > 100 && X < 150 ? 1 : 13)
          for (const code of finiteCodes(element)) {
            sim.poke('in_x', code);
            sim.poke('in_x_scale', X);
            sim.step();
            const v = scale2(decode(element, code), X - 127);
            const want = quantizeTo([v], {
              kind: 'element',
              name: outElement,
              scaleExp: outExp - out.lsbExp,
            }).codes[0];
            const got = Number(sim.peek('out_y'));
            if (got !== want)
              expect.fail(
                `${element} code ${code} ·2^${X - 127} → ${outElement}@${outExp}: unit ${got}, golden ${want}`,
              );
            checked++;
          }
      }
    expect(checked).to.be.greaterThan(50_000);
  });
});
