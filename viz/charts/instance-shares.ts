// Requests per server as each balancer instance spread them: a dot per instance, the total marked.
import { scaleLinear } from "d3-scale";
import { axisBottom, formatShare } from "../axis.js";
import { INK } from "../palette.js";
import { el, svgRoot, text, title } from "../svg.js";
import type { BalancerInstances, ChartOptions } from "../view.js";
import { type LegendItem, legend, textWidth } from "./variant-legend.js";

/** The colour of the all-instances mark: near-black, as the shares chart's ideal mark. */
const TOTAL_COLOR = "#1f2328";

/**
 * The instances chart (`data-chart="instance-shares"`): one row per server (per variant within it),
 * each instance's share of its own requests as a dot on a line from the lowest to the highest, and
 * the share over every instance together as a tick. Dots that would sit on each other are spread
 * over the row's height in instance order, so 2 instances and 64 both read.
 */
export function instanceSharesChart(data: BalancerInstances, o: ChartOptions): string {
  const { width, fontSize } = o;
  const variantCount = data.variants.length;
  const items: LegendItem[] = [];
  if (variantCount > 1)
    for (const v of data.variants) items.push({ label: v.variant.name, color: v.variant.color, kind: "box" });
  items.push({ label: "all instances together", color: TOTAL_COLOR, kind: "line" });
  const maxLabelChars = Math.max(6, Math.floor((width * 0.3) / (fontSize * 0.6)));
  const labels = data.servers.map((s) =>
    s.length > maxLabelChars ? `${s.slice(0, maxLabelChars - 1)}…` : s,
  );
  const left =
    Math.min(width * 0.32, Math.max(...labels.map((l) => textWidth(l, fontSize)), 0)) + fontSize * 1.5;
  // The figures at the right ("26.8% (25.9%–27.6%)") get the room their longest one needs.
  const figures = data.variants.map((v) =>
    data.servers.map((_, si) => figureText(v.total[si], v.shares[si] ?? [])),
  );
  const longest = Math.max(0, ...figures.flat().map((f) => f.length));
  const right = Math.min(width * 0.3, textWidth("x".repeat(longest), fontSize * 0.85) + fontSize * 1.2);
  const legendBox = legend(items, { x: left, y: fontSize * 0.3, width: width - left - fontSize, fontSize });

  const rowHeight = fontSize * 2.2;
  const rowGap = fontSize * 0.2;
  const groupPadding = fontSize * 0.8;
  const groupHeight = variantCount * rowHeight + Math.max(0, variantCount - 1) * rowGap + groupPadding;
  const top = legendBox.height + fontSize * 0.8;
  const plotHeight = Math.max(1, data.servers.length) * groupHeight;
  const height = Math.round(top + plotHeight + fontSize * 3.8);

  let maxShare = 0;
  for (const v of data.variants) {
    for (const row of v.shares)
      for (const share of row) if (Number.isFinite(share)) maxShare = Math.max(maxShare, share);
    for (const share of v.total) if (Number.isFinite(share)) maxShare = Math.max(maxShare, share);
  }
  const x = scaleLinear()
    .domain([0, Math.min(1, maxShare > 0 ? maxShare * 1.05 : 1)])
    .nice(6)
    .range([left, width - right]);
  const radius = Math.max(2.5, fontSize * 0.32);
  const instanceCount = data.instances.length;

  const groups = data.servers.map((server, si) => {
    const gy = top + si * groupHeight + groupPadding / 2;
    const inner = gy + groupHeight - groupPadding;
    const children: string[] = [
      text(labels[si]!, {
        class: "server-label",
        x: left - fontSize * 0.5,
        y: (gy + inner) / 2 + fontSize * 0.35,
        "text-anchor": "end",
        fill: INK.text,
      }),
    ];
    data.variants.forEach((v, vi) => {
      const ry = gy + vi * (rowHeight + rowGap);
      const cy = ry + rowHeight / 2;
      const shares = v.shares[si] ?? [];
      const finite = shares.filter((s) => Number.isFinite(s));
      if (finite.length > 0) {
        const low = Math.min(...finite);
        const high = Math.max(...finite);
        children.push(
          el("line", {
            class: "instance-range",
            x1: x(low),
            x2: x(high),
            y1: cy,
            y2: cy,
            stroke: v.variant.color,
            "stroke-opacity": 0.45,
            "stroke-width": Math.max(2, fontSize * 0.2),
          }),
        );
      }
      shares.forEach((share, ii) => {
        if (!Number.isFinite(share)) return;
        const instance = data.instances[ii]!;
        // Spread over the row's height in instance order: equal shares stay visible as a column.
        const offset = instanceCount < 2 ? 0 : (ii / (instanceCount - 1) - 0.5) * (rowHeight - 2 * radius);
        children.push(
          el(
            "circle",
            {
              class: "instance-dot",
              "data-series": `${v.variant.name}|${server}|${instance}`,
              "data-value": String(share),
              cx: x(share),
              cy: cy + offset,
              r: radius,
              fill: v.variant.color,
              "fill-opacity": 0.8,
              stroke: "#ffffff",
              "stroke-width": 1,
            },
            title(
              `${instance} → ${server}: ${formatShare(share)} of ${instance}'s requests${variantSuffix(v.variant.name, variantCount)}`,
            ),
          ),
        );
      });
      const total = v.total[si];
      if (total !== undefined && Number.isFinite(total)) {
        const tx = x(total);
        children.push(
          el(
            "line",
            {
              class: "total-mark",
              "data-series": `${v.variant.name}|${server}`,
              "data-value": String(total),
              x1: tx,
              x2: tx,
              y1: ry,
              y2: ry + rowHeight,
              stroke: TOTAL_COLOR,
              "stroke-width": Math.max(2, fontSize * 0.18),
            },
            title(
              `all instances → ${server}: ${formatShare(total)} of the requests${variantSuffix(v.variant.name, variantCount)}`,
            ),
          ),
        );
        children.push(
          text(figures[vi]![si]!, {
            class: "value",
            x: width - right + fontSize * 0.6,
            y: cy + fontSize * 0.3,
            "font-size": fontSize * 0.85,
            fill: INK.muted,
          }),
        );
      }
    });
    return el("g", { class: "server", "data-server": server }, ...children);
  });
  const parts = [
    legendBox.svg,
    axisBottom(x, top + plotHeight, {
      fontSize,
      ticks: 6,
      format: (v) => `${Math.round(v * 1000) / 10}`,
      label: "share of each instance's requests (%)",
      gridLength: plotHeight,
    }),
    el("g", { class: "plot" }, ...groups),
  ];
  return svgRoot(
    "instance-shares",
    { width, height, fontSize },
    "Share of requests per server, balancer instance by balancer instance",
    ...parts,
  );
}

function variantSuffix(name: string, count: number): string {
  return count > 1 ? ` (${name})` : "";
}

/** The figures at the right of a row: the share over every instance, then the instances' range. */
function figureText(total: number | undefined, shares: ReadonlyArray<number>): string {
  if (total === undefined || !Number.isFinite(total)) return "";
  const finite = shares.filter((s) => Number.isFinite(s));
  const range =
    finite.length > 0 ? ` (${formatShare(Math.min(...finite))}–${formatShare(Math.max(...finite))})` : "";
  return `${formatShare(total)}${range}`;
}
