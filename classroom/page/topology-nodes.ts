// The topology's fixed parts: the clients' node (rate, ok and failed counts), the balancer with its backends' queues, the clients' link, the column captions over the cards and the dots' key.
import { type Selection, select } from "d3-selection";
import type { Snapshot } from "../../sim/index.js";
import { fitText, textWidth } from "../../viz/charts/text-layout.js";
import { setAttr, setText, svgElement } from "./svg-dom.js";
import { countText, rateText } from "./topology-labels.js";
import type { Column, TopologyLayout } from "./topology-layout.js";
import type { ViewStyle } from "./view-style.js";

type BackendLine = TopologyLayout["backendLines"][number];

/** One backend's queue in the balancer: its name, the bar's track and fill, the count. */
interface BackendParts {
  readonly g: SVGGElement;
  readonly tip: SVGTitleElement;
  readonly name: SVGTextElement;
  readonly track: SVGRectElement;
  readonly fill: SVGRectElement;
  readonly value: SVGTextElement;
}

interface NodeParts {
  readonly clientLink: SVGLineElement;
  readonly clientsRect: SVGRectElement;
  readonly clientsTitle: SVGTextElement;
  readonly clientsRate: SVGTextElement;
  readonly clientsOk: SVGTextElement;
  readonly clientsFailed: SVGTextElement;
  readonly balancerRect: SVGRectElement;
  readonly balancerTitle: SVGTextElement;
  readonly backendsGroup: SVGGElement;
  /** "+ N more backends" when they do not all fit. */
  readonly moreBackends: SVGTextElement;
  readonly dotKey: SVGTextElement;
  /** The parts of each backend's element (joined by backend name). */
  readonly backends: WeakMap<Element, BackendParts>;
}

export interface Nodes {
  /** Under the links and cards: the clients' link, the nodes, the captions. */
  readonly below: SVGGElement;
  /** Over the dots: what a dot stands for. */
  readonly dotKey: SVGTextElement;
  /** Places everything for a layout (on resize or when the servers change). */
  layout(l: TopologyLayout, style: ViewStyle): void;
  /** The counts of a snapshot: the clients' rate and counts, each backend's queue length. */
  counts(snapshot: Snapshot, ratePerSecond: number, l: TopologyLayout, style: ViewStyle): void;
  /** Each backend's queue bar at its eased value (`queued(backend)`), on every frame. */
  queues(l: TopologyLayout, queued: (backend: string) => number, scale: number, style: ViewStyle): void;
}

export function createNodes(): Nodes {
  const below = svgElement("g", { class: "nodes" });
  const clients = svgElement("g", { class: "clients" });
  const balancer = svgElement("g", { class: "balancer" });
  const header = svgElement("g", { class: "header" });
  const n: NodeParts = {
    clientLink: svgElement("line", { class: "client-link" }),
    clientsRect: svgElement("rect", { rx: 6 }),
    clientsTitle: svgElement("text", { "font-weight": "bold", "text-anchor": "middle" }),
    clientsRate: svgElement("text", { class: "rate", "text-anchor": "middle" }),
    clientsOk: svgElement("text", { class: "ok", "text-anchor": "middle" }),
    clientsFailed: svgElement("text", { class: "failed", "text-anchor": "middle" }),
    balancerRect: svgElement("rect", { rx: 6 }),
    balancerTitle: svgElement("text", { "font-weight": "bold", "text-anchor": "middle" }),
    backendsGroup: svgElement("g", { class: "backends" }),
    moreBackends: svgElement("text", { class: "more-backends" }),
    dotKey: svgElement("text", { class: "dot-key" }),
    backends: new WeakMap(),
  };
  clients.append(n.clientsRect, n.clientsTitle, n.clientsRate, n.clientsOk, n.clientsFailed);
  balancer.append(n.balancerRect, n.balancerTitle, n.backendsGroup, n.moreBackends);
  below.append(n.clientLink, clients, balancer, header);
  // Several balancer instances (`balancers:`) share the servers: the box says how many. The counts
  // drawn are every instance's together, as Snapshot.servers and .backends count them.
  let title = "HAProxy";
  return {
    below,
    dotKey: n.dotKey,
    layout(l, style) {
      drawNodes(n, l, style);
      drawBalancerTitle(n, l, style, title);
      drawHeader(header, l, style);
    },
    counts(snapshot, ratePerSecond, l, style) {
      const instances = snapshot.balancers?.length ?? 1;
      const next = instances > 1 ? `HAProxy ×${instances}` : "HAProxy";
      if (next !== title) {
        title = next;
        drawBalancerTitle(n, l, style, title);
      }
      const queued = new Map(snapshot.backends.map((b) => [b.name, b.queued]));
      backendSelection(n).each(function (line) {
        setText(n.backends.get(this)!.value, String(queued.get(line.name) ?? 0));
      });
      setText(n.clientsRate, rateText(ratePerSecond));
      // Counted as Results count them: finished since the warm-up.
      setText(n.clientsOk, `ok ${countText(snapshot.requests.ok)}`);
      setText(n.clientsFailed, `failed ${countText(snapshot.requests.failed)}`);
      setAttr(n.clientsFailed, "fill", snapshot.requests.failed > 0 ? style.healthDown : style.mutedInk);
    },
    queues(l, queued, scale, style) {
      const width = l.balancer.width - style.fontSize * 3.1;
      backendSelection(n).each(function (line) {
        const fill = n.backends.get(this)!.fill;
        setAttr(fill, "width", width * Math.min(1, queued(line.name) / Math.max(1, scale)));
      });
    },
  };
}

function drawNodes(n: NodeParts, l: TopologyLayout, style: ViewStyle): void {
  const fs = style.fontSize;
  for (const [rect, box] of [
    [n.clientsRect, l.clients],
    [n.balancerRect, l.balancer],
  ] as const) {
    setAttr(rect, "x", box.x);
    setAttr(rect, "y", box.y);
    setAttr(rect, "width", box.width);
    setAttr(rect, "height", box.height);
    setAttr(rect, "fill", style.background);
    setAttr(rect, "stroke", style.outline);
    setAttr(rect, "stroke-width", style.strokeWidth * 1.3);
  }
  const cx = l.clients.x + l.clients.width / 2;
  setText(n.clientsTitle, "clients");
  for (const [text, dy, size] of [
    [n.clientsTitle, fs * 1.3, fs],
    [n.clientsRate, fs * 1.8 + style.smallFontSize * 1.1, style.smallFontSize],
    [n.clientsOk, fs * 1.8 + style.smallFontSize * 2.3, style.smallFontSize],
    [n.clientsFailed, fs * 1.8 + style.smallFontSize * 3.5, style.smallFontSize],
  ] as const) {
    setAttr(text, "x", cx);
    setAttr(text, "y", l.clients.y + dy);
    setAttr(text, "font-size", size);
    setAttr(text, "fill", text === n.clientsTitle ? style.ink : style.mutedInk);
  }
  setAttr(n.balancerTitle, "x", l.balancer.x + l.balancer.width / 2);
  setAttr(n.balancerTitle, "y", l.balancer.y + fs * 1.4);
  setAttr(n.balancerTitle, "fill", style.ink);
  setAttr(n.clientLink, "x1", l.clientLink.from.x);
  setAttr(n.clientLink, "x2", l.clientLink.to.x);
  setAttr(n.clientLink, "y1", l.clientLink.from.y);
  setAttr(n.clientLink, "y2", l.clientLink.to.y);
  setAttr(n.clientLink, "stroke", style.link);
  setAttr(n.clientLink, "stroke-width", style.linkWidth);
  drawBackends(n, l, style);
  // Under the clients beside the balancer; under the balancer when the clients sit above it.
  const under = l.arrangement === "wide" ? l.clients : l.balancer;
  setAttr(n.dotKey, "x", l.arrangement === "wide" ? l.clients.x : l.balancer.x);
  setAttr(n.dotKey, "y", under.y + under.height + fs * 1.4);
  setAttr(n.dotKey, "font-size", style.smallFontSize);
  setAttr(n.dotKey, "fill", style.mutedInk);
}

/** The balancer's title, in a smaller type when it would not fit its box (`HAProxy ×64`). */
function drawBalancerTitle(n: NodeParts, l: TopologyLayout, style: ViewStyle, title: string): void {
  setText(n.balancerTitle, title);
  const room = l.balancer.width - style.fontSize * 0.6;
  const wide = textWidth(title, style.fontSize) * 1.08; // bold
  if (wide > room) setAttr(n.balancerTitle, "font-size", (style.fontSize * room) / wide);
  else n.balancerTitle.removeAttribute("font-size");
}

const backendSelection = (n: NodeParts): Selection<SVGGElement, BackendLine, SVGGElement, unknown> =>
  select(n.backendsGroup).selectAll<SVGGElement, BackendLine>("g.backend");

/** A queue per backend shown, joined by backend name (a kept backend keeps its element), placed for the layout. */
function drawBackends(n: NodeParts, l: TopologyLayout, style: ViewStyle): void {
  const fs = style.fontSize;
  // One backend: its queue is what matters; several: which backend each queue is.
  const single = l.backendLines.length === 1 && l.backendsHidden === 0;
  backendSelection(n)
    .data(l.backendLines, (line) => line.name)
    .join((enter) =>
      enter.append(() => {
        const parts: BackendParts = {
          g: svgElement("g", { class: "backend" }),
          tip: svgElement("title"),
          name: svgElement("text", { class: "backend-name" }),
          track: svgElement("rect", { class: "backend-queue-track" }),
          fill: svgElement("rect", { class: "backend-queue", width: 0 }),
          value: svgElement("text", { class: "backend-queue-value", "text-anchor": "end" }),
        };
        parts.g.append(parts.tip, parts.name, parts.track, parts.fill, parts.value);
        n.backends.set(parts.g, parts);
        return parts.g;
      }),
    )
    .attr("data-backend", (line) => line.name)
    .each(function (line) {
      const p = n.backends.get(this)!;
      setText(p.tip, `backend ${line.name}: requests waiting in its queue (no server free under maxconn)`);
      setText(
        p.name,
        fitText(single ? "backend queue" : line.name, l.balancer.width - fs, style.smallFontSize),
      );
      setAttr(p.name, "x", l.balancer.x + fs * 0.5);
      setAttr(p.name, "y", line.y + style.smallFontSize);
      setAttr(p.name, "font-size", style.smallFontSize);
      setAttr(p.name, "fill", style.mutedInk);
      for (const rect of [p.track, p.fill]) {
        setAttr(rect, "x", l.balancer.x + fs * 2.6);
        setAttr(rect, "y", line.y + fs * 1.3);
        setAttr(rect, "height", fs * 0.9);
      }
      setAttr(p.track, "width", l.balancer.width - fs * 3.1);
      setAttr(p.track, "fill", style.background);
      setAttr(p.track, "stroke", style.outline);
      setAttr(p.track, "stroke-width", style.strokeWidth * 0.7);
      setAttr(p.fill, "fill", style.queue);
      setAttr(p.value, "x", l.balancer.x + fs * 2.2);
      setAttr(p.value, "y", line.y + fs * 2.1);
      setAttr(p.value, "fill", style.ink);
    });
  const more = n.moreBackends;
  setText(more, l.backendsHidden > 0 ? `+ ${l.backendsHidden} more backends` : "");
  setAttr(more, "x", l.balancer.x + fs * 0.5);
  setAttr(more, "y", l.balancer.y + l.balancer.height - fs * 0.4);
  setAttr(more, "font-size", style.smallFontSize);
  setAttr(more, "fill", style.mutedInk);
}

function drawHeader(header: SVGGElement, l: TopologyLayout, style: ViewStyle): void {
  const x0 = l.rows[0]?.box.x ?? 0;
  const c = l.columns;
  const captions: Array<[string, Column, "start" | "end"]> = [
    ["server", c.name, "start"],
    ["weight", c.weight, "end"],
    ["state", c.state, "start"],
    ["checks", c.checks, "start"],
    ["queue", c.queue, "start"],
    ["in flight", c.inFlight, "start"],
  ];
  header.replaceChildren(
    ...captions.map(([caption, column, anchor]) => {
      const t = svgElement("text", {
        x: x0 + column.x + (anchor === "end" ? column.width : 0),
        y: l.headerY + column.line * style.smallFontSize * 1.2,
        "text-anchor": anchor,
        "font-size": style.smallFontSize,
        fill: style.mutedInk,
      });
      t.textContent = caption;
      return t;
    }),
  );
}
