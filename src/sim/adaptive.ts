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
/** Windows per block at most: one probe of the other form in this many windows. */
const MAX_BLOCK = 32;
/** Weight of the older pairs at each new one (the activity of a design changes with its phase). */
const DECAY = 0.95;
/** The other form must be this much faster to be chosen (noise must not flip the choice). */
const MARGIN = 0.97;

/** CPU time of the process in ms (the machine may be shared: wall time would count others). */
export function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * Times the two forms in adjacent windows and keeps the faster. The cycles run in blocks: the
 * first window of a block runs the other form (the probe), the second the chosen one (the
 * reference; adjacent, so both see the same phase of the stimulus), the rest the chosen one
 * untimed. Blocks grow from 2 to MAX_BLOCK windows, so after the start a probe costs at most
 * 1/MAX_BLOCK of the run. The forms switch when the other one's decayed time sum is below the
 * chosen one's by MARGIN.
 */
export class FormChooser {
  /** The chosen form (true: tracked). */
  private tracked = true;
  /** Window of the current block: 0 probe, 1 reference, 2 the rest. */
  private w = 0;
  private pairs = 0;
  private block = 2;
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
  ) {}

  /** Starts the first block; returns the cycles of its first window. */
  start(): number {
    this.begun = true;
    this.w = 0;
    this.setTracked(!this.tracked);
    this.t0 = this.now();
    return this.window;
  }

  /** The current window ran its cycles (or none began yet); returns the cycles of the next one. */
  next(): number {
    if (this.w === 2 || !this.begun) return this.start();
    const t = this.now();
    const dt = t - this.t0;
    this.t0 = t;
    if (this.w === 0) {
      this.probe = dt;
      this.w = 1;
      this.setTracked(this.tracked);
      return this.window;
    }
    this.pair(this.probe, dt);
    this.w = 2;
    this.setTracked(this.tracked);
    return this.block > 2 ? (this.block - 2) * this.window : this.start();
  }

  private pair(probe: number, ref: number): void {
    this.pairs++;
    if (this.pairs <= WARM_PAIRS) return;
    this.other = this.other * DECAY + probe;
    this.chosen = this.chosen * DECAY + ref;
    this.block = Math.min(MAX_BLOCK, this.block + 1);
    if (this.pairs > WARM_PAIRS + FIRST_PAIRS && this.other < MARGIN * this.chosen) {
      this.tracked = !this.tracked;
      [this.other, this.chosen] = [this.chosen, this.other];
    }
  }
}
