// Health swimlanes: each server's HAProxy status over time in the stats page's colours, failed checks marked.
import { INK, STATE_COLORS, stateColor } from "../palette.js";
import { el, svgRoot, text, title } from "../svg.js";
import type { ChartOptions, Health } from "../view.js";
import {
  fitText,
  fitTextStart,
  formatAtMs,
  LEFT_EM,
  type LegendItem,
  layoutMarkers,
  legendSvg,
  lineHeight,
  markerBandHeight,
  markerKeySvg,
  markersSvg,
  plotGroup,
  RIGHT_EM,
  textWidth,
  timeAxisSvg,
  timeScale,
  X_AXIS_EM,
} from "./time-frame.js";

/** The states a legend can show, in the order a server goes through them; each with its colour. */
const STATE_LEGEND: ReadonlyArray<{ readonly label: string; readonly color: string; readonly test: RegExp }> =
  [
    { label: "UP", color: STATE_COLORS.up, test: /^UP$/ },
    { label: "going down (UP 1/3…)", color: STATE_COLORS.goingDown, test: /^UP / },
    { label: "DOWN", color: STATE_COLORS.down, test: /^DOWN$/ },
    { label: "going up (DOWN 1/2…)", color: STATE_COLORS.goingUp, test: /^DOWN / },
    { label: "DRAIN", color: STATE_COLORS.drain, test: /^DRAIN/ },
    { label: "NOLB", color: STATE_COLORS.nolb, test: /^NOLB/ },
    { label: "MAINT", color: STATE_COLORS.maint, test: /^MAINT/ },
    { label: "no check", color: STATE_COLORS.noCheck, test: /^(?!UP|DOWN|DRAIN|NOLB|MAINT|ABSENT)/ },
    { label: "not in the backend (ABSENT)", color: STATE_COLORS.absent, test: /^ABSENT$/ },
  ];

export const FAILED_CHECK_COLOR = "#a40e26";

export function healthChart(data: Health, o: ChartOptions): string {
  const { width, fontSize } = o;
  const { axis } = data;
  const variants = [...new Set(data.lanes.map((l) => l.variant.name))];
  const several = variants.length > 1;
  // Lanes of one server together, variants in their order.
  const serverOrder = [...new Set(data.lanes.map((l) => l.server))];
  const lanes = [...data.lanes].sort(
    (a, b) =>
      serverOrder.indexOf(a.server) - serverOrder.indexOf(b.server) ||
      variants.indexOf(a.variant.name) - variants.indexOf(b.variant.name),
  );

  const chartTitle = `Health of each server over time, in the colours of HAProxy's stats page${several ? ` (${variants.join(", ")})` : ""}`;
  // Servers without `check` whose status never changed: a wall of grey lanes would say nothing.
  if (lanes.length > 0 && lanes.every((l) => l.spans.every((span) => span.state === "no check"))) {
    const servers = serverOrder.length;
    const height = Math.ceil(fontSize * 3);
    return svgRoot(
      "health",
      { width, height, fontSize },
      chartTitle,
      text(
        `no health checks: ${servers === 1 ? "the server" : `all ${servers} servers`} stayed "no check" the whole run`,
        {
          class: "empty",
          x: width / 2,
          y: height / 2 + fontSize * 0.35,
          "text-anchor": "middle",
          fill: INK.muted,
        },
      ),
    );
  }

  const small = fontSize * 0.85;
  const states = new Set(lanes.flatMap((l) => l.spans.filter((s) => s.toMs > s.fromMs).map((s) => s.state)));
  const legendItems: LegendItem[] = STATE_LEGEND.filter((s) => [...states].some((st) => s.test.test(st))).map(
    (s) => ({ label: s.label, color: s.color, kind: "area" as const }),
  );
  if (lanes.some((l) => l.failedChecks.length > 0))
    legendItems.push({ label: "failed checks", color: FAILED_CHECK_COLOR, kind: "dot" });
  if (several)
    for (const l of data.lanes.filter(
      (l, i, all) => all.findIndex((m) => m.variant.name === l.variant.name) === i,
    ))
      legendItems.push({
        label: l.variant.name,
        color: l.variant.color,
        kind: "line",
        strokeWidth: fontSize / 4,
      });
  const legend = legendSvg(legendItems, width, fontSize);

  // Lane labels: as wide as the names need, at least the other time charts' margin, at most a third of the chart.
  // With several variants the server's name heads its group of lanes (the whole width is its), and
  // the lanes are labelled by variant.
  const serverWidth = several ? 0 : Math.max(0, ...serverOrder.map((s) => textWidth(s, fontSize)));
  const variantWidth = several ? Math.max(...variants.map((v) => textWidth(v, small))) + fontSize * 0.6 : 0;
  const labelWidth = Math.min(
    Math.max(LEFT_EM * fontSize, serverWidth + variantWidth + fontSize * 1.2),
    width / 3,
  );
  const x = timeScale(axis, labelWidth, width - RIGHT_EM * fontSize);
  const [x0] = x.range() as [number, number];
  const markers = layoutMarkers(data.actions, x, fontSize);
  const band = markerBandHeight(markers, fontSize);
  // Tall enough for a state's name in the upper part and failed-check dots under it.
  const laneHeight = fontSize * 1.9;
  const laneGap = fontSize * 0.3;
  const groupGap = several ? fontSize * 0.4 : 0;
  const headerHeight = several ? lineHeight(fontSize) : 0;
  const plotTop = fontSize * 0.5 + legend.height + band;
  let y = plotTop + laneGap;
  const laneSvgs: string[] = [];
  lanes.forEach((lane, i) => {
    const firstOfServer = i === 0 || lanes[i - 1]!.server !== lane.server;
    if (firstOfServer && i > 0) y += groupGap;
    const header =
      several && firstOfServer
        ? text(fitTextStart(lane.server, width - fontSize, fontSize * 1.1), {
            class: "lane-group",
            x: fontSize * 0.5,
            y: y + headerHeight - fontSize * 0.3,
            "font-weight": "bold",
            fill: INK.text,
          })
        : "";
    if (several && firstOfServer) y += headerHeight;
    const top = y;
    const bottom = y + laneHeight;
    const who = several ? `${lane.server} (${lane.variant.name})` : lane.server;
    const parts: string[] = [];
    for (const span of lane.spans) {
      const fromMs = Math.max(0, span.fromMs);
      const toMs = Math.min(axis.durationMs, span.toMs);
      if (!(toMs > fromMs)) continue;
      const w = x(toMs) - x(fromMs);
      parts.push(
        el(
          "rect",
          {
            class: "state",
            "data-server": lane.server,
            "data-variant": lane.variant.name,
            "data-state": span.state,
            "data-from-ms": String(span.fromMs),
            "data-to-ms": String(span.toMs),
            x: x(fromMs),
            y: top,
            width: w,
            height: laneHeight,
            fill: stateColor(span.state),
            "shape-rendering": "crispEdges",
          },
          title(`${who} ${span.state} from ${formatAtMs(span.fromMs)} to ${formatAtMs(span.toMs)}`),
        ),
      );
      // The state written in the span when it fits, so that the lane reads without the legend.
      if (textWidth(span.state, small) + small <= w)
        parts.push(
          text(span.state, {
            class: "state-label",
            x: x(fromMs) + small * 0.4,
            y: top + small * 1.15,
            "font-size": small,
            fill: INK.text,
            "pointer-events": "none",
          }),
        );
    }
    const r = fontSize * 0.22;
    for (const check of lane.failedChecks) {
      const toMs = Math.min(check.atMs + axis.bucketMs, axis.durationMs);
      parts.push(
        el(
          "circle",
          {
            class: "failed-check",
            "data-server": lane.server,
            "data-variant": lane.variant.name,
            "data-at-ms": String(check.atMs),
            "data-count": String(check.count),
            cx: x((check.atMs + toMs) / 2),
            cy: bottom - r - fontSize * 0.1,
            r,
            fill: FAILED_CHECK_COLOR,
            stroke: "#ffffff",
            "stroke-width": fontSize / 16,
          },
          title(
            `${who}: ${check.count} failed check${check.count === 1 ? "" : "s"} from ${formatAtMs(check.atMs)} to ${formatAtMs(toMs)}`,
          ),
        ),
      );
    }
    const baseline = top + laneHeight / 2 + fontSize * 0.35;
    const label = several
      ? header +
        el("rect", {
          x: x0 - fontSize * 0.5,
          y: top,
          width: fontSize * 0.3,
          height: laneHeight,
          fill: lane.variant.color,
        }) +
        text(fitText(lane.variant.name, variantWidth, small), {
          x: x0 - fontSize * 0.7,
          y: top + laneHeight / 2 + small * 0.35,
          "font-size": small,
          "text-anchor": "end",
          fill: INK.muted,
        })
      : text(fitTextStart(lane.server, labelWidth - fontSize, fontSize), {
          x: x0 - fontSize * 0.5,
          y: baseline,
          "text-anchor": "end",
          fill: INK.text,
        });
    laneSvgs.push(
      el(
        "g",
        { class: "lane", "data-server": lane.server, "data-variant": lane.variant.name },
        title(who),
        label,
        ...parts,
      ),
    );
    y = bottom + laneGap;
  });
  const plotBottom = y;
  const key = markerKeySvg(markers, width, fontSize);
  const height = Math.ceil(plotBottom + X_AXIS_EM * fontSize + key.height + fontSize * 0.5);
  const plot = plotGroup(
    x,
    {},
    timeAxisSvg(x, plotBottom, fontSize, plotBottom - plotTop),
    ...laneSvgs,
    markersSvg(markers, x, plotTop - band, plotBottom, fontSize),
  );
  return svgRoot(
    "health",
    { width, height, fontSize },
    chartTitle,
    legend.draw(fontSize * 0.5),
    plot,
    key.draw(plotBottom + X_AXIS_EM * fontSize),
  );
}
