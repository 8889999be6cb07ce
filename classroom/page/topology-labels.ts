// What each part of the topology says: a server's state and check counters, its health meter, in flight against maxconn, the queue's scale, the tooltips. Pure text and numbers, no DOM.
import { format } from "d3-format";
import type { ServerSnapshot } from "../../sim/index.js";

/** In-flight slots are drawn as boxes up to this maxconn; above it (or without one) as a bar. */
export const MAX_SLOT_BOXES = 24;

const count = format(",d");

/**
 * The health meter of a server with checks: `rise + fall − 1` segments (the health counter's
 * range), `filled` of them lit, and the server is UP while filled ≥ `upFrom` (= rise). A crash
 * empties it one failed check at a time; when it drops below the mark the server is DOWN.
 * Null without checks.
 */
export interface HealthMeter {
  readonly segments: number;
  readonly filled: number;
  readonly upFrom: number;
}

export function healthMeter(server: Pick<ServerSnapshot, "health" | "rise" | "fall">): HealthMeter | null {
  if (!(server.rise > 0 && server.fall > 0)) return null;
  const segments = server.rise + server.fall - 1;
  return { segments, filled: Math.max(0, Math.min(segments, server.health)), upFrom: server.rise };
}

/** The failed checks so far, as a short counter beside the meter: `✗ 3`; empty with none. */
export function checksFailedText(checksFailed: number): string {
  return checksFailed > 0 ? `✗ ${count(checksFailed)}` : "";
}

/** The check counters in words, for the tooltip: `health 3/4, UP while ≥ 2 (rise 2, fall 3); 1 failed check`. */
export function checksTitle(server: ServerSnapshot): string {
  const meter = healthMeter(server);
  if (meter === null) return "no health checks: always considered UP";
  const failed = `${count(server.checksFailed)} failed check${server.checksFailed === 1 ? "" : "s"}`;
  return `health ${meter.filled}/${meter.segments}, UP while ≥ ${meter.upFrom} (rise ${server.rise}, fall ${server.fall}); ${failed}`;
}

/** In flight as a number, against maxconn when there is one: `3/8`, `12`. */
export function inFlightText(inFlight: number, maxconn: number | undefined): string {
  return maxconn !== undefined && maxconn > 0 ? `${count(inFlight)}/${count(maxconn)}` : count(inFlight);
}

/** A slot box is never narrower than this, in font sizes: narrower, the class could not count them. */
export const MIN_SLOT_EM = 0.7;

/**
 * How many slot boxes in flight is drawn with, one per maxconn slot (a small maxconn the class can
 * count), in `width` px at `fontSize`; 0 for a bar instead (no maxconn, a large one, or no room).
 */
export function slotBoxes(maxconn: number | undefined, width: number, fontSize: number): number {
  if (maxconn === undefined || !(maxconn > 0) || maxconn > MAX_SLOT_BOXES) return 0;
  return width / maxconn >= MIN_SLOT_EM * fontSize ? maxconn : 0;
}

/**
 * The full scale of a bar that has no maxconn to fill up to: the smallest 1, 2 or 5 × 10ⁿ at or
 * above `value` (at least 5). It only grows while a run is watched, so a bar never jumps back.
 */
export function niceCeiling(value: number): number {
  if (!(value > 5)) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** A request count for the nodes: `12,345`. */
export function countText(n: number): string {
  return count(Math.round(n));
}

/** A rate for the clients' node: `500 req/s`, `12.5 req/s`, `0 req/s`. */
export function rateText(perSecond: number): string {
  if (!(perSecond > 0)) return "0 req/s";
  return `${perSecond >= 100 ? count(Math.round(perSecond)) : format(".3~r")(perSecond)} req/s`;
}

/** The card's tooltip: everything on it, whole (the drawn name may be cut). */
export function serverTitle(server: ServerSnapshot, maxconn: number | undefined): string {
  return [
    `${server.name} (backend ${server.backend}): ${server.state}`,
    checksTitle(server),
    `in flight ${inFlightText(server.inFlight, maxconn)}, queued ${count(server.queued)}, weight ${server.weight}`,
  ].join("\n");
}

/** What one dot stands for, under the drawing: `• 1 request`, `• 20 requests`. */
export function dotKeyText(requestsPerDot: number): string {
  return `each dot: ${count(requestsPerDot)} request${requestsPerDot === 1 ? "" : "s"}`;
}
