// The area report of one synthesis run: per module (own cells, not its submodules) and for the
// whole hierarchy (each module counted once per instance). Plain data; the JSON of area.json.

export type YosysKind = 'system' | 'yowasp';

/** Which Yosys produced a report. */
export interface YosysToolInfo {
  readonly kind: YosysKind;
  /** Yosys release, e.g. `0.23` (system) or `0.55` (@yowasp/yosys 0.55.944). */
  readonly version: string;
  /** Full identification, e.g. `Yosys 0.23 (git sha1 7ce5011c24b)` or `@yowasp/yosys 0.55.944`. */
  readonly detail: string;
}

/** One SystemVerilog source: a file name (no folders) and its text. */
export interface SvSource {
  readonly name: string;
  readonly text: string;
}

/** Cell type → count, keys sorted. */
export type CellCounts = Readonly<Record<string, number>>;

export interface ModuleArea {
  readonly name: string;
  /** How many times the module occurs in the hierarchy under the top (top: 1). */
  readonly instances: number;
  /** Generic gate and flip-flop cells after `synth`, excluding submodule instances. */
  readonly cells: number;
  readonly cellsByType: CellCounts;
  readonly flipFlops: number;
  /** Submodule name → number of instances directly inside this module. */
  readonly submodules: CellCounts;
  /** `stat -tech cmos` of this module's own cells (flip-flops lowered to plain D flip-flops). */
  readonly transistors: number;
  /**
   * Logic area in NAND2 gate equivalents of this module's own cells (templates/yosys/mxgen_ge.lib);
   * memories (`$mem_v2`) are not in it: see memoryBits and memoryGateEquivalents.
   */
  readonly gateEquivalents: number;
  /** Bits of this module's own memories (SRAMs kept as `$mem_v2`: Σ width × depth). */
  readonly memoryBits: number;
  /** memoryBits × the SRAM bit model (areaModel.sramBitGe): a model, not synthesized. */
  readonly memoryGateEquivalents: number;
  readonly libCellsByType: CellCounts;
  /** Longest combinational path in gate levels, through submodules, between any inputs or
   *  flip-flop outputs and any outputs or flip-flop inputs. */
  readonly logicDepth: number;
}

export interface AreaTotals {
  readonly cells: number;
  readonly cellsByType: CellCounts;
  readonly flipFlops: number;
  readonly transistors: number;
  /** Logic GE (memories excluded). */
  readonly gateEquivalents: number;
  readonly memoryBits: number;
  /** Modelled SRAM area in GE (memoryBits × areaModel.sramBitGe). */
  readonly memoryGateEquivalents: number;
  readonly libCellsByType: CellCounts;
  /** The top module's logic depth. */
  readonly logicDepth: number;
}

export interface AreaReport {
  readonly schema: 1;
  readonly top: string;
  readonly tool: YosysToolInfo;
  readonly areaModel: {
    readonly library: string;
    readonly unit: string;
    /** GE per SRAM bit of the memory model, and where the figure comes from. */
    readonly sramBitGe: number;
    readonly sramModel: string;
  };
  /** Leaves first, top last (a deterministic post-order of the hierarchy). */
  readonly modules: readonly ModuleArea[];
  readonly total: AreaTotals;
  /** Yosys statistics the parse could not account for (empty when all is well). */
  readonly warnings: readonly string[];
  /** iCE40 counts, only when asked for (`AreaOptions.ice40`, `mxgen area --ice40`). */
  readonly ice40?: Ice40Report;
}

/** iCE40 cell counts after `synth_ice40`: LUT4s, SB_CARRY, SB_DFF* and SB_RAM40_4K* cells. */
export interface Ice40Counts {
  /** All cells, submodule instances excluded. */
  readonly cells: number;
  readonly luts: number;
  readonly carries: number;
  readonly flipFlops: number;
  readonly rams: number;
}

export interface Ice40Module extends Ice40Counts {
  readonly name: string;
  readonly instances: number;
  readonly cellsByType: CellCounts;
  readonly submodules: CellCounts;
}

/** A `synth_ice40 -noflatten` run: per module (own cells) and the whole hierarchy. */
export interface Ice40Report {
  readonly schema: 1;
  readonly top: string;
  /** Leaves first, top last. */
  readonly modules: readonly Ice40Module[];
  readonly total: Ice40Counts & { readonly cellsByType: CellCounts };
}
