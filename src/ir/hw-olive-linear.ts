// The linear unit with registry PE lanes: one `olive-pe` (OliVe weight pairs × int8 activations)
// or `scalable-pe` (int weight codes × int activations, BitFusion modes) per lane; both accumulate
// exactly and close a sum with in_last. The controller feeds every lane one beat per cycle (weight
// codes from constant tables, `tile` activation codes from the input buffer) over the K/tile chunks
// of a group of output features; the lanes' sums arrive in order (a receive counter), get the bias
// and the integer cast.
import { getComponent, parseConfig } from '../components/index.js';
import { cat, type Expr, lit, ModuleBuilder, mux, s, u } from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import { castToInt, exprSelect, fitWidth, sbits, ubits } from './hw-arith.js';
import type { LinearUnitConfig } from './units.js';

/** `values[index]` from a table of unsigned constants (0 past the end). */
function romSelectU(index: Expr, values: readonly number[], w: number): Expr {
  let r: Expr = lit(values[0] ?? 0, u(w));
  for (let i = 1; i < values.length; i++) r = mux(index.eq(i), lit(values[i] ?? 0, u(w)), r);
  return r;
}

export function generateOliveLinear(c: LinearUnitConfig): ModuleBuilder {
  const comp = c.component;
  if (comp?.kind !== 'olive-pe' && comp?.kind !== 'scalable-pe')
    throw new Error('generateOliveLinear needs an olive-pe or scalable-pe component');
  const kind = getComponent(comp.kind);
  const peCfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const pe = kind.generate(peCfg);
  const outField = kind.stream(peCfg).out.find((f) => f.name === 'acc');
  const accBits = outField?.width ?? 0;
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const T = c.tile;
  const G = N / P;
  const C = K / T;
  const inBits = getFormat(c.input.element).bits;
  const m = new ModuleBuilder(c.module, { config: c });
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(K * inBits));
  const outReady = m.input('out_ready', u(1));
  const inReady = m.output('in_ready', u(1));
  const outValid = m.output('out_valid', u(1));
  const outY = m.output('out_y', u(N * c.outBits));

  const busy = m.reg('busy', u(1));
  const pending = m.reg('pending', u(1));
  const outv = m.reg('outv', u(1));
  const gW = ubits(Math.max(G - 1, 1));
  const cW = ubits(Math.max(C - 1, 1));
  const iW = ubits(Math.max(G * C - 1, 1));
  const g = m.reg('grp', u(gW));
  const rcv = m.reg('rcv', u(gW));
  const ch = m.reg('chunk', u(cW));
  const idx = m.reg('step', u(iW));
  const ready = busy.or(pending).or(outv).not();
  const accept = m.wire('accept', u(1)).set(inValid.and(ready));
  const lastC = ch.eq(C - 1);
  const fedAll = busy.and(lastC).and(g.eq(G - 1));
  busy.next(mux(accept, lit(1, u(1)), mux(fedAll, lit(0, u(1)), busy)));
  ch.next(mux(accept.or(busy.and(lastC)), lit(0, u(cW)), mux(busy, ch.addWrap(1), ch)));
  g.next(mux(accept, lit(0, u(gW)), mux(busy.and(lastC), g.addWrap(1), g)));
  idx.next(mux(accept, lit(0, u(iW)), mux(busy, idx.addWrap(1), idx)));

  const xs: Expr[] = [];
  for (let k = 0; k < K; k++) {
    const r = m.reg(`x${k}`, u(inBits), { enable: accept });
    r.next(inX.bits(k * inBits + inBits - 1, k * inBits));
    xs.push(r);
  }
  const codes = Array.from({ length: T }, (_, t) =>
    exprSelect(
      ch,
      Array.from({ length: C }, (_, cc) => xs[cc * T + t] as Expr),
    ),
  );
  const aBits = comp.kind === 'olive-pe' ? 8 : comp.wa;
  const aParts = codes.map((x) => (x.width > aBits ? x.trunc(aBits) : x));
  const aField = aParts.length === 1 ? (aParts[0] as Expr) : cat(...[...aParts].reverse());
  const rowPairs = K / 2;
  const lanesOut: Expr[] = [];
  let peValid: Expr = lit(0, u(1));
  const dStatic = c.outExp - (c.inputExp + c.weightExp);
  const d = lit(dStatic, s(Math.max(sbits(BigInt(dStatic)), 2)));
  const biasOf = (j: number): bigint => BigInt(c.bias?.[j] ?? '0');
  let maxBias = 0n;
  for (let j = 0; j < N; j++) {
    const b = biasOf(j);
    if ((b < 0n ? -b : b) > maxBias) maxBias = b < 0n ? -b : b;
  }
  const totBits = Math.max(accBits, sbits(maxBias)) + 1;
  for (let p = 0; p < P; p++) {
    const steps = Array.from({ length: G * C }, (_, i) => ({
      j: Math.floor(i / C) * P + p,
      chunk: i % C,
    }));
    const inst = m.instance(pe, `pe${p}`);
    if (comp.kind === 'olive-pe') {
      const words: Expr[] = [];
      for (let q = 0; q < T / 2; q++)
        words.push(
          romSelectU(
            idx,
            steps.map((st) => comp.pairWords[st.j * rowPairs + st.chunk * (T / 2) + q] ?? 0),
            comp.pairBits,
          ),
        );
      const wField = words.length === 1 ? (words[0] as Expr) : cat(...[...words].reverse());
      inst.connect({ in_w: wField, in_a: aField });
    } else {
      // b: T weight codes of wb bits packed into 32 bits (element t at bits [wb·t]).
      const word = (st: { j: number; chunk: number }): number => {
        let v = 0;
        for (let t = T - 1; t >= 0; t--)
          v =
            v * 2 ** comp.wb +
            ((comp.weightCodes[st.j * K + st.chunk * T + t] ?? 0) & ((1 << comp.wb) - 1));
        return v;
      };
      const a32 = aField.width < 32 ? aField.extend(32) : aField;
      inst.connect({
        in_mode: lit(comp.mode, u(3)),
        in_sa: lit(1, u(1)),
        in_sb: lit(1, u(1)),
        in_a: a32,
        in_b: romSelectU(idx, steps.map(word), 32),
      });
    }
    inst.connect({ in_valid: busy, in_last: lastC, out_ready: lit(1, u(1)) });
    if (p === 0) peValid = inst.out('out_valid');
    const bsel = exprSelect(
      rcv,
      Array.from({ length: G }, (_, gg) => lit(biasOf(gg * P + p), s(totBits))),
    );
    const tot = m
      .wire(`total${p}`, s(totBits))
      .set(fitWidth(inst.out('out_acc').asSigned().extend(totBits).add(bsel), totBits));
    lanesOut.push(m.wire(`code${p}`, u(c.outBits)).set(castToInt(tot, d, c.outBits).asUnsigned()));
  }
  const storeLast = peValid.and(rcv.eq(G - 1));
  rcv.next(mux(accept, lit(0, u(gW)), mux(peValid, rcv.addWrap(1), rcv)));
  pending.next(mux(fedAll, lit(1, u(1)), mux(storeLast, lit(0, u(1)), pending)));
  outv.next(mux(storeLast, lit(1, u(1)), mux(outv.and(outReady), lit(0, u(1)), outv)));
  const outs: Expr[] = [];
  for (let j = 0; j < N; j++) {
    const r = m.reg(`y${j}`, u(c.outBits), { enable: peValid.and(rcv.eq(Math.floor(j / P))) });
    r.next(lanesOut[j % P] as Expr);
    outs.push(r);
  }
  inReady.set(ready);
  outValid.set(outv);
  outY.set(outs.length === 1 ? (outs[0] as Expr) : cat(...outs.reverse()));
  return m;
}
