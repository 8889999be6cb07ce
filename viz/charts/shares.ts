// Requests per server: grouped horizontal share bars per variant, their 95% whiskers, the ideal share by weight.
import { scaleLinear } from "d3-scale";
import { axisBottom, formatShare } from "../axis.js";
import { INK } from "../palette.js";
import { coord, el, svgRoot, text, title } from "../svg.js";
import type { ChartOptions, Shares } from "../view.js";
import { type LegendItem, legend, textWidth } from "./variant-legend.js";

/** The colour of the ideal-share mark: near-black, so it reads over every variant colour. */
const IDEAL_COLOR = "#1f2328";

/** The shares chart (`data-chart="shares"`): one group of bars per server, one bar per variant. */
export function sharesChart(data: Shares, o: ChartOptions): string {
  const { width, fontSize } = o;
  const variantCount = data.bars.length;
  const hasIdeal = data.servers.some((s) => s.idealShare !== null);
  const items: LegendItem[] = [];
  if (variantCount > 1)
    for (const b of data.bars) items.push({ label: b.variant.name, color: b.variant.color, kind: "box" });
  if (hasIdeal) items.push({ label: "ideal share by weight", color: IDEAL_COLOR, kind: "line" });
  // Labels take at most a third of the width; longer names are cut with "…" (the tooltip has them whole).
  const maxLabelChars = Math.max(6, Math.floor((width * 0.33) / (fontSize * 0.6)));
  const labels = data.servers.map((s) => cut(s.name + (s.backup ? " (backup)" : ""), maxLabelChars));
  const left =
    Math.min(width * 0.35, Math.max(...labels.map((l) => textWidth(l, fontSize)), 0)) + fontSize * 1.5;
  const legendBox = legend(items, { x: left, y: fontSize * 0.3, width: width - left - fontSize, fontSize });

  const barHeight = fontSize * 1.1;
  const barGap = fontSize * 0.15;
  const groupPadding = fontSize * 0.7;
  const groupHeight = variantCount * barHeight + Math.max(0, variantCount - 1) * barGap + groupPadding;
  const top = legendBox.height + fontSize * 0.8;
  const plotHeight = Math.max(1, data.servers.length) * groupHeight;
  const bottom = fontSize * 3.8;
  const height = Math.round(top + plotHeight + bottom);
  const right = fontSize * 3.6;

  let maxShare = 0;
  for (const b of data.bars) for (const s of b.shares) maxShare = Math.max(maxShare, s.share, s.high ?? 0);
  for (const s of data.servers) maxShare = Math.max(maxShare, s.idealShare ?? 0);
  const x = scaleLinear()
    .domain([0, Math.min(1, maxShare > 0 ? maxShare * 1.05 : 1)])
    .nice(6)
    .range([left, width - right]);
  const yBottom = top + plotHeight;

  const parts: string[] = [
    legendBox.svg,
    axisBottom(x, yBottom, {
      fontSize,
      ticks: 6,
      format: (v) => `${coord(v * 100)}`,
      label: "share of requests (%)",
      gridLength: plotHeight,
    }),
  ];
  const whiskerCap = barHeight * 0.3;
  const groups = data.servers.map((server, si) => {
    const gy = top + si * groupHeight + groupPadding / 2;
    const inner = gy + groupHeight - groupPadding;
    const children: string[] = [];
    if (server.backup)
      children.push(
        el("rect", {
          class: "backup-row",
          x: 0,
          y: gy - groupPadding / 2,
          width,
          height: groupHeight,
          fill: "#f0f4fb",
        }),
      );
    children.push(
      el(
        "g",
        { class: "server-label" },
        text(labels[si]!, {
          x: left - fontSize * 0.5,
          y: (gy + inner) / 2 + fontSize * 0.35,
          "text-anchor": "end",
          fill: INK.text,
        }),
        title(
          `${server.name}${server.backup ? " (backup)" : ""}${server.weight === null ? "" : `, weight ${server.weight}`}`,
        ),
      ),
    );
    data.bars.forEach((b, vi) => {
      const s = b.shares[si];
      if (s === undefined) return;
      const by = gy + vi * (barHeight + barGap);
      const cy = by + barHeight / 2;
      const band = s.low !== undefined && s.high !== undefined ? { low: s.low, high: s.high } : null;
      children.push(
        el(
          "rect",
          {
            class: "bar",
            "data-series": `${b.variant.name}|${server.name}`,
            "data-value": String(s.share),
            x: x(0),
            y: by,
            width: Math.max(0, x(s.share) - x(0)),
            height: barHeight,
            fill: b.variant.color,
          },
          title(
            `${b.variant.name} → ${server.name}: ${formatShare(s.share)} of requests${
              band ? ` (95% CI ${formatShare(band.low)} – ${formatShare(band.high)})` : ""
            }`,
          ),
        ),
      );
      if (band) {
        const xl = x(band.low);
        const xh = x(band.high);
        children.push(
          el(
            "g",
            {
              class: "whisker",
              "data-series": `${b.variant.name}|${server.name}`,
              "data-low": String(band.low),
              "data-high": String(band.high),
              stroke: INK.text,
              "stroke-width": Math.max(1, fontSize * 0.1),
            },
            el("line", { x1: xl, x2: xh, y1: cy, y2: cy }),
            el("line", { x1: xl, x2: xl, y1: cy - whiskerCap, y2: cy + whiskerCap }),
            el("line", { x1: xh, x2: xh, y1: cy - whiskerCap, y2: cy + whiskerCap }),
          ),
        );
      }
      const labelX = Math.max(x(s.share), band ? x(band.high) : 0) + fontSize * 0.3;
      children.push(
        text(formatShare(s.share), {
          class: "value",
          x: labelX,
          y: cy + fontSize * 0.3,
          "font-size": fontSize * 0.85,
          fill: INK.muted,
          // A white halo keeps the figure legible where the ideal mark or a whisker crosses it.
          stroke: "#ffffff",
          "stroke-width": fontSize * 0.25,
          "paint-order": "stroke",
        }),
      );
    });
    if (server.idealShare !== null) {
      const ix = x(server.idealShare);
      children.push(
        el(
          "line",
          {
            class: "ideal",
            "data-server": server.name,
            "data-value": String(server.idealShare),
            x1: ix,
            x2: ix,
            y1: gy - groupPadding * 0.3,
            y2: inner + groupPadding * 0.3,
            stroke: IDEAL_COLOR,
            "stroke-width": Math.max(2, fontSize * 0.18),
          },
          title(`${server.name}: ideal share by weight ${formatShare(server.idealShare)}`),
        ),
      );
    }
    return el(
      "g",
      { class: "server", "data-server": server.name, "data-backup": server.backup },
      ...children,
    );
  });
  parts.push(el("g", { class: "plot" }, ...groups));
  return svgRoot("shares", { width, height, fontSize }, "Share of requests per server", ...parts);
}

/** A label cut to `maxChars` characters. */
function cut(label: string, maxChars: number): string {
  return label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label;
}
