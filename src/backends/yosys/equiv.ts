// Formal equivalence of two designs with Yosys: both are flattened and matched by signal name
// (equiv_make; equiv_struct; equiv_simple; equiv_induct), which proves them equal for every input
// sequence from any state in which the matched registers agree. When that proof does not close,
// a miter of the two is searched for a counterexample (bounded, from reset) with `sat`.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { makeTempDir } from '../cleanup.js';
import { runTool } from '../process.js';
import { runYosysScript, selectYosys, type SelectedYosys, type YosysSelectOptions } from './run.js';
import { stripMemInit } from './synth.js';
import type { SvSource } from './types.js';

export interface EquivPort {
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: number;
}

export interface EquivDesign {
  /** What the user called it (a path or a design name), for messages. */
  readonly label: string;
  readonly files: readonly SvSource[];
  readonly top: string;
  /** The top's ports (clk/rst excluded), when known: compared before Yosys runs. */
  readonly ports?: readonly EquivPort[];
  /** Whether the top has the implicit clk and rst inputs. */
  readonly clocked?: boolean;
}

export interface EquivOptions extends YosysSelectOptions {
  /** Cycles of the induction window and of the counterexample search (default 8). */
  readonly cycles?: number;
  /** Limit for each Yosys run (default 10 minutes). */
  readonly timeoutMs?: number;
  /**
   * Signal names (Yosys patterns, `*` allowed) not paired by name, in addition to the `_t<N>`
   * temporaries: hinted temporaries whose names shift between the two designs (docs/equiv.md).
   */
  readonly hide?: readonly string[];
  /**
   * Merge structurally identical word-level cells ($add, $mul, ...) before the SAT proofs
   * (`equiv_struct -icells -fwd`): what makes designs with chains of multipliers (softmax)
   * prove in seconds. Off by default: it pairs tables with different contents (docs/equiv.md).
   */
  readonly wordCells?: boolean;
  /**
   * Skip the proof and only search for a counterexample from reset within `cycles` cycles (a
   * bounded check). No difference found is then `unknown` with `unproven` 0: equal for every
   * input sequence of that length after reset, not proven beyond it.
   */
  readonly bounded?: boolean;
  /**
   * How to prove. `pairs` (default): signals paired by name (equiv_make, equiv_simple,
   * equiv_induct). `abc`: the miter of the two, word-level cells merged (`opt`), bit-blasted
   * to an AIG and proven by ABC's `dprove` (signal correspondence, induction, PDR) from the
   * all-zero state with every input free, rst included: needs no matching names, and proves the
   * designs whose name pairs do not close (docs/equiv.md). System Yosys and its `yosys-abc` only.
   */
  readonly engine?: 'pairs' | 'abc';
}

export interface CexStep {
  /** Cycle after reset (0 = the first cycle after the reset cycle). */
  readonly cycle: number;
  /** Input values of this cycle, hex, by port name (clk and rst left out). */
  readonly inputs: ReadonlyMap<string, string>;
}

export type EquivResult =
  | { readonly kind: 'equal'; readonly equivCells: number }
  | {
      readonly kind: 'different';
      /** The first cycle after reset in which an output differs. */
      readonly cycle: number;
      /** The outputs that differ in that cycle, with both values (hex). */
      readonly outputs: readonly { name: string; a: string; b: string }[];
      readonly steps: readonly CexStep[];
    }
  | { readonly kind: 'unknown'; readonly unproven: number; readonly cycles: number };

/** Ports compared by name, direction and width; the first difference as one sentence. */
export function portDifference(a: EquivDesign, b: EquivDesign): string | undefined {
  if (!a.ports || !b.ports) return undefined;
  if ((a.clocked ?? false) !== (b.clocked ?? false))
    return `${a.clocked ? a.label : b.label} has clk and rst, ${a.clocked ? b.label : a.label} has not`;
  const show = (p: EquivPort): string =>
    `${p.dir === 'in' ? 'input' : 'output'} ${p.name}[${p.width}]`;
  const bBy = new Map(b.ports.map((p) => [p.name, p]));
  for (const p of a.ports) {
    const q = bBy.get(p.name);
    if (!q) return `${a.label} has ${show(p)}, ${b.label} has no port ${p.name}`;
    if (q.dir !== p.dir || q.width !== p.width)
      return `port ${p.name} is ${show(p)} in ${a.label} but ${show(q)} in ${b.label}`;
  }
  const aNames = new Set(a.ports.map((p) => p.name));
  const extra = b.ports.find((p) => !aNames.has(p.name));
  return extra ? `${b.label} has ${show(extra)}, ${a.label} has no port ${extra.name}` : undefined;
}

function readSide(dir: string, d: EquivDesign, as: string, hide: readonly string[]): string {
  const files = d.files.map((f) => `${dir}/${f.name}`).join(' ');
  const hidden = hide.flatMap((h) => [`w:${h}`, `w:*.${h}`]).join(' ');
  return [
    `read_verilog -sv ${files}`,
    `hierarchy -check -top ${d.top}`,
    'proc; flatten; memory; opt_clean',
    // Temporaries (`_t<N>`, numbered per emission) are not paired by name: private names.
    `rename -hide w:_t* w:*._t*${hidden ? ` ${hidden}` : ''}`,
    `rename ${d.top} ${as}`,
    `design -stash ${as}`,
  ].join('\n');
}

function header(a: EquivDesign, b: EquivDesign, hide: readonly string[]): string {
  return [
    readSide('a', a, 'gold', hide),
    readSide('b', b, 'gate', hide),
    'design -copy-from gold -as gold gold',
    'design -copy-from gate -as gate gate',
  ].join('\n');
}

/** The equiv_* proof; equiv.log ends with equiv_status. */
function proofScript(
  a: EquivDesign,
  b: EquivDesign,
  cycles: number,
  hide: readonly string[],
  wordCells: boolean,
): string {
  return [
    header(a, b, hide),
    'tee -q -o equiv.log equiv_make gold gate equiv',
    'hierarchy -top equiv',
    // wordCells: forward merging of word-level cells too (-icells -fwd), so two multipliers fed
    // by merged signals merge instead of going to SAT, where a proof of two multipliers does not
    // finish; the pairs it adds are proven like the others. It also pairs cells whose constant
    // inputs differ (e.g. two tables), which then stay unproven: off by default.
    wordCells
      ? 'tee -q -a equiv.log equiv_struct -icells -fwd'
      : 'tee -q -a equiv.log equiv_struct',
    // Registers are paired by name, so with wordCells each pair's cone is proven within one
    // cycle; the induction below takes the rest.
    `tee -q -a equiv.log equiv_simple${wordCells ? '' : ` -seq ${cycles}`}`,
    `tee -q -a equiv.log equiv_induct -seq ${cycles}`,
    'tee -q -a equiv.log equiv_status',
    '',
  ].join('\n');
}

/**
 * The miter of `a` and `b` as an AIG (`miter.aig`) for ABC: word-level cells with equal inputs
 * merged first (both sides read the same miter inputs, so equal logic becomes one), then
 * bit-blasted. Every flip-flop starts at 0 (`setundef -init`), the state `sat -set-init-zero` of
 * the counterexample search also starts from; rst stays a free input.
 */
function aigerScript(a: EquivDesign, b: EquivDesign, hide: readonly string[]): string {
  return [
    header(a, b, hide),
    'miter -equiv -flatten gold gate miter',
    'hierarchy -top miter',
    'opt',
    'techmap',
    'setundef -zero -undriven -init',
    'dffunmap',
    'opt_clean',
    'aigmap',
    'tee -q -o aiger.log stat',
    'write_aiger -zinit miter.aig',
    '',
  ].join('\n');
}

/** ABC's verdict on `miter.aig` (its one output is 1 when an output pair differs). */
async function abcProve(
  yosys: SelectedYosys,
  dir: string,
  timeoutMs: number,
): Promise<'equal' | 'different' | 'unknown'> {
  if (yosys.info.kind !== 'system')
    throw new MxgenError('usage', 'the abc engine needs the system Yosys and its yosys-abc', {
      hint: 'install Yosys with scripts/setup.sh, or use the default engine',
    });
  const abc = `${yosys.cmd}-abc`;
  const r = await runTool(abc, ['-c', 'read_aiger miter.aig; dprove'], { cwd: dir, timeoutMs });
  if (/Networks are equivalent/.test(r.stdout)) return 'equal';
  if (/Networks are not equivalent|was asserted in frame/.test(r.stdout)) return 'different';
  return 'unknown';
}

/** Bounded search from reset: cycle 1 holds rst, outputs compared from cycle 2 on. */
function cexScript(
  a: EquivDesign,
  b: EquivDesign,
  cycles: number,
  clocked: boolean,
  hide: readonly string[],
): string {
  const reset = clocked ? '-set-at 1 in_rst 1 -prove-skip 1 ' : '';
  const steps = clocked ? cycles + 1 : 1;
  return [
    header(a, b, hide),
    // -enable_undef below: without it the x test of -ignore_gold_x reads a gold bit 0 as x, and
    // a difference where gold has 0 was never found.
    'miter -equiv -flatten -make_outputs -ignore_gold_x gold gate miter',
    'hierarchy -top miter',
    `tee -q -o sat.log sat -enable_undef -set-def-inputs -seq ${steps} -set-init-zero ${reset}-prove trigger 0 -show-inputs -show-outputs miter`,
    '',
  ].join('\n');
}

interface SatRow {
  readonly step: number;
  readonly signal: string;
  readonly hex: string;
}

/**
 * The value table `sat -show-*` prints: `  <step> \<signal> <dec> <hex> <bin>` (dec and hex are
 * `--` above 32 bits, so the value is read from the binary column).
 */
function parseSatTable(log: string): SatRow[] {
  const rows: SatRow[] = [];
  for (const line of log.split('\n')) {
    const m = /^\s*(\d+)\s+\\(\S+)\s+\S+\s+\S+\s+([01xz]+)\s*$/.exec(line);
    if (!m) continue;
    const bin = m[3] ?? '';
    const hex = /^[01]+$/.test(bin) ? BigInt(`0b${bin}`).toString(16) : `b${bin}`;
    rows.push({ step: Number(m[1]), signal: m[2] ?? '', hex });
  }
  return rows;
}

function counterexample(log: string, clocked: boolean): EquivResult {
  const rows = parseSatTable(log);
  const cycleOf = (step: number): number => (clocked ? step - 2 : 0);
  const fail = rows.find((r) => r.signal === 'trigger' && r.hex === '1' && cycleOf(r.step) >= 0);
  if (!fail) throw new MxgenError('tool', 'Yosys found a difference but printed no failing step');
  const at = (step: number, prefix: string): Map<string, string> =>
    new Map(
      rows
        .filter((r) => r.step === step && r.signal.startsWith(prefix))
        .map((r) => [r.signal.slice(prefix.length), r.hex] as const),
    );
  const steps: CexStep[] = [];
  for (let s = clocked ? 2 : 1; s <= fail.step; s++) {
    const inputs = at(s, 'in_');
    for (const k of ['clk', 'rst']) inputs.delete(k);
    steps.push({ cycle: cycleOf(s), inputs });
  }
  const gold = at(fail.step, 'gold_');
  const gate = at(fail.step, 'gate_');
  const outputs = [...gold]
    .filter(([n, v]) => gate.get(n) !== v)
    .map(([name, a]) => ({ name, a, b: gate.get(name) ?? '?' }));
  return { kind: 'different', cycle: cycleOf(fail.step), outputs, steps };
}

function checkDesign(d: EquivDesign): void {
  if (!/^[A-Za-z_][\w$]*$/.test(d.top))
    throw new MxgenError(
      'usage',
      `${d.label}: top module name ${JSON.stringify(d.top)} is not an identifier`,
    );
  if (d.files.length === 0) throw new MxgenError('usage', `${d.label}: no SystemVerilog files`);
  for (const f of d.files)
    if (!/^[\w.-]+\.s?v$/.test(f.name))
      throw new MxgenError(
        'usage',
        `${d.label}: ${JSON.stringify(f.name)} is not a plain .sv file name`,
      );
}

/** Proves `a` and `b` equal, or finds the first cycle after reset where an output differs. */
export async function proveEquivalent(
  a: EquivDesign,
  b: EquivDesign,
  opts: EquivOptions = {},
): Promise<EquivResult> {
  checkDesign(a);
  checkDesign(b);
  const diff = portDifference(a, b);
  if (diff)
    throw new MxgenError('usage', `the designs have different ports: ${diff}`, {
      hint: 'equivalence compares designs with the same ports (names, directions, widths)',
    });
  const cycles = opts.cycles ?? 8;
  if (!Number.isInteger(cycles) || cycles < 1 || cycles > 1000)
    throw new MxgenError('usage', `cycles must be an integer in 1..1000; got ${cycles}`);
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const hide = opts.hide ?? [];
  const badHide = hide.find((h) => !/^[A-Za-z_*][\w*$]*$/.test(h));
  if (badHide !== undefined)
    throw new MxgenError(
      'usage',
      `hide: ${JSON.stringify(badHide)} is not a signal name pattern (letters, digits, _, $, *)`,
    );
  const yosys = await selectYosys(opts);
  const dir = makeTempDir('equiv');
  const run = async (name: string, script: string): Promise<string> => {
    writeFileSync(join(dir, name), script);
    try {
      await runYosysScript(yosys, dir, name, timeoutMs);
    } catch (e) {
      if (e instanceof MxgenError && /timed out/.test(e.message))
        throw new MxgenError('usage', `the equivalence proof timed out: ${e.message}`, {
          hint: 'prove a smaller configuration, fewer --cycles, or raise --timeout',
          cause: e,
        });
      if (
        e instanceof MxgenError &&
        /No matching port|port .* width|has no port/i.test(e.notes.join('\n'))
      )
        throw new MxgenError('usage', `the designs have different ports (${e.message})`, {
          cause: e,
        });
      throw e;
    }
    return readFileSync(join(dir, name.replace(/\.ys$/, '.log')), 'utf8');
  };
  try {
    for (const [sub, d] of [
      ['a', a],
      ['b', b],
    ] as const) {
      mkdirSync(join(dir, sub));
      for (const f of d.files) writeFileSync(join(dir, sub, f.name), stripMemInit(f.text));
    }
    let unproven = 0;
    if (opts.bounded !== true && opts.engine === 'abc') {
      await run('aiger.ys', aigerScript(a, b, hide));
      const verdict = await abcProve(yosys, dir, timeoutMs).catch((e: unknown) => {
        if (e instanceof MxgenError && /timed out/.test(e.message))
          throw new MxgenError('usage', `the equivalence proof timed out: ABC ${e.message}`, {
            hint: 'prove a smaller configuration, or raise --timeout',
            cause: e,
          });
        throw e;
      });
      if (verdict === 'equal') return { kind: 'equal', equivCells: 0 };
      // A difference from the all-zero state may need a state no reset reaches: the search
      // from reset below decides, and without its model the result is "not proven".
      unproven = 1;
    } else if (opts.bounded !== true) {
      const proof = await run('equiv.ys', proofScript(a, b, cycles, hide, opts.wordCells ?? false));
      if (/Equivalence successfully proven!/.test(proof)) {
        const n = /Found (\d+) \$equiv cells/.exec(proof)?.[1];
        return { kind: 'equal', equivCells: Number(n ?? 0) };
      }
      unproven = Number(/(\d+) are unproven/.exec(proof)?.[1] ?? 0);
    }
    const clocked = a.clocked ?? b.clocked ?? /\bclk\b/.test(a.files.map((f) => f.text).join(''));
    const sat = await run('sat.ys', cexScript(a, b, cycles, clocked, hide));
    if (/SAT proof finished - no model found: SUCCESS!/.test(sat))
      return { kind: 'unknown', unproven, cycles };
    if (!/model found: FAIL!/.test(sat))
      throw new MxgenError('tool', 'Yosys sat ended without a result', {
        notes: [sat.slice(-2000)],
      });
    return counterexample(sat, clocked);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A counterexample as lines: the differing outputs, then the inputs cycle by cycle. */
export function formatCounterexample(r: Extract<EquivResult, { kind: 'different' }>): string[] {
  const lines = [
    `outputs differ in cycle ${r.cycle} after reset: ${r.outputs.map((o) => `${o.name} ${o.a} vs ${o.b}`).join(', ')}`,
  ];
  for (const s of r.steps)
    lines.push(`  cycle ${s.cycle}: ${[...s.inputs].map(([n, v]) => `${n}=0x${v}`).join(' ')}`);
  return lines;
}

/**
 * A valid/ready stream design as one side of a pipeline proof (docs/equiv.md): `out_ready` held
 * at 1 (no back pressure) and every output but `in_ready` delayed by `delay` cycles through
 * registers that rst clears. A 1-stage design wrapped with delay N - 1 and its N-stage variant
 * wrapped with delay 0 have the same ports and, if the pipeline only adds latency, equal outputs
 * in every cycle.
 */
export function streamAligned(d: EquivDesign, delay: number): EquivDesign {
  if (!d.ports || d.clocked !== true)
    throw new MxgenError(
      'usage',
      `${d.label}: a pipeline proof needs a clocked design with known ports`,
    );
  if (!Number.isInteger(delay) || delay < 0 || delay > 16)
    throw new MxgenError('usage', `delay must be an integer in 0..16; got ${delay}`);
  const ready = d.ports.find((p) => p.name === 'out_ready' && p.dir === 'in' && p.width === 1);
  if (!ready)
    throw new MxgenError('usage', `${d.label}: a pipeline proof needs a 1-bit out_ready input`);
  const top = `${d.top}_d${delay}`;
  const ports = d.ports.filter((p) => p !== ready);
  const range = (w: number): string => (w > 1 ? `[${w - 1}:0] ` : '');
  const decl = ports.map(
    (p) => `  ${p.dir === 'in' ? 'input ' : 'output'} logic ${range(p.width)}${p.name}`,
  );
  const body: string[] = [];
  const conns = ['.clk(clk)', '.rst(rst)', ".out_ready(1'b1)"];
  for (const p of ports) {
    const delayed = p.dir === 'out' && p.name !== 'in_ready' && delay > 0;
    if (!delayed) {
      conns.push(`.${p.name}(${p.name})`);
      continue;
    }
    for (let i = 0; i <= delay; i++) body.push(`  logic ${range(p.width)}${p.name}_${i};`);
    conns.push(`.${p.name}(${p.name}_0)`);
    body.push(
      '  always_ff @(posedge clk)',
      `    if (rst) begin ${Array.from({ length: delay }, (_, i) => `${p.name}_${i + 1} <= '0;`).join(' ')} end`,
      `    else begin ${Array.from({ length: delay }, (_, i) => `${p.name}_${i + 1} <= ${p.name}_${i};`).join(' ')} end`,
      `  assign ${p.name} = ${p.name}_${delay};`,
    );
  }
  const text = [
    `// ${d.label}: out_ready held at 1, outputs but in_ready delayed by ${delay} cycle(s).`,
    `module ${top} (`,
    ['  input  logic clk', '  input  logic rst', ...decl].join(',\n'),
    ');',
    ...body,
    `  ${d.top} u (${conns.join(', ')});`,
    'endmodule',
    '',
  ].join('\n');
  return {
    label: `${d.label} (delay ${delay})`,
    files: [...d.files, { name: `${top}.sv`, text }],
    top,
    clocked: true,
    ports,
  };
}
