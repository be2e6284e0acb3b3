// The flow: mxgen's public library entry. Everything the command line does (generate, run, sweep,
// simulate, co-simulate, replay, report, area, equivalence, vectors, cocotb) is a function here;
// the CLI (src/cli) only parses options, calls these and prints. A notebook, a CI job or a design
// search imports this module (docs/flow.md).

// Errors: every failure is an MxgenError (kind, location, hint).
export { MxgenError, MxgenErrors, didYouMean, type ErrorKind } from '../hdl/index.js';

// Designs: files, folders, resolution of a design argument.
export { readDesignFile, parseDesignYaml, designLabel } from './design-file.js';
export { readDesignFolder, type DesignFolder } from './design-folder.js';
export { loadDesign, type LoadedDesign } from './design.js';
export {
  bundledDesigns,
  dataflowPath,
  DESIGN_DIR,
  parseSets,
  resolveComponentDesign,
  resolveDesign,
  type ComponentDesign,
  type ResolvedDesign,
} from './resolve.js';
export { intOption, choiceOption, positiveNumber, probability, MAX_WORKERS } from './options.js';

// Run: generate, simulate natively and in Verilator against the golden model, area, report.
export {
  runFlow,
  simulateNative,
  verilatorChecks,
  mismatchError as runMismatchError,
  precisionLines,
  FLOW_STEPS,
  type FlowOptions,
  type FlowResult,
  type CosimSummary,
  type NativeRun,
  type SimCheck,
} from './flow.js';
export {
  runCommand,
  PASS_NAMES,
  runFiles,
  designOverrides,
  MAX_VECTORS,
  type RunOptions,
  type RunHooks,
  type RunCommandResult,
} from './run.js';
export {
  estimateDesign,
  checkLimits,
  describeEstimate,
  isLongRun,
  LIMITS,
  type Estimate,
} from './estimate.js';
export { measureThroughput, type Throughput, type UnitThroughput } from './throughput.js';

// Sweep: precision mixes × MAC budgets, cached per point, Pareto set.
export {
  runSweep,
  sweepPoints,
  parseMix,
  parseMacs,
  parseShard,
  paretoSet,
  sweepCsv,
  paretoSvg,
  pointKey,
  type Mix,
  type SweepOptions,
  type SweepRow,
} from './sweep.js';
export { evaluatePoint, applyMix, type SweepPoint, type PointResult } from './sweep-point.js';
export {
  sweepCommand,
  sweepError,
  type SweepCommandOptions,
  type SweepHooks,
  type SweepCommandResult,
} from './sweep-run.js';

// Replay: recorded beats through the native simulator and Verilator, cycle by cycle.
export {
  replayInVerilator,
  replayDesigns,
  nativeOutputs,
  beatsOf,
  cycleMismatches,
  type Replay,
  type ReplayDesign,
} from './replay.js';

// Report: the HTML page of a run.
export { reportHtml, fmt, type ReportInput } from './html.js';

// The other commands as library calls.
export { generate, type GenerateOptions, type GenerateResult } from './generate.js';
export { area, isMemoryReport, type AreaCommandOptions, type AreaCommandResult } from './area.js';
export { simulate, randomBits, type SimOptions, type SimResult } from './simulate.js';
export { equiv, type EquivCommandOptions } from './equiv.js';
export { cosim, componentCosimCommand, type CosimCliOptions, type CosimResult } from './cosim.js';
export {
  cosimComponent,
  compareBeats,
  verilatorBeats,
  type ComponentCosimOptions,
  type ComponentCosimReport,
} from './component-cosim.js';
export {
  vectorsCommand,
  resolveVectorDesign,
  vectorDesignOf,
  designVectors,
  elaborateDesign,
  DEFAULT_COUNT,
  DEFAULT_SEED,
  COUNT_HELP,
  type VectorDesign,
  type VectorsCliOptions,
} from './vector-design.js';
export {
  VECTOR_FORMAT,
  componentVectors,
  formatVectorFile,
  writeVectorFile,
  vectorPortsOf,
  type VectorInput,
} from './vectors.js';
export {
  cocotbCommand,
  cocotbDirFiles,
  type CocotbCliOptions,
  type CocotbResult,
} from './cocotb.js';
export { toolReport, type ToolLine } from './doctor.js';

// Output folders: atomic, owned by mxgen.
export {
  writeDesignDir,
  buildManifest,
  mxgenVersion,
  checkOutputTarget,
  checkFileTarget,
  OWNER_FILE,
  type OutFile,
} from './output.js';

// Printing helpers of the backends the CLI shows as they are.
export {
  formatAreaTable,
  formatIce40Table,
  formatMemoryTable,
  formatCounterexample,
  installInterruptHandlers,
  type AreaReport,
  type MemoryReport,
} from '../backends/index.js';

// Report plots (Vega-Lite rendered to static SVG), the per-layer figures of report.html and the
// choice of a sweep's point.
export { barSpec, paretoSpec, scatterSpec, type BarRow, type ParetoPoint } from './plots/charts.js';
export { renderPlot } from './plots/render.js';
export { inclusiveArea, layerRows, type LayerRow } from './report-layers.js';
export { chosenPoint, objectives, type SweepRowFigures } from './sweep-choice.js';
export {
  checkTargets,
  dataFigures,
  dataSectionHtml,
  outputFeatures,
  top1,
  withInputs,
  withMix,
  type DataFigures,
  type DataFiles,
} from './real-data.js';
export {
  betterThanBaseline,
  formatBits,
  goldenQuality,
  planSearch,
  searchCsv,
  searchKeys,
  searchPareto,
  searchSvg,
  type Candidate,
  type PhaseA,
  type SearchRow,
  type SearchSpec,
} from './search.js';
export {
  searchCommand,
  searchMergeCommand,
  summaryLines as searchSummaryLines,
  type SearchOpts,
  type SearchResult,
  type SearchState,
} from './search-command.js';
export { importCommand, type ImportOpts, type ImportResult } from './import-command.js';
