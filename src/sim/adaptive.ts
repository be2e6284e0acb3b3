// Run-time choice between the two forms of a model's evaluation (codegen.ts): the tracked form
// skips chunks whose inputs did not change, the plain one runs every chunk without change checks.
// Which is faster depends on how much of the design is active under the real stimulus (up to 2x
// either way on the bundled designs), which no static measure predicted, so the simulator times
// both on the running stimulus and keeps the faster. Both forms compute the same values: the
// choice changes speed only, never a result.

/** Cycles per timed window (default). */
export const CALIBRATION_WINDOW = 256;
/**
 * CPU ms each form first runs alone, at least, tracked then plain; and the time without a faster
 * window after which it counts as warm. V8 optimizes a big model's functions only after they ran
 * for a while, concurrently on another thread whose CPU time the windows count, so a form timed
 * while V8 still compiles it measures its compiler, not itself: llama-block's chunk-skipping form
 * needs ~3 s of CPU before it runs at its speed (0.03 -> 0.31 M cycles/s), its plain form ~1.5 s.
 */
export const WARM_MS = 300;
/** CPU ms after which a form's warm-up ends even if its windows still get faster. */
export const MAX_WARM_MS = 8000;
/** Windows of the other form per probe; only the last is timed (the first ones after a switch run slow). */
export const PROBE_WINDOWS = 4;
/** Timed windows kept per form: the decisions compare each form's fastest recent window. */
export const RECENT = 8;
/** Windows per block at most (probe and reference included). */
const MAX_BLOCK = 64;
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

/** The last RECENT window times of one form, and their minimum. */
class Recent {
  private readonly times: number[] = [];
  add(ms: number): void {
    this.times.push(ms);
    if (this.times.length > RECENT) this.times.shift();
  }
  get best(): number {
    return this.times.length === 0 ? Infinity : Math.min(...this.times);
  }
}

/**
 * Times the two forms and keeps the faster. First each form runs alone, tracked then plain,
 * every window timed, until it is warm: `warmMs` of CPU time passed since it began and none of
 * the windows of the last `warmMs` was a gain (below GAIN times its best before), or
 * MAX_WARM_MS passed. The form whose fastest of its last RECENT windows is lower is chosen
 * (tracked when they are within MARGIN). Then the cycles run in blocks: `PROBE_WINDOWS` windows
 * of the other form of which only the last is timed (the probe), one untimed window of the
 * chosen form and one timed (the reference; adjacent to the probe, so both see the same phase
 * of the stimulus), then the rest of the block the chosen form, untimed. Blocks grow by one
 * window per pair up to MAX_BLOCK windows, so after the start probing costs at most
 * PROBE_WINDOWS/MAX_BLOCK of the run. Each timed window joins its form's last RECENT, and the
 * forms switch when the other's fastest recent window is below MARGIN times the chosen one's:
 * the minimum ignores windows slowed by the machine's other load, and only RECENT pairs
 * remember a phase of the stimulus that has passed.
 *
 * (Decayed sums of every pair since the start, with 150 ms of warm-up, kept the times of the
 * compile phase for dozens of pairs: gpt2-block-kvmx4 and llama-block ran their plain form at
 * half the speed of their tracked one. A probe of one window in 32 never let V8 optimize the
 * other form of a big model: it ran at a tenth of its speed alone, measured slow, and was
 * never chosen — ffn-blockdialect's tracked form, 1.6x Verilator alone, 0.8x as chosen.)
 */
export class FormChooser {
  /** The chosen form (true: tracked). */
  private tracked = true;
  /** Warm-up: 0 tracked, 1 plain, 2 done. */
  private warm = 0;
  private warmFrom = 0;
  /** The warming form's best window so far, the time of its last gain, and its last window's end. */
  private warmBest = Infinity;
  private lastGain = 0;
  private lastEnd = 0;
  private readonly recentT = new Recent();
  private readonly recentP = new Recent();
  private steps: Step[] = [];
  private step: Step | undefined;
  private block = PROBE_WINDOWS + 3;
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
  ) {}

  /** Whether both forms have warmed up and the choice is made (benchmarks time after it). */
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
      const dt = t - this.lastEnd;
      this.lastEnd = t;
      this.recentOf(this.warm === 0).add(dt);
      if (dt < GAIN * this.warmBest) this.lastGain = t;
      this.warmBest = Math.min(this.warmBest, dt);
      const since = t - this.warmFrom;
      if ((since < this.warmMs || t - this.lastGain < this.warmMs) && since < this.maxWarmMs) return this.window;
      this.warm++;
      if (this.warm === 1) {
        this.startWarm(t, false);
        return this.window;
      }
      this.tracked = !(this.recentP.best < MARGIN * this.recentT.best);
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
    this.setTracked(tracked);
  }

  private recentOf(tracked: boolean): Recent {
    return tracked ? this.recentT : this.recentP;
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
    this.recentOf(!this.tracked).add(probe);
    this.recentOf(this.tracked).add(ref);
    this.block = Math.min(MAX_BLOCK, this.block + 1);
    if (this.recentOf(!this.tracked).best < MARGIN * this.recentOf(this.tracked).best) this.tracked = !this.tracked;
  }
}
