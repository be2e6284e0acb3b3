// Run-time choice between the two forms of a model's evaluation (codegen.ts): the tracked form
// skips chunks whose inputs did not change, the plain one runs every chunk without change checks.
// Which is faster depends on how much of the design is active under the real stimulus (up to 2x
// either way on the bundled designs), which no static measure predicted, so the simulator times
// both on the running stimulus and keeps the faster. Both forms compute the same values: the
// choice changes speed only, never a result.

/** Cycles per timed window (default). */
export const CALIBRATION_WINDOW = 256;
/** Probe pairs not counted (V8 is still compiling the code). */
const WARM_PAIRS = 4;
/** Counted pairs before the first switch. */
const FIRST_PAIRS = 4;
/**
 * Untimed windows of the other form before its probe window. The first windows after a switch
 * run slower, most of all the tracked form's after the plain one: on mlp-int8 1.5x, 1.2x, 1.1x
 * of its settled time in the first three, while the plain form's second window is settled. (The
 * tracked form after its own touchAll is settled at once, so it is the other form's run in
 * between that slows it: caches and branch predictors, presumably.)
 */
const PROBE_WARM = 2;
/** Untimed windows of the chosen form per block at most (the probe's share of the run). */
const MAX_REST = 64;
/**
 * Pairs whose median ratio decides (the latest ones: the activity of a design changes with its
 * phase). A median, not a sum: a window that V8 spent compiling, or that another process
 * preempted, is 10-100x its settled time, and in a decayed sum such a pair outweighed the next
 * ~80 (the choice stuck for a million cycles); in a median it is one vote.
 */
const RECENT = 9;
/** The other form must be this much faster to be chosen (noise must not flip the choice). */
const MARGIN = 0.97;

/** CPU time of the process in ms (the machine may be shared: wall time would count others). */
export function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * Times the two forms and keeps the faster. The cycles run in blocks: the chosen form untimed
 * (the rest), its last window timed (the reference, settled), then the other form: PROBE_WARM
 * windows untimed and one timed (the probe). Timing a form in the window right after a switch
 * measured the switch, not the form: the probe of the tracked form after the plain one ran 1.5x
 * slow on mlp-int8, and the reference right after a probe was slow too, so the choice stuck
 * to the plain form (probe and reference were adjacent windows until decision 56). The rest
 * doubles from 1 to MAX_REST windows after each counted pair, so the probes cost at most
 * 3 / (MAX_REST + 4) of the run once settled. The forms switch when the median of the latest
 * pairs' probe / reference ratios is below MARGIN.
 */
export class FormChooser {
  /** The chosen form (true: tracked). */
  private tracked = true;
  /** The window starting at the next call: 0 rest, 1 reference, 2 warm-up, 3 probe, 4 pair. */
  private w = 0;
  private pairs = 0;
  private rest = 1;
  private t0 = 0;
  private ref = 0;
  /** probe / reference of the latest counted pairs (a ring of RECENT). */
  private readonly ratios: number[] = [];

  constructor(
    private readonly setTracked: (on: boolean) => void,
    private readonly window = CALIBRATION_WINDOW,
    /** The clock of the windows (tests pass a fake one to check the decisions). */
    private readonly now: () => number = cpuNow,
  ) {}

  /** The current window ran its cycles (or none began yet); returns the cycles of the next one. */
  next(): number {
    const t = this.now();
    switch (this.w) {
      case 0:
        this.setTracked(this.tracked);
        this.w = 1;
        return this.rest * this.window;
      case 1:
        this.t0 = t;
        this.w = 2;
        return this.window;
      case 2:
        this.ref = t - this.t0;
        this.setTracked(!this.tracked);
        this.w = 3;
        return PROBE_WARM * this.window;
      case 3:
        this.t0 = t;
        this.w = 4;
        return this.window;
      default:
        this.pair(t - this.t0, this.ref);
        this.w = 0;
        return this.next();
    }
  }

  private pair(probe: number, ref: number): void {
    this.pairs++;
    if (this.pairs <= WARM_PAIRS) return;
    this.ratios[(this.pairs - WARM_PAIRS - 1) % RECENT] = probe / Math.max(ref, 1e-9);
    this.rest = Math.min(MAX_REST, this.rest * 2);
    if (this.pairs < WARM_PAIRS + FIRST_PAIRS) return;
    const sorted = [...this.ratios].sort((a, b) => a - b);
    if ((sorted[sorted.length >> 1] ?? 1) < MARGIN) {
      this.tracked = !this.tracked;
      // The ratios so far compared the new chosen form with the old one: invert them.
      for (let i = 0; i < this.ratios.length; i++) this.ratios[i] = 1 / (this.ratios[i] as number);
    }
  }
}
