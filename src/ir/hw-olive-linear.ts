// The linear unit with registry lanes: one `olive-pe` component per lane (OliVe weight pairs ×
// int8 activations, exact accumulation closed by in_last). The controller feeds every lane one
// beat per cycle (tile/2 weight pairs from constant code tables, tile activation codes from the
// input buffer) over the K/tile chunks of a group of output features; one cycle after a group's
// last beat each lane offers its exact sum, which gets the bias and the integer cast.
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
  if (comp?.kind !== 'olive-pe') throw new Error('generateOliveLinear needs an olive-pe component');
  const kind = getComponent(comp.kind);
  const peCfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const pe = kind.generate(peCfg);
  const accBits = Number(kind.derive(peCfg).accBits);
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
  const pendG = m.reg('pend_grp', u(gW));
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
  pendG.next(g, busy.and(lastC));

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
  const aField = codes.length === 1 ? (codes[0] as Expr) : cat(...[...codes].reverse());
  const pairs = T / 2;
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
    const words: Expr[] = [];
    for (let q = 0; q < pairs; q++) {
      const table = Array.from({ length: G * C }, (_, i) => {
        const j = Math.floor(i / C) * P + p;
        const pair = (i % C) * pairs + q;
        return comp.pairWords[j * rowPairs + pair] ?? 0;
      });
      words.push(romSelectU(idx, table, comp.pairBits));
    }
    const wField = words.length === 1 ? (words[0] as Expr) : cat(...[...words].reverse());
    const inst = m.instance(pe, `pe${p}`);
    inst.connect({
      in_valid: busy,
      in_w: wField,
      in_a: aField,
      in_last: lastC,
      out_ready: lit(1, u(1)),
    });
    if (p === 0) peValid = inst.out('out_valid');
    const bsel = exprSelect(
      pendG,
      Array.from({ length: G }, (_, gg) => lit(biasOf(gg * P + p), s(totBits))),
    );
    const tot = m
      .wire(`total${p}`, s(totBits))
      .set(fitWidth(inst.out('out_acc').extend(totBits).add(bsel), totBits));
    lanesOut.push(m.wire(`code${p}`, u(c.outBits)).set(castToInt(tot, d, c.outBits).asUnsigned()));
  }
  const storeLast = peValid.and(pendG.eq(G - 1));
  pending.next(mux(fedAll, lit(1, u(1)), mux(storeLast, lit(0, u(1)), pending)));
  outv.next(mux(storeLast, lit(1, u(1)), mux(outv.and(outReady), lit(0, u(1)), outv)));
  const outs: Expr[] = [];
  for (let j = 0; j < N; j++) {
    const r = m.reg(`y${j}`, u(c.outBits), { enable: peValid.and(pendG.eq(Math.floor(j / P))) });
    r.next(lanesOut[j % P] as Expr);
    outs.push(r);
  }
  inReady.set(ready);
  outValid.set(outv);
  outY.set(outs.length === 1 ? (outs[0] as Expr) : cat(...outs.reverse()));
  return m;
}
