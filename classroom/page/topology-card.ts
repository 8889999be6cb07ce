// One server's card in the topology: its name, weight, state in HAProxy's stats-page colour, health meter and failed checks, queue and in-flight bars (or one box per maxconn slot). Built once per server; `drawCard` on each snapshot, `drawLoad` on each frame.

import type { ServerSnapshot } from "../../sim/index.js";
import { fitText } from "../../viz/charts/text-layout.js";
import { setAttr, setText, svgElement } from "./svg-dom.js";
import {
  checksFailedText,
  checksTitle,
  healthMeter,
  inFlightText,
  serverTitle,
  slotBoxes,
} from "./topology-labels.js";
import { METER_EM, type TopologyLayout } from "./topology-layout.js";
import { stateColor, type ViewStyle } from "./view-style.js";

export interface Card {
  readonly g: SVGGElement;
  readonly title: SVGTitleElement;
  readonly rect: SVGRectElement;
  readonly name: SVGTextElement;
  readonly weight: SVGTextElement;
  readonly state: SVGTextElement;
  readonly meter: SVGGElement;
  readonly checks: SVGTextElement;
  readonly checksTitle: SVGTitleElement;
  readonly queueTrack: SVGRectElement;
  readonly queueFill: SVGRectElement;
  readonly queueText: SVGTextElement;
  readonly flightTrack: SVGRectElement;
  readonly flightFill: SVGRectElement;
  readonly flightText: SVGTextElement;
  readonly slots: SVGGElement;
  /** What the last `drawCard` drew the meter and slots for, so they are rebuilt only when it changes. */
  meterKey: string;
  slotCount: number;
  /** The load the bars show now: eased toward each snapshot's by the card's "load" transition. */
  shown: { inFlight: number; queued: number };
}

export function createCard(style: ViewStyle): Card {
  const g = svgElement("g", { class: "server" });
  const title = svgElement("title");
  const rect = svgElement("rect", { class: "card", rx: 4 });
  const text = (cls: string, weight = "normal") =>
    svgElement("text", { class: cls, "font-weight": weight, fill: style.cardInk });
  const name = text("name", "bold");
  const weight = text("weight");
  const state = text("state", "bold");
  const meter = svgElement("g", { class: "meter" });
  const checks = text("checks");
  const checksTip = svgElement("title");
  meter.appendChild(svgElement("title"));
  const queueTrack = svgElement("rect", {
    class: "queue-track",
    fill: style.background,
    stroke: style.outline,
  });
  const queueFill = svgElement("rect", { class: "queue-fill", fill: style.queue });
  const queueText = text("queue-value");
  const flightTrack = svgElement("rect", {
    class: "inflight-track",
    fill: style.background,
    stroke: style.outline,
  });
  const flightFill = svgElement("rect", { class: "inflight-fill", fill: style.busy });
  const flightText = text("inflight-value");
  const slots = svgElement("g", { class: "slots" });
  checks.appendChild(checksTip);
  g.append(title, rect, name, weight, state, meter, checks, queueTrack, queueFill, queueText);
  g.append(flightTrack, flightFill, slots, flightText);
  return {
    g,
    title,
    rect,
    name,
    weight,
    state,
    meter,
    checks,
    checksTitle: checksTip,
    queueTrack,
    queueFill,
    queueText,
    flightTrack,
    flightFill,
    flightText,
    slots,
    meterKey: "",
    slotCount: -1,
    shown: { inFlight: 0, queued: 0 },
  };
}

/** Sizes and static parts: on a snapshot or a relayout (cheap when nothing changed: attributes are written only when they differ). */
export function drawCard(
  card: Card,
  server: ServerSnapshot,
  box: { width: number; height: number },
  layout: TopologyLayout,
  maxconn: number | undefined,
  style: ViewStyle,
): void {
  const fs = style.fontSize;
  const small = style.smallFontSize;
  const { columns } = layout;
  // One line: everything on the middle; two: name, weight and state above, the load below.
  const twoLines = columns.lines === 2;
  const top = twoLines ? box.height * 0.3 : box.height / 2;
  const mid = twoLines ? box.height * 0.72 : box.height / 2;
  const topBaseline = top + fs * 0.36;
  const baseline = mid + fs * 0.36;
  setText(card.title, serverTitle(server, maxconn));
  setAttr(card.rect, "width", box.width);
  setAttr(card.rect, "height", box.height);
  setAttr(card.rect, "fill", stateColor(server.state));
  setAttr(card.rect, "stroke", style.outline);
  setAttr(card.rect, "stroke-width", style.strokeWidth);
  card.g.setAttribute("data-state", server.state);

  // Names are text nodes: a hostile name shows as its characters. Cut to the column, whole in the tooltip.
  setText(card.name, fitText(server.name, columns.name.width, fs * 1.1));
  place(card.name, columns.name.x, topBaseline);
  setAttr(card.name, "font-size", fs);
  setText(card.weight, String(server.weight));
  place(card.weight, columns.weight.x + columns.weight.width, topBaseline);
  setAttr(card.weight, "text-anchor", "end");
  setText(card.state, server.state);
  place(card.state, columns.state.x, topBaseline);

  drawMeter(card, server, columns.checks.x, mid, style);
  setText(card.checks, checksFailedText(server.checksFailed));
  setText(card.checksTitle, checksTitle(server));
  place(card.checks, columns.checks.x + fs * (METER_EM + 0.3), mid + small * 0.36);
  setAttr(card.checks, "font-size", small);

  const barHeight = Math.min(fs * 1.1, box.height * (twoLines ? 0.3 : 0.5));
  const barY = mid - barHeight / 2;
  const numberW = fs * 2;
  setText(card.queueText, String(server.queued));
  place(card.queueText, columns.queue.x + numberW - fs * 0.3, baseline);
  setAttr(card.queueText, "text-anchor", "end");
  setAttr(card.queueText, "fill", server.queued > 0 ? style.queue : style.cardInk);
  setAttr(card.queueTrack, "x", columns.queue.x + numberW);
  setAttr(card.queueTrack, "y", barY);
  setAttr(card.queueTrack, "width", Math.max(0, columns.queue.width - numberW));
  setAttr(card.queueTrack, "height", barHeight);
  setAttr(card.queueTrack, "stroke-width", style.strokeWidth * 0.7);
  setAttr(card.queueFill, "x", columns.queue.x + numberW);
  setAttr(card.queueFill, "y", barY);
  setAttr(card.queueFill, "height", barHeight);

  const barWidth = Math.max(fs, columns.inFlight.width - columns.inFlightNumber);
  setText(card.flightText, inFlightText(server.inFlight, maxconn));
  place(card.flightText, columns.inFlight.x + barWidth + fs * 0.4, baseline);
  const boxes = slotBoxes(maxconn, barWidth, fs);
  if (card.slotCount !== boxes || card.slots.getAttribute("data-width") !== String(Math.round(barWidth))) {
    card.slotCount = boxes;
    card.slots.setAttribute("data-width", String(Math.round(barWidth)));
    card.slots.replaceChildren();
    const slotWidth = Math.min(fs * 1.3, barWidth / Math.max(1, boxes));
    for (let i = 0; i < boxes; i++)
      card.slots.appendChild(
        svgElement("rect", {
          x: columns.inFlight.x + i * slotWidth,
          y: barY,
          width: Math.max(1, slotWidth - Math.max(2, fs * 0.15)),
          height: barHeight,
          fill: style.background,
          stroke: style.outline,
          "stroke-width": style.strokeWidth * 0.7,
        }),
      );
  }
  const bar = boxes === 0;
  setAttr(card.flightTrack, "visibility", bar ? "visible" : "hidden");
  setAttr(card.flightFill, "visibility", bar ? "visible" : "hidden");
  setAttr(card.flightTrack, "x", columns.inFlight.x);
  setAttr(card.flightTrack, "y", barY);
  setAttr(card.flightTrack, "width", barWidth);
  setAttr(card.flightTrack, "height", barHeight);
  setAttr(card.flightTrack, "stroke-width", style.strokeWidth * 0.7);
  setAttr(card.flightFill, "x", columns.inFlight.x);
  setAttr(card.flightFill, "y", barY);
  setAttr(card.flightFill, "height", barHeight);
}

/**
 * The moving parts, on every frame: the queue and in-flight bars at their interpolated values
 * (`scale` is what a full bar means when there is no maxconn), or the slots filled.
 */
export function drawLoad(
  card: Card,
  shown: { inFlight: number; queued: number },
  scales: { inFlight: number; queued: number },
  layout: TopologyLayout,
  style: ViewStyle,
): void {
  const fs = style.fontSize;
  const { columns } = layout;
  const queueWidth = Math.max(0, columns.queue.width - fs * 2);
  setAttr(card.queueFill, "width", queueWidth * Math.min(1, shown.queued / Math.max(1, scales.queued)));
  if (card.slotCount > 0) {
    const lit = Math.round(shown.inFlight);
    const slots = card.slots.children;
    for (let i = 0; i < slots.length; i++)
      setAttr(slots[i]!, "fill", i < lit ? style.busy : style.background);
    return;
  }
  const barWidth = Math.max(fs, columns.inFlight.width - columns.inFlightNumber);
  setAttr(card.flightFill, "width", barWidth * Math.min(1, shown.inFlight / Math.max(1, scales.inFlight)));
}

/** The health meter: one segment per value of the health counter, lit up to it, a mark where UP begins. */
function drawMeter(card: Card, server: ServerSnapshot, x: number, mid: number, style: ViewStyle): void {
  const meter = healthMeter(server);
  const fs = style.fontSize;
  const key = meter === null ? "none" : `${meter.segments}/${meter.filled}/${meter.upFrom}/${x}/${mid}`;
  if (card.meterKey === key) return;
  card.meterKey = key;
  const tip = card.meter.firstChild as SVGTitleElement;
  setText(tip, checksTitle(server));
  card.meter.replaceChildren(tip);
  card.meter.setAttribute("data-health", meter === null ? "" : `${meter.filled}/${meter.segments}`);
  if (meter === null) return;
  const width = fs * METER_EM;
  const height = fs * 0.8;
  const segment = width / meter.segments;
  for (let i = 0; i < meter.segments; i++) {
    const lit = i < meter.filled;
    card.meter.appendChild(
      svgElement("rect", {
        x: x + i * segment,
        y: mid - height / 2,
        width: Math.max(1, segment - 1.5),
        height,
        fill: lit ? (meter.filled >= meter.upFrom ? style.healthUp : style.healthDown) : style.healthEmpty,
        stroke: style.outline,
        "stroke-width": style.strokeWidth * 0.6,
      }),
    );
  }
  // The UP threshold: the server is UP while the lit part reaches this mark (`rise` segments).
  const markX = x + meter.upFrom * segment - 0.75;
  card.meter.appendChild(
    svgElement("line", {
      class: "up-mark",
      x1: markX,
      x2: markX,
      y1: mid - height / 2 - fs * 0.25,
      y2: mid + height / 2 + fs * 0.25,
      stroke: style.ink,
      "stroke-width": style.strokeWidth * 1.2,
    }),
  );
}

function place(element: SVGElement, x: number, y: number): void {
  setAttr(element, "x", x);
  setAttr(element, "y", y);
}
