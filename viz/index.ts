// viz/: drawing Results: text sparklines, the view model, the D3 charts, the HTML report and the chart export.
export { checkView } from "./build-check.js";
export { compareView } from "./build-compare.js";
export { runView } from "./build-run.js";
export {
  type ChartId,
  type ChartSlot,
  chartSlots,
  distributionChart,
  errorsOverTimeChart,
  healthChart,
  latencyOverTimeChart,
  reportCharts,
  serverLoadChart,
  sharesChart,
  slug,
} from "./charts/index.js";
export { writeCharts } from "./export.js";
export type { CheckInput, ComparisonInput } from "./inputs.js";
export { svgToPng } from "./png.js";
export { reportHtml, viewJson } from "./report-html.js";
export { cellAt, downsample, markLabel, markLine, type Reduce, sparkline } from "./sparkline.js";
export type * from "./view.js";
