// viz/: drawing Results: text sparklines, the view model and its builders, the D3 charts (no node: module here;
// the HTML page and the chart files are in viz/node.ts).
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
export type { CheckInput, ComparisonInput } from "./inputs.js";
export { cellAt, downsample, markLabel, markLine, type Reduce, sparkline } from "./sparkline.js";
export type * from "./view.js";
