// The page's drawings, in one place to swap: the D3 topology and live charts (classroom-view's
// topology.ts and live-charts.ts) replace these placeholders when both branches are merged.
export { createLiveCharts, createTopology, type LiveCharts, type Topology } from "./placeholder-views.js";
