// Run-time choice between the two forms of a model's evaluation (codegen.ts): the tracked form
// skips chunks whose inputs did not change, the plain one runs every chunk without change checks.
// Which is faster depends on how much of the design is active under the real stimulus (up to 2x
// either way on the bundled designs), which no static measure predicted, so the simulator times
// both on the running stimulus and keeps the faster. Both forms compute the same values: the
// choice changes speed only, never a result.

/** Cycles per timed window (default). */
export const CALIBRATION_WINDOW = 256;
/**
 * CPU ms each form first runs alone, at least, tracked then plain; and the least time without a
 * faster window after which it counts as warm (at least half the time its gains took, too). V8
 * optimizes a big model's functions only after they ran for a while, concurrently on another
 * thread whose CPU time the windows count, so a form timed while V8 still compiles it measures
 * its compiler, not itself: llama-block's chunk-skipping form needs ~3 s of CPU before it runs at
 * its speed (0.03 -> 0.31 M cycles/s), and its gains come in bursts up to a second apart.
 */
export const WARM_MS = 300;
/**
 * Windows per measurement of the warm-up (their mean time). Single windows vary with the phase
 * of the stimulus more than with V8's progress: gpt2-block's tracked form had its fastest
 * window (0.69 ms) in its first 100, while their mean fell from 12 ms to 0.84 ms over 2.4 s.
 */
export const WARM_GROUP = 16;
/** CPU ms after which a form's warm-up ends even if its windows still get faster. */
export const MAX_WARM_MS = 8000;
/**
 * Windows of a form per timed window after a switch: the probe is the last of this many windows
 * of the other form, the reference the last of as many of the chosen one (the first windows
 * after a switch run slow: on mlp-int8 the tracked form's take 1.5x, 1.2x, 1.1x its settled time).
 */
export const PROBE_WINDOWS = 4;
/** Pairs (probe and reference) whose ratios the decisions take the median of. */
export const RECENT = 8;
/** Pairs before the first switch after the warm-up. */
const FIRST_PAIRS = 3;
/**
 * Windows per block at most (probe and reference included): probing the other form costs at
 * most 4 windows in 128 (the real-size blocks' plain forms run at half their tracked speed).
 */
export const MAX_BLOCK = 128;
/** The other form must be this much faster to be chosen (noise must not flip the choice). */
const MARGIN = 0.97;
/** A window this much faster than the form's best so far is a gain: the form is still warming. */
const GAIN = 0.97;

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
 * Times the two forms and keeps the faster. First each form runs alone, tracked then plain,
 * timed in groups of `group` windows, until it is warm: `warmMs` of CPU time passed since it
 * began and no group was a gain (its mean window below GAIN times the best mean before) for
 * `warmMs` or half the time from its start to its last gain, whichever is longer; or MAX_WARM_MS
 * passed. The form with the faster best group is chosen (tracked unless plain's is below MARGIN
 * times it): a first guess, as the two bests may come from different phases of the stimulus.
 * Then the cycles run in blocks: PROBE_WINDOWS windows of the other form, only the last timed
 * (the probe), as many of the chosen form, only the last timed (the reference; close to the
 * probe, so both see the same phase of the stimulus), then the rest of the block the chosen
 * form, untimed. Blocks double after each pair from 2 * PROBE_WINDOWS + 1 up to MAX_BLOCK
 * windows, so probing soon costs at most PROBE_WINDOWS/MAX_BLOCK of the run. Each pair gives the
 * ratio of tracked's time to plain's; from FIRST_PAIRS pairs on, the forms switch when the median
 * of the last RECENT ratios says the other form is faster by the MARGIN. The median ignores a
 * window slowed by the machine's other load, and only RECENT pairs remember a phase of the
 * stimulus that has passed.
 *
 * (Decayed sums of every pair since the start, after 150 ms of warm-up, kept the times of the
 * compile phase for dozens of pairs: gpt2-block-kvmx4 and llama-block ran their plain form at
 * half the speed of their tracked one. The best windows alone picked the form that happened to
 * meet an idle phase (gpt2-block-w4kv4). A probe of one window in 32 never let V8 optimize the
 * other form of a big model: it ran at a tenth of its speed alone, measured slow, and was never
 * chosen — ffn-blockdialect's tracked form, 1.6x Verilator alone, 0.8x as chosen.)
 */
export class FormChooser {
  /** The chosen form (true: tracked). */
  private tracked = true;
  /** Warm-up: 0 tracked, 1 plain, 2 done. */
  private warm = 0;
  private warmFrom = 0;
  /**
   * The warming form's best group so far (mean window time), the time of its last gain, its
   * last window's end, and the group being summed.
   */
  private warmBest = Infinity;
  private groupTime = 0;
  private groupN = 0;
  private lastGain = 0;
  private lastEnd = 0;
  /** The best group of the tracked form's warm-up. */
  private bestT = Infinity;
  /** Tracked's time over plain's in the last RECENT pairs. */
  private readonly ratios: number[] = [];
  private steps: Step[] = [];
  private step: Step | undefined;
  private block = 2 * PROBE_WINDOWS + 1;
  private t0 = 0;
  private probe = 0;
  private begun = false;

  constructor(
    private readonly setTracked: (on: boolean) => void,
    private readonly window = CALIBRATION_WINDOW,
    /** The clock of the windows (tests pass a fake one to check the decisions). */
    private readonly now: () => number = cpuNow,
    private readonly warmMs = WARM_MS,
    private readonly maxWarmMs = MAX_WARM_MS,
    private readonly group = WARM_GROUP,
  ) {}

  /** Whether both forms have warmed up and the first choice is made (benchmarks time after it). */
  get settled(): boolean {
    return this.warm === 2;
  }

  /** The current window ran its cycles (or none began yet); returns the cycles of the next one. */
  next(): number {
    const t = this.now();
    if (!this.begun) {
      this.begun = true;
      this.startWarm(t, true);
      return this.window;
    }
    if (this.warm < 2) {
      this.groupTime += t - this.lastEnd;
      this.lastEnd = t;
      if (++this.groupN < this.group) return this.window;
      const avg = this.groupTime / this.groupN;
      this.groupTime = 0;
      this.groupN = 0;
      if (avg < GAIN * this.warmBest) this.lastGain = t;
      this.warmBest = Math.min(this.warmBest, avg);
      const since = t - this.warmFrom;
      const quiet = Math.max(this.warmMs, (this.lastGain - this.warmFrom) / 2);
      if ((since < this.warmMs || t - this.lastGain < quiet) && since < this.maxWarmMs) return this.window;
      this.warm++;
      if (this.warm === 1) {
        this.bestT = this.warmBest;
        this.startWarm(t, false);
        return this.window;
      }
      this.tracked = !(this.warmBest < MARGIN * this.bestT);
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

  private startWarm(t: number, tracked: boolean): void {
    this.warmFrom = t;
    this.lastGain = t;
    this.lastEnd = t;
    this.warmBest = Infinity;
    this.groupTime = 0;
    this.groupN = 0;
    this.setTracked(tracked);
  }

  private blockSteps(): Step[] {
    const steps: Step[] = [];
    for (const other of [true, false]) {
      steps.push({ other, windows: PROBE_WINDOWS - 1, timed: undefined });
      steps.push({ other, windows: 1, timed: other ? 'probe' : 'ref' });
    }
    const rest = this.block - 2 * PROBE_WINDOWS;
    if (rest > 0) steps.push({ other: false, windows: rest, timed: undefined });
    return steps;
  }

  private pair(probe: number, ref: number): void {
    // Tracked's time over plain's, in the same phase of the stimulus (1 us added to each: a
    // window of a fast design can take less than the clock's resolution).
    const q = this.tracked ? (ref + 1e-3) / (probe + 1e-3) : (probe + 1e-3) / (ref + 1e-3);
    this.ratios.push(q);
    if (this.ratios.length > RECENT) this.ratios.shift();
    this.block = Math.min(MAX_BLOCK, 2 * this.block);
    if (this.ratios.length < FIRST_PAIRS) return;
    const m = median(this.ratios);
    if (this.tracked ? m * MARGIN > 1 : m < MARGIN) this.tracked = !this.tracked;
  }
}

/** The median of a non-empty list (the mean of the middle two of an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}
