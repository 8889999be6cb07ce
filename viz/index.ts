// viz/: drawing Results. For now plain-text sparklines; the D3 report and classroom page come later.
export { cellAt, downsample, markLabel, markLine, type Reduce, sparkline } from "./sparkline.js";
