// The three tools every emitted design must pass, each design linted as the set of files it is
// with its top module (a child's names meet its parent's: VARHIDDEN, duplicate modules), batched:
// Verilator `--lint-only -Wall` (one run per design), Icarus `-g2012` (one run per design), Yosys
// `proc; check -assert` (one run for all designs, `design -reset` between them). SRAM images are
// written next to the SV, where Yosys looks for a `$readmemh` file.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../src/backends/index.js';
import { writeImages } from '../../src/backends/images.js';
import type { SvOutput } from '../../src/emit/sv/index.js';
import type { MemImages } from '../../src/hdl/index.js';

export interface LintDesign {
  readonly name: string;
  readonly sv: SvOutput;
  /** The `$readmemh` images of its SRAMs (by file name), if any. */
  readonly images?: MemImages;
}

export interface LintProblem {
  readonly design: string;
  readonly tool: string;
  readonly output: string;
}

async function inPairs<T>(items: readonly T[], fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all([worker(), worker()]);
}

function errorText(e: unknown): string {
  if (e instanceof Error) {
    const notes = (e as { notes?: readonly string[] }).notes ?? [];
    return [e.message, ...notes].join('\n');
  }
  return String(e);
}

/** Runs the three tools; returns every problem found (empty = all clean, zero warnings). */
export async function lintAll(designs: readonly LintDesign[]): Promise<LintProblem[]> {
  const root = mkdtempSync(join(tmpdir(), 'mxgen-lint-'));
  const problems: LintProblem[] = [];
  try {
    const dirs = designs.map((d) => {
      const dir = join(root, d.name);
      mkdirSync(dir);
      for (const f of d.sv.files) writeFileSync(join(dir, f.name), f.text);
      writeImages(dir, d.images);
      return { d, dir, files: d.sv.files.map((f) => join(dir, f.name)) };
    });
    await inPairs(dirs, async ({ d, files }) => {
      try {
        const r = await runTool('verilator', [
          '--lint-only',
          '-Wall',
          '--top-module',
          d.sv.top,
          ...files,
        ]);
        const text = `${r.stdout}${r.stderr}`.trim();
        if (text) problems.push({ design: d.name, tool: 'verilator', output: text });
      } catch (e) {
        problems.push({ design: d.name, tool: 'verilator', output: errorText(e) });
      }
      try {
        const r = await runTool('iverilog', [
          '-g2012',
          '-o',
          '/dev/null',
          '-s',
          d.sv.top,
          ...files,
        ]);
        const text = `${r.stdout}${r.stderr}`.trim();
        if (text) problems.push({ design: d.name, tool: 'iverilog', output: text });
      } catch (e) {
        problems.push({ design: d.name, tool: 'iverilog', output: errorText(e) });
      }
    });
    const script = dirs
      .map(
        ({ d, files }) =>
          `design -reset\nlog mxgen-design ${d.name}\nread_verilog -sv ${files.join(' ')}\n` +
          `hierarchy -check -top ${d.sv.top}\nproc\ncheck -assert\n`,
      )
      .join('');
    const scriptFile = join(root, 'all.ys');
    writeFileSync(scriptFile, script);
    try {
      const r = await runTool('yosys', ['-q', '-s', scriptFile]);
      const warnings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => /warning/i.test(l));
      if (warnings.length > 0)
        problems.push({ design: '(all)', tool: 'yosys', output: warnings.join('\n') });
    } catch (e) {
      problems.push({ design: '(yosys batch)', tool: 'yosys', output: errorText(e) });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return problems;
}
