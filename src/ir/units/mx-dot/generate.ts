// The linear unit with registry `mx-dot` lanes: the token is one MX block (K ≤ 64 elements, one
// E8M0 scale), every weight row is one MX block (constant scale and codes). Each cycle every lane
// is offered the token and one row; the component's exact result sum·2^exp (exp carries both
// scales) arrives `latency` cycles later, in order, and is cast to the output int with a run-time
// shift (castToInt). Full throughput: N/lanes busy cycles per token.
import { getComponent, parseConfig } from '../../../components/index.js';
import { cat, driveStream, type Expr, lit, mux, streamOut, u } from '../../../hdl/index.js';
import { getFormat } from '../../../numerics/index.js';
import { blockFeed, finishUnit, tokenUnit } from '../control.js';
import type { GeneratedUnit, UnitPortWidths } from '../control.js';
import { collectGroups, sumExpLane } from '../../hw-out.js';
import { rowBlockFields } from '../../hw-weights.js';
import type { LinearUnitConfig } from '../../units.js';
import { internalError } from '../../../hdl/index.js';

/** Stream ports: one MX block (codes and scale); the int codes, or an MX block (codes, scale). */
export function mxDotPorts(c: LinearUnitConfig): UnitPortWidths {
  const q = c.component?.kind === 'mx-dot' && c.component.quantize !== undefined;
  const x = c.inFeatures * getFormat(c.input.element).bits;
  return { x, xScale: 8, y: c.outFeatures * c.outBits, yScale: q ? 8 : 0 };
}

export function generateMxDotLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (comp?.kind !== 'mx-dot') throw internalError('generateMxDotLinear needs an mx-dot component');
  const kind = getComponent('mx-dot');
  const cfg = parseConfig(kind, comp.config, `${c.node}.component`);
  const dot = kind.generate(cfg);
  const dotIo = kind.stream(cfg);
  const k = Number((comp.config as { k?: number }).k ?? 32);
  const bW = (dotIo.in.find((f) => f.name === 'b_elems')?.width ?? 0) / k;
  const aW = (dotIo.in.find((f) => f.name === 'a_elems')?.width ?? 0) / k;
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  const inBits = getFormat(c.input.element).bits;
  const q = comp.quantize;
  // The shared controller in its groups-only form: one step per group (the whole token per lane).
  const { m, mem, load, io, ctl } = tokenUnit(c, mxDotPorts(c), { groups: G });
  const { busy, accept } = ctl;
  const rcv = ctl.receiver();
  const xcodes = m.reg('x_codes', u(K * inBits), { enable: accept }).next(io.inX);
  const xscale = m.reg('x_scale', u(8), { enable: accept }).next(io.inScale ?? lit(0, u(8)));
  // a_elems: K codes zero-extended to the component's element width, zero blocks up to k.
  const aElems: Expr[] = [];
  for (let i = 0; i < k; i++)
    aElems.push(
      i < K ? xcodes.bits(inBits * i + inBits - 1, inBits * i).extend(aW) : lit(0, u(aW)),
    );
  const aField = cat(...aElems.reverse());
  // Weight rows per step g (memory: read one cycle ahead of the lanes' valid).
  const { wstore, feedValid, cstore, shift } = blockFeed(m, ctl, mem, c.outExp);
  let outV: Expr = lit(0, u(1));
  const lanes: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const rows = { scales: comp.rowScales, codes: comp.rowCodes };
    const { scale: bScale, elems: bElems } = rowBlockFields(wstore, p, P, rows, bW, k);
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
    lanes.push(sumExpLane(m, p, res, shift, c));
  }
  const storeLast = outV.and(rcv.eq(G - 1));
  rcv.next(ctl.received(outV));
  const packed = collectGroups(m, 'y', lanes, G, outV);
  let finished: Expr = storeLast;
  if (q && io.outScale) {
    // One mx-quantize block over the N binary32 results (offered the cycle after the last one).
    const qkind = getComponent('mx-quantize');
    const qcfg = parseConfig(qkind, { format: q.format, k: q.k }, `${c.node}.quantize`);
    const qv = m.reg('q_valid', u(1));
    qv.next(mux(storeLast, lit(1, u(1)), lit(0, u(1))));
    const qi = m.instance(qkind.generate(qcfg), 'quant');
    driveStream(qi, { valid: qv, payload: { values: packed } });
    const qres = streamOut(qi, ['elems', 'scale'], lit(1, u(1)));
    finished = qres.valid;
    const elems = m.reg('y_elems', u(N * c.outBits), { enable: finished });
    elems.next(qres.payload.elems as Expr);
    const scale = m.reg('y_scale', u(8), { enable: finished });
    scale.next(qres.payload.scale as Expr);
    io.outY.set(elems);
    io.outScale.set(scale);
  } else io.outY.set(packed);
  ctl.finish(finished);
  return finishUnit(m, [wstore, busy], [cstore], load, c.imagePrefix ?? c.node);
}
