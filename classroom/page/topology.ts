// The live topology: clients → balancer → one card per server, drawn from the model's snapshots: cards and links joined by server name with d3-selection and slid with d3-transition, bars eased by topology-loads.ts, requests travelling as dots (topology-dot-layer.ts); layout only on resize or when the servers change.
import { type Selection, select } from "d3-selection";
import { linkHorizontal } from "d3-shape";
// d3-transition adds selection.transition and selection.interrupt (its import is for that effect).
import "d3-transition";
import type { Snapshot } from "../../sim/index.js";
import { FONT_FAMILY } from "../../viz/svg.js";
import { setAttr, setText, svgElement } from "./svg-dom.js";
import { type Card, createCard, drawCard } from "./topology-card.js";
import { createDotLayer } from "./topology-dot-layer.js";
import { requestsPerDot, type ServedSnapshot, serverRates } from "./topology-dots.js";
import { dotKeyText, niceCeiling } from "./topology-labels.js";
import { layoutTopology, sameServers, type TopologyLayout } from "./topology-layout.js";
import { createLoads } from "./topology-loads.js";
import { createNodes } from "./topology-nodes.js";
import { isOut, type ViewStyle, viewStyle } from "./view-style.js";

/** How long an entering or leaving card fades, and a moved one slides (ms). */
export const TRANSITION_MS = 400;

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

type Server = ServedSnapshot;

const link = linkHorizontal<{ source: [number, number]; target: [number, number] }, [number, number]>();
/** Elements are keyed by server name (a leaving one keeps its datum until it is removed). */
const byName = (server: Server): string => server.name;
export function createTopology(container: HTMLElement, options: TopologyOptions): Topology {
  let style: ViewStyle = viewStyle(options.large);
  const maxconn = options.maxconn ?? {};
  const maxconnOf = (server: Server): number | undefined => server.maxconn ?? maxconn[server.name];
  const svg = svgElement("svg", { class: "lbsim-topology", role: "img" });
  svg.setAttribute("aria-label", "clients, the balancer and its servers, live");
  svg.style.display = "block";
  const links = svgElement("g", { class: "links" });
  const nodes = createNodes();
  const cardsGroup = svgElement("g", { class: "servers" });
  const dots = createDotLayer(style);
  svg.append(nodes.below, links, cardsGroup, dots.group, nodes.dotKey);
  container.appendChild(svg);

  const cards = new WeakMap<Element, Card>();
  /** The joined cards and links (those fading out, classed `leaving`, are no longer part of them). */
  const cardSelection = (): Selection<SVGGElement, Server, SVGGElement, unknown> =>
    select(cardsGroup).selectAll<SVGGElement, Server>("g.server:not(.leaving)");
  const linkSelection = (): Selection<SVGPathElement, Server, SVGGElement, unknown> =>
    select(links).selectAll<SVGPathElement, Server>("path.link:not(.leaving)");

  let layout: TopologyLayout | undefined;
  let last: Snapshot | undefined;
  let backendNames: string[] = [];
  let lastUpdateMs: number | undefined;
  let intervalMs: number | undefined;
  let rateEstimate = 0;
  let scales = { inFlight: 5, queued: 5 };
  let destroyed = false;
  const loads = createLoads({
    cards: cardSelection,
    card: (element) => cards.get(element)!,
    nodes,
    layout: () => layout,
    scales: () => scales,
    style: () => style,
  });

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
    const servers = snapshot.servers as ReadonlyArray<Server>;
    const names = servers.map((s) => s.name);
    const oldRows = layout?.rows.map((r) => r.name) ?? [];
    const l = layoutTopology(
      names,
      snapshot.backends.map((b) => b.name),
      measure(),
      style,
      Math.max(0, ...servers.map((s) => maxconnOf(s) ?? 0)),
    );
    layout = l;
    const fs = style.fontSize;
    setAttr(svg, "width", l.width);
    setAttr(svg, "height", l.height);
    setAttr(svg, "viewBox", `0 0 ${l.width} ${l.height}`);
    setAttr(svg, "font-family", FONT_FAMILY);
    setAttr(svg, "font-size", fs);
    nodes.layout(l, style);
    const place = (server: Server, dx = 0): string => {
      const box = l.rows[names.indexOf(server.name)]!.box;
      return `translate(${box.x + dx},${box.y})`;
    };
    // A new card slides in from the right while it fades in; kept ones slide to their new row;
    // a leaving one fades out, then is removed (its name may come back meanwhile: a new card).
    cardSelection()
      .data(servers, byName)
      .join(
        (enter) =>
          enter
            .append((server) => {
              const card = createCard(style);
              card.shown = { inFlight: server.inFlight, queued: server.queued };
              cards.set(card.g, card);
              return card.g;
            })
            .attr("data-key", byName)
            .attr("opacity", 0)
            .attr("transform", (s) => place(s, fs * 2)),
        (update) => update,
        (exit) =>
          exit
            .classed("leaving", true)
            .attr("data-key", null)
            .interrupt("load")
            .transition("place")
            .duration(TRANSITION_MS)
            .attr("opacity", 0)
            .remove(),
      )
      .transition("place")
      .duration(TRANSITION_MS)
      .attr("opacity", 1)
      .attr("transform", (s) => place(s));
    linkSelection()
      .data(servers, byName)
      .join(
        (enter) => enter.append("path").attr("class", "link").attr("fill", "none"),
        (update) => update,
        (exit) =>
          exit
            .classed("leaving", true)
            .transition("place")
            .duration(TRANSITION_MS)
            .attr("opacity", 0)
            .remove(),
      );
    dots.route(
      l.rows.map((row) => ({
        from: l.clientLink.from,
        balancerIn: l.clientLink.to,
        balancerOut: l.linkStart,
        to: row.linkEnd,
      })),
      oldRows.map((name) => names.indexOf(name)),
    );
    drawServers(snapshot);
    // The bars at their present values in the new geometry (no transition may be running: paused).
    loads.draw();
  };

  /** Cards and links for a snapshot: states, counters and targets for the bars. */
  const drawServers = (snapshot: Snapshot): void => {
    if (layout === undefined) return;
    const l = layout;
    const servers = snapshot.servers as ReadonlyArray<Server>;
    // The names are the layout's: binding by name puts the new data in the rows' order.
    cardSelection()
      .data(servers, byName)
      .each(function (server, i) {
        drawCard(cards.get(this)!, server, l.rows[i]!.box, l, maxconnOf(server), style);
      });
    linkSelection()
      .data(servers, byName)
      .each(function (server, i) {
        const row = l.rows[i]!;
        setAttr(
          this,
          "d",
          link({ source: [l.linkStart.x, l.linkStart.y], target: [row.linkEnd.x, row.linkEnd.y] }) ?? "",
        );
        // A server's state shows at once (no colour fade): the class watches when it goes DOWN.
        const out = isOut(server.state);
        setAttr(this, "stroke", out ? style.deadLink : style.link);
        setAttr(this, "stroke-width", style.linkWidth);
        setAttr(this, "stroke-dasharray", out ? `${style.linkWidth * 3} ${style.linkWidth * 3}` : "none");
      });
    nodes.counts(snapshot, rateEstimate, l, style);
  };

  /** Removes every card and link at once, their transitions stopped (leaving ones included). */
  const clear = (): void => {
    loads.stop();
    select(cardsGroup).selectAll("g.server").interrupt("place").remove();
    select(links).selectAll("path.link").interrupt("place").remove();
  };

  return {
    update(snapshot, dtMs) {
      if (destroyed) return;
      const nowMs = performance.now();
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
      const perDot = requestsPerDot(total);
      dots.send(
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
      // Bars ease over the time the next snapshot is expected in.
      loads.show(snapshot, Math.min(1000, intervalMs));
    },
    resize() {
      if (last !== undefined && !destroyed) relayout(last);
    },
    setLarge(large) {
      style = viewStyle(large);
      dots.restyle(style);
      // Cards are built for a style (sizes and inks): they are made again.
      clear();
      if (last !== undefined) {
        layout = undefined;
        relayout(last);
      }
    },
    destroy() {
      destroyed = true;
      dots.destroy();
      clear();
      svg.remove();
    },
  };
}
