// Public surface of the Yosys backend: area, transistor and logic-depth estimates.
export type {
  AreaReport,
  AreaTotals,
  CellCounts,
  Ice40Counts,
  Ice40Module,
  Ice40Report,
  ModuleArea,
  SvSource,
  YosysKind,
  YosysToolInfo,
} from './types.js';
export { synthArea, DEFAULT_YOSYS_CACHE, type AreaOptions } from './synth.js';
export {
  synthMemories,
  formatMemoryTable,
  memoryCsv,
  type MemoryCell,
  type MemoryReport,
} from './memories.js';
export { selectYosys, yowaspInfo, type YosysChoice } from './run.js';
export { parseStat, parseStatJson, parseStatText, type StatModule } from './stat.js';
export { AREA_UNIT, LIBERTY_PATH, parseLibertyAreas } from './area-model.js';
export { formatAreaTable, areaCsv } from './format.js';
export { subtreeTotals } from './report.js';
export { buildIce40Report, formatIce40Table } from './ice40.js';
export {
  proveEquivalent,
  streamAligned,
  portDifference,
  formatCounterexample,
  type EquivDesign,
  type EquivOptions,
  type EquivPort,
  type EquivResult,
} from './equiv.js';
