// The linear layer unit: accepts one token vector per input beat, time-multiplexes `lanes` output
// features × `tile` input features of multipliers over the whole layer (constant weight tables,
// a register-file input buffer, one accumulator per lane), casts each finished feature to its
// integer output code and offers the output vector as one beat. Ports follow docs/streams.md:
// in_valid/in_ready/in_x[/in_x_scale], out_valid/out_ready/out_y.
import { type Expr, lit, ModuleBuilder, mux, s, u } from '../../../hdl/index.js';
import { getFormat } from '../../../numerics/index.js';
import {
  adderTree,
  castToInt,
  decodeElementFixed,
  elementMaxSig,
  exprSelect,
  fitSigned,
  romSelect,
  sbits,
} from '../../../components/index.js';
import { stepController, unitPorts, unitShape, type UnitPortWidths } from '../control.js';
import { collectGroups } from '../../hw-out.js';
import type { LinearUnitConfig } from '../../units.js';

export interface LinearWidths {
  readonly inBits: number;
  readonly sigBits: number;
  readonly weightBits: number;
  readonly accBits: number;
}

export function linearWidths(c: LinearUnitConfig): LinearWidths {
  const el = getFormat(c.input.element);
  const maxX = elementMaxSig(c.input.element);
  let maxW = 0n;
  for (const w of c.weights) {
    const v = BigInt(w);
    if ((v < 0n ? -v : v) > maxW) maxW = v < 0n ? -v : v;
  }
  let maxB = 0n;
  for (const b of c.bias ?? []) {
    const v = BigInt(b);
    if ((v < 0n ? -v : v) > maxB) maxB = v < 0n ? -v : v;
  }
  return {
    inBits: el.bits,
    sigBits: sbits(maxX),
    weightBits: sbits(maxW),
    accBits: sbits(BigInt(c.inFeatures) * maxX * maxW + maxB),
  };
}

/** Stream ports: the token's codes (and an MX input's scale), the output codes. */
export function ownPorts(c: LinearUnitConfig): UnitPortWidths {
  const x = c.inFeatures * getFormat(c.input.element).bits;
  return { x, xScale: c.input.mx ? 8 : 0, y: c.outFeatures * c.outBits };
}

export function generateLinear(c: LinearUnitConfig): ModuleBuilder {
  const { K, P, T, G, C } = unitShape(c);
  const wd = linearWidths(c);
  const m = new ModuleBuilder(c.module, { config: c });
  const io = unitPorts(m, ownPorts(c));
  const inX = io.inX;
  const inScale = io.inScale;

  // The shared controller; this unit has no lanes with latency, so nothing is pending: its
  // results are registered as each group finishes, and the vector is offered after the last.
  const ctl = stepController(m, io, { groups: G, chunks: C, storage: c.storage });
  const { busy, accept } = ctl;
  ctl.pending.next(lit(0, u(1)));
  const g = ctl.group;
  const ch = ctl.chunk;
  const idx = ctl.index;
  const lastC = ctl.lastChunk;
  ctl.offer(m.wire('done', u(1)).set(ctl.fedAll));

  // Input buffer: the token's element codes (decoded after the chunk select: `tile` decoders).
  const xs: Expr[] = [];
  for (let k = 0; k < K; k++) {
    const r = m.reg(`x${k}`, u(wd.inBits), { enable: accept });
    r.next(inX.bits(k * wd.inBits + wd.inBits - 1, k * wd.inBits));
    xs.push(r);
  }
  let d: Expr;
  const dStatic = c.outExp - (c.inputExp + c.weightExp);
  if (inScale) {
    const xr = m.reg('x_scale', u(8), { enable: accept });
    xr.next(inScale);
    // acc exponent = inputExp + weightExp + (X - 127), so d = dStatic + 127 - X.
    d = lit(dStatic + 127, s(12)).sub(xr.toSigned().extend(12));
  } else d = lit(dStatic, s(Math.max(sbits(BigInt(dStatic)), 2)));

  const weight = (j: number, k: number): bigint => BigInt(c.weights[j * K + k] ?? '0');
  const bias = (j: number): bigint => BigInt(c.bias?.[j] ?? '0');
  const results: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const prods: Expr[] = [];
    for (let t = 0; t < T; t++) {
      const code = exprSelect(
        ch,
        Array.from({ length: C }, (_, cc) => xs[cc * T + t] as Expr),
      );
      const xsel = decodeElementFixed(code, c.input.element, wd.sigBits);
      const table = Array.from({ length: G * C }, (_, i) =>
        weight(Math.floor(i / C) * P + p, (i % C) * T + t),
      );
      prods.push(xsel.mul(romSelect(idx, table, wd.weightBits)));
    }
    const partial = adderTree(prods, wd.accBits);
    let total: Expr = partial;
    if (C > 1) {
      const acc = m.reg(`acc${p}`, s(wd.accBits));
      const sum = fitSigned(acc.add(partial), wd.accBits);
      acc.next(mux(busy, mux(lastC, lit(0, s(wd.accBits)), sum), acc));
      total = sum;
    }
    if (c.bias) {
      const bsel = romSelect(
        g,
        Array.from({ length: G }, (_, gg) => bias(gg * P + p)),
        wd.accBits,
      );
      total = total.add(bsel);
    }
    const tot = m.wire(`total${p}`, s(wd.accBits)).set(fitSigned(total, wd.accBits));
    results.push(m.wire(`code${p}`, u(c.outBits)).set(castToInt(tot, d, c.outBits).asUnsigned()));
  }
  // Groups finish in order (the last chunk of group g), collected like every lane unit's output.
  io.outY.set(collectGroups(m, 'y', results, G, busy.and(lastC)));
  return m;
}
