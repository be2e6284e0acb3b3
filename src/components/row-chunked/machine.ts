// The two-pass row machine of the chunked row units (softmax-chunked, layernorm-chunked,
// rmsnorm-chunked): a row of n features arrives as R = ceil(n / chunk) input beats of `chunk`
// lanes (the last beat's lanes past n are padding and ignored) and leaves as R output beats.
//   IN    take beat k = 0..R-1 (pass 1: the op folds it into its statistics) and write its word
//         (the beat's codes and per-feature constants) into a row buffer of R words, an `m.sram`
//         (Yosys keeps it as $mem; the native simulator runs it from a typed array);
//   CALC  one cycle: the op turns its statistics into the pass-2 constants (a register);
//   OUT   read the buffer word by word (synchronous read; the read register is the output
//         register, held while the consumer stalls) and offer pass 2 of each word.
// So the unit's size grows with `chunk`, not with n: n only sets the buffer depth and counters.
// The first output beat is offered 3 cycles after the last input beat; the next row is taken
// the cycle after the last output beat (2·R + 2 cycles per row without stalls).
import { type Expr, lit, type ModuleBuilder, mux, u } from '../../hdl/index.js';

const bitLen = (v: number): number => Math.max(1, Math.ceil(Math.log2(v + 1)));

export interface RowMachine {
  /** An input beat transfers this cycle. */
  readonly accept: Expr;
  /** The input beat is the row's first (k = 0) / last (k = R - 1). */
  readonly first: Expr;
  readonly last: Expr;
  /** Lane i of the input beat is a feature (not padding). */
  inLane(i: number): Expr;
  /** The cycle between the passes. */
  readonly calc: Expr;
  /** The buffered word of the output beat (valid while out_valid). */
  readonly word: Expr;
  /** Lane i of the output beat is a feature (not padding). */
  outLane(i: number): Expr;
}

/** Rows per chunk beats: R. */
export const rowBeats = (n: number, chunk: number): number => Math.ceil(n / chunk);

/** Cycles from the last input beat's transfer to the first output beat's offer. */
export const ROW_MACHINE_LATENCY = 3;

export function rowMachine(
  m: ModuleBuilder,
  o: {
    readonly n: number;
    readonly chunk: number;
    /** The word to buffer for the input beat (pass 2 reads it back). */
    readonly word: Expr;
    readonly inValid: Expr;
    readonly outReady: Expr;
    readonly inReady: { set(e: Expr): unknown };
    readonly outValid: { set(e: Expr): unknown };
  },
): RowMachine {
  const R = rowBeats(o.n, o.chunk);
  const kb = bitLen(R - 1);
  const jb = bitLen(R);
  const tail = o.n - (R - 1) * o.chunk; // features in the last beat
  const IN = 0;
  const CALC = 1;
  const OUT = 2;
  const phase = m.reg('phase', u(2));
  const at = (p: number): Expr => phase.eq(lit(p, u(2)));
  // Pass 1: beats into the buffer
  const k = m.reg('k', u(kb));
  const accept = m.wire('accept', u(1)).set(o.inValid.and(at(IN)));
  const last = k.eq(R - 1);
  k.next(mux(last, lit(0, u(kb)), k.add(lit(1, u(kb))).bits(kb - 1, 0)), accept);
  const buf = m.sram('row_buf', { width: o.word.width, depth: R });
  buf.write(k, o.word, accept);
  // Pass 2: one word per output beat; the read register holds it while the consumer stalls
  const jr = m.reg('jr', u(jb));
  const jo = m.reg('jo', u(kb));
  const dv = m.reg('dv', u(1));
  const fire = dv.and(o.outReady);
  const issue = m.wire('issue', u(1)).set(at(OUT).and(jr.lt(R)).and(dv.not().or(fire)));
  const word = buf.read(jb > kb ? jr.bits(kb - 1, 0) : jr, issue);
  jr.next(mux(at(CALC), lit(0, u(jb)), jr.add(lit(1, u(jb))).bits(jb - 1, 0)), issue.or(at(CALC)));
  jo.next(jb > kb ? jr.bits(kb - 1, 0) : jr, issue);
  dv.next(mux(issue, lit(1, u(1)), mux(fire, lit(0, u(1)), dv)));
  const done = fire.and(jo.eq(R - 1));
  phase.next(
    mux(
      at(IN),
      mux(accept.and(last), lit(CALC, u(2)), lit(IN, u(2))),
      mux(at(CALC), lit(OUT, u(2)), mux(done, lit(IN, u(2)), lit(OUT, u(2)))),
    ),
  );
  o.inReady.set(at(IN));
  o.outValid.set(dv);
  const laneOk = (idx: Expr, i: number): Expr => (i < tail ? lit(1, u(1)) : idx.eq(R - 1).not());
  return {
    accept,
    first: k.eq(0),
    last,
    inLane: (i) => laneOk(k, i),
    calc: at(CALC),
    word,
    outLane: (i) => laneOk(jo, i),
  };
}
