// The live topology: clients → balancer → one card per server, drawn from the model's snapshots, with requests travelling as dots; bars eased between snapshots on requestAnimationFrame, layout only on resize or when the servers change.
import { linkHorizontal } from "d3-shape";
import type { Snapshot } from "../../sim/index.js";
import { FONT_FAMILY } from "../../viz/svg.js";
import { type Card, createCard, drawCard, drawLoad } from "./topology-card.js";
import {
  DOT_CAP,
  DotField,
  type DotRoute,
  dotPoint,
  requestsPerDot,
  type ServedSnapshot,
  serverRates,
} from "./topology-dots.js";
import { dotKeyText, niceCeiling } from "./topology-labels.js";
import { layoutTopology, sameServers, type TopologyLayout } from "./topology-layout.js";
import { createNodes } from "./topology-nodes.js";
import { fadeIn, KeyedJoin, setAttr, setText, svgElement, TRANSITION_MS } from "./view-join.js";
import { isOut, type ViewStyle, viewStyle } from "./view-style.js";

export interface TopologyOptions {
  /** Presenter mode: large type and high contrast, for a projector. */
  readonly large: boolean;
  /**
   * Each server's maxconn (by its snapshot name; 0 or absent: unlimited): in flight is drawn
   * against it. A server of the snapshot may carry its own `maxconn` instead (it wins).
   */
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
  const maxconnOf = (server: ServedSnapshot): number | undefined => server.maxconn ?? maxconn[server.name];
  const svg = svgElement("svg", { class: "lbsim-topology", role: "img" });
  svg.setAttribute("aria-label", "clients, the balancer and its servers, live");
  svg.style.display = "block";
  const links = svgElement("g", { class: "links" });
  const nodes = createNodes();
  const cardsGroup = svgElement("g", { class: "servers" });
  const dotsGroup = svgElement("g", { class: "dots" });
  svg.append(nodes.below, links, cardsGroup, dotsGroup, nodes.dotKey);
  container.appendChild(svg);

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
      Math.max(0, ...snapshot.servers.map((s) => maxconnOf(s) ?? 0)),
    );
    const fs = style.fontSize;
    setAttr(svg, "width", layout.width);
    setAttr(svg, "height", layout.height);
    setAttr(svg, "viewBox", `0 0 ${layout.width} ${layout.height}`);
    setAttr(svg, "font-family", FONT_FAMILY);
    setAttr(svg, "font-size", fs);
    nodes.layout(layout, style);
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

  /** Cards and links for a snapshot: states, counters and targets for the bars. */
  const drawServers = (snapshot: Snapshot): void => {
    if (layout === undefined) return;
    const l = layout;
    snapshot.servers.forEach((server, i) => {
      const row = l.rows[i]!;
      const card = cards.get(cardJoin.get(server.name)!)!;
      drawCard(card, server, row.box, l, maxconnOf(server), style);
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
    nodes.counts(snapshot, rateEstimate, l, style);
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
    nodes.queues(l, (name) => shownValue(backendQueued.get(name), t), scales.queued, style);
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
      setText(nodes.dotKey, dotKeyText(perDot));
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
