// The HTML report: one self-contained page (CSP, inlined view JSON and script) with header, tables and chart slots.
import { type ChartSlot, chartSlots, notRun } from "./charts/index.js";
import { offlinePageHead } from "./page-csp.js";
import { clientBundle } from "./report-bundle.js";
import { REPORT_CSS } from "./report-style.js";
import { escapeXml } from "./svg.js";
import { checksHtml, instancesTableHtml, statsTableHtml, summaryHtml } from "./tables.js";
import type { ReportView, SectionView, Variant } from "./view.js";

/** What each chart shows, under its heading: how to read it in one sentence. */
const CAPTIONS: Readonly<Record<ChartSlot["chart"], string>> = {
  "latency-over-time":
    "Percentiles (p50, p90, p99) of the requests that finished in each time bucket. Vertical lines mark the timeline's actions; shaded spans are failover windows (action → DOWN → UP).",
  distribution:
    'Latency at each percentile on a "nines" axis (50%, 90%, 99%, 99.9%…), as HdrHistogram plots it: the further right, the rarer the request.',
  "errors-over-time": "Failed requests per time bucket, stacked by status and by HAProxy termination state.",
  shares: "Each server's share of the requests; the ideal share by weight is marked.",
  "server-load":
    "Requests in flight on each server and waiting in its queue, averaged over each time bucket.",
  health:
    "Each server's status over time in the colours of HAProxy's stats page (UP, DOWN, going up or down, DRAIN, MAINT); failed checks are marked.",
  "instance-shares":
    "Each dot is one balancer instance: the server's share of that instance's requests, each instance counting its own connections. The tick is the share over every instance together; the figures at the right are that share and the instances' range.",
};

const HEADINGS: Readonly<Record<ChartSlot["chart"], string>> = {
  "latency-over-time": "Latency over time",
  distribution: "Latency distribution",
  "errors-over-time": "Errors over time",
  shares: "Requests per server",
  "server-load": "In flight and queued",
  health: "Health",
  "instance-shares": "Requests per server, instance by instance",
};

/**
 * One complete HTML5 document for `view`. Everything is in the file: no request leaves the page
 * (its Content-Security-Policy allows no network at all) and the data is inlined as JSON that the
 * script only parses. Header and tables are written here, so they read without scripts; the charts
 * are drawn by the script at the page's width. Same view ⇒ same bytes.
 */
export function reportHtml(view: ReportView): string {
  const script = clientBundle();
  const slots = chartSlots(view);
  const title = escapeXml(view.title);
  return `${offlinePageHead({ script, generator: view.generator, title: view.title, css: REPORT_CSS })}
<body>
<header class="report-header">
<div><div class="kind">lbsim ${escapeXml(view.kind)} report</div><h1>${title}</h1></div>
<button id="large-type" type="button" aria-pressed="false" hidden title="Bigger text and charts, for a projector (#large in the address)">Large type</button>
</header>
${view.partial === true ? '<p class="partial"><strong>Partial report.</strong> Ctrl-C stopped it: it shows only what had finished.</p>\n' : ""}${tableOfContents(view)}<main>
${view.sections
  .map((section, index) =>
    sectionHtml(
      section,
      slots.filter((slot) => slot.section === index),
      view.sections.length,
    ),
  )
  .join("\n")}
</main>
<footer>Written by ${escapeXml(view.generator)}. Everything this page shows is in this file; it loads nothing from the network.</footer>
<script type="application/json" id="view">${viewJson(view)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/**
 * The view as JSON that no data can end early: every `<` is written `\u003c` (still the same
 * string to JSON.parse), so neither `</script>` nor `<!--` can appear in the element. Fractions
 * keep 7 significant digits (1 ms over hours; tooltips show 3): a double's 17 would make a long
 * comparison's page twice as big for digits nobody can see.
 */
export function viewJson(view: ReportView): string {
  return JSON.stringify(view, (_key, value: unknown) =>
    typeof value === "number" && !Number.isInteger(value) && Number.isFinite(value)
      ? Number(value.toPrecision(SIGNIFICANT_DIGITS))
      : value,
  ).replace(/</g, "\\u003c");
}

const SIGNIFICANT_DIGITS = 7;

function tableOfContents(view: ReportView): string {
  const manyBackends = view.sections.some((s) => s.backends.length > 1);
  if (view.sections.length < 2 && !manyBackends) return "";
  const items = view.sections.map((section) => {
    const parts = [
      link(`${section.id}-summary`, "Summary"),
      ...(section.checks.length > 0 ? [link(`${section.id}-expectations`, "Expectations")] : []),
      ...(notRun(section) === undefined
        ? [
            link(`${section.id}-latency-over-time`, "Latency"),
            ...section.backends.map((b, i) => link(`${section.id}-b${i}`, `Backend ${b.name}`)),
            ...(section.instances === undefined
              ? []
              : [link(`${section.id}-instances`, "Balancer instances")]),
          ]
        : []),
    ];
    const status = section.status === undefined ? "" : ` ${statusBadge(section.status)}`;
    return `<li>${link(section.id, section.scenario)}${status}<br>${parts.join(" · ")}</li>`;
  });
  return `<nav class="toc" aria-label="Contents"><ol>${items.join("")}</ol></nav>\n`;
}

function link(id: string, label: string): string {
  return `<a href="#${escapeXml(id)}">${escapeXml(label)}</a>`;
}

function statusBadge(status: string): string {
  const kind = status === "pass" ? "pass" : status === "fail" ? "fail" : "other";
  return `<span class="status status-${kind}">${escapeXml(status)}</span>`;
}

function sectionHtml(section: SectionView, slots: ReadonlyArray<ChartSlot>, sections: number): string {
  const id = escapeXml(section.id);
  const heading = sections > 1 || section.status !== undefined;
  const chart = (slot: ChartSlot | undefined, anchor: string, level: "h3" | "h4") =>
    slot === undefined
      ? ""
      : `<figure id="${escapeXml(anchor)}"><${level}>${escapeXml(HEADINGS[slot.chart])}</${level}>` +
        `<p class="caption">${escapeXml(CAPTIONS[slot.chart])}</p>` +
        `<div class="chart" data-chart-id="${escapeXml(slot.file)}" data-chart="${slot.chart}" role="img" aria-label="${escapeXml(slot.title)}">` +
        `<noscript><p class="noscript">The charts are drawn by the page's script; the tables hold the figures.</p></noscript></div></figure>`;
  const ofSection = (name: ChartSlot["chart"]) =>
    slots.find((s) => s.chart === name && s.backend === undefined);
  const backends = section.backends.map((backend, b) => {
    const own = (name: ChartSlot["chart"]) => slots.find((s) => s.chart === name && s.backend === b);
    return (
      `<section class="backend" id="${id}-b${b}"><h3 class="backend-title">Backend ${escapeXml(backend.name)}</h3>` +
      (backend.folded !== undefined && backend.folded > 0
        ? `<p class="caption">${backend.folded} servers are folded into "other" in the time charts.</p>`
        : "") +
      chart(own("shares"), `${section.id}-b${b}-shares`, "h4") +
      chart(own("server-load"), `${section.id}-b${b}-server-load`, "h4") +
      chart(own("health"), `${section.id}-b${b}-health`, "h4") +
      `<h4>Servers</h4><div class="table-wrap">${statsTableHtml(backend, section.variants)}</div></section>`
    );
  });
  return [
    `<section class="scenario" id="${id}">`,
    heading
      ? `<h2>${escapeXml(section.scenario)}${section.status === undefined ? "" : ` ${statusBadge(section.status)}`}</h2>`
      : "",
    metaHtml(section),
    `<section class="summary" id="${id}-summary"><h3>Summary</h3>${summaryHtml(section)}</section>`,
    section.checks.length > 0
      ? `<section class="expectations" id="${id}-expectations"><h3>Expectations</h3><div class="table-wrap">${checksHtml(section)}</div></section>`
      : "",
    ...(notRun(section) === undefined
      ? [
          chart(ofSection("latency-over-time"), `${section.id}-latency-over-time`, "h3"),
          chart(ofSection("distribution"), `${section.id}-distribution`, "h3"),
          chart(ofSection("errors-over-time"), `${section.id}-errors-over-time`, "h3"),
          ...backends,
          instancesHtml(section, ofSection("instance-shares"), chart),
        ]
      : [`<p class="not-run">Not run: ${escapeXml(notRun(section) ?? "")}. There is nothing to draw.</p>`]),
    "</section>",
  ]
    .filter((part) => part !== "")
    .join("\n");
}

/** Several balancer instances: how each spread its requests (the chart), then each one's figures (the table). */
function instancesHtml(
  section: SectionView,
  slot: ChartSlot | undefined,
  chart: (slot: ChartSlot | undefined, anchor: string, level: "h3" | "h4") => string,
): string {
  const instances = section.instances;
  if (instances === undefined) return "";
  const id = escapeXml(section.id);
  return (
    `<section class="instances" id="${id}-instances"><h3 class="backend-title">Balancer instances</h3>` +
    `<p class="caption">${instances.instances.length} instances share the servers, each with its own strategy state, queues and health checks (<code>balancers:</code>). The table gives each one's requests, latency, longest queue, the checks it ran, the DOWNs it saw and how it spread its requests.</p>` +
    chart(slot, `${section.id}-instance-shares`, "h4") +
    `<h4>Instances</h4><div class="table-wrap">${instancesTableHtml(instances, section.variants, section.replications)}</div></section>`
  );
}

/** The section's header: scenario, file, description (as text), seeds, replications, the variants' colours. */
function metaHtml(section: SectionView): string {
  const rows: [string, string][] = [["Scenario", escapeXml(section.scenario)]];
  if (section.file !== undefined) rows.push(["File", `<code>${escapeXml(section.file)}</code>`]);
  if (section.description !== undefined && section.description.trim() !== "")
    rows.push(["Description", descriptionHtml(section.description.trim())]);
  if (section.seeds.length > 0)
    rows.push([section.seeds.length === 1 ? "Seed" : "Seeds", escapeXml(seedList(section.seeds))]);
  rows.push(["Replications", String(section.replications)]);
  rows.push([
    section.variants.length === 1 ? "Strategy" : "Strategies",
    `<ul class="variants">${section.variants.map(variantItem).join("")}</ul>`,
  ]);
  return `<dl class="meta">${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join("")}</dl>`;
}

/** Characters of description shown in full; a longer one opens on its first sentence, so the summary stays in view. */
const SHORT_DESCRIPTION = 160;

function descriptionHtml(description: string): string {
  const full = `<span class="description">${escapeXml(description)}</span>`;
  if (description.length <= SHORT_DESCRIPTION) return full;
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(description)?.[0] ?? "";
  const opening =
    sentence.length > 0 && sentence.length <= SHORT_DESCRIPTION
      ? sentence
      : `${description.slice(0, SHORT_DESCRIPTION)}…`;
  return `<details class="description-more"><summary>${escapeXml(opening)}</summary>${full}</details>`;
}

function variantItem(variant: Variant): string {
  return `<li><span class="swatch" style="background:${safeColor(variant.color)}"></span>${escapeXml(variant.name)}</li>`;
}

/** A colour from the view, only if it is a plain hex colour: nothing else reaches a style attribute. */
function safeColor(color: string): string {
  return /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : "#8c959f";
}

/** `7`, `7–36` (consecutive), or the list: replications use consecutive seeds. */
export function seedList(seeds: ReadonlyArray<number>): string {
  const first = seeds[0];
  const last = seeds.at(-1);
  if (first === undefined || last === undefined) return "";
  const consecutive = seeds.every((seed, i) => seed === first + i);
  if (seeds.length > 2 && consecutive) return `${first}–${last}`;
  return seeds.join(", ");
}
