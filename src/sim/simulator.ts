// The compiled cycle simulator: compile(netlist) flattens, levelizes and generates JS, then wraps
// the model in poke/peek/step/reset. Cycle contract (docs/sim.md): inputs applied, combinational
// evaluation, outputs sampled, rising edge commits registers and memories.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MxgenError, type MemImage, type MemImages, type Netlist } from '../hdl/index.js';
import { generate, type CodegenOptions } from './codegen.js';
import type { Layout } from './layout.js';
import { cpuNow, FormChooser, WARM_MS } from './adaptive.js';
import { flatten, type FlatDesign } from './flatten.js';
import { levelize } from './levelize.js';
import { optimize } from './optimize.js';
import { isWide } from './repr.js';
import { wordsOf } from './wide.js';

/** The object the generated source returns. */
export interface Kernel {
  readonly N: Uint32Array;
  /** Wide values: ceil(width / 32) words each, least significant first. */
  readonly W: Uint32Array;
  /** Current register values (narrow, and wide as words), and the next ones. */
  readonly R: Uint32Array;
  readonly RX: Uint32Array;
  readonly RW: Uint32Array;
  readonly RWX: Uint32Array;
  /**
   * The narrow registers as they were before the current cycle's evaluation: registers updated
   * in place (codegen.ts `inPlaceRegs`) already hold their next value after it.
   */
  readonly RB: Uint32Array;
  readonly RWB: Uint32Array;
  /** Memories: one word per address, or ceil(width / 32) words per address when wide. */
  readonly M: readonly Uint32Array[];
  /** Change flags of the chunks (a model that skips chunks). */
  readonly D: Uint8Array;
  readonly DN: Uint8Array;
  evalAll(): void;
  commit(rst: number): void;
  run(cycles: number, rst: number): void;
  runVectors(inputs: Uint32Array, outputs: Uint32Array, cycles: number, rst: number): void;
  runWords(inputs: Uint32Array, outputs: Uint32Array, cycles: number, every: boolean): void;
  clearState(): void;
  /** Marks the logic reading input ports to be evaluated again (after inputs were written). */
  touchInputs(): void;
  /** Marks all logic to be evaluated again (after memories or state were written). */
  touchAll(): void;
}

export interface PortInfo {
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: number;
  readonly signed: boolean;
}

export interface SignalInfo {
  readonly name: string;
  readonly scope: readonly string[];
  readonly leaf: string;
  readonly width: number;
  readonly signed: boolean;
}

/** Called once per cycle after combinational evaluation, before the rising edge. */
export interface CycleObserver {
  sample(cycle: number): void;
}

export interface CompileOptions extends CodegenOptions {
  /**
   * SRAM init images keyed by their `init` file name, loaded at construction (every SRAM with
   * `init` needs its image). Images are data, not part of the generated code.
   */
  readonly images?: MemImages;
  /**
   * Keep every named signal readable (`peekSignal`, internal signals in VCD); default true.
   * false: only ports, inputs, register outputs and constants are readable by name, and logic
   * that fed only named signals is dropped, which makes the model faster (the flows that compare
   * ports only compile this way). A function: as false, plus the signals whose hierarchical name
   * it accepts (a flow that peeks a few internal handshakes).
   */
  readonly signals?: boolean | ((name: string) => boolean);
  /**
   * Cycles per window of the run-time timing of a model's two forms (adaptive.ts; default
   * CALIBRATION_WINDOW). Tests make it small so that the forms alternate every few cycles.
   */
  readonly calibrationWindow?: number;
  /**
   * CPU ms each form first runs alone, at least, and without a faster window before the timing
   * starts (adaptive.ts; default WARM_MS, or 0 when `calibrationWindow` is given: the tests that
   * set it want the forms to alternate at once).
   */
  readonly calibrationWarmMs?: number;
}

/** Source of the generated model (for `--emit-ts` and dumps). */
export interface CompiledSource {
  readonly design: FlatDesign;
  readonly source: string;
  /** The chunk-skipping form, when the simulator chooses between two at run time. */
  readonly trackedSource?: string;
  readonly layout: Layout;
}

export function generateSource(nl: Netlist, opts: CompileOptions = {}): CompiledSource {
  const flat = flatten(nl);
  const { design, order } = optimize(flat, levelize(flat.slots), opts.signals ?? true);
  const { source, trackedSource, layout } = generate(design, order, opts);
  const dump = process.env.MXGEN_SIM_DUMP;
  if (dump) {
    mkdirSync(dump, { recursive: true });
    writeFileSync(join(dump, `${design.top}.js`), source);
    if (trackedSource !== undefined) writeFileSync(join(dump, `${design.top}.tracked.js`), trackedSource);
  }
  return trackedSource === undefined ? { design, source, layout } : { design, source, trackedSource, layout };
}

let instances = 0;

/**
 * A new model from generated source. Every instance is compiled afresh (a unique trailing
 * comment defeats V8's cache of `new Function` sources): instances sharing compiled code lose
 * V8's specialization to their own closure (the state arrays as constants), and one that ran
 * a model's other form made another instance of residual 2.6x slower.
 */
export function instantiate(source: string, shared?: Kernel): Kernel {
  instances++;
  return new Function('S', `${source}// instance ${instances}\n`)(shared) as Kernel;
}

export function compile(nl: Netlist, opts: CompileOptions = {}): Simulator {
  const c = generateSource(nl, opts);
  const kernel = instantiate(c.source);
  const tracked = c.trackedSource === undefined ? undefined : instantiate(c.trackedSource, kernel);
  const sim = new Simulator(c.design, c.layout, kernel, c.source, {
    tracked,
    calibrationWindow: opts.calibrationWindow,
    calibrationWarmMs: opts.calibrationWarmMs ?? (opts.calibrationWindow === undefined ? WARM_MS : 0),
  });
  sim.loadImages(opts.images ?? new Map<string, MemImage>());
  return sim;
}

const EMPTY = new Uint32Array(0);

interface FastInput {
  readonly name: string;
  readonly index: number;
  readonly max: number;
  readonly wide32: boolean;
}

interface Slotted {
  readonly slot: number;
  readonly width: number;
}

export class Simulator {
  readonly top: string;
  readonly source: string;
  /** Number of rising edges so far. */
  cycle = 0;
  private rst = 0;
  private dirty = true;
  /** The current cycle was evaluated and its edge has not run (registers in place: see RB). */
  private midCycle = false;
  /** Inputs were written since the last evaluation: the logic reading them runs again. */
  private touched = true;
  private readonly observers: CycleObserver[] = [];
  private readonly portMap: Map<string, PortInfo & Slotted>;
  private readonly signalMap: Map<string, SignalInfo & Slotted>;
  /** Narrow inputs: storage index and width. */
  private readonly fastIn = new Map<string, FastInput>();
  private readonly fastList: FastInput[] = [];
  /** Per handle: storage index, then mask. */
  private readonly fastIM: Int32Array;
  private readonly N: Uint32Array;
  /** Per `outputHandle`: the storage array and index of the port's value. */
  private readonly peekArrays: Uint32Array[] = [];
  private readonly peekIndex: number[] = [];
  /** The SRAM images of the last `loadImages` (restored by `clearState`). */
  private images: MemImages | undefined;
  /** Times the model's two forms and keeps the faster (adaptive models only). */
  private readonly chooser: FormChooser | undefined;
  /** Cycles until the chooser's current window ends. */
  private left = Infinity;
  /**
   * The chunk-skipping form of a model that has two (else the kernel itself), and whether it is
   * the one that runs. (Both stay in fields that are never reassigned: with the running form in
   * one reassigned field, V8 no longer treated the model's functions as constants and the
   * plain form of cast-chain ran 1.4x slower.)
   */
  private readonly tracked: Kernel;
  private onTracked = false;

  constructor(
    readonly design: FlatDesign,
    private readonly layout: Layout,
    private readonly kernel: Kernel,
    source: string,
    forms: {
      /** The same model's chunk-skipping form over the same storage (chosen at run time). */
      readonly tracked?: Kernel | undefined;
      readonly calibrationWindow?: number | undefined;
      readonly calibrationWarmMs?: number | undefined;
    } = {},
  ) {
    this.top = design.top;
    this.source = source;
    this.N = kernel.N;
    this.portMap = new Map(design.ports.map((p) => [p.name, p]));
    this.signalMap = new Map(design.signals.map((s) => [s.name, s]));
    for (const p of design.ports)
      if (p.dir === 'in' && !isWide(p.width))
        this.fastList.push({
          name: p.name,
          index: layout.index[p.slot] ?? 0,
          max: 2 ** p.width - 1,
          wide32: p.width === 32,
        });
    for (const f of this.fastList) this.fastIn.set(f.name, f);
    this.fastIM = Int32Array.from(this.fastList.flatMap((f) => [f.index, f.max | 0]));
    const tracked = forms.tracked;
    this.tracked = tracked ?? kernel;
    this.onTracked = false;
    if (tracked) {
      this.chooser = new FormChooser((on) => {
        // The plain form keeps no change flags: everything runs once when tracking resumes.
        if (on && !this.onTracked) tracked.touchAll();
        this.onTracked = on;
      }, forms.calibrationWindow, cpuNow, forms.calibrationWarmMs);
      // The first cycle loop (runWords, runVectors, step(n)) starts the timing.
      this.left = 0;
    }
  }

  /** The rising edge, by the form that runs. */
  private commit(): void {
    if (this.onTracked) this.tracked.commit(this.rst);
    else this.kernel.commit(this.rst);
    this.midCycle = false;
  }

  /**
   * Undoes the current cycle's evaluation before the cycle is evaluated again (inputs poked
   * after a peek, or a cycle loop started after a peek): registers updated in place get back
   * their values from `RB`, and every chunk runs again (those that wrote them among them).
   */
  private restore(): void {
    if (!this.midCycle) return;
    this.kernel.R.set(this.kernel.RB);
    this.kernel.RW.set(this.kernel.RWB);
    this.tracked.touchAll();
    this.midCycle = false;
  }

  /**
   * Runs `n` cycles as `run(from, count)` pieces that end where the chooser's windows end. Only
   * these cycle loops are timed: single steps (the stream driver, observers) run the form chosen
   * last (the plain one until a loop ran). Timing every single step switched forms in the
   * middle of the driver's own optimized code, and each probe window then measured slow for
   * whichever form it ran (mlp-int8's stream run flip-flopped at a third of its speed).
   */
  private pieces(n: number, run: (from: number, count: number) => void): void {
    for (let from = 0; from < n; ) {
      if (this.left <= 0) this.left = this.chooser?.next() ?? Infinity;
      const k = Math.min(n - from, this.left);
      run(from, k);
      from += k;
      this.left -= k;
    }
  }

  /**
   * Whether the run-time choice between the model's two forms has both warmed up and made its
   * first choice (always true for a model of one form): steady-state timing starts after it.
   */
  get settled(): boolean {
    return this.chooser?.settled ?? true;
  }

  get ports(): readonly PortInfo[] {
    return this.design.ports.map(({ name, dir, width, signed }) => ({ name, dir, width, signed }));
  }

  get signals(): readonly SignalInfo[] {
    return this.design.signals.map(({ name, scope, leaf, width, signed }) => ({ name, scope, leaf, width, signed }));
  }

  /** Sets an input port (or `rst`) for the current cycle; negative values mean two's complement. */
  poke(port: string, value: number | bigint): void {
    // Fast path: a narrow input and an in-range integer number (no bigint on the way).
    const f = this.fastIn.get(port);
    if (f !== undefined && typeof value === 'number') {
      if (f.wide32 ? value >>> 0 === value : (value & f.max) === value) {
        this.N[f.index] = value;
        this.dirty = true;
        this.touched = true;
        return;
      }
    }
    if (port === 'rst' && !this.portMap.has('rst')) {
      this.rst = Number(toBits(value, 1, 'rst'));
      this.dirty = true;
      return;
    }
    const p = this.portMap.get(port);
    if (!p || p.dir !== 'in')
      throw new MxgenError('name', `${this.top} has no input port ${port}`, {
        hint: `inputs: ${this.design.ports.filter((x) => x.dir === 'in').map((x) => x.name).join(', ') || 'none'}`,
      });
    this.write(p, toBits(value, p.width, port));
  }

  /**
   * A handle for `pokeFast`: the index of a narrow (<= 32-bit) input port. For hot testbench loops;
   * `poke` checks and converts, `pokeFast` only stores.
   */
  inputHandle(port: string): number {
    const i = this.fastList.findIndex((f) => f.name === port);
    if (i < 0)
      throw new MxgenError('name', `${this.top} has no input port ${port} of at most 32 bits`, {
        hint: 'use poke for wider ports',
      });
    return i;
  }

  /** Stores `value` modulo 2^width (negative numbers as two's complement) into a handle's port. */
  pokeFast(handle: number, value: number): void {
    const h = handle << 1;
    if (!(h >>> 0 < this.fastIM.length))
      throw new MxgenError('usage', `input handle ${handle} does not exist`, {
        hint: 'get handles from inputHandle(port)',
      });
    this.N[this.fastIM[h] as number] = value & (this.fastIM[h + 1] as number);
    this.dirty = true;
    this.touched = true;
  }

  /**
   * Runs `cycles` cycles from a vector buffer, as a co-simulation harness does: per cycle one word
   * per input port of at most 32 bits (port order, stored modulo 2^width), and, when `outputs` is
   * given, one word per output port of at most 32 bits written after evaluation (step 3 of the
   * cycle contract). Wider ports keep their poked values. `rst` applies to every cycle.
   */
  runVectors(inputs: Uint32Array, cycles: number, outputs?: Uint32Array): void {
    const nIn = this.fastList.length;
    const nOut = this.design.ports.filter((p) => p.dir === 'out' && !isWide(p.width)).length;
    if (!Number.isInteger(cycles) || cycles < 0 || inputs.length < cycles * nIn)
      throw new MxgenError('usage', `runVectors needs ${nIn} input words per cycle for ${cycles} cycles; got ${inputs.length}`);
    if (outputs && outputs.length < cycles * nOut)
      throw new MxgenError('usage', `runVectors needs room for ${nOut} output words per cycle; got ${outputs.length}`);
    if (this.observers.length > 0)
      throw new MxgenError('usage', 'runVectors does not feed observers such as VcdWriter', { hint: 'use poke and step while recording' });
    this.restore();
    // The skipping form wakes the readers of the inputs its loop changes; earlier pokes: here.
    this.wakeInputs();
    this.pieces(cycles, (from, k) => {
      const i = inputs.subarray(from * nIn);
      const o = outputs ? outputs.subarray(from * nOut) : EMPTY;
      if (this.onTracked) this.tracked.runVectors(i, o, k, this.rst);
      else this.kernel.runVectors(i, o, k, this.rst);
    });
    this.cycle += cycles;
    this.dirty = true;
  }

  /**
   * Runs `cycles` cycles from the co-simulation harness's stimulus words (an MXS1 file without its
   * two header words): per cycle one word for `rst`, then every input port in port order,
   * ceil(width / 32) words each, least significant first (stored modulo 2^width). With `outputs`,
   * every output port's words of the final cycle (same packing, step 3 of the cycle contract)
   * are written to it; with `every`, those of every cycle one after the other (`outputs` then
   * needs cycles × wordCount('out') words). `rst` and the inputs keep the last cycle's values.
   */
  runWords(words: Uint32Array, cycles: number, outputs?: Uint32Array, every = false): void {
    const per = 1 + this.wordCount('in');
    const outWords = this.wordCount('out') * (every ? cycles : 1);
    if (!Number.isInteger(cycles) || cycles < 0 || words.length < cycles * per)
      throw new MxgenError(
        'usage',
        `runWords needs ${per} words per cycle for ${cycles} cycles; got ${words.length}`,
      );
    if ((outputs || every) && (outputs?.length ?? 0) < outWords)
      throw new MxgenError(
        'usage',
        `runWords needs room for ${outWords} output words; got ${outputs?.length ?? 0}`,
      );
    if (this.observers.length > 0)
      throw new MxgenError('usage', 'runWords does not feed observers such as VcdWriter', {
        hint: 'use poke and step while recording',
      });
    if (cycles === 0) return;
    const outW = this.wordCount('out');
    this.restore();
    this.wakeInputs();
    this.pieces(cycles, (from, k) => {
      const i = words.subarray(from * per);
      const o = every ? (outputs ?? EMPTY).subarray(from * outW) : from + k === cycles ? (outputs ?? EMPTY) : EMPTY;
      if (this.onTracked) this.tracked.runWords(i, o, k, every);
      else this.kernel.runWords(i, o, k, every);
    });
    this.rst = (words[(cycles - 1) * per] ?? 0) & 1;
    this.cycle += cycles;
    this.dirty = true;
  }

  /** Words per cycle of the input (or output) ports in `runWords`'s packing, rst excluded. */
  wordCount(dir: 'in' | 'out'): number {
    return this.design.ports.filter((p) => p.dir === dir).reduce((s, p) => s + Math.ceil(p.width / 32), 0);
  }

  /**
   * Every register and memory word back to its state at construction: 0, or for an SRAM the
   * image last loaded by `loadImages` (inputs and rst unchanged).
   */
  clearState(): void {
    this.midCycle = false;
    this.kernel.clearState();
    if (this.images) this.loadImages(this.images);
    this.dirty = true;
  }

  /**
   * A handle for `peekFast`: a port (input or output) of at most 32 bits. For hot testbench loops
   * such as the stream driver; `peek` looks the port up and returns a bigint.
   */
  outputHandle(port: string): number {
    const p = this.portMap.get(port);
    if (!p || isWide(p.width))
      throw new MxgenError('name', `${this.top} has no port ${port} of at most 32 bits`, {
        hint: 'use peek for wider ports',
      });
    const s = this.design.slots[p.slot];
    let arr: Uint32Array;
    let index = this.layout.index[p.slot] ?? 0;
    if (s?.def.kind === 'const') {
      arr = Uint32Array.of(Number(s.def.value));
      index = 0;
    } else arr = this.layout.array[p.slot] === 'R' ? this.kernel.R : this.kernel.N;
    this.peekArrays.push(arr);
    this.peekIndex.push(index);
    return this.peekArrays.length - 1;
  }

  /** Settles combinational logic and returns the value of a handle's port as a number. */
  peekFast(handle: number): number {
    if (this.dirty) {
      this.settle();
      this.dirty = false;
    }
    const a = this.peekArrays[handle];
    if (a === undefined)
      throw new MxgenError('usage', `output handle ${handle} does not exist`, {
        hint: 'get handles from outputHandle(port)',
      });
    return a[this.peekIndex[handle] as number] as number;
  }

  /** Settles combinational logic and returns a port's bit pattern. */
  peek(port: string): bigint {
    if (port === 'rst' && !this.portMap.has('rst')) return BigInt(this.rst);
    const p = this.portMap.get(port);
    if (!p)
      throw new MxgenError('name', `${this.top} has no port ${port}`, {
        hint: `ports: ${this.design.ports.map((x) => x.name).join(', ') || 'none'}`,
      });
    // An input holds what was poked: no evaluation needed.
    return p.dir === 'in' ? this.rawSlot(p.slot) : this.read(p);
  }

  /** A port's value read as two's complement. */
  peekSigned(port: string): bigint {
    const p = this.portMap.get(port);
    return BigInt.asIntN(p?.width ?? 1, this.peek(port));
  }

  /** A named signal by hierarchical name (`u_pe_0_1.acc`). */
  peekSignal(name: string): bigint {
    const s = this.signalMap.get(name);
    if (!s)
      throw new MxgenError('name', `${this.top} has no signal ${name}`, {
        hint: 'use a hierarchical name such as u_inst.sig; sim.signals lists them all (a model compiled with signals: false keeps only ports, inputs, registers and constants)',
      });
    return this.read(s);
  }

  /** Word `addr` of a memory (register file or SRAM; hierarchical name). */
  peekMem(name: string, addr: number): bigint {
    const { m, arr } = this.memWord(name, addr);
    const n = wordsOf(m.width);
    return n === 1 ? BigInt(arr[addr] ?? 0) : fromWords(arr, addr * n, n);
  }

  /** Overwrites word `addr` of a memory now (between cycles; for tests and preloading). */
  pokeMem(name: string, addr: number, value: number | bigint): void {
    const { m, arr } = this.memWord(name, addr);
    const bits = toBits(value, m.width, `${name}[${addr}]`);
    const n = wordsOf(m.width);
    if (n > 1) toWords(arr, addr * n, n, bits);
    else arr[addr] = Number(bits);
    this.tracked.touchAll();
    this.dirty = true;
  }

  /**
   * Loads the image of every SRAM with `init` (all SRAMs sharing a file name get the same data);
   * a missing image, or one of another width or word count, is an error naming the file.
   */
  loadImages(images: MemImages): void {
    this.images = images;
    for (const m of this.design.mems) {
      if (!m.sram || m.init === undefined) continue;
      const img = images.get(m.init);
      if (!img)
        throw new MxgenError('usage', `no image ${m.init} for sram ${m.name}`, {
          hint: `pass images: new Map([['${m.init}', { width: ${m.width}, words }]]) (${m.depth} words)`,
        });
      this.loadMem(m.name, img, m.init);
    }
  }

  /** Loads `image` into the memory `name` (hierarchical); its width and length must match. */
  loadMem(name: string, image: MemImage, file = 'the image'): void {
    const m = this.design.mems.find((x) => x.name === name);
    if (!m) throw new MxgenError('name', `${this.top} has no memory ${name}`, { hint: `memories: ${this.design.mems.map((x) => x.name).join(', ') || 'none'}` });
    if (image.width !== m.width || image.words.length !== m.depth)
      throw new MxgenError('usage', `${file}: ${image.words.length} words of ${image.width} bits; memory ${name} has depth ${m.depth} and width ${m.width}`, {
        hint: 'generate the image for this memory shape',
      });
    const i = this.design.mems.indexOf(m);
    const arr = this.kernel.M[i] as Uint32Array;
    const n = wordsOf(m.width);
    const max = (1n << BigInt(m.width)) - 1n;
    image.words.forEach((w, k) => {
      if (typeof w !== 'bigint' || w < 0n || w > max)
        throw new MxgenError('usage', `${file}: word ${k} (${String(w)}) does not fit ${m.width} bits`);
      if (n > 1) toWords(arr, k * n, n, w);
      else arr[k] = Number(w);
    });
    this.tracked.touchAll();
    this.dirty = true;
  }

  private memWord(name: string, addr: number): { m: FlatDesign['mems'][number]; arr: Uint32Array } {
    const i = this.design.mems.findIndex((x) => x.name === name);
    const m = this.design.mems[i];
    const arr = this.kernel.M[i];
    if (!m || !arr) throw new MxgenError('name', `${this.top} has no memory ${name}`, { hint: `memories: ${this.design.mems.map((x) => x.name).join(', ') || 'none'}` });
    if (!Number.isInteger(addr) || addr < 0 || addr >= m.depth)
      throw new MxgenError('usage', `address ${addr} is outside memory ${name} (depth ${m.depth})`);
    return { m, arr };
  }

  /** Marks the logic reading the inputs to run again if inputs were written since it last ran. */
  private wakeInputs(): void {
    if (this.touched) {
      this.tracked.touchInputs();
      this.touched = false;
    }
  }

  /** Evaluates the logic whose inputs changed (all of it the first time). */
  private settle(): void {
    if (this.midCycle) this.restore();
    else {
      this.kernel.RB.set(this.kernel.R);
      this.kernel.RWB.set(this.kernel.RW);
    }
    this.midCycle = true;
    this.wakeInputs();
    if (this.onTracked) this.tracked.evalAll();
    else this.kernel.evalAll();
  }

  /** Settles combinational logic for the current inputs and state. */
  eval(): void {
    if (this.dirty) {
      this.settle();
      this.dirty = false;
    }
  }

  /**
   * Runs `n` cycles: evaluate, let observers sample, rising edge. A cycle whose inputs and state
   * are unchanged since the last evaluation (a peek after the last poke) is not evaluated again.
   */
  step(n = 1): void {
    if (n === 1 && this.observers.length === 0) {
      if (this.dirty) this.settle();
      this.commit();
      this.cycle++;
      this.dirty = true;
      return;
    }
    if (!Number.isInteger(n) || n < 0) throw new MxgenError('usage', `step count must be a non-negative integer; got ${n}`);
    if (this.observers.length === 0) {
      if (n > 0) {
        if (!this.dirty) {
          this.commit();
          n--;
          this.cycle++;
        }
        this.restore();
        this.wakeInputs();
        this.pieces(n, (_from, k) => (this.onTracked ? this.tracked.run(k, this.rst) : this.kernel.run(k, this.rst)));
        this.cycle += n;
        this.dirty = true;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      this.eval();
      for (const o of this.observers) o.sample(this.cycle);
      this.commit();
      this.cycle++;
      this.dirty = true;
    }
  }

  /** rst = 1 for `cycles` cycles (inputs as poked), then rst = 0. */
  reset(cycles = 1): void {
    this.rst = 1;
    this.dirty = true;
    this.step(cycles);
    this.rst = 0;
    this.dirty = true;
  }

  /** Current value of `rst` (0 or 1). */
  get resetting(): number {
    return this.rst;
  }

  addObserver(o: CycleObserver): void {
    this.observers.push(o);
  }

  removeObserver(o: CycleObserver): void {
    const i = this.observers.indexOf(o);
    if (i >= 0) this.observers.splice(i, 1);
  }

  /** Reads a slot's current value without settling (observers run after evaluation). */
  rawSlot(slot: number): bigint {
    const i = this.layout.index[slot] ?? 0;
    const s = this.design.slots[slot];
    if (s?.def.kind === 'const') return s.def.value;
    switch (this.layout.array[slot]) {
      case 'W':
        return fromWords(this.kernel.W, i, wordsOf(s?.width ?? 33));
      case 'R':
        // Between evaluation and edge, a register updated in place holds its next value in R.
        return BigInt((this.midCycle ? this.kernel.RB : this.kernel.R)[i] ?? 0);
      case 'RW':
        return fromWords(this.midCycle ? this.kernel.RWB : this.kernel.RW, i, wordsOf(s?.width ?? 33));
      default:
        return BigInt(this.kernel.N[i] ?? 0);
    }
  }

  private read(s: Slotted): bigint {
    this.eval();
    return this.rawSlot(s.slot);
  }

  private write(s: Slotted, bits: bigint): void {
    const i = this.layout.index[s.slot] ?? 0;
    if (isWide(s.width)) toWords(this.kernel.W, i, wordsOf(s.width), bits);
    else this.kernel.N[i] = Number(bits);
    this.dirty = true;
    this.touched = true;
  }
}

/** The value of n words at `at` (least significant first). */
export function fromWords(a: Uint32Array, at: number, n: number): bigint {
  let v = 0n;
  for (let j = n - 1; j >= 0; j--) v = (v << 32n) | BigInt(a[at + j] ?? 0);
  return v;
}

/** Stores `v` (>= 0) as n words at `at`, least significant first. */
export function toWords(a: Uint32Array, at: number, n: number, v: bigint): void {
  for (let j = 0; j < n; j++) a[at + j] = Number(BigInt.asUintN(32, v >> BigInt(32 * j)));
}

/** A value as the bit pattern of `width`: accepts [-2^(w-1), 2^w), else a `usage` error. */
export function toBits(value: number | bigint, width: number, what: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new MxgenError('usage', `value ${value} for ${what} is not a safe integer`, {
      hint: 'pass a bigint for values beyond 2^53',
    });
  const v = BigInt(value);
  const w = BigInt(width);
  if (v >= 1n << w || v < -(1n << (w - 1n)))
    throw new MxgenError('usage', `value ${v} does not fit ${what} (${width} bits)`, {
      hint: `use a value in [${-(1n << (w - 1n))}, ${(1n << w) - 1n}]`,
    });
  return BigInt.asUintN(width, v);
}
