// The topology's moving load: each card's queue and in-flight bars and the backends' queues, eased between snapshots by d3-transition (one named transition per card, which the next snapshot interrupts) or drawn at once when snapshots come every frame.
import { type Selection, select } from "d3-selection";
// d3-transition adds selection.transition and selection.interrupt (its import is for that effect).
import "d3-transition";
import type { Snapshot } from "../../sim/index.js";
import { type Card, drawLoad } from "./topology-card.js";
import type { ServedSnapshot } from "./topology-dots.js";
import type { TopologyLayout } from "./topology-layout.js";
import type { Nodes } from "./topology-nodes.js";
import type { ViewStyle } from "./view-style.js";

/**
 * Snapshots closer than this (about two display frames: the page's worker posts one a frame) are
 * drawn as they come: an ease over one frame would show nothing and cost a transition per card.
 */
export const EASE_FROM_MS = 34;
/** The bars move at a steady pace between snapshots: each new ease continues from where the last got to. */
const linear = (t: number): number => t;

/** What the loads are drawn into, read when drawn (the layout, scales and style change). */
export interface LoadView {
  /** The joined cards, each bound to its server's latest snapshot. */
  cards(): Selection<SVGGElement, ServedSnapshot, SVGGElement, unknown>;
  card(element: SVGGElement): Card;
  readonly nodes: Nodes;
  layout(): TopologyLayout | undefined;
  scales(): { inFlight: number; queued: number };
  style(): ViewStyle;
}

export interface Loads {
  /** Moves the bars toward `snapshot`: eased over `durationMs`, or at once under EASE_FROM_MS. */
  show(snapshot: Snapshot, durationMs: number): void;
  /** Draws the bars at the values they show now (after a relayout: new geometry, maybe no ease running). */
  draw(): void;
  /** Stops every ease (the cards are about to go). */
  stop(): void;
}

export function createLoads(view: LoadView): Loads {
  /** Each backend's queue length as drawn now. */
  const backendShown = new Map<string, number>();
  const drawQueues = (l: TopologyLayout): void =>
    view.nodes.queues(l, (name) => backendShown.get(name) ?? 0, view.scales().queued, view.style());

  const draw = (): void => {
    const l = view.layout();
    if (l === undefined) return;
    view.cards().each(function () {
      const card = view.card(this);
      drawLoad(card, card.shown, view.scales(), l, view.style());
    });
    drawQueues(l);
  };

  /**
   * One named transition per card (and one for the backends' queues): a new snapshot interrupts
   * the running one, which hands over the value it reached, so eases never pile up.
   */
  const ease = (snapshot: Snapshot, durationMs: number): void => {
    view
      .cards()
      .transition("load")
      .duration(durationMs)
      .ease(linear)
      .tween("load", function (server) {
        const card = view.card(this);
        const from = card.shown;
        const to = { inFlight: server.inFlight, queued: server.queued };
        return (t) => {
          card.shown = {
            inFlight: from.inFlight + (to.inFlight - from.inFlight) * t,
            queued: from.queued + (to.queued - from.queued) * t,
          };
          const l = view.layout();
          if (l !== undefined) drawLoad(card, card.shown, view.scales(), l, view.style());
        };
      });
    const to = new Map(snapshot.backends.map((b) => [b.name, b.queued]));
    select(view.nodes.below)
      .transition("queues")
      .duration(durationMs)
      .ease(linear)
      .tween("queues", () => {
        const from = new Map(backendShown);
        return (t) => {
          for (const [name, value] of to) {
            const start = from.get(name) ?? value;
            backendShown.set(name, start + (value - start) * t);
          }
          const l = view.layout();
          if (l !== undefined) drawQueues(l);
        };
      });
  };

  /** The bars and queues at `snapshot`'s values at once, any ease stopped where it was. */
  const jump = (snapshot: Snapshot): void => {
    view
      .cards()
      .interrupt("load")
      .each(function (server) {
        view.card(this).shown = { inFlight: server.inFlight, queued: server.queued };
      });
    select(view.nodes.below).interrupt("queues");
    for (const b of snapshot.backends) backendShown.set(b.name, b.queued);
    draw();
  };

  return {
    show(snapshot, durationMs) {
      if (durationMs < EASE_FROM_MS) jump(snapshot);
      else ease(snapshot, durationMs);
    },
    draw,
    stop() {
      view.cards().interrupt("load");
      select(view.nodes.below).interrupt("queues");
    },
  };
}
