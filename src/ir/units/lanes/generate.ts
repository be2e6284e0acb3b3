// The linear unit with registry lanes that accumulate exactly over a stream of beats: one
// `olive-pe` (OliVe weight pairs × int8 or OliVe activations) or `scalable-pe` (int weight codes ×
// int activations, BitFusion modes) per lane, both closing a sum with in_last; or one
// output-stationary `mac-array` of 1 × lanes PEs (element × element formats, one k-step per beat,
// a tile of K beats per group). The controller feeds one beat per cycle (weight codes from
// constant tables, activation codes from the input buffer) over the K/tile chunks of each group of
// output features; the lanes' sums arrive in order (a receive counter), get the bias and the
// output stage (integer cast, or binary32 + olive-encoder).
import { getComponent, parseConfig } from '../../../components/index.js';
import {
  cat,
  driveStream,
  type Expr,
  lit,
  ModuleBuilder,
  s,
  streamOut,
  u,
} from '../../../hdl/index.js';
import { elementBits } from '../../formats.js';
import { exprSelect, fitSigned, sbits, ubits } from '../../../components/index.js';
import { outputStage } from '../../hw-out.js';
import { vectorLane } from './vector-lane.js';
import {
  finishUnit,
  loadPort,
  shiftWord,
  stepController,
  tokenInSram,
  unitPorts,
  unitShape,
} from '../control.js';
import type { GeneratedUnit, UnitPortWidths } from '../control.js';
import { BIAS_BITS, DataStore, packWord } from '../../hw-weights.js';
import { type LinearUnitConfig, unitHardwareConfig } from '../../units.js';
import { internalError } from '../../../hdl/index.js';

/** Stream ports: the token's codes (olive4_dyn: and X), the output codes (olive4_dyn: and X). */
export function lanePorts(c: LinearUnitConfig): UnitPortWidths {
  return {
    x: (c.inChunked ? c.tile : c.inFeatures) * elementBits(c.input.element),
    xScale: c.input.mx ? 8 : 0,
    y: (c.outChunk ?? c.outFeatures) * c.outBits,
    yScale: c.outMx ? 8 : 0,
  };
}

/** A real-size token in SRAM (tokenInSram); an input with a scale (olive4_dyn) keeps its register. */
export function laneTokenInSram(c: LinearUnitConfig): boolean {
  return tokenInSram(c) && !c.input.mx;
}

export function generateLaneLinear(c: LinearUnitConfig): GeneratedUnit {
  const comp = c.component;
  if (
    comp?.kind !== 'olive-pe' &&
    comp?.kind !== 'scalable-pe' &&
    comp?.kind !== 'mac-array' &&
    comp?.kind !== 'vector'
  )
    throw internalError(
      'generateLaneLinear needs olive-pe, scalable-pe, mac-array or vector lanes',
    );
  const isArray = comp.kind === 'mac-array';
  let pe: ModuleBuilder;
  let accBits: number;
  if (comp.kind === 'vector') {
    pe = vectorLane({
      aElement: comp.aElement,
      bElement: comp.bElement,
      tile: c.tile,
      accBits: comp.accBits,
    });
    accBits = comp.accBits;
  } else {
    const kind = getComponent(comp.kind);
    const peCfg = parseConfig(kind, comp.config, `${c.node}.component`);
    pe = kind.generate(peCfg);
    const accField = kind.stream(peCfg).out.find((f) => f.name === 'acc');
    accBits = (accField?.width ?? 0) / (isArray ? c.lanes : 1);
  }
  const { K, N, P, T, G, C } = unitShape(c);
  const inBits = elementBits(c.input.element);
  const stream = c.storage === 'stream';
  // Run-time parameters (bias, shift) and the load port: memory and stream modes.
  const mem = c.storage !== 'embedded';
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const io = unitPorts(m, lanePorts(c));

  // Stream mode: one port beat per step (ws_valid/ws_ready/ws_data), taken while busy.
  const wsValid = stream ? m.input('ws_valid', u(1)) : undefined;
  const wsData = stream ? m.input('ws_data', u(c.portBits ?? 0)) : undefined;
  // Real-size tokens: the token in a double-buffered SRAM, not a register.
  const buffered = laneTokenInSram(c);
  const ctl = stepController(m, io, {
    groups: G,
    chunks: C,
    storage: c.storage,
    ...(wsValid ? { advance: wsValid } : {}),
    ...(buffered ? { tokenBuffer: true } : {}),
    ...(c.inChunked ? { chunkedIn: true } : {}),
    ...(c.outChunk ? { outBuffer: { groups: c.outChunk / P, chunks: N / c.outChunk } } : {}),
  });
  const { busy, accept } = ctl;
  const ch = ctl.chunk;
  const lastC = ctl.lastChunk;
  const gW = ctl.groupBits;
  const cW = ctl.chunkBits;
  const rcv = ctl.receiver();
  if (stream) m.output('ws_ready', u(1)).set(busy);

  const load = loadPort(m, mem);
  // Weight fields per step, read at `step` (memory: one cycle later, so the lanes are fed from a
  // one-cycle pipeline stage of the controller).
  const wstore = ctl.weights(
    wsData ? m.reg('ws_beat', wsData.shape, { enable: ctl.step }).next(wsData) : undefined,
  );
  const cw = T * inBits;
  const aBits = comp.kind === 'scalable-pe' ? comp.wa : inBits;
  // The lanes' activation field of a chunk word: T codes, each cut to the lane's width.
  const laneWord = (chunkWord: Expr): Expr => {
    const aParts = Array.from({ length: T }, (_, t) => {
      const x = chunkWord.bits(t * inBits + inBits - 1, t * inBits);
      return x.width > aBits ? x.trunc(aBits) : x;
    });
    return aParts.length === 1 ? (aParts[0] as Expr) : cat(...[...aParts].reverse());
  };
  let aField: Expr;
  if (buffered) {
    // Chunk `ch` read from the token SRAM at the step: it arrives with the step's weights.
    aField = laneWord(ctl.buffered('x', io.inX, cw));
  } else {
    // The token's codes, held while the unit runs (one register; element k at [w·k + w − 1 : w·k]).
    const xTok = m.reg('x_tok', u(K * inBits), { enable: accept }).next(io.inX);
    // Chunk `ch` (T codes): an indexed part-select `x_tok[ch·T·w +: T·w]`, a balanced mux tree in
    // synthesis and one line of SV for any K.
    const chunkWord =
      C === 1
        ? xTok
        : m.wire('x_chunk', u(cw)).set(xTok.shrBy(ch.extend(cW + ubits(cw)).mulWrap(cw)).trunc(cw));
    aField = ctl.fed('feed_a', laneWord(chunkWord));
  }
  const feedValid = ctl.fed('feed_valid', ctl.step);
  const feedLast = ctl.fed('feed_last', lastC);
  const rowPairs = K / 2;
  const biasOf = (j: number): bigint => BigInt(c.bias?.[j] ?? '0');
  let maxBias = 0n;
  for (let j = 0; j < N; j++) {
    const b = biasOf(j);
    if ((b < 0n ? -b : b) > maxBias) maxBias = b < 0n ? -b : b;
  }
  const totBits = Math.max(accBits, mem ? BIAS_BITS : sbits(maxBias)) + 1;
  const steps = (p: number): { j: number; chunk: number }[] =>
    Array.from({ length: G * C }, (_, i) => ({ j: Math.floor(i / C) * P + p, chunk: i % C }));
  const laneAcc: Expr[] = [];
  let peValid: Expr = lit(0, u(1));
  if (comp.kind === 'mac-array') {
    // One array: in_a = activation k, in_b = the group's P weight codes of column k.
    const words = Array.from({ length: G * C }, (_, i) => {
      const gg = Math.floor(i / C);
      const k = i % C;
      return packWord(
        Array.from({ length: P }, (_, p) => comp.weightCodes[(gg * P + p) * K + k] ?? 0),
        comp.bBits,
      );
    });
    const inst = m.instance(pe, 'array');
    driveStream(inst, {
      valid: feedValid,
      payload: { a: aField, b: wstore.field('b', comp.bBits * P, (i) => words[i] ?? 0n) },
    });
    const res = streamOut(inst, ['acc'], lit(1, u(1)));
    peValid = res.valid;
    const acc = res.payload.acc as Expr;
    for (let p = 0; p < P; p++) laneAcc.push(acc.bits(accBits * p + accBits - 1, accBits * p));
  } else
    for (let p = 0; p < P; p++) {
      const inst = m.instance(pe, `pe${p}`);
      let payload: Record<string, Expr>;
      if (comp.kind === 'olive-pe') {
        const words: Expr[] = [];
        const st = steps(p);
        for (let q = 0; q < T / 2; q++)
          words.push(
            wstore.field(`p${p}_${q}`, comp.pairBits, (i) => {
              const x = st[i] as { j: number; chunk: number };
              return BigInt(comp.pairWords[x.j * rowPairs + x.chunk * (T / 2) + q] ?? 0);
            }),
          );
        const wField = words.length === 1 ? (words[0] as Expr) : cat(...[...words].reverse());
        payload = { w: wField, a: aField };
      } else if (comp.kind === 'vector') {
        const st = steps(p);
        const wb = elementBits(comp.bElement);
        payload = {
          a: aField,
          b: wstore.field(`b${p}`, T * wb, (i) => {
            const x = st[i] as { j: number; chunk: number };
            return packWord(
              Array.from({ length: T }, (_, t) => comp.weightCodes[x.j * K + x.chunk * T + t] ?? 0),
              wb,
            );
          }),
        };
      } else {
        // b: T weight codes of wb bits packed into 32 bits (element t at bits [wb·t]).
        const word = (st: { j: number; chunk: number }): bigint =>
          packWord(
            Array.from({ length: T }, (_, t) => comp.weightCodes[st.j * K + st.chunk * T + t] ?? 0),
            comp.wb,
          );
        const a32 = aField.width < 32 ? aField.extend(32) : aField;
        // Only the T·wb bits that carry codes are stored; the rest of in_b is 0.
        const st = steps(p);
        const used = T * comp.wb;
        const b = wstore.field(`b${p}`, used, (i) => word(st[i] as { j: number; chunk: number }));
        payload = {
          mode: lit(comp.mode, u(3)),
          sa: lit(1, u(1)),
          sb: lit(1, u(1)),
          a: a32,
          b: used < 32 ? b.extend(32) : b,
        };
      }
      driveStream(inst, { valid: feedValid, payload: { ...payload, last: feedLast } });
      // The vector lane takes every beat (no out_ready).
      const res = streamOut(inst, ['acc'], comp.kind !== 'vector' ? lit(1, u(1)) : undefined);
      if (p === 0) peValid = res.valid;
      laneAcc.push(res.payload.acc as Expr);
    }
  // The bias of group `rcv`: a table (embedded) or an SRAM read at the next cycle's rcv.
  const rcvNext = m.wire('rcv_next', u(gW)).set(ctl.received(peValid));
  const params = mem ? 'memory' : 'embedded';
  const bstore = new DataStore(m, params, 'b', rcvNext, G);
  const mask = (1n << BigInt(BIAS_BITS)) - 1n;
  const totals = laneAcc.map((acc, p) => {
    const bsel = !c.bias
      ? lit(0, s(totBits))
      : mem
        ? bstore
            .field(`b${p}`, BIAS_BITS, (gg) => biasOf(gg * P + p) & mask)
            .asSigned()
            .extend(totBits)
        : exprSelect(
            rcv,
            Array.from({ length: G }, (_, gg) => lit(biasOf(gg * P + p), s(totBits))),
          );
    return m
      .wire(`total${p}`, s(totBits))
      .set(fitSigned(acc.asSigned().extend(totBits).add(bsel), totBits));
  });
  // olive4_dyn input: the token's X, held with its codes (σ_a = 2^(X − 127 + inputExp)).
  let xScale: Expr | undefined;
  if (io.inScale) {
    const xr = m.reg('x_scale', u(8), { enable: accept });
    xr.next(io.inScale);
    xScale = xr;
  }
  // Memory mode: the static part of the output shift is a run-time parameter (one SRAM word).
  const accExp = c.inputExp + c.weightExp;
  const { store: cstore, shift } = shiftWord(m, mem, c.outExp - accExp);
  // A chunked output (decision 53): the groups go into the output SRAM, not a register.
  const collect = c.outChunk
    ? (lanes: readonly Expr[], storeLast: Expr) => ({
        y: ctl.finishBuffered(
          lanes.length === 1 ? (lanes[0] as Expr) : cat(...[...lanes].reverse()),
          peValid,
          storeLast,
        ),
        finished: storeLast,
      })
    : undefined;
  const out = outputStage(m, c, rcv, peValid, totals, xScale, shift, collect);
  if (io.outScale) {
    if (!out.scale) throw internalError(`${c.node}: an out_y_scale needs an olive4_dyn output`);
    io.outScale.set(out.scale);
  }
  rcv.next(rcvNext);
  if (!collect) ctl.finish(out.finished);
  io.outY.set(out.y);
  return {
    ...finishUnit(m, [wstore, busy], [bstore, cstore], load, c.imagePrefix ?? c.node),
    ...(stream ? { stream: { bits: c.portBits ?? 0, words: wstore.stepWords() } } : {}),
  };
}
