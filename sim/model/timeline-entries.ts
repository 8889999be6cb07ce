// How a timeline action reads in Results.timeline: its kind, the server it targets, a short label.
import { switchText } from "../../scenarios/switch-text.js";
import type { TimelineEvent } from "../../scenarios/types.js";
import type { TimelineEntry } from "../results.js";

/**
 * The entry of an event as written, at `atMs`; null for an upgrade, whose steps are recorded one by
 * one as the run applies them. Server names in events are the model's, which Results use too.
 */
export function entryOf(event: TimelineEvent, atMs: number, qualified = false): TimelineEntry | null {
  const on = (server: string, text: string): TimelineEntry => ({ atMs, action: event.kind, server, text });
  switch (event.kind) {
    case "crash":
    case "hang":
    case "restore":
    case "partition":
    case "heal":
    case "reset":
      return on(event.server, `${event.kind} ${event.server}`);
    case "loss":
      return on(event.server, `loss ${event.server} ${percent(event.rate)}`);
    case "refuse-first":
      return on(event.server, `refuse-first ${event.server} ×${event.count}`);
    case "slow":
      return on(event.server, `slow ${event.server} ×${event.factor}`);
    case "errors":
      return on(event.server, `errors ${event.server} ${percent(event.rate)}`);
    case "runtime":
      return on(event.command.server, event.text);
    case "rate":
      return { atMs, action: event.kind, text: `rate ${event.client} ${event.ratePerSecond}/s` };
    case "spike":
      return {
        atMs,
        action: event.kind,
        text: `spike ${event.client} ×${event.factor} for ${event.forMs / 1000}s`,
      };
    case "upgrade":
      return null;
    case "balance":
    case "redispatch":
      return { atMs, action: event.kind, text: switchText(event, qualified) };
  }
}

/** `0.2` → `20%`, without float noise (`0.07` → `7%`, not `7.000000000000001%`). */
function percent(rate: number): string {
  return `${Math.round(rate * 1e6) / 1e4}%`;
}
