// The flow library (issue 16): what the command line does, as functions other programs can call.
// Here so far: the report plots (Vega-Lite rendered to static SVG), the per-layer figures of
// report.html and the choice of a sweep's point.
export { barSpec, paretoSpec, scatterSpec, type BarRow, type ParetoPoint } from './plots/charts.js';
export { renderPlot } from './plots/render.js';
export { inclusiveArea, layerRows, type LayerRow } from './report-layers.js';
export { chosenPoint, objectives, type SweepRowFigures } from './sweep-choice.js';
