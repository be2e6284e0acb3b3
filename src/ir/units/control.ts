// The token-serial controller shared by every layer unit (src/ir/units/*/generate.ts): the
// unit's stream ports, its weight-load port, the step counters, the token hold and the output
// offer. A unit accepts a token when it is idle (nothing being computed, nothing pending in its
// lanes, no output offered), walks its steps — G groups of output features × C chunks of input
// features, one step per cycle, or per cycle in which `advance` is 1 (stream mode: a weight beat
// arrived); a unit whose lanes take the whole token per step walks the G groups only — then holds
// `pending` until its output stage `finish`es, and offers the output beat until it is taken.
// The unit itself keeps only its datapath: what its lanes take per step and how their results
// reach the output stage.
import {
  cat,
  type Expr,
  internalError,
  lit,
  type MemImage,
  ModuleBuilder,
  mux,
  s,
  u,
} from '../../hdl/index.js';
import { type LinearUnitConfig, unitHardwareConfig } from '../units.js';
import { ubits } from '../../components/index.js';
import {
  DataStore,
  finishStores,
  type LoadPort,
  loadPortInputs,
  SHIFT_BITS,
} from '../hw-weights.js';
import type { UnitSram } from '../hw-weights.js';
import type { WeightsStorage } from '../graph.js';

/** A generated unit: its module, and in `memory` mode its SRAMs (load order) and their images. */
export interface GeneratedUnit {
  readonly module: ModuleBuilder;
  readonly srams: readonly UnitSram[];
  readonly images: ReadonlyMap<string, MemImage>;
  /** Stream mode: the weight port's width and the words of one token, in step order. */
  readonly stream?: { readonly bits: number; readonly words: readonly bigint[] };
}

/** Widths of a unit's stream ports (docs/streams.md); a scale field is absent when 0/undefined. */
export interface UnitPortWidths {
  /** `in_x` and `in_x_scale` (an MX, olive4_dyn, blockdialect or mixed input). */
  readonly x: number;
  readonly xScale?: number | undefined;
  /** `out_y` and `out_y_scale` (an MX or olive4_dyn output). */
  readonly y: number;
  readonly yScale?: number | undefined;
}

/** The stream ports of a unit module. */
export interface UnitIo {
  readonly inValid: Expr;
  readonly inX: Expr;
  readonly inScale: Expr | undefined;
  readonly outReady: Expr;
  readonly inReady: ReturnType<ModuleBuilder['output']>;
  readonly outValid: ReturnType<ModuleBuilder['output']>;
  readonly outY: ReturnType<ModuleBuilder['output']>;
  readonly outScale: ReturnType<ModuleBuilder['output']> | undefined;
}

/** in_valid, in_x[, in_x_scale], out_ready, in_ready, out_valid, out_y[, out_y_scale]. */
export function unitPorts(m: ModuleBuilder, w: UnitPortWidths): UnitIo {
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(w.x));
  const inScale = w.xScale ? m.input('in_x_scale', u(w.xScale)) : undefined;
  const outReady = m.input('out_ready', u(1));
  const inReady = m.output('in_ready', u(1));
  const outValid = m.output('out_valid', u(1));
  const outY = m.output('out_y', u(w.y));
  const outScale = w.yScale ? m.output('out_y_scale', u(w.yScale)) : undefined;
  return { inValid, inX, inScale, outReady, inReady, outValid, outY, outScale };
}

/** The weight-load port (`wl_*`) of a unit whose weights are in SRAM (`on`), else none. */
export function loadPort(m: ModuleBuilder, on: boolean): LoadPort | undefined {
  return on ? loadPortInputs(m) : undefined;
}

export interface StepControl {
  /** A token is being fed to the lanes. */
  readonly busy: Expr;
  readonly pending: ReturnType<ModuleBuilder['reg']>;
  readonly outv: ReturnType<ModuleBuilder['reg']>;
  /** The unit takes the input beat this cycle; it is idle (in_ready). */
  readonly accept: Expr;
  readonly ready: Expr;
  /** Group of output features, chunk of input features, and the step index g·C + chunk. */
  readonly group: Expr;
  readonly chunk: Expr;
  readonly index: Expr;
  readonly lastChunk: Expr;
  /** A step happens this cycle (busy, and the advance condition holds). */
  readonly step: Expr;
  /** The last step of the token happens this cycle. */
  readonly fedAll: Expr;
  /** Widths of the group and chunk counters. */
  readonly groupBits: number;
  readonly chunkBits: number;
  /**
   * The receive counter `rcv` (the group whose results reach the output stage), created at the
   * first call (the groups-only form creates it with its counters).
   */
  receiver(): ReturnType<ModuleBuilder['reg']>;
  /**
   * What the lanes are fed with a step's weights: `e` itself (embedded), or `e` registered
   * (memory and stream: the weights of a step arrive one cycle after it).
   */
  fed<T extends Expr>(name: string, e: T): Expr;
  /** The weight store `w`: one word per step, addressed by the step index (hw-weights.ts). */
  weights(stream?: Expr): DataStore;
  /** rcv's next value: 0 on accept, + 1 in each cycle a group's results are `valid`. */
  received(valid: Expr): Expr;
  /**
   * The token buffer's chunk `chunk` of the field `wide` (`bits` per chunk), read from the unit's
   * double-buffered SRAM one cycle after the step, like the weights (`tokenBuffer` form only).
   */
  buffered(name: string, wide: Expr, bits: number): Expr;
  /** Offers the output beat from the cycle the output stage is `finished` until it is taken; drives in_ready and out_valid. */
  offer(finished: Expr): void;
  /**
   * Ends the token: `pending` from the last step (or `start`) until the output stage is
   * `finished`, then `offer`.
   */
  finish(finished: Expr, start?: Expr): void;
  /**
   * Ends the token into the double-buffered output SRAM (`outBuffer` form only, decision 53):
   * each `valid` group (`group`: the lanes' codes, lane 0 low) is written into its bank as it
   * arrives; the finished token (`storeLast`) is offered as `chunks` beats of `groups` groups each,
   * one per cycle while taken, while the next token computes into the other half. Returns the
   * beat (the banks' read registers, bank 0 low) and drives in_ready and out_valid.
   */
  finishBuffered(group: Expr, valid: Expr, storeLast: Expr): Expr;
}

/**
 * The step counters and the token hold. `chunks` absent: the groups-only form (one step per
 * group: lanes that take the whole token at once), whose group counter counts to G.
 */
export function stepController(
  m: ModuleBuilder,
  io: Pick<UnitIo, 'inValid' | 'outReady' | 'inReady' | 'outValid'>,
  opts: {
    groups: number;
    chunks?: number;
    advance?: Expr;
    /** Where the weights are (memory and stream: read one cycle after the step). */
    storage: WeightsStorage;
    /** The input token goes into a double-buffered SRAM, C chunks (`tokenInSram`). */
    tokenBuffer?: boolean;
    /** The token arrives as C beats of one chunk each (`inChunked`, decision 53), not one beat. */
    chunkedIn?: boolean;
    /** The output token leaves through a double-buffered SRAM as a chunked stream (decision 53). */
    outBuffer?: { readonly groups: number; readonly chunks: number };
  },
): StepControl {
  const G = opts.groups;
  const C = opts.chunks ?? 1;
  const busy = m.reg('busy', u(1));
  const pending = m.reg('pending', u(1));
  const outv = m.reg('outv', u(1));
  // Output buffer: a finished token waits in the write half (not yet draining); the unit takes
  // the next token only once its half is free.
  const full = opts.outBuffer ? m.reg('y_full', u(1)) : undefined;
  let rcv: ReturnType<ModuleBuilder['reg']> | undefined;
  let fill: TokenFill | undefined;
  let gW: number;
  let cW: number;
  let parts: Pick<
    StepControl,
    'accept' | 'ready' | 'group' | 'chunk' | 'index' | 'lastChunk' | 'step' | 'fedAll'
  >;
  if (opts.chunks === undefined) {
    gW = ubits(Math.max(G, 1));
    cW = 0;
    const g = m.reg('grp', u(gW));
    rcv = m.reg('rcv', u(gW));
    const ready = busy.or(pending).or(outv).not();
    const accept = m.wire('accept', u(1)).set(io.inValid.and(ready));
    const lastG = g.eq(G - 1);
    const set = lit(1, u(1));
    const fedAll = busy.and(lastG);
    busy.next(mux(accept, set, mux(fedAll, lit(0, u(1)), busy)));
    g.next(mux(accept, lit(0, u(gW)), mux(busy, g.addWrap(1), g)));
    const chunk = lit(0, u(1));
    parts = { accept, ready, group: g, chunk, index: g, lastChunk: set, step: busy, fedAll };
  } else {
    gW = ubits(Math.max(G - 1, 1));
    cW = ubits(Math.max(C - 1, 1));
    const iW = ubits(Math.max(G * C - 1, 1));
    const g = m.reg('grp', u(gW));
    const ch = m.reg('chunk', u(cW));
    const idx = m.reg('step', u(iW));
    const ready = busy
      .or(pending)
      .or(full ?? outv)
      .not();
    fill = opts.tokenBuffer ? tokenFill(m, io, C, opts.chunkedIn === true) : undefined;
    const accept = m.wire('accept', u(1)).set((fill?.have ?? io.inValid).and(ready));
    fill?.taken(accept);
    const step = opts.advance ? m.wire('step_en', u(1)).set(busy.and(opts.advance)) : busy;
    const lastC = ch.eq(C - 1);
    const fedAll = step.and(lastC).and(g.eq(G - 1));
    busy.next(mux(accept, lit(1, u(1)), mux(fedAll, lit(0, u(1)), busy)));
    ch.next(mux(accept.or(step.and(lastC)), lit(0, u(cW)), mux(step, ch.addWrap(1), ch)));
    g.next(mux(accept, lit(0, u(gW)), mux(step.and(lastC), g.addWrap(1), g)));
    idx.next(mux(accept, lit(0, u(iW)), mux(step, idx.addWrap(1), idx)));
    parts = { accept, ready, group: g, chunk: ch, index: idx, lastChunk: lastC, step, fedAll };
  }
  const offer = (finished: Expr): void => {
    outv.next(mux(finished, lit(1, u(1)), mux(outv.and(io.outReady), lit(0, u(1)), outv)));
    if (!fill) io.inReady.set(parts.ready);
    io.outValid.set(outv);
  };
  const receiver = (): ReturnType<ModuleBuilder['reg']> => (rcv ??= m.reg('rcv', u(gW)));
  return {
    busy,
    pending,
    outv,
    ...parts,
    groupBits: gW,
    chunkBits: cW,
    receiver,
    fed: (name, e) => (opts.storage === 'embedded' ? e : m.reg(name, e.shape).next(e)),
    weights: (stream) =>
      new DataStore(
        m,
        opts.storage,
        'w',
        parts.index,
        opts.chunks === undefined ? G : G * C,
        stream,
      ),
    buffered: (name, wide, bits) => {
      if (!fill) throw internalError(`${m.name}: buffered() needs the tokenBuffer form`);
      return fill.field(name, wide, bits, parts.chunk, parts.step);
    },
    received: (valid) => {
      const r = receiver();
      return mux(parts.accept, lit(0, u(gW)), mux(valid, r.addWrap(1), r));
    },
    offer,
    finish: (finished, start) => {
      pending.next(mux(start ?? parts.fedAll, lit(1, u(1)), mux(finished, lit(0, u(1)), pending)));
      offer(finished);
    },
    finishBuffered: (group, valid, storeLast) => {
      if (!opts.outBuffer || !full)
        throw internalError(`${m.name}: finishBuffered() needs the outBuffer form`);
      pending.next(mux(parts.fedAll, lit(1, u(1)), mux(storeLast, lit(0, u(1)), pending)));
      if (!fill) io.inReady.set(parts.ready);
      io.outValid.set(outv);
      return outputBuffer(
        m,
        { outv, full, outReady: io.outReady },
        group,
        valid,
        storeLast,
        opts.outBuffer,
      );
    },
  };
}

/** Most SRAM banks of an output buffer (decision 53): more banks, fewer combining flip-flops. */
export const OUT_BUFFER_BANKS = 16;

/** Banks of an output buffer whose beat holds `groups` groups: the largest divisor ≤ 16. */
export function outBufferBanks(groups: number): number {
  let b = Math.min(groups, OUT_BUFFER_BANKS);
  while (groups % b !== 0) b--;
  return b;
}

/**
 * The double-buffered output SRAM (decision 53). One beat (`groups` groups of the lanes' codes)
 * is B = outBufferBanks(groups) words side by side, one per bank SRAM of L = groups / B groups
 * each, 2·`chunks` words deep. The groups of a word are combined in a register of L − 1 groups
 * and written with the word's last one: word w of a token (groups w·L … w·L + L − 1) goes to bank
 * w mod B at address half·chunks + ⌊w / B⌋, so one address across the banks is one beat of the
 * reader's chunk (feature j at element j mod (groups·lanes) of beat ⌊j / (groups·lanes)⌋). When
 * the token is complete (`storeLast`, or later `y_full`) and the other half has drained, the
 * halves swap and beat 0 is read (safe in the cycle of the last write: it lands in beat chunks −
 * 1 ≥ 1); each taken beat reads the next, so the beats follow one per cycle while taken; the read
 * registers hold an untaken beat.
 */
function outputBuffer(
  m: ModuleBuilder,
  r: {
    outv: ReturnType<ModuleBuilder['reg']>;
    full: ReturnType<ModuleBuilder['reg']>;
    outReady: Expr;
  },
  group: Expr,
  valid: Expr,
  storeLast: Expr,
  o: { readonly groups: number; readonly chunks: number },
): Expr {
  const B = outBufferBanks(o.groups);
  const L = o.groups / B;
  const Cc = o.chunks;
  if (Cc < 2) throw internalError(`${m.name}: an output buffer needs at least two beats`);
  const gw = group.width;
  const kW = ubits(Cc - 1);
  const aW = ubits(2 * Cc - 1);
  const wbank = m.reg('y_bank', u(1));
  const wch = m.reg('y_chunk', u(kW));
  const dcnt = m.reg('y_drain', u(kW));
  // The word position (0 … L − 1) and the bank (0 … B − 1) of the next group.
  let wordLast: Expr = valid;
  let word: Expr = group;
  if (L > 1) {
    const lW = ubits(L - 1);
    const pos = m.reg('y_pos', u(lW));
    const posLast = pos.eq(L - 1);
    pos.next(mux(valid, mux(posLast, lit(0, u(lW)), pos.addWrap(1)), pos));
    // The word's earlier groups, the latest at the top (the word's group L − 1 joins them).
    const comb = m.reg('y_comb', u(gw * (L - 1)), { enable: valid });
    comb.next(L === 2 ? group : cat(group, comb.bits(gw * (L - 1) - 1, gw)));
    wordLast = valid.and(posLast);
    word = cat(group, comb);
  }
  let bankLast: Expr = lit(1, u(1));
  let sub: Expr | undefined;
  if (B > 1) {
    const sW = ubits(B - 1);
    const bsel = m.reg('y_sub', u(sW));
    bankLast = bsel.eq(B - 1);
    bsel.next(mux(wordLast, mux(bankLast, lit(0, u(sW)), bsel.addWrap(1)), bsel));
    sub = bsel;
  }
  const chLast = wch.eq(Cc - 1);
  wch.next(mux(wordLast.and(bankLast), mux(chLast, lit(0, u(kW)), wch.addWrap(1)), wch));
  const take = r.outv.and(r.outReady);
  const lastTake = m.wire('y_last_take', u(1)).set(take.and(dcnt.eq(Cc - 1)));
  const fullNow = r.full.or(storeLast);
  const start = m.wire('y_start', u(1)).set(fullNow.and(r.outv.not().or(lastTake)));
  r.full.next(fullNow.and(start.not()));
  wbank.next(mux(start, wbank.not(), wbank));
  r.outv.next(mux(start, lit(1, u(1)), mux(lastTake, lit(0, u(1)), r.outv)));
  dcnt.next(mux(start, lit(0, u(kW)), mux(take, dcnt.addWrap(1), dcnt)));
  const bankAddr = (bank: Expr, i: Expr): Expr => mux(bank, i.extend(aW).addWrap(Cc), i.extend(aW));
  const rdEn = start.or(take.and(lastTake.not()));
  const rdAddr = m
    .wire('y_raddr', u(aW))
    .set(mux(start, bankAddr(wbank, lit(0, u(kW))), bankAddr(wbank.not(), dcnt.addWrap(1))));
  const wAddr = m.wire('y_waddr', u(aW)).set(bankAddr(wbank, wch));
  const wData = L > 1 ? m.wire('y_word', u(gw * L)).set(word) : word;
  const reads: Expr[] = [];
  for (let b = 0; b < B; b++) {
    const ram = m.sram(B === 1 ? 'y_buf' : `y_buf${b}`, { width: gw * L, depth: 2 * Cc });
    ram.write(wAddr, wData, sub ? wordLast.and(sub.eq(b)) : wordLast);
    reads.push(ram.read(rdAddr, rdEn));
  }
  return reads.length === 1 ? (reads[0] as Expr) : cat(...reads.reverse());
}

/** Features of a token above which a `memory` unit keeps its input token in SRAM (decision 50). */
export const TOKEN_SRAM_FEATURES = 64;

/**
 * Whether a unit keeps its input token in a double-buffered SRAM instead of a register: weights
 * in `memory` and a token of more than TOKEN_SRAM_FEATURES features (real-size layers); smaller
 * designs keep the register form, byte for byte.
 */
export function tokenInSram(c: Pick<LinearUnitConfig, 'storage' | 'inFeatures'>): boolean {
  return c.storage === 'memory' && c.inFeatures > TOKEN_SRAM_FEATURES;
}

interface TokenFill {
  /** A whole token is in the SRAM, not yet taken by the step controller. */
  readonly have: Expr;
  /** The step controller takes the token (`accept`): its bank becomes the read bank. */
  taken(accept: Expr): void;
  field(name: string, wide: Expr, bits: number, chunk: Expr, step: Expr): Expr;
}

/**
 * The double-buffered token SRAM (decision 50): while no whole token waits (`have` = 0), an
 * offered beat is written chunk by chunk (one C-th of each field per cycle, selected from the
 * beat the producer holds stable) into the fill bank; the beat transfers (in_ready) with its last
 * chunk, the banks swap and `have` is set. The step controller takes the waiting token when it is
 * idle, reading its chunks from the other bank while the next token fills this one. Every field
 * (the codes, an MX unit's block scales) has its own SRAM of 2·C words, addressed alike. A
 * `chunked` reader (decision 53) gets one chunk per beat instead: each beat is taken while no
 * whole token waits and written as is, the token complete with its C-th beat.
 */
function tokenFill(
  m: ModuleBuilder,
  io: Pick<UnitIo, 'inValid' | 'inReady'>,
  C: number,
  /** The producer sends one chunk per beat (decision 53): every beat is taken while filling. */
  chunked: boolean,
): TokenFill {
  const fW = ubits(Math.max(C - 1, 1));
  const aW = ubits(2 * C - 1);
  const fcnt = m.reg('fill', u(fW));
  const wbank = m.reg('fill_bank', u(1));
  const rbank = m.reg('read_bank', u(1));
  const have = m.reg('have', u(1));
  const lastFill = fcnt.eq(C - 1);
  const fillEn = m.wire('fill_en', u(1)).set(io.inValid.and(have.not()));
  const done = fillEn.and(lastFill);
  io.inReady.set(chunked ? have.not() : have.not().and(lastFill));
  fcnt.next(mux(fillEn, mux(lastFill, lit(0, u(fW)), fcnt.addWrap(1)), fcnt));
  wbank.next(mux(done, wbank.not(), wbank));
  const bankAddr = (bank: Expr, i: Expr): Expr => mux(bank, i.extend(aW).addWrap(C), i.extend(aW));
  return {
    have,
    taken: (accept) => {
      have.next(mux(done, lit(1, u(1)), mux(accept, lit(0, u(1)), have)));
      rbank.next(mux(accept, wbank.not(), rbank));
    },
    field: (name, wide, bits, chunk, step) => {
      const ram = m.sram(`${name}_buf`, { width: bits, depth: 2 * C });
      const part =
        C === 1 || chunked
          ? wide
          : m
              .wire(`${name}_fill`, u(bits))
              .set(wide.shrBy(fcnt.extend(fW + ubits(bits)).mulWrap(bits)).trunc(bits));
      ram.write(bankAddr(wbank, fcnt), part, fillEn);
      return ram.read(bankAddr(rbank, chunk), step);
    },
  };
}

/**
 * The unit's stores finished in load order — the weight store (read while `busy`), then the
 * stores read every cycle (biases, the shift word) — and the generated unit.
 */
export function finishUnit(
  m: ModuleBuilder,
  weights: readonly [DataStore, Expr],
  rest: readonly DataStore[],
  load: LoadPort | undefined,
  fileBase: string,
): GeneratedUnit {
  const one = lit(1, u(1));
  const stores = [weights, ...rest.map((st) => [st, one] as const)];
  const { srams, images } = finishStores(m, stores, load, fileBase);
  return { module: m, srams, images };
}

/**
 * The module, weight-load port, stream ports and controller of a unit whose weights are in SRAM
 * (`memory`) or constants: the load port first, then the stream ports, then the counters.
 */
export function tokenUnit(
  c: LinearUnitConfig,
  ports: UnitPortWidths,
  steps: { groups: number; chunks?: number },
  tokenBuffer = false,
  /** A chunked output (`outChunk`, decision 53): groups per beat and beats per token. */
  outBuffer?: { readonly groups: number; readonly chunks: number },
): { m: ModuleBuilder; mem: boolean; load: LoadPort | undefined; io: UnitIo; ctl: StepControl } {
  const mem = c.storage === 'memory';
  const m = new ModuleBuilder(c.module, { config: unitHardwareConfig(c) });
  const load = loadPort(m, mem);
  const io = unitPorts(m, ports);
  const ctl = stepController(m, io, {
    ...steps,
    storage: c.storage,
    ...(tokenBuffer ? { tokenBuffer } : {}),
    ...(tokenBuffer && c.inChunked ? { chunkedIn: true } : {}),
    ...(outBuffer ? { outBuffer } : {}),
  });
  return { m, mem, load, io, ctl };
}

/**
 * The static part of the output shift (outExp − the accumulator's exponent): in memory mode a
 * run-time SRAM word (`c_shift`, so the SV does not depend on the scales), else none (the unit
 * uses a constant). Its store `c` is finished with the unit's others.
 */
export function shiftWord(
  m: ModuleBuilder,
  mem: boolean,
  value: number,
): { store: DataStore; shift: Expr | undefined } {
  const store = new DataStore(m, mem ? 'memory' : 'embedded', 'c', lit(0, u(1)), 1);
  const mask = (1n << BigInt(SHIFT_BITS)) - 1n;
  const shift = mem
    ? store.field('shift', SHIFT_BITS, () => BigInt(value) & mask).asSigned()
    : undefined;
  return { store, shift };
}

/**
 * The per-step feed of a groups-only unit (a whole block per lane per step): the weight store,
 * the lanes' valid (one cycle late in memory mode, with the SRAM data), its shift word store and
 * the int output's shift `outExp` (memory: the run-time word; else a constant).
 */
export function blockFeed(
  m: ModuleBuilder,
  ctl: StepControl,
  mem: boolean,
  outExp: number,
): { wstore: DataStore; feedValid: Expr; cstore: DataStore; shift: Expr } {
  const wstore = ctl.weights();
  const feedValid = ctl.fed('feed_valid', ctl.busy);
  const { store, shift } = shiftWord(m, mem, outExp);
  return { wstore, feedValid, cstore: store, shift: shift ?? lit(outExp, s(12)) };
}

/** K, N, lanes P, tile T, groups G = N/P and chunks C = K/T of a layer unit. */
export function unitShape(c: LinearUnitConfig): {
  K: number;
  N: number;
  P: number;
  T: number;
  G: number;
  C: number;
} {
  const { inFeatures: K, outFeatures: N, lanes: P, tile: T } = c;
  return { K, N, P, T, G: N / P, C: K / T };
}
