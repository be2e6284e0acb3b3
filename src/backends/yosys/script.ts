// The Yosys script of an area run. Hierarchical (no -flatten): every module is synthesized once,
// and totals multiply by instance counts (a 16x16 array flattened took 76 s and 1.4 GB against
// about 1 s hierarchically, for results within 0.5%).

export type StatFormat = 'json' | 'text';

/** Files the script writes into its working directory. */
export const OUT = {
  generic: 'generic.stat',
  netlist: 'generic.json',
  cmos: 'cmos.stat',
  lib: 'lib.stat',
  ice40: 'ice40.stat',
} as const;

export const LIBERTY_NAME = 'mxgen_ge.lib';

export interface ScriptOptions {
  readonly files: readonly string[];
  readonly top: string;
  readonly statFormat: StatFormat;
}

/** `stat` output written to a file, as JSON (`stat -json`, Yosys >= 0.10) or as text. */
function stat(file: string, args: string, fmt: StatFormat): string {
  return `tee -q -o ${file} stat ${args}${fmt === 'json' ? ' -json' : ''}`.replace(/ +/g, ' ');
}

export function areaScript(o: ScriptOptions): string {
  const lines = [
    '# mxgen area: generic synthesis, CMOS transistor estimate, NAND2 gate equivalents',
    ...o.files.map((f) => `read_verilog -sv ${f}`),
    `hierarchy -check -top ${o.top}`,
    // `synth` without its `memory_map`: SRAMs stay `$mem_v2` cells (counted as memory bits and
    // modelled, docs/area.md) instead of becoming one flip-flop per bit. The rest is synth's own
    // `fine` list (Yosys 0.23 to 0.55), so designs without memories synthesize as before.
    `synth -top ${o.top} -run :fine`,
    'opt -fast -full',
    'opt -full',
    'techmap',
    'opt -fast',
    'abc -fast',
    'opt -fast',
    `synth -top ${o.top} -run check:`,
    stat(OUT.generic, '', o.statFormat),
    `write_json ${OUT.netlist}`,
    // The CMOS cost table and the liberty know plain D flip-flops only: lower reset and enable
    // into gates, then let ABC (default gate set, as synth's last step) clean them up.
    'dfflegalize -cell $_DFF_P_ 01',
    'abc -fast',
    'opt_clean',
    stat(OUT.cmos, '-tech cmos', o.statFormat),
    `dfflibmap -liberty ${LIBERTY_NAME}`,
    `abc -liberty ${LIBERTY_NAME}`,
    'opt_clean',
    // GE are computed from these counts (area-model.ts); Yosys's own area is a cross-check.
    stat(OUT.lib, `-liberty ${LIBERTY_NAME}`, o.statFormat),
  ];
  return `${lines.join('\n')}\n`;
}

/** Optional second run: iCE40 LUT4 / carry / flip-flop counts, hierarchy kept. */
export function ice40Script(o: ScriptOptions): string {
  const lines = [
    ...o.files.map((f) => `read_verilog -sv ${f}`),
    `hierarchy -check -top ${o.top}`,
    `synth_ice40 -noflatten -top ${o.top}`,
    stat(OUT.ice40, '', o.statFormat),
  ];
  return `${lines.join('\n')}\n`;
}
