// The linear unit with registry `mixed-lane` lanes (decision 34, docs/ir.md "Mixed precision
// inside a tensor"): the token arrives in the format map's codes (one byte per channel, `in_x`)
// with one group exponent offset d_a per group (`in_x_scale`, a byte each); every lane takes one
// weight row at a time, beat by beat as the map says (mixed-lane's schedule). Each group's exact
// Σ q_a·q_b leaves the lane two cycles after its closing beat and is added, shifted left by
// d_a + d_w, into the lane's row total; the total at 2^(inputExp + weightExp) is cast to the output
// int by the shared output stage — exactly the golden's exact dot of the dequantized values.
import { getComponent, parseConfig } from '../../../components/index.js';
import { mixedLaneSchedule, type MixedLaneConfig } from '../../../components/mixed-lane/index.js';
import { exprSelect, ubits } from '../../../components/index.js';
import { cat, driveStream, type Expr, lit, mux, s, streamOut, u } from '../../../hdl/index.js';
import { internalError } from '../../../hdl/index.js';
import { finishUnit, shiftWord, tokenUnit } from '../control.js';
import type { GeneratedUnit, UnitPortWidths } from '../control.js';
import { outputStage } from '../../hw-out.js';
import { packWord } from '../../hw-weights.js';
import type { LinearUnitConfig } from '../../units.js';

/** Elements per 32-bit beat of each width (the scalable-pe brick modes). */
const PER_BEAT: Readonly<Record<number, number>> = { 2: 16, 4: 4, 8: 1 };

/** Stream ports: a byte per channel and a d_a byte per group; the int codes. */
export function mixedPorts(c: LinearUnitConfig): UnitPortWidths {
  const groups = c.component?.kind === 'mixed-lane' ? c.component.groups : 0;
  return { x: c.inFeatures * 8, xScale: 8 * groups, y: c.outFeatures * c.outBits };
}

export function generateMixedLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (comp?.kind !== 'mixed-lane')
    throw internalError('generateMixedLinear needs a mixed-lane component');
  const kind = getComponent('mixed-lane');
  const cfg = parseConfig(kind, comp.config, `${c.node}.component`) as MixedLaneConfig;
  const lane = kind.generate(cfg);
  const accW = Number(kind.derive(cfg).accBits);
  const sched = mixedLaneSchedule(cfg);
  const B = sched.length;
  // Each beat's first channel and group (in channel order).
  let ch = 0;
  let grp = 0;
  const beats = sched.map((b) => {
    const r = { ...b, start: ch, group: grp };
    ch += PER_BEAT[b.bits] ?? 1;
    if (b.last) grp++;
    return r;
  });
  const NG = grp;
  const K = c.inFeatures;
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  // The shared controller: G rows of weights × B beats of the map's schedule (chunk = beat).
  const { m, mem, load, io, ctl } = tokenUnit(c, mixedPorts(c), { groups: G, chunks: B });
  const { busy, accept } = ctl;
  const beat = ctl.chunk;
  const rcv = ctl.receiver();
  const xcodes = m.reg('x_codes', u(K * 8), { enable: accept }).next(io.inX);
  const xexps = m
    .reg('x_exps', u(NG * 8), { enable: accept })
    .next(io.inScale ?? lit(0, u(NG * 8)));
  // Memory mode: the SRAMs answer a cycle after the step index, so the lanes see the beat then.
  const feedValid = ctl.fed('feed_valid', busy);
  const feedBeat = ctl.fed('feed_beat', beat);
  // The token's 32-bit word of each beat: its elements' low `bits` bits, element e at [w·e+w-1 : w·e].
  const xWord = exprSelect(
    feedBeat,
    beats.map((b) => {
      const per = PER_BEAT[b.bits] ?? 1;
      const parts = Array.from({ length: per }, (_, e) =>
        xcodes.bits(8 * (b.start + e) + b.bits - 1, 8 * (b.start + e)),
      );
      const w = cat(...parts.reverse());
      return w.width < 32 ? w.extend(32) : w;
    }),
  ).named('x_word');
  // d_a of the group a closing beat ends (0 on other beats: their shift is never used).
  const dA = exprSelect(
    feedBeat,
    beats.map((b) => (b.last ? xexps.bits(8 * b.group + 3, 8 * b.group) : lit(0, u(4)))),
  ).named('x_exp');
  const wstore = ctl.weights();
  const first = m.reg('grp_first', u(1), { init: 1 });
  const og = m.reg('og', u(ubits(Math.max(NG - 1, 1))));
  const totW = accW + 31 + ubits(NG) + 1;
  let laneValid: Expr = lit(0, u(1));
  const totals: Expr[] = [];
  for (let p = 0; p < P; p++) {
    const rowOf = (st: number): number => Math.floor(st / B) * P + p;
    const bw = wstore.field(`e${p}`, 32, (st) => {
      const b = beats[st % B];
      if (!b) return 0n;
      const codes = comp.rowCodes[rowOf(st)] ?? [];
      return packWord(codes.slice(b.start, b.start + (PER_BEAT[b.bits] ?? 1)), b.bits);
    });
    const dW = wstore.field(`d${p}`, 4, (st) => {
      const b = beats[st % B];
      return b?.last ? BigInt(comp.rowExps[rowOf(st)]?.[b.group] ?? 0) : 0n;
    });
    const inst = m.instance(lane, `mix${p}`);
    driveStream(inst, { valid: feedValid, payload: { a: xWord, b: bw } });
    const res = streamOut(inst, ['acc'], lit(1, u(1)));
    // The group's shift d_a + d_w, delayed by the lane's two cycles.
    const sh0 = dA.extend(5).add(dW.extend(5)).trunc(5);
    const sh1 = m.reg(`sh${p}_1`, u(5)).next(sh0);
    const sh2 = m.reg(`sh${p}_2`, u(5)).next(sh1);
    const v = res.valid;
    if (p === 0) laneValid = v;
    const term = (res.payload.acc as Expr)
      .asSigned()
      .extend(totW)
      .shlBy(sh2)
      .trunc(totW)
      .asSigned();
    const acc = m.reg(`acc${p}`, s(totW));
    const total = m.wire(`total${p}`, s(totW)).set(
      mux(first, lit(0, s(totW)), acc)
        .addWrap(term)
        .asSigned(),
    );
    acc.next(total, v);
    totals.push(total);
  }
  const lastGroup = og.eq(NG - 1);
  og.next(mux(laneValid, mux(lastGroup, lit(0, og.shape), og.addWrap(1)), og));
  first.next(mux(laneValid, lastGroup, first));
  const rowDone = m.wire('row_done', u(1)).set(laneValid.and(lastGroup));
  const accExp = c.inputExp + c.weightExp;
  const { store: cstore, shift } = shiftWord(m, mem, c.outExp - accExp);
  const out = outputStage(m, c, rcv, rowDone, totals, undefined, shift);
  rcv.next(ctl.received(rowDone));
  ctl.finish(out.finished);
  io.outY.set(out.y);
  return finishUnit(m, [wstore, busy], [cstore], load, c.imagePrefix ?? c.node);
}
