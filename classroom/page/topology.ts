// The live topology: clients → balancer → one card per server, drawn from the model's snapshots, with requests travelling as dots; bars eased between snapshots on requestAnimationFrame, layout only on resize or when the servers change.
import { linkHorizontal } from "d3-shape";
import type { Snapshot } from "../../sim/index.js";
import { fitText } from "../../viz/charts/text-layout.js";
import { FONT_FAMILY } from "../../viz/svg.js";
import { type Card, createCard, drawCard, drawLoad } from "./topology-card.js";
import { DOT_CAP, DotField, type DotRoute, dotPoint, requestsPerDot, serverRates } from "./topology-dots.js";
import { countText, dotKeyText, niceCeiling, rateText } from "./topology-labels.js";
import { type Column, layoutTopology, sameServers, type TopologyLayout } from "./topology-layout.js";
import { fadeIn, KeyedJoin, setAttr, setText, svgElement, TRANSITION_MS } from "./view-join.js";
import { isOut, type ViewStyle, viewStyle } from "./view-style.js";

export interface TopologyOptions {
  /** Presenter mode: large type and high contrast, for a projector. */
  readonly large: boolean;
  /** Each server's maxconn (by its snapshot name; 0 or absent: unlimited): in flight is drawn against it. */
  readonly maxconn?: Readonly<Record<string, number>>;
}

export interface Topology {
  /**
   * Draws `snapshot`, `dtMs` wall-clock ms after the previous one: bars ease toward it over that
   * time and dots are sent at each server's rate between the two. A server may carry `served`
   * (requests it answered or failed so far) for exact rates; without it they are estimated.
   */
  update(snapshot: Snapshot, dtMs: number): void;
  /** Lays the drawing out again at the container's size (call it when the container changed size). */
  resize(): void;
  /** Switches presenter mode (a relayout). */
  setLarge(large: boolean): void;
  /** Stops the animation and removes the drawing. */
  destroy(): void;
}

/** A value eased between two snapshots. */
interface Tween {
  from: number;
  to: number;
}

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();

export function createTopology(container: HTMLElement, options: TopologyOptions): Topology {
  let style: ViewStyle = viewStyle(options.large);
  const maxconn = options.maxconn ?? {};
  const svg = svgElement("svg", { class: "lbsim-topology", role: "img" });
  svg.setAttribute("aria-label", "clients, the balancer and its servers, live");
  svg.style.display = "block";
  const links = svgElement("g", { class: "links" });
  const clientLink = svgElement("line", { class: "client-link" });
  const nodes = svgElement("g", { class: "nodes" });
  const header = svgElement("g", { class: "header" });
  const cardsGroup = svgElement("g", { class: "servers" });
  const dotsGroup = svgElement("g", { class: "dots" });
  const dotKey = svgElement("text", { class: "dot-key" });
  svg.append(clientLink, links, nodes, header, cardsGroup, dotsGroup, dotKey);
  container.appendChild(svg);

  const clients = svgElement("g", { class: "clients" });
  const clientsRect = svgElement("rect", { rx: 6 });
  const clientsTitle = svgElement("text", { "font-weight": "bold", "text-anchor": "middle" });
  const clientsRate = svgElement("text", { class: "rate", "text-anchor": "middle" });
  const clientsOk = svgElement("text", { class: "ok", "text-anchor": "middle" });
  const clientsFailed = svgElement("text", { class: "failed", "text-anchor": "middle" });
  clients.append(clientsRect, clientsTitle, clientsRate, clientsOk, clientsFailed);
  const balancer = svgElement("g", { class: "balancer" });
  const balancerRect = svgElement("rect", { rx: 6 });
  const balancerTitle = svgElement("text", { "font-weight": "bold", "text-anchor": "middle" });
  const backendsGroup = svgElement("g", { class: "backends" });
  balancer.append(balancerRect, balancerTitle, backendsGroup);
  nodes.append(clients, balancer);

  const cards = new WeakMap<Element, Card>();
  const cardJoin = new KeyedJoin<Snapshot["servers"][number], SVGGElement>(cardsGroup, (s) => s.name, {
    enter: () => {
      const card = createCard(style);
      cards.set(card.g, card);
      return card.g;
    },
    update: () => {},
  });
  const linkJoin = new KeyedJoin<Snapshot["servers"][number], SVGPathElement>(links, (s) => s.name, {
    enter: () => svgElement("path", { class: "link", fill: "none" }),
    update: () => {},
  });

  const dots = new DotField(DOT_CAP);
  const dotPool: SVGCircleElement[] = [];
  let routes: DotRoute[] = [];
  let layout: TopologyLayout | undefined;
  let last: Snapshot | undefined;
  let backendNames: string[] = [];
  let lastUpdateMs: number | undefined;
  let intervalMs: number | undefined;
  let rateEstimate = 0;
  const inFlight = new Map<string, Tween>();
  const queued = new Map<string, Tween>();
  const backendQueued = new Map<string, Tween>();
  let scales = { inFlight: 5, queued: 5 };
  let tweenStartMs = 0;
  let tweenMs = 1;
  let frame = 0;
  let destroyed = false;

  const measure = (): { width: number; height: number } => {
    // The drawing's own height must not count: hidden, the container shows the height it was given (0 when it sizes to content).
    svg.style.display = "none";
    const css = getComputedStyle(container);
    const px = (value: string) => Number.parseFloat(value) || 0;
    const size = {
      width: container.clientWidth - px(css.paddingLeft) - px(css.paddingRight),
      height: Math.max(0, container.clientHeight - px(css.paddingTop) - px(css.paddingBottom)),
    };
    svg.style.display = "block";
    return size;
  };

  const relayout = (snapshot: Snapshot): void => {
    const names = snapshot.servers.map((s) => s.name);
    const oldRows = layout?.rows.map((r) => r.name) ?? [];
    layout = layoutTopology(
      names,
      snapshot.backends.map((b) => b.name),
      measure(),
      style,
      Math.max(0, ...Object.values(maxconn)),
    );
    const fs = style.fontSize;
    setAttr(svg, "width", layout.width);
    setAttr(svg, "height", layout.height);
    setAttr(svg, "viewBox", `0 0 ${layout.width} ${layout.height}`);
    setAttr(svg, "font-family", FONT_FAMILY);
    setAttr(svg, "font-size", fs);
    drawNodes(layout);
    drawHeader(layout);
    const entered = cardJoin.join(snapshot.servers);
    linkJoin.join(snapshot.servers);
    layout.rows.forEach((row) => {
      const g = cardJoin.get(row.name)!;
      const transform = `translate(${row.box.x}px, ${row.box.y}px)`;
      if (entered.includes(g)) g.style.transform = `translate(${row.box.x + fs * 2}px, ${row.box.y}px)`;
      else g.style.transition = `opacity ${TRANSITION_MS}ms, transform ${TRANSITION_MS}ms`;
      g.dataset.transform = transform;
    });
    fadeIn(entered);
    for (const row of layout.rows) {
      const g = cardJoin.get(row.name)!;
      g.style.transform = g.dataset.transform ?? "";
    }
    const l = layout;
    routes = l.rows.map((row) => ({
      from: l.clientLink.from,
      balancerIn: l.clientLink.to,
      balancerOut: l.linkStart,
      to: row.linkEnd,
    }));
    dots.remap(oldRows.map((name) => names.indexOf(name)));
    drawServers(snapshot);
  };

  const drawNodes = (l: TopologyLayout): void => {
    const fs = style.fontSize;
    for (const [rect, box] of [
      [clientsRect, l.clients],
      [balancerRect, l.balancer],
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
    setText(clientsTitle, "clients");
    for (const [text, dy, size] of [
      [clientsTitle, fs * 1.3, fs],
      [clientsRate, fs * 1.8 + style.smallFontSize * 1.1, style.smallFontSize],
      [clientsOk, fs * 1.8 + style.smallFontSize * 2.3, style.smallFontSize],
      [clientsFailed, fs * 1.8 + style.smallFontSize * 3.5, style.smallFontSize],
    ] as const) {
      setAttr(text, "x", cx);
      setAttr(text, "y", l.clients.y + dy);
      setAttr(text, "font-size", size);
      setAttr(text, "fill", text === clientsTitle ? style.ink : style.mutedInk);
    }
    setText(balancerTitle, "HAProxy");
    setAttr(balancerTitle, "x", l.balancer.x + l.balancer.width / 2);
    setAttr(balancerTitle, "y", l.balancer.y + fs * 1.4);
    setAttr(balancerTitle, "fill", style.ink);
    setAttr(clientLink, "x1", l.clientLink.from.x);
    setAttr(clientLink, "x2", l.clientLink.to.x);
    setAttr(clientLink, "y1", l.clientLink.from.y);
    setAttr(clientLink, "y2", l.clientLink.to.y);
    setAttr(clientLink, "stroke", style.link);
    setAttr(clientLink, "stroke-width", style.linkWidth);
    backendsGroup.replaceChildren();
    for (const line of l.backendLines) {
      const g = svgElement("g", { class: "backend" });
      g.dataset.backend = line.name;
      const name = svgElement("text", {
        x: l.balancer.x + fs * 0.5,
        y: line.y + style.smallFontSize,
        "font-size": style.smallFontSize,
        fill: style.mutedInk,
      });
      // One backend: its queue is what matters; several: which backend each queue is.
      const label = l.backendLines.length === 1 && l.backendsHidden === 0 ? "backend queue" : line.name;
      name.textContent = fitText(label, l.balancer.width - fs, style.smallFontSize);
      const track = svgElement("rect", {
        x: l.balancer.x + fs * 2.6,
        y: line.y + fs * 1.3,
        width: l.balancer.width - fs * 3.1,
        height: fs * 0.9,
        fill: style.background,
        stroke: style.outline,
        "stroke-width": style.strokeWidth * 0.7,
      });
      const fill = svgElement("rect", {
        class: "backend-queue",
        x: l.balancer.x + fs * 2.6,
        y: line.y + fs * 1.3,
        height: fs * 0.9,
        width: 0,
        fill: style.queue,
      });
      const value = svgElement("text", {
        class: "backend-queue-value",
        x: l.balancer.x + fs * 2.2,
        y: line.y + fs * 2.1,
        "text-anchor": "end",
        fill: style.ink,
      });
      const tip = svgElement("title");
      tip.textContent = `backend ${line.name}: requests waiting in its queue (no server free under maxconn)`;
      g.append(tip, name, track, fill, value);
      backendsGroup.appendChild(g);
    }
    if (l.backendsHidden > 0) {
      const more = svgElement("text", {
        x: l.balancer.x + fs * 0.5,
        y: l.balancer.y + l.balancer.height - fs * 0.4,
        "font-size": style.smallFontSize,
        fill: style.mutedInk,
      });
      more.textContent = `+ ${l.backendsHidden} more backends`;
      backendsGroup.appendChild(more);
    }
    // Under the clients beside the balancer; under the balancer when the clients sit above it.
    const under = l.arrangement === "wide" ? l.clients : l.balancer;
    setAttr(dotKey, "x", l.arrangement === "wide" ? l.clients.x : l.balancer.x);
    setAttr(dotKey, "y", under.y + under.height + fs * 1.4);
    setAttr(dotKey, "font-size", style.smallFontSize);
    setAttr(dotKey, "fill", style.mutedInk);
  };

  const drawHeader = (l: TopologyLayout): void => {
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
  };

  /** Cards and links for a snapshot: states, counters and targets for the bars. */
  const drawServers = (snapshot: Snapshot): void => {
    if (layout === undefined) return;
    const l = layout;
    snapshot.servers.forEach((server, i) => {
      const row = l.rows[i]!;
      const card = cards.get(cardJoin.get(server.name)!)!;
      drawCard(card, server, row.box, l, maxconn[server.name], style);
      const path = linkJoin.get(server.name)!;
      setAttr(
        path,
        "d",
        link({ source: [l.linkStart.x, l.linkStart.y], target: [row.linkEnd.x, row.linkEnd.y] }) ?? "",
      );
      const out = isOut(server.state);
      setAttr(path, "stroke", out ? style.deadLink : style.link);
      setAttr(path, "stroke-width", style.linkWidth);
      setAttr(path, "stroke-dasharray", out ? `${style.linkWidth * 3} ${style.linkWidth * 3}` : "none");
    });
    const queueTexts = backendsGroup.querySelectorAll<SVGTextElement>("text.backend-queue-value");
    l.backendLines.forEach((line, i) => {
      const b = snapshot.backends.find((x) => x.name === line.name);
      if (queueTexts[i] !== undefined) setText(queueTexts[i]!, String(b?.queued ?? 0));
    });
    setText(clientsRate, rateText(rateEstimate));
    // Counted as Results count them: finished since the warm-up.
    setText(clientsOk, `ok ${countText(snapshot.requests.ok)}`);
    setText(clientsFailed, `failed ${countText(snapshot.requests.failed)}`);
    setAttr(clientsFailed, "fill", snapshot.requests.failed > 0 ? style.healthDown : style.mutedInk);
  };

  const shownValue = (tween: Tween | undefined, t: number): number =>
    tween === undefined ? 0 : tween.from + (tween.to - tween.from) * t;

  const retarget = (map: Map<string, Tween>, key: string, value: number, t: number): void => {
    const tween = map.get(key);
    if (tween === undefined) map.set(key, { from: value, to: value });
    else {
      tween.from = shownValue(tween, t);
      tween.to = value;
    }
  };

  const tick = (nowMs: number): void => {
    frame = 0;
    if (destroyed || layout === undefined || last === undefined) return;
    const l = layout;
    const t = Math.min(1, Math.max(0, (nowMs - tweenStartMs) / tweenMs));
    for (const server of last.servers) {
      const g = cardJoin.get(server.name);
      const card = g === undefined ? undefined : cards.get(g);
      if (card === undefined) continue;
      const shown = {
        inFlight: shownValue(inFlight.get(server.name), t),
        queued: shownValue(queued.get(server.name), t),
      };
      drawLoad(card, shown, scales, l, style);
    }
    const fills = backendsGroup.querySelectorAll<SVGRectElement>("rect.backend-queue");
    l.backendLines.forEach((line, i) => {
      const fill = fills[i];
      if (fill === undefined) return;
      const width = l.balancer.width - style.fontSize * 3.1;
      setAttr(
        fill,
        "width",
        width * Math.min(1, shownValue(backendQueued.get(line.name), t) / scales.queued),
      );
    });
    const live = dots.step(nowMs);
    drawDots(nowMs);
    if (t < 1 || live || dots.hasRates(nowMs)) frame = requestAnimationFrame(tick);
  };

  const drawDots = (nowMs: number): void => {
    while (dotPool.length < dots.count) {
      const dot = svgElement("circle", { r: style.dotRadius, fill: style.dot, visibility: "hidden" });
      dotPool.push(dot);
      dotsGroup.appendChild(dot);
    }
    for (let i = 0; i < dotPool.length; i++) {
      const dot = dotPool[i]!;
      const route = i < dots.count ? routes[dots.row[i]!] : undefined;
      if (route === undefined) {
        setAttr(dot, "visibility", "hidden");
        continue;
      }
      const p = dotPoint(route, dots.progress(i, nowMs));
      setAttr(dot, "visibility", p.visible ? "visible" : "hidden");
      setAttr(dot, "cx", p.x);
      setAttr(dot, "cy", p.y);
    }
  };

  const schedule = (): void => {
    if (frame === 0 && !destroyed) frame = requestAnimationFrame(tick);
  };

  return {
    update(snapshot, dtMs) {
      if (destroyed) return;
      const nowMs = performance.now();
      const t = Math.min(1, Math.max(0, (nowMs - tweenStartMs) / tweenMs));
      // The wall-clock time since the last snapshot, as measured here: pages call update from
      // their own frame loop, whose dtMs may be the frame's rather than the snapshots' interval.
      const wallMs = Math.max(1, lastUpdateMs === undefined ? dtMs : nowMs - lastUpdateMs);
      lastUpdateMs = nowMs;
      intervalMs = intervalMs === undefined ? wallMs : intervalMs * 0.7 + wallMs * 0.3;
      const { perSecond } = serverRates(last, snapshot, wallMs);
      const total = perSecond.reduce((a, b) => a + b, 0);
      if (last !== undefined && snapshot.nowMs > last.nowMs) {
        // Requests per simulated second, smoothed: what the class reads as the arrival rate.
        const simRate = (total * wallMs) / (snapshot.nowMs - last.nowMs);
        rateEstimate = rateEstimate === 0 ? simRate : rateEstimate * 0.8 + simRate * 0.2;
      }
      for (const s of snapshot.servers) {
        retarget(inFlight, s.name, s.inFlight, t);
        retarget(queued, s.name, s.queued, t);
      }
      for (const b of snapshot.backends) retarget(backendQueued, b.name, b.queued, t);
      const maxQueued = Math.max(
        0,
        ...snapshot.servers.map((s) => s.queued),
        ...snapshot.backends.map((b) => b.queued),
      );
      const maxInFlight = Math.max(0, ...snapshot.servers.map((s) => s.inFlight));
      scales = {
        inFlight: Math.max(scales.inFlight, niceCeiling(maxInFlight)),
        queued: Math.max(scales.queued, niceCeiling(maxQueued)),
      };
      tweenStartMs = nowMs;
      // Bars ease over the time the next snapshot is expected in.
      tweenMs = Math.min(1000, Math.max(16, intervalMs));
      const perDot = requestsPerDot(total);
      dots.setRates(
        perSecond.map((r) => r / perDot),
        nowMs + Math.max(2 * intervalMs, 250),
      );
      setText(dotKey, dotKeyText(perDot));
      const names = snapshot.servers.map((s) => s.name);
      const backends = snapshot.backends.map((b) => b.name);
      const backendsChanged = !sameServers(backendNames, backends);
      backendNames = backends;
      last = snapshot;
      if (
        layout === undefined ||
        !sameServers(
          layout.rows.map((r) => r.name),
          names,
        ) ||
        backendsChanged
      )
        relayout(snapshot);
      else drawServers(snapshot);
      schedule();
    },
    resize() {
      if (last !== undefined && !destroyed) relayout(last);
      schedule();
    },
    setLarge(large) {
      style = viewStyle(large);
      for (const dot of dotPool) {
        setAttr(dot, "r", style.dotRadius);
        setAttr(dot, "fill", style.dot);
      }
      // Cards keep their elements: only their sizes and inks change, so they are rebuilt.
      cardJoin.clear();
      linkJoin.clear();
      if (last !== undefined) {
        layout = undefined;
        relayout(last);
      }
      schedule();
    },
    destroy() {
      destroyed = true;
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      cardJoin.clear();
      linkJoin.clear();
      svg.remove();
    },
  };
}
