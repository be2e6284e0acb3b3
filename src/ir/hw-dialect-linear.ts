// The linear unit with registry `dialect-mac` lanes: the token is one DialectFP4 block (K ≤ 32
// 4-bit codes; `in_x_scale` = X | dialect << 8), every weight row is one block (constant scale,
// dialect id and codes, chosen offline). Each cycle every lane is offered the token and one row;
// the component's exact result sum·2^exp (exp = sa + sb − 2) arrives one cycle later, in order,
// and is cast to the output int with a run-time shift (castToIntLane), exactly the golden
// (eval.ts: exact dot of the dequantized values, then RNE + saturation). N/lanes busy cycles.
import { getComponent, parseConfig } from '../components/index.js';
import {
  cat,
  driveStream,
  type Expr,
  internalError,
  lit,
  ModuleBuilder,
  mux,
  s,
  streamOut,
  u,
} from '../hdl/index.js';
import { castToIntLane, packCodes, ubits } from '../components/index.js';
import type { GeneratedUnit } from './hw-lane-linear.js';
import { collectGroups } from './hw-out.js';
import { DataStore, finishStores, loadPortInputs, SHIFT_BITS } from './hw-weights.js';
import { type LinearUnitConfig, unitHardwareConfig } from './units.js';

export function generateDialectLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (comp?.kind !== 'dialect-mac')
    throw internalError('generateDialectLinear needs a dialect-mac component');
  const kind = getComponent('dialect-mac');
  const cfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const mac = kind.generate(cfg);
  const k = Number(comp.config['lanes'] ?? 32);
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  const mem = c.storage === 'memory';
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const load = mem ? loadPortInputs(m) : undefined;
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(K * 4));
  const inScale = m.input('in_x_scale', u(16));
  const outReady = m.input('out_ready', u(1));
  const inReady = m.output('in_ready', u(1));
  const outValid = m.output('out_valid', u(1));
  const outY = m.output('out_y', u(N * c.outBits));

  const gW = ubits(Math.max(G, 1));
  const busy = m.reg('busy', u(1));
  const pending = m.reg('pending', u(1));
  const outv = m.reg('outv', u(1));
  const g = m.reg('grp', u(gW));
  const rcv = m.reg('rcv', u(gW));
  const ready = busy.or(pending).or(outv).not();
  const accept = m.wire('accept', u(1)).set(inValid.and(ready));
  const lastG = g.eq(G - 1);
  busy.next(mux(accept, lit(1, u(1)), mux(busy.and(lastG), lit(0, u(1)), busy)));
  g.next(mux(accept, lit(0, u(gW)), mux(busy, g.addWrap(1), g)));
  const xcodes = m.reg('x_codes', u(K * 4), { enable: accept }).next(inX);
  const xscale = m.reg('x_scale', u(16), { enable: accept }).next(inScale);
  // The token's K codes, +0 codes up to the lane count k.
  const aField = K < k ? cat(lit(0, u(4 * (k - K))), xcodes) : xcodes;
  // Weight rows per step g (memory: read one cycle ahead of the lanes' valid).
  const wstore = new DataStore(m, c.storage, 'w', g, G);
  const feedValid = mem ? m.reg('feed_valid', u(1)).next(busy) : busy;
  const cstore = new DataStore(m, c.storage, 'c', lit(0, u(1)), 1);
  const shift = mem
    ? cstore
        .field('shift', SHIFT_BITS, () => BigInt(c.outExp) & ((1n << BigInt(SHIFT_BITS)) - 1n))
        .asSigned()
    : lit(c.outExp, s(12));
  let outV: Expr = lit(0, u(1));
  const lanes: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const rows = Array.from({ length: G }, (_, gg) => gg * P + p);
    const bScale = wstore.field(`s${p}`, 8, (gg) => BigInt(comp.rowScales[rows[gg] ?? 0] ?? 0));
    const bDialect = wstore.field(`d${p}`, 4, (gg) => BigInt(comp.rowDialects[rows[gg] ?? 0] ?? 0));
    const words = rows.map((j) => {
      const codes = comp.rowCodes[j] ?? [];
      return packCodes(
        Array.from({ length: k }, (_, i) => (i < K ? (codes[i] ?? 0) : 0)),
        4,
      );
    });
    const bElems = wstore.field(`e${p}`, 4 * k, (gg) => words[gg] ?? 0n);
    const inst = m.instance(mac, `mac${p}`);
    driveStream(inst, {
      valid: feedValid,
      payload: {
        da: xscale.bits(11, 8),
        xa: xscale.bits(7, 0),
        a: aField,
        db: bDialect,
        xb: bScale,
        b: bElems,
      },
    });
    const res = streamOut(inst, ['sum', 'exp'], lit(1, u(1)));
    if (p === 0) outV = res.valid;
    const sum = (res.payload.sum as Expr).asSigned();
    const exp = (res.payload.exp as Expr).asSigned();
    const code = castToIntLane(m, `cast${p}`, sum, shift.sub(exp), c.outBits);
    // A fused relu: a negative code (sign bit set) becomes 0.
    lanes.push(c.relu ? mux(code.bit(c.outBits - 1), lit(0, u(c.outBits)), code) : code);
  }
  const storeLast = outV.and(rcv.eq(G - 1));
  rcv.next(mux(accept, lit(0, u(gW)), mux(outV, rcv.addWrap(1), rcv)));
  const packed = collectGroups(m, 'y', lanes, G, outV);
  const finished: Expr = storeLast;
  outY.set(packed);
  pending.next(mux(busy.and(lastG), lit(1, u(1)), mux(finished, lit(0, u(1)), pending)));
  outv.next(mux(finished, lit(1, u(1)), mux(outv.and(outReady), lit(0, u(1)), outv)));
  inReady.set(ready);
  outValid.set(outv);
  const { srams, images } = finishStores(
    m,
    [
      [wstore, busy],
      [cstore, lit(1, u(1))],
    ],
    load,
    c.imagePrefix ?? c.node,
  );
  return { module: m, srams, images };
}
