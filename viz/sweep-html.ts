// The sweep report: one self-contained HTML page (CSP, no network), a header saying the grid and a chart per metric, drawn here as SVG.
import { type SweepInput, type SweepView, sweepView } from "./build-sweep.js";
import { sweepLinesChart } from "./charts/sweep-lines.js";
import { offlinePageHead } from "./page-csp.js";
import { seedList } from "./report-html.js";
import { REPORT_CSS } from "./report-style.js";
import { escapeXml } from "./svg.js";
import { sweepTableHtml } from "./sweep-table.js";

/** Charts are drawn at this width (px); the page scales them to its own (they have a viewBox). */
export const SWEEP_CHART_WIDTH = 1160;
const FONT_SIZE = 13;

/**
 * The page's only script: a tooltip box for each point. Without it, each point's `<title>` is the
 * browser's own tooltip; with it, the title's text moves to `data-tip` (so the two do not show
 * together) and a box follows the pointer. Text is set with textContent, never parsed as HTML.
 */
const TOOLTIP_SCRIPT = `(function () {
  var hits = document.querySelectorAll("svg circle.hit");
  for (var i = 0; i < hits.length; i++) {
    var t = hits[i].querySelector("title");
    if (t !== null) { hits[i].setAttribute("data-tip", t.textContent || ""); t.remove(); }
  }
  document.querySelectorAll(".sweep-chart").forEach(function (box) {
    var tip = document.createElement("div");
    tip.className = "tooltip";
    tip.hidden = true;
    tip.setAttribute("role", "status");
    box.appendChild(tip);
    // pointerdown too: a tap on a touch screen moves no pointer.
    var show = function (event) {
      var hit = event.target instanceof Element ? event.target.closest("circle.hit") : null;
      if (hit === null) { tip.hidden = true; return; }
      tip.textContent = hit.getAttribute("data-tip") || "";
      tip.hidden = false;
      var area = box.getBoundingClientRect();
      var left = event.clientX - area.left + box.scrollLeft;
      var flip = left + tip.offsetWidth + 16 > box.clientWidth + box.scrollLeft;
      tip.style.left = Math.max(0, flip ? left - tip.offsetWidth - 12 : left + 12) + "px";
      var top = event.clientY - area.top;
      // Above the pointer when there is room: below, it would hide the x axis and its title.
      tip.style.top = (top > tip.offsetHeight + 16 ? top - tip.offsetHeight - 12 : top + 12) + "px";
    };
    box.addEventListener("pointermove", show);
    box.addEventListener("pointerdown", show);
    box.addEventListener("pointerleave", function () { tip.hidden = true; });
  });
})();`;

const SWEEP_CSS = `
.sweep-chart { position: relative; overflow-x: auto; }
.sweep-chart svg { display: block; width: 100%; min-width: 860px; height: auto; }
.sweep-chart circle.hit { cursor: crosshair; }
.sweep-chart circle.hit:hover { fill: rgba(31, 35, 40, 0.08); }
figure.sweep { margin: 28px 0 0; break-inside: avoid; }
ul.params { margin: 0; padding-left: 1.2em; }
details.sweep-figures { margin: 28px 0 0; }
details.sweep-figures > summary { cursor: pointer; font-weight: 600; }
details.sweep-figures td, details.sweep-figures th { white-space: nowrap; }
details.sweep-figures td.text { text-align: left; }
@media print { details.sweep-figures > .table-wrap { display: block; } }
`;

/** The report of a sweep's JSON; `seeds`: each grid point's first seed. Same input ⇒ same bytes. */
export function sweepReportHtml(input: SweepInput, seeds: ReadonlyArray<number>): string {
  const view = sweepView(input, seeds);
  return sweepPage(view, sweepTableHtml(input, new Map(view.charts.map((c) => [c.key, c.title]))));
}

/** The page of `view`, with `figures` (the table's HTML) after the charts. */
export function sweepPage(view: SweepView, figures = ""): string {
  const title = escapeXml(view.title);
  const charts = view.charts.map((chart) => {
    const svg = sweepLinesChart(chart, view.x, { width: SWEEP_CHART_WIDTH, fontSize: FONT_SIZE });
    return (
      `<figure class="sweep" id="metric-${escapeXml(chart.key)}"><h3>${escapeXml(chart.title)}</h3>` +
      `<div class="sweep-chart" data-metric="${escapeXml(chart.key)}">${svg}</div></figure>`
    );
  });
  const toc = [
    ...view.charts.map((c) => `<a href="#metric-${escapeXml(c.key)}">${escapeXml(c.title)}</a>`),
    ...(figures === "" ? [] : ['<a href="#figures">Figures</a>']),
  ];
  const css = `${REPORT_CSS}${SWEEP_CSS}`;
  return `${offlinePageHead({ script: TOOLTIP_SCRIPT, generator: view.generator, title: view.title, css })}
<body>
<header class="report-header">
<div><div class="kind">lbsim sweep report</div><h1>${title}</h1></div>
</header>
${partialHtml(view)}${metaHtml(view)}
<p class="caption">${escapeXml(captionOf(view))}</p>
<nav class="toc" aria-label="Metrics">${toc.join(" · ")}</nav>
<main>
${charts.join("\n")}
${figures}
</main>
<footer>Written by ${escapeXml(view.generator)}. Everything this page shows is in this file; it loads nothing from the network. The sweep's CSV and JSON (--csv, --json) hold every figure.</footer>
<script>${TOOLTIP_SCRIPT}</script>
</body>
</html>
`;
}

function partialHtml(view: SweepView): string {
  if (!view.partial) return "";
  const { missing, total } = view.runs;
  return `<p class="partial"><strong>Partial report.</strong> Ctrl-C stopped the sweep: ${missing} of ${total} runs are missing. Points with no finished run are gaps; the others are means over the replications that finished.</p>\n`;
}

/** How to read every chart, once above them. */
function captionOf(view: SweepView): string {
  const [first, ...others] = view.parameters;
  const panels =
    others.length === 0
      ? ""
      : ` One panel per value of ${others.map((p) => p.path).join(" × ")}; the panels of a chart share their y axis.`;
  const band =
    view.replications > 1 || view.replicationsAuto !== undefined
      ? " The shaded band around a line is the 95% confidence interval of that mean (Student's t over the replications): where two bands overlap, the sweep does not tell those strategies apart."
      : " With 1 replication there is no interval: run --replications N (N ≥ 2) for bands.";
  return (
    `Each chart draws one metric against ${first?.path ?? "the swept parameter"}, one line per strategy; a point is the mean over that point's replications.` +
    band +
    panels +
    " A gap in a line is a point where no run finished or the figure is missing (never a 0). Hover a point for its exact mean ± half-width and n."
  );
}

function metaHtml(view: SweepView): string {
  const rows: [string, string][] = [["Scenario", escapeXml(view.scenario)]];
  if (view.file !== "") rows.push(["File", `<code>${escapeXml(view.file)}</code>`]);
  const params = view.parameters.map(
    (p, i) =>
      `<li><code>${escapeXml(p.path)}</code> = ${escapeXml(p.values.join(", "))}${i === 0 ? " (x axis)" : " (panels)"}</li>`,
  );
  rows.push(["Swept", `<ul class="params">${params.join("")}</ul>`]);
  const points = view.parameters.reduce((n, p) => n * p.values.length, 1);
  const auto = view.replicationsAuto;
  const replications =
    auto === undefined
      ? `${view.replications}`
      : `auto: precision ${Number((auto.precision * 100).toPrecision(3))}% (95% half-width within that share of the mean), ${auto.min} to ${auto.max} per row`;
  rows.push([
    "Grid",
    escapeXml(
      `${points} point${points === 1 ? "" : "s"} × ${view.variants.length} strateg${view.variants.length === 1 ? "y" : "ies"} × ${auto === undefined ? `${view.replications} replication${view.replications === 1 ? "" : "s"}` : "replications auto"} = ${view.runs.total} runs${view.partial ? ` (${view.runs.done} done)` : ""}`,
    ),
  ]);
  rows.push(["Replications", escapeXml(replications)]);
  if (view.seeds.length > 0)
    rows.push([
      "Seed",
      escapeXml(
        `${seedList(view.seeds)}${auto !== undefined || view.replications > 1 ? " (replication r runs seed + r)" : ""}`,
      ),
    ]);
  rows.push([
    view.variants.length === 1 ? "Strategy" : "Strategies",
    `<ul class="variants">${view.variants
      .map(
        (v) =>
          `<li><span class="swatch" style="background:${/^#[0-9a-fA-F]{3,8}$/.test(v.color) ? v.color : "#8c959f"}"></span>${escapeXml(v.name)}</li>`,
      )
      .join("")}</ul>`,
  ]);
  rows.push(["lbsim", escapeXml(view.generator.replace(/^lbsim /, ""))]);
  return `<dl class="meta">${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

export type { SweepInput };
