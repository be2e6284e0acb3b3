// The token-serial step controller shared by the layer units: accept a token when the unit is
// idle (nothing being computed, nothing pending in the lanes, no output offered), then walk the
// G groups of output features × C chunks of input features, one step per cycle — or per cycle in
// which `advance` is 1 (stream mode: a weight beat arrived). The unit drives `pending` (set by
// `fedAll`, cleared when the output stage finishes) and `outv` (the output beat) itself.
import { type Expr, lit, type ModuleBuilder, mux, u } from '../hdl/index.js';
import { ubits } from '../components/index.js';

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
  /** Widths of the group, chunk and index counters. */
  readonly groupBits: number;
}

export function stepController(
  m: ModuleBuilder,
  opts: { groups: number; chunks: number; inValid: Expr; advance?: Expr },
): StepControl {
  const G = opts.groups;
  const C = opts.chunks;
  const busy = m.reg('busy', u(1));
  const pending = m.reg('pending', u(1));
  const outv = m.reg('outv', u(1));
  const gW = ubits(Math.max(G - 1, 1));
  const cW = ubits(Math.max(C - 1, 1));
  const iW = ubits(Math.max(G * C - 1, 1));
  const g = m.reg('grp', u(gW));
  const ch = m.reg('chunk', u(cW));
  const idx = m.reg('step', u(iW));
  const ready = busy.or(pending).or(outv).not();
  const accept = m.wire('accept', u(1)).set(opts.inValid.and(ready));
  const step = opts.advance ? m.wire('step_en', u(1)).set(busy.and(opts.advance)) : busy;
  const lastC = ch.eq(C - 1);
  const fedAll = step.and(lastC).and(g.eq(G - 1));
  busy.next(mux(accept, lit(1, u(1)), mux(fedAll, lit(0, u(1)), busy)));
  ch.next(mux(accept.or(step.and(lastC)), lit(0, u(cW)), mux(step, ch.addWrap(1), ch)));
  g.next(mux(accept, lit(0, u(gW)), mux(step.and(lastC), g.addWrap(1), g)));
  idx.next(mux(accept, lit(0, u(iW)), mux(step, idx.addWrap(1), idx)));
  return {
    busy,
    pending,
    outv,
    accept,
    ready,
    group: g,
    chunk: ch,
    index: idx,
    lastChunk: lastC,
    step,
    fedAll,
    groupBits: gW,
  };
}
