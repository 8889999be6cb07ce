// viz/node: the Node-only part of viz/ (the HTML page, PNG rendering, chart files), apart from index.ts so the report page's browser bundle never pulls in node: modules.
export {
  type ChartDirOption,
  type ChartFile,
  ChartOutputError,
  chartDirProblem,
  type WriteChartsOptions,
  writeCharts,
} from "./export.js";
export { DEFAULT_PNG_SCALE, PNG_FONT_FAMILY, type PngOptions, renderSvg, svgToPng } from "./png.js";
export { reportHtml, viewJson } from "./report-html.js";
