// The linear unit with registry `dialect-mac` lanes: the token is one DialectFP4 block (K ≤ 32
// 4-bit codes; `in_x_scale` = X | dialect << 8), every weight row is one block (constant scale,
// dialect id and codes, chosen offline). Each cycle every lane is offered the token and one row;
// the component's exact result sum·2^exp (exp = sa + sb − 2) arrives one cycle later, in order,
// and is cast to the output int with a run-time shift (castToIntLane), exactly the golden
// (eval.ts: exact dot of the dequantized values, then RNE + saturation). N/lanes busy cycles.
import { getComponent, parseConfig } from '../../../components/index.js';
import { cat, driveStream, type Expr, lit, streamOut, u } from '../../../hdl/index.js';
import { internalError } from '../../../hdl/index.js';
import { blockFeed, finishUnit, tokenUnit } from '../control.js';
import type { GeneratedUnit, UnitPortWidths } from '../control.js';
import { collectGroups, sumExpLane } from '../../hw-out.js';
import { rowBlockFields } from '../../hw-weights.js';
import type { LinearUnitConfig } from '../../units.js';

/** Stream ports: one block of 4-bit codes and its X | dialect << 8; the int codes. */
export function dialectPorts(c: LinearUnitConfig): UnitPortWidths {
  return { x: c.inFeatures * 4, xScale: 16, y: c.outFeatures * c.outBits };
}

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
  // The shared controller in its groups-only form: one step per group (the whole token per lane).
  const { m, mem, load, io, ctl } = tokenUnit(c, dialectPorts(c), { groups: G });
  const { busy, accept } = ctl;
  const rcv = ctl.receiver();
  const xcodes = m.reg('x_codes', u(K * 4), { enable: accept }).next(io.inX);
  const xscale = m.reg('x_scale', u(16), { enable: accept }).next(io.inScale ?? lit(0, u(16)));
  // The token's K codes, +0 codes up to the lane count k.
  const aField = K < k ? cat(lit(0, u(4 * (k - K))), xcodes) : xcodes;
  // Weight rows per step g (memory: read one cycle ahead of the lanes' valid).
  const { wstore, feedValid, cstore, shift } = blockFeed(m, ctl, mem, c.outExp);
  let outV: Expr = lit(0, u(1));
  const lanes: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const dialects = { name: 'd', bits: 4, values: comp.rowDialects };
    const rows = { scales: comp.rowScales, codes: comp.rowCodes, extra: dialects };
    const {
      scale: bScale,
      extra: bDialect,
      elems: bElems,
    } = rowBlockFields(wstore, p, P, rows, 4, k);
    const inst = m.instance(mac, `mac${p}`);
    driveStream(inst, {
      valid: feedValid,
      payload: {
        da: xscale.bits(11, 8),
        xa: xscale.bits(7, 0),
        a: aField,
        db: bDialect ?? lit(0, u(4)),
        xb: bScale,
        b: bElems,
      },
    });
    const res = streamOut(inst, ['sum', 'exp'], lit(1, u(1)));
    if (p === 0) outV = res.valid;
    lanes.push(sumExpLane(m, p, res, shift, c));
  }
  const storeLast = outV.and(rcv.eq(G - 1));
  rcv.next(ctl.received(outV));
  io.outY.set(collectGroups(m, 'y', lanes, G, outV));
  ctl.finish(storeLast);
  return finishUnit(m, [wstore, busy], [cstore], load, c.imagePrefix ?? c.node);
}
