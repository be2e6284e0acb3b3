// Run-time choice between the two forms of a model's evaluation (codegen.ts): the tracked form
// skips chunks whose inputs did not change, the plain one runs every chunk without change checks.
// Which is faster depends on how much of the design is active under the real stimulus (up to 2x
// either way on the bundled designs), which no static measure predicted, so the simulator times
// both on the running stimulus and keeps the faster. Both forms compute the same values: the
// choice changes speed only, never a result.

/** Cycles per timed window (default). */
export const CALIBRATION_WINDOW = 256;
/**
 * CPU ms each form first runs alone, untimed (tracked, then plain): V8 optimizes a big model's
 * functions only after they ran for a while, concurrently on another thread whose CPU time the
 * windows would count, so a form timed earlier measures its compiler, not itself.
 */
export const WARM_MS = 150;
/** Windows of the other form per probe; only the last is timed (the first ones after a switch run slow). */
export const PROBE_WINDOWS = 4;
/** Counted pairs before the first switch. */
const FIRST_PAIRS = 4;
/** Windows per block at most (probe and reference included). */
const MAX_BLOCK = 64;
/** Weight of the older pairs at each new one (the activity of a design changes with its phase). */
const DECAY = 0.95;
/** The other form must be this much faster to be chosen (noise must not flip the choice). */
const MARGIN = 0.97;

/** CPU time of the process in ms (the machine may be shared: wall time would count others). */
export function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** One step of a block: which form runs, for how many windows, and whether it is timed. */
interface Step {
  readonly other: boolean;
  readonly windows: number;
  readonly timed: 'probe' | 'ref' | undefined;
}

/**
 * Times the two forms and keeps the faster. First each form runs alone for `warmMs` of CPU time,
 * untimed (tracked, then plain). Then the cycles run in blocks: `PROBE_WINDOWS` windows of the
 * other form of which only the last is timed (the probe), one untimed window of the chosen form
 * and one timed (the reference; adjacent to the probe, so both see the same phase of the
 * stimulus), then the rest of the block the chosen form, untimed. Blocks grow by one window per
 * pair up to MAX_BLOCK windows, so after the start probing costs at most PROBE_WINDOWS/MAX_BLOCK
 * of the run. The forms switch when the other one's decayed time sum is below the chosen one's
 * by MARGIN, from pair FIRST_PAIRS + 1 on.
 *
 * (A probe of one window in 32 never let V8 optimize the other form of a big model: it ran at a
 * tenth of its speed alone, measured slow, and was never chosen — ffn-blockdialect's tracked
 * form, 1.6x Verilator alone, 0.8x as chosen.)
 */
export class FormChooser {
  /** The chosen form (true: tracked). */
  private tracked = true;
  /** Warm-up: 0 tracked, 1 plain, 2 done. */
  private warm = 0;
  private warmFrom = 0;
  private steps: Step[] = [];
  private step: Step | undefined;
  private pairs = 0;
  private block = PROBE_WINDOWS + 3;
  private t0 = 0;
  private probe = 0;
  private other = 0;
  private chosen = 0;
  private begun = false;

  constructor(
    private readonly setTracked: (on: boolean) => void,
    private readonly window = CALIBRATION_WINDOW,
    /** The clock of the windows (tests pass a fake one to check the decisions). */
    private readonly now: () => number = cpuNow,
    private readonly warmMs = WARM_MS,
  ) {}

  /** The current window ran its cycles (or none began yet); returns the cycles of the next one. */
  next(): number {
    const t = this.now();
    if (!this.begun) {
      this.begun = true;
      this.warmFrom = t;
      this.setTracked(true);
    }
    if (this.warm < 2) {
      if (t - this.warmFrom < this.warmMs) return this.window;
      this.warm++;
      this.warmFrom = t;
      if (this.warm === 1) {
        this.setTracked(false);
        return this.window;
      }
      this.setTracked(this.tracked);
    }
    const done = this.step;
    if (done?.timed === 'probe') this.probe = t - this.t0;
    else if (done?.timed === 'ref') this.pair(this.probe, t - this.t0);
    if (this.steps.length === 0) this.steps = this.blockSteps();
    const step = this.steps.shift() as Step;
    this.step = step;
    this.setTracked(step.other ? !this.tracked : this.tracked);
    this.t0 = this.now();
    return step.windows * this.window;
  }

  private blockSteps(): Step[] {
    const probe = PROBE_WINDOWS - 1;
    const steps: Step[] = [];
    if (probe > 0) steps.push({ other: true, windows: probe, timed: undefined });
    steps.push({ other: true, windows: 1, timed: 'probe' });
    steps.push({ other: false, windows: 1, timed: undefined });
    steps.push({ other: false, windows: 1, timed: 'ref' });
    const rest = this.block - PROBE_WINDOWS - 2;
    if (rest > 0) steps.push({ other: false, windows: rest, timed: undefined });
    return steps;
  }

  private pair(probe: number, ref: number): void {
    this.pairs++;
    this.other = this.other * DECAY + probe;
    this.chosen = this.chosen * DECAY + ref;
    this.block = Math.min(MAX_BLOCK, this.block + 1);
    if (this.pairs > FIRST_PAIRS && this.other < MARGIN * this.chosen) {
      this.tracked = !this.tracked;
      [this.other, this.chosen] = [this.chosen, this.other];
    }
  }
}
