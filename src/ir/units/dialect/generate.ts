// The linear unit with registry `dialect-mac` lanes: the token is one DialectFP4 block (K ≤ 32
// 4-bit codes; `in_x_scale` = X | dialect << 8), every weight row is one block (constant scale,
// dialect id and codes, chosen offline). Each cycle every lane is offered the token and one row;
// the component's exact result sum·2^exp (exp = sa + sb − 2) arrives one cycle later, in order,
// and is cast to the output int with a run-time shift (castToIntLane), exactly the golden
// (eval.ts: exact dot of the dequantized values, then RNE + saturation). N/lanes busy cycles.
import { getComponent, parseConfig } from '../../../components/index.js';
import {
  cat,
  type Expr,
  internalError,
  lit,
  ModuleBuilder,
  mux,
  s,
  u,
} from '../../../hdl/index.js';
import { castToIntLane } from '../../../components/index.js';
import {
  finishUnit,
  type GeneratedUnit,
  loadPort,
  shiftWord,
  stepController,
  unitPorts,
  type UnitPortWidths,
} from '../control.js';
import { collectGroups } from '../../hw-out.js';
import { type LinearUnitConfig, unitHardwareConfig } from '../../units.js';

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
  const mem = c.storage === 'memory';
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const load = loadPort(m, mem);
  const io = unitPorts(m, dialectPorts(c));

  // The shared controller in its groups-only form: one step per group (the whole token per lane).
  const ctl = stepController(m, io, { groups: G, storage: c.storage });
  const { busy, accept } = ctl;
  const rcv = ctl.receiver();
  const xcodes = m.reg('x_codes', u(K * 4), { enable: accept }).next(io.inX);
  const xscale = m.reg('x_scale', u(16), { enable: accept }).next(io.inScale ?? lit(0, u(16)));
  // The token's K codes, +0 codes up to the lane count k.
  const aField = K < k ? cat(lit(0, u(4 * (k - K))), xcodes) : xcodes;
  // Weight rows per step g (memory: read one cycle ahead of the lanes' valid).
  const wstore = ctl.weights();
  const feedValid = ctl.fed('feed_valid', busy);
  const { store: cstore, shift: memShift } = shiftWord(m, mem, c.outExp);
  const shift = memShift ?? lit(c.outExp, s(12));
  let outV: Expr = lit(0, u(1));
  const lanes: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const rows = Array.from({ length: G }, (_, gg) => gg * P + p);
    const bScale = wstore.field(`s${p}`, 8, (gg) => BigInt(comp.rowScales[rows[gg] ?? 0] ?? 0));
    const bDialect = wstore.field(`d${p}`, 4, (gg) => BigInt(comp.rowDialects[rows[gg] ?? 0] ?? 0));
    const words = rows.map((j) => {
      let v = 0n;
      const codes = comp.rowCodes[j] ?? [];
      for (let i = k - 1; i >= 0; i--) v = (v << 4n) | BigInt(i < K ? (codes[i] ?? 0) : 0);
      return v;
    });
    const bElems = wstore.field(`e${p}`, 4 * k, (gg) => words[gg] ?? 0n);
    const inst = m.instance(mac, `mac${p}`);
    inst.connect({
      in_valid: feedValid,
      in_da: xscale.bits(11, 8),
      in_xa: xscale.bits(7, 0),
      in_a: aField,
      in_db: bDialect,
      in_xb: bScale,
      in_b: bElems,
      out_ready: lit(1, u(1)),
    });
    if (p === 0) outV = inst.out('out_valid');
    const sum = inst.out('out_sum').asSigned();
    const exp = inst.out('out_exp').asSigned();
    const code = castToIntLane(m, `cast${p}`, sum, shift.sub(exp), c.outBits);
    // A fused relu: a negative code (sign bit set) becomes 0.
    lanes.push(c.relu ? mux(code.bit(c.outBits - 1), lit(0, u(c.outBits)), code) : code);
  }
  const storeLast = outV.and(rcv.eq(G - 1));
  rcv.next(ctl.received(outV));
  io.outY.set(collectGroups(m, 'y', lanes, G, outV));
  ctl.finish(storeLast);
  const stores = [
    [wstore, busy],
    [cstore, lit(1, u(1))],
  ] as const;
  return finishUnit(m, stores, load, c.imagePrefix ?? c.node);
}
