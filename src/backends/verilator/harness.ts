// Fills templates/verilator/harness.cpp.tmpl for a port list: one C++ line per port word to apply
// stimulus and to sample outputs. The harness depends only on the widths (ports are the wrapper's
// synthetic names i0.., o0..), so designs with the same port shape share one harness text.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { internalError, MxgenError } from '../../hdl/index.js';

export interface HarnessPort {
  /** The C++ member name of the port on the Verilator model (a plain identifier). */
  readonly name: string;
  readonly width: number;
}

export interface HarnessSpec {
  /** Inputs in stimulus order (a reset input is an ordinary column here). */
  readonly inputs: readonly HarnessPort[];
  readonly outputs: readonly HarnessPort[];
  /** Name of the clock input, or null for a purely combinational model. */
  readonly clock: string | null;
}

export const HARNESS_TEMPLATE_PATH = fileURLToPath(
  new URL('../../../templates/verilator/harness.cpp.tmpl', import.meta.url),
);

/** Number of u32 words a value of `width` bits takes in stimulus and output files. */
export function wordsOf(width: number): number {
  return Math.ceil(width / 32);
}

export function totalWords(ports: readonly HarnessPort[]): number {
  return ports.reduce((s, p) => s + wordsOf(p.width), 0);
}

function topMask(width: number): string {
  const bits = width % 32 === 0 ? 32 : width % 32;
  const mask = bits === 32 ? 0xffffffff : 2 ** bits - 1;
  return `0x${mask.toString(16)}U`;
}

function checkPort(p: HarnessPort): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name))
    throw new MxgenError('usage', `harness port name '${p.name}' is not a C++ identifier`, {
      hint: 'pass the wrapper port names (i0, o0, ...) made by wrapDesigns',
    });
  if (!Number.isInteger(p.width) || p.width < 1)
    throw new MxgenError('usage', `harness port ${p.name} has width ${p.width}; need >= 1`);
}

function applyLines(ports: readonly HarnessPort[]): string[] {
  const lines: string[] = [];
  let k = 0;
  for (const p of ports) {
    checkPort(p);
    const n = wordsOf(p.width);
    const m = topMask(p.width);
    if (p.width <= 32) lines.push(`  top->${p.name} = w[${k}] & ${m};`);
    else if (p.width <= 64)
      lines.push(`  top->${p.name} = (static_cast<uint64_t>(w[${k + 1}] & ${m}) << 32) | w[${k}];`);
    else {
      for (let i = 0; i < n - 1; i++) lines.push(`  top->${p.name}[${i}] = w[${k + i}];`);
      lines.push(`  top->${p.name}[${n - 1}] = w[${k + n - 1}] & ${m};`);
    }
    k += n;
  }
  return lines;
}

function sampleLines(ports: readonly HarnessPort[]): string[] {
  const lines: string[] = [];
  let k = 0;
  for (const p of ports) {
    checkPort(p);
    const n = wordsOf(p.width);
    if (p.width <= 32) lines.push(`  w[${k}] = top->${p.name};`);
    else if (p.width <= 64)
      lines.push(
        `  w[${k}] = static_cast<uint32_t>(top->${p.name});`,
        `  w[${k + 1}] = static_cast<uint32_t>(top->${p.name} >> 32);`,
      );
    else for (let i = 0; i < n; i++) lines.push(`  w[${k + i}] = top->${p.name}[${i}];`);
    k += n;
  }
  return lines;
}

function listPorts(ports: readonly HarnessPort[]): string {
  if (ports.length === 0) return '(none)';
  const shown = ports.slice(0, 16).map((p) => `${p.name}[${p.width}]`);
  return ports.length > 16 ? `${shown.join(' ')} ... (${ports.length - 16} more)` : shown.join(' ');
}

/** The harness C++ source for `spec`. Same spec, same bytes. */
export function harnessSource(spec: HarnessSpec, template?: string): string {
  const text = template ?? readFileSync(HARNESS_TEMPLATE_PATH, 'utf8');
  const tick = spec.clock
    ? [`  top->${spec.clock} = 1;`, '  top->eval();', `  top->${spec.clock} = 0;`, '  top->eval();']
    : [];
  const values: Record<string, string> = {
    IN_COUNT: String(spec.inputs.length),
    OUT_COUNT: String(spec.outputs.length),
    IN_WORDS: String(totalWords(spec.inputs)),
    OUT_WORDS: String(totalWords(spec.outputs)),
    IN_LIST: listPorts(spec.inputs),
    OUT_LIST: listPorts(spec.outputs),
    APPLY: applyLines(spec.inputs).join('\n'),
    SAMPLE: sampleLines(spec.outputs).join('\n'),
    TICK: tick.join('\n'),
  };
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw internalError(`harness template has unknown placeholder ${whole}`);
    return v;
  });
}
