// The page's drawings, in one place: the D3 topology (topology.ts) and the live charts (live-charts.ts).
export { createLiveCharts, type LiveCharts } from "./live-charts.js";
export { createTopology, type Topology } from "./topology.js";
