// Drives a component's valid/ready streams (docs/streams.md) in the native simulator: offers the
// input beats with seeded random gaps, applies seeded random back-pressure on the output, and
// collects the output beats. It also records every input port's value per cycle, so the same
// stimulus can be replayed cycle for cycle in Verilator and compared on every output.
import { MxgenError, type Beat } from '../hdl/index.js';
import type { Simulator } from './simulator.js';


export interface StreamRunOptions {
  /** Input field names (ports `in_<name>`) and output field names (ports `out_<name>`). */
  readonly inFields: readonly string[];
  readonly outFields: readonly string[];
  /** Number of output beats to wait for. */
  readonly expectedOutBeats: number;
  /** Probability that the producer idles in a cycle when it has a beat (default 0). */
  readonly idleProbability?: number;
  /** Probability that the consumer deasserts out_ready in a cycle (default 0). */
  readonly stallProbability?: number;
  readonly seed?: number;
  readonly resetCycles?: number;
  /** Give up after this many cycles (default: 64 + 8 × beats × (1 + stalls)). */
  readonly maxCycles?: number;
  /**
   * Cyclic word sources (a modelled external memory, one word per cycle): ports
   * `<prefix>_valid` (always 1), `<prefix>_data` (`words[i]`) and `<prefix>_ready`; the index
   * advances, wrapping, in every cycle where ready is 1.
   */
  readonly sources?: readonly WordSource[];
  /**
   * Cycles applied after reset and before the streams start, each a set of input port values
   * (e.g. weight-load writes: `{ wl_valid: 1n, wl_sel, wl_row, wl_data }`); a port a row does not
   * name is 0 in that cycle. Recorded like every other cycle.
   */
  readonly preamble?: readonly Beat[];
  /** Called every cycle after the inputs are applied and evaluated, before the rising edge. */
  readonly observe?: (cycle: number) => void;
}

export interface WordSource {
  readonly prefix: string;
  readonly words: readonly bigint[];
}

export interface StreamRunResult {
  readonly outBeats: Beat[];
  /**
   * For every output beat, the cycle (counted from the end of reset, the recorded row index minus
   * `resetCycles`) whose out_valid && out_ready handshake delivered it, so a beat comparison can
   * name the cycle of a wrong beat.
   */
  readonly outCycles: number[];
  /** Cycles run after reset. */
  readonly cycles: number;
  /** Input port names in port order, and their value at every cycle (reset cycles included). */
  readonly inputPorts: readonly string[];
  /** The recording as one row of bigints per cycle (built from `words` when first read). */
  readonly rows: bigint[][];
  /**
   * The recording as the co-simulation harness's stimulus words, `Simulator.runWords`'s packing:
   * per cycle `rst`, then every input port's ceil(width / 32) words (least significant first).
   */
  readonly words: Uint32Array;
  readonly resetCycles: number;
}

/** Small deterministic generator for stall decisions (independent of the stimulus generator). */
function stallRng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/**
 * The recorded input words (`Simulator.runWords` packing): the current row, and per cycle only
 * the words that changed since the row before (index, value), expanded into one row per cycle
 * when someone reads them (the Verilator replay; `mxgen run --no-verilator` never does). Copying
 * every row cost three quarters of a real-size stream run: ffn-gpt2-olive4's 6 144-bit `in_x`
 * changes once per token, but its 199 words were copied every cycle (~100 k cycles/s recorded
 * against ~450 k for the same cycles unrecorded).
 */
class InputLog {
  /** The current row (the values the design sees in this cycle). */
  readonly cur: Uint32Array;
  /** Pairs (word index, value), in the order written. */
  private log: Uint32Array = new Uint32Array(1024);
  private n = 0;
  /** Per recorded cycle: the log length when it was recorded. */
  private ends: Uint32Array = new Uint32Array(1024);
  cycles = 0;

  constructor(readonly per: number) {
    this.cur = new Uint32Array(per);
  }

  /** Sets word `i` to `v` (a uint32 value). */
  set(i: number, v: number): void {
    if (this.cur[i] === v) return;
    this.cur[i] = v;
    if (this.n + 2 > this.log.length) this.log = grown(this.log);
    this.log[this.n++] = i;
    this.log[this.n++] = v;
  }

  /** Writes bigint `v` (already < 2^(32 n)) as n words from word `at`, least significant first. */
  setWords(at: number, n: number, v: bigint): void {
    if (n === 1) this.set(at, Number(v));
    else for (let j = 0; j < n; j++) this.set(at + j, Number(BigInt.asUintN(32, v >> BigInt(32 * j))));
  }

  /** The current row is this cycle's inputs. */
  record(): void {
    if (this.cycles === this.ends.length) this.ends = grown(this.ends);
    this.ends[this.cycles++] = this.n;
  }

  /** Every recorded row, one after the other. */
  words(): Uint32Array {
    const out = new Uint32Array(this.cycles * this.per);
    const row = new Uint32Array(this.per);
    for (let c = 0, k = 0; c < this.cycles; c++) {
      for (const end = this.ends[c] ?? 0; k < end; k += 2) row[this.log[k] ?? 0] = this.log[k + 1] ?? 0;
      out.set(row, c * this.per);
    }
    return out;
  }
}

function grown(a: Uint32Array): Uint32Array {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

function getWords(src: Uint32Array, at: number, n: number): bigint {
  if (n === 1) return BigInt(src[at] ?? 0);
  let v = 0n;
  for (let j = n - 1; j >= 0; j--) v = (v << 32n) | BigInt(src[at + j] ?? 0);
  return v;
}

/**
 * Runs the streams under the cycle contract with one evaluation per cycle: the driver writes the
 * inputs, reads in_ready/out_valid (which evaluates), and the step reuses that evaluation. Per
 * cycle it only stores numbers: wide fields are poked once per beat, and the recording is a
 * growing word buffer (the bigint rows are built only if someone reads them).
 */
export function runStream(
  sim: Simulator,
  inBeats: readonly Beat[],
  opts: StreamRunOptions,
): StreamRunResult {
  const idle = opts.idleProbability ?? 0;
  const stall = opts.stallProbability ?? 0;
  const rand = stallRng(opts.seed ?? 1);
  const resetCycles = opts.resetCycles ?? 2;
  const maxCycles =
    opts.maxCycles ?? 64 + 8 * (inBeats.length + opts.expectedOutBeats) * (1 + Math.ceil(4 * (idle + stall)));
  // `rst` is not a port of the netlist; it is recorded first so a replay applies the same reset.
  const inPorts = sim.ports.filter((p) => p.dir === 'in');
  const ports = inPorts.map((p) => p.name);
  const inputPorts = ports.includes('rst') ? ports : ['rst', ...ports];
  // The current input words (runWords packing), updated on every poke the driver makes.
  const at = new Map<string, { at: number; n: number }>();
  let per = 1;
  for (const p of inPorts) {
    const n = Math.ceil(p.width / 32);
    at.set(p.name, { at: per, n });
    per += n;
  }
  const rec = new InputLog(per);
  for (const p of inPorts) {
    const w = at.get(p.name);
    if (w) rec.setWords(w.at, w.n, sim.peek(p.name));
  }
  rec.set(0, sim.resetting);
  /** A narrow port the driver writes every cycle: a pokeFast handle and its word. */
  const narrow = (port: string): { h: number; at: number } => {
    const w = at.get(port);
    if (!w || w.n !== 1) return { h: -1, at: -1 };
    return { h: sim.inputHandle(port), at: w.at };
  };
  const setNarrow = (p: { h: number; at: number }, port: string, v: number): void => {
    if (p.h < 0) {
      sim.poke(port, v);
      return;
    }
    sim.pokeFast(p.h, v);
    rec.set(p.at, v);
  };
  const hValid = narrow('in_valid');
  const hReady = narrow('out_ready');
  const widthOf = new Map(inPorts.map((p) => [p.name, p.width]));
  const fields = opts.inFields.map((f) => ({
    port: `in_${f}`,
    field: f,
    w: at.get(`in_${f}`),
    width: widthOf.get(`in_${f}`) ?? 1,
  }));
  /** Index of the beat whose fields are on the inputs (-1: all zero). */
  let shown: number | undefined;
  const showBeat = (i: number): void => {
    if (shown === i) return;
    shown = i;
    const beat = i < 0 ? undefined : inBeats[i];
    for (const f of fields) {
      const v = beat?.[f.field] ?? 0n;
      sim.poke(f.port, v);
      if (f.w) rec.setWords(f.w.at, f.w.n, BigInt.asUintN(f.width, v));
    }
  };
  const inReady = sim.outputHandle('in_ready');
  const outValid = sim.outputHandle('out_valid');
  const outFields = opts.outFields.map((f) => [f, `out_${f}`] as const);

  setNarrow(hValid, 'in_valid', 0);
  showBeat(-1);
  setNarrow(hReady, 'out_ready', 0);
  // `rst` may be the internal reset (word 0) or, in a netlist with an `rst` port, that port.
  const rstPort = at.get('rst');
  const setRst = (v: number): void => {
    sim.poke('rst', v);
    rec.set(0, sim.resetting);
    if (rstPort) rec.set(rstPort.at, v);
  };
  // Word sources: valid stays 1; data shows words[pos]; pos advances when ready was 1.
  const srcs = (opts.sources ?? []).map((src) => {
    const data = `${src.prefix}_data`;
    const w = at.get(data);
    setNarrow(narrow(`${src.prefix}_valid`), `${src.prefix}_valid`, 1);
    return {
      src,
      data,
      w,
      width: widthOf.get(data) ?? 1,
      ready: sim.outputHandle(`${src.prefix}_ready`),
      pos: -1,
      took: false,
    };
  });
  const showSource = (x: (typeof srcs)[number]): void => {
    x.pos = x.pos < 0 ? 0 : (x.pos + 1) % x.src.words.length;
    const v = x.src.words[x.pos] ?? 0n;
    sim.poke(x.data, v);
    if (x.w) rec.setWords(x.w.at, x.w.n, BigInt.asUintN(x.width, v));
  };
  for (let i = 0; i < resetCycles; i++) {
    setRst(1);
    rec.record();
    sim.step(1);
  }
  setRst(0);
  const pre = opts.preamble ?? [];
  const preNames = [...new Set(pre.flatMap((r) => Object.keys(r)))];
  for (const row of pre) {
    for (const port of preNames) {
      const v = row[port] ?? 0n;
      sim.poke(port, v);
      // `rst` without an rst port is the simulator's reset: recorded in word 0 (replays apply it).
      if (port === 'rst') rec.set(0, sim.resetting);
      const w = at.get(port);
      if (w) rec.setWords(w.at, w.n, BigInt.asUintN(widthOf.get(port) ?? 1, v));
    }
    rec.record();
    sim.step(1);
  }
  for (const port of preNames) {
    sim.poke(port, 0n);
    if (port === 'rst') rec.set(0, sim.resetting);
    const w = at.get(port);
    if (w) rec.setWords(w.at, w.n, 0n);
  }

  const outBeats: Beat[] = [];
  const outCycles: number[] = [];
  let next = 0;
  let offering = false;
  let cycle = 0;
  while (outBeats.length < opts.expectedOutBeats) {
    if (cycle >= maxCycles)
      throw new MxgenError(
        'mismatch',
        `${sim.top}: only ${outBeats.length} of ${opts.expectedOutBeats} output beats after ${cycle} cycles (${next} of ${inBeats.length} input beats accepted)`,
        { hint: 'the design deadlocks or drops beats; inspect a VCD of this run' },
      );
    if (!offering && next < inBeats.length && !(idle > 0 && rand() < idle)) offering = true;
    const ready = !(stall > 0 && rand() < stall);
    setNarrow(hValid, 'in_valid', offering ? 1 : 0);
    showBeat(offering ? next : -1);
    setNarrow(hReady, 'out_ready', ready ? 1 : 0);
    for (const x of srcs) if (x.pos < 0 || x.took) showSource(x);
    rec.record();
    for (const x of srcs) x.took = sim.peekFast(x.ready) === 1;
    opts.observe?.(cycle);
    if (offering && sim.peekFast(inReady) === 1) {
      next++;
      offering = false;
    }
    if (ready && sim.peekFast(outValid) === 1) {
      const beat: Record<string, bigint> = {};
      for (const [f, port] of outFields) beat[f] = sim.peek(port);
      outBeats.push(beat);
      outCycles.push(rec.cycles - 1 - resetCycles);
    }
    sim.step(1);
    cycle++;
  }
  let words: Uint32Array | undefined;
  let rows: bigint[][] | undefined;
  const rowsOf = (w: Uint32Array): bigint[][] => {
    const cols = inputPorts.map((p) => at.get(p) ?? { at: 0, n: 1 });
    const out: bigint[][] = [];
    for (let k = 0; k < w.length; k += per) out.push(cols.map((c) => getWords(w, k + c.at, c.n)));
    return out;
  };
  return {
    outBeats,
    outCycles,
    cycles: cycle,
    inputPorts,
    get words() {
      words ??= rec.words();
      return words;
    },
    get rows() {
      rows ??= rowsOf(this.words);
      return rows;
    },
    resetCycles,
  };
}

/** What recordedBeats needs of a recording: its port order, applied rows and reset cycles. */
export interface Recording {
  /** Output port names, in the order of each row of `values`. */
  readonly outputs: readonly string[];
  /** Input port names, in the order of each of `rows`. */
  readonly inputPorts: readonly string[];
  readonly rows: readonly (readonly bigint[])[];
  readonly resetCycles: number;
}

/**
 * The beats a recording's `out` stream transferred (out_valid and out_ready both 1 after reset),
 * each field read from its `out_<field>` port in `values` (one row of output values per cycle),
 * and the cycle after reset of each: the one place recorded port values become beats.
 */
export function recordedBeats(
  rec: Recording,
  values: readonly (readonly bigint[])[],
  fields: readonly string[],
): { beats: Beat[]; cycles: number[] } {
  const valid = rec.outputs.indexOf('out_valid');
  const ready = rec.inputPorts.indexOf('out_ready');
  const cols = fields.map((f) => rec.outputs.indexOf(`out_${f}`));
  const beats: Beat[] = [];
  const cycles: number[] = [];
  values.forEach((o, t) => {
    if (t < rec.resetCycles || o[valid] !== 1n || rec.rows[t]?.[ready] !== 1n) return;
    beats.push(Object.fromEntries(fields.map((f, k) => [f, o[cols[k] ?? -1] ?? 0n])));
    cycles.push(t - rec.resetCycles);
  });
  return { beats, cycles };
}
