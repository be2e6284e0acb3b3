// The linear unit with registry `mx-dot` lanes: the token is one MX block (K ≤ 64 elements, one
// E8M0 scale), every weight row is one MX block (constant scale and codes). Each cycle every lane
// is offered the token and one row; the component's exact result sum·2^exp (exp carries both
// scales) arrives `latency` cycles later, in order, and is cast to the output int with a run-time
// shift (castToInt). Full throughput: N/lanes busy cycles per token.
import { getComponent, parseConfig } from '../components/index.js';
import {
  cat,
  driveStream,
  type Expr,
  lit,
  ModuleBuilder,
  mux,
  s,
  streamOut,
  u,
} from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import { castToIntLane, packCodes, ubits } from '../components/index.js';
import type { GeneratedUnit } from './hw-lane-linear.js';
import { collectGroups } from './hw-out.js';
import { DataStore, finishStores, loadPortInputs, SHIFT_BITS } from './hw-weights.js';
import { type LinearUnitConfig, unitHardwareConfig } from './units.js';
import { internalError } from '../hdl/index.js';

export function generateMxDotLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (comp?.kind !== 'mx-dot') throw internalError('generateMxDotLinear needs an mx-dot component');
  const kind = getComponent('mx-dot');
  const cfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const dot = kind.generate(cfg);
  const io = kind.stream(cfg);
  const k = Number((comp.config as { k?: number }).k ?? 32);
  const bW = (io.in.find((f) => f.name === 'b_elems')?.width ?? 0) / k;
  const aW = (io.in.find((f) => f.name === 'a_elems')?.width ?? 0) / k;
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  const inBits = getFormat(c.input.element).bits;
  const mem = c.storage === 'memory';
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const load = mem ? loadPortInputs(m) : undefined;
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(K * inBits));
  const inScale = m.input('in_x_scale', u(8));
  const outReady = m.input('out_ready', u(1));
  const inReady = m.output('in_ready', u(1));
  const outValid = m.output('out_valid', u(1));
  const outY = m.output('out_y', u(N * c.outBits));
  const q = comp.quantize;
  const outScale = q ? m.output('out_y_scale', u(8)) : undefined;

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
  const xcodes = m.reg('x_codes', u(K * inBits), { enable: accept }).next(inX);
  const xscale = m.reg('x_scale', u(8), { enable: accept }).next(inScale);
  // a_elems: K codes zero-extended to the component's element width, zero blocks up to k.
  const aElems: Expr[] = [];
  for (let i = 0; i < k; i++)
    aElems.push(
      i < K ? xcodes.bits(inBits * i + inBits - 1, inBits * i).extend(aW) : lit(0, u(aW)),
    );
  const aField = cat(...aElems.reverse());
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
    const words = rows.map((j) => {
      const codes = comp.rowCodes[j] ?? [];
      return packCodes(
        Array.from({ length: k }, (_, i) => (i < K ? (codes[i] ?? 0) : 0)),
        bW,
      );
    });
    const bElems = wstore.field(`e${p}`, bW * k, (gg) => words[gg] ?? 0n);
    const inst = m.instance(dot, `dot${p}`);
    driveStream(inst, {
      valid: feedValid,
      payload: { a_scale: xscale, a_elems: aField, b_scale: bScale, b_elems: bElems },
    });
    const res = streamOut(inst, q ? ['fp32'] : ['sum', 'exp'], lit(1, u(1)));
    if (p === 0) outV = res.valid;
    if (q) {
      lanes.push(res.payload.fp32 as Expr);
      continue;
    }
    const sum = (res.payload.sum as Expr).asSigned();
    const exp = (res.payload.exp as Expr).asSigned();
    const d = shift.sub(exp);
    lanes.push(castToIntLane(m, `cast${p}`, sum, d, c.outBits));
  }
  const storeLast = outV.and(rcv.eq(G - 1));
  rcv.next(mux(accept, lit(0, u(gW)), mux(outV, rcv.addWrap(1), rcv)));
  const packed = collectGroups(m, 'y', lanes, G, outV);
  let finished: Expr = storeLast;
  if (q && outScale) {
    // One mx-quantize block over the N binary32 results (offered the cycle after the last one).
    const qkind = getComponent('mx-quantize');
    const qcfg = parseConfig(qkind, { format: q.format, k: q.k }, `${c.node}.quantize`);
    const qv = m.reg('q_valid', u(1));
    qv.next(mux(storeLast, lit(1, u(1)), lit(0, u(1))));
    const qi = m.instance(qkind.generate(qcfg), 'quant');
    driveStream(qi, { valid: qv, payload: { values: packed } });
    const res = streamOut(qi, ['elems', 'scale'], lit(1, u(1)));
    finished = res.valid;
    const elems = m.reg('y_elems', u(N * c.outBits), { enable: finished });
    elems.next(res.payload.elems as Expr);
    const scale = m.reg('y_scale', u(8), { enable: finished });
    scale.next(res.payload.scale as Expr);
    outY.set(elems);
    outScale.set(scale);
  } else outY.set(packed);
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
