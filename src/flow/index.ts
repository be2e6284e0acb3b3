// The flow library (issue 16): what the command line does, as functions other programs can call.
// Here so far: the report plots (Vega-Lite rendered to static SVG), the per-layer figures of
// report.html, the choice of a sweep's point, real data on a run (real-data.ts) and the
// precision search (search.ts).
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
