// The report page's CSS: readable on a laptop, a phone and a projector (large type), printable, HAProxy-like stats.
import { TABLES_CSS } from "./report-tables-style.js";

export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
html.large { font-size: 22px; }
body { margin: 0 auto; max-width: 1240px; padding: 16px 24px 48px; color: var(--ink); background: #fff;
  font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Verdana, Arial, sans-serif; line-height: 1.45; }
h1 { font-size: 1.7rem; margin: 0.2em 0 0.1em; line-height: 1.2; overflow-wrap: anywhere; }
h2 { font-size: 1.4rem; margin: 1.6em 0 0.4em; padding-bottom: 0.2em; border-bottom: 2px solid var(--line); overflow-wrap: anywhere; }
h3 { font-size: 1.15rem; margin: 1.4em 0 0.3em; }
h4 { font-size: 1rem; margin: 1.1em 0 0.3em; }
p { margin: 0.4em 0; }
.report-header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: 8px 24px; }
.report-header .kind { color: var(--muted); font-size: 0.9rem; text-transform: uppercase; letter-spacing: 0.06em; }
button#large-type { font: inherit; font-size: 0.9rem; padding: 0.3em 0.9em; border: 1px solid var(--line); border-radius: 6px;
  background: var(--soft); color: var(--ink); cursor: pointer; }
button#large-type[aria-pressed="true"] { background: var(--ink); color: #fff; }
.partial { margin: 12px 0; padding: 10px 14px; border: 1px solid #d4a72c; background: #fff8c5; border-radius: 6px; }
nav.toc { margin: 12px 0; padding: 8px 14px; background: var(--soft); border-radius: 6px; font-size: 0.93rem; }
nav.toc ol { margin: 0.2em 0; padding-left: 1.4em; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 4px; font-size: 0.93rem; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.description { white-space: pre-line; }
details.description-more > summary { cursor: pointer; color: var(--ink); }
details.description-more[open] > summary { color: var(--muted); }
@media print { details.description-more > .description { display: block; } }
span.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -0.1em; margin-right: 0.3em; }
.variants { display: flex; flex-wrap: wrap; gap: 2px 16px; margin: 0; padding: 0; list-style: none; }
.status { display: inline-block; padding: 0 0.5em; border-radius: 4px; font-weight: 600; font-size: 0.85em; vertical-align: 0.15em; }
.status-pass { background: #c0ffc0; } .status-fail { background: #ff9090; } .status-other { background: #e0e0e0; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 6px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { text-align: left; font-weight: 600; }
td { text-align: right; }
.caption { color: var(--muted); font-size: 0.88rem; margin: 0 0 4px; }
figure { margin: 0; }
.chart { position: relative; width: 100%; overflow-x: auto; overflow-y: hidden; min-height: 2em; }
.chart svg { display: block; max-width: none; height: auto; }
.chart line.crosshair { stroke: #57606a; stroke-width: 1; stroke-dasharray: 4 3; }
.chart-error { color: #cf222e; }
.not-run { color: var(--muted); font-style: italic; }
.tooltip { position: absolute; z-index: 2; pointer-events: none; white-space: pre; max-width: 90vw; overflow: hidden;
  padding: 6px 9px; font-size: 0.85rem; line-height: 1.35; background: rgba(255, 255, 255, 0.96);
  border: 1px solid #8c959f; border-radius: 4px; box-shadow: 0 2px 8px rgba(0, 0, 0, 0.15); }
.noscript { color: var(--muted); font-style: italic; }
.backend-title { border-left: 6px solid #b00040; padding-left: 8px; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 640px) {
  body { padding: 8px 10px 32px; }
  .meta { grid-template-columns: 1fr; }
  .meta dt { margin-top: 4px; }
}
@media print {
  body { max-width: none; padding: 0; }
  button#large-type, .tooltip, nav.toc { display: none !important; }
  section.backend, figure { break-inside: avoid; }
  h2 { break-before: auto; break-after: avoid; }
  .chart { overflow: visible; }
  /* Drawn at the window's width: scaled to the paper's (the charts have a viewBox). */
  .chart svg { width: 100%; height: auto; }
}
${TABLES_CSS}`;
