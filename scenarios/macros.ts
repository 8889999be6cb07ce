// The timeline as the simulator sees it: macros (flap, kill-random) expanded into plain crash/restore
// actions at load time, rolling-upgrade into one `upgrade` action the timeline runs, all sorted by time.
import { createStream } from "../sim/random.js";
import type { CrossFacts } from "./cross.js";
import type { RawEvent } from "./events.js";
import type { Problem } from "./problem.js";
import { expandSwitch } from "./switch-events.js";
import type { BackendSpec, TimelineEvent } from "./types.js";

/** One macro may write at most this many events: more means a flap period far too short for the run. */
export const MAX_GENERATED_EVENTS = 100_000;

interface Expanded {
  readonly event: TimelineEvent;
  /** Written by a macro: dropped without a word when it falls after the end of the run. */
  readonly generated: boolean;
}

interface Context {
  readonly backends: ReadonlyArray<BackendSpec>;
  /** A server's name as the model knows it (`<backend>/<server>` with several backends). */
  readonly canonical: (name: string) => string;
  readonly seed: number;
  readonly durationMs: number;
  readonly facts: CrossFacts;
  readonly problems: Problem[];
}

/**
 * Sorted by time; events at the same time keep the order in which they were written, and the
 * events of one macro the order in which it wrote them.
 */
export function expandEvents(
  raw: ReadonlyArray<RawEvent>,
  backends: ReadonlyArray<BackendSpec>,
  canonical: (name: string) => string,
  seed: number,
  durationMs: number,
  facts: CrossFacts,
  problems: Problem[],
): TimelineEvent[] {
  const context: Context = { backends, canonical, seed, durationMs, facts, problems };
  return raw
    .flatMap((event, index) => expand(canonicalNames(event, canonical), index, context))
    .filter((e) => !e.generated || e.event.atMs <= durationMs)
    .map((e, order) => ({ event: e.event, order }))
    .sort((a, b) => a.event.atMs - b.event.atMs || a.order - b.order)
    .map((e) => e.event);
}

/** The event with its servers named as the model names them (runtime commands are already). */
function canonicalNames(event: RawEvent, canonical: (name: string) => string): RawEvent {
  if ("server" in event) return { ...event, server: canonical(event.server) };
  if ("servers" in event && event.servers !== null)
    return { ...event, servers: event.servers.map(canonical) };
  return event;
}

const written = (event: TimelineEvent): Expanded => ({ event, generated: false });
const generated = (event: TimelineEvent): Expanded => ({ event, generated: true });

function expand(event: RawEvent, index: number, context: Context): Expanded[] {
  switch (event.kind) {
    case "runtime": {
      const command = context.facts.runtime.get(index);
      if (command === undefined) throw new Error(`runtime command of event ${index} was not checked`);
      return [written({ atMs: event.atMs, kind: "runtime", text: event.text, command })];
    }
    case "flap":
      return flap(event, index, context);
    case "rolling-upgrade":
      return rollingUpgrade(event, index, context);
    case "kill-random":
      return killRandom(event, index, context);
    case "balance":
    case "redispatch":
      return [written(expandSwitch(event, context.backends))];
    default:
      return [written(event)];
  }
}

/**
 * Down for the first half of each period, up for the second. With `for`, the flapping stops at
 * `at + for` with the server restored (a down half cut short ends there); without it, it goes on
 * to the end of the run.
 */
function flap(event: Extract<RawEvent, { kind: "flap" }>, index: number, context: Context): Expanded[] {
  const untilMs = event.forMs === null ? context.durationMs : event.atMs + event.forMs;
  const cycles = Math.ceil((untilMs - event.atMs) / event.periodMs);
  if (2 * cycles > MAX_GENERATED_EVENTS) {
    context.problems.push({
      code: "bad-value",
      path: ["events", index, "flap", "period"],
      message: `found a period of ${event.periodMs}ms: ${2 * cycles} crash and restore events, more than ${MAX_GENERATED_EVENTS}`,
      hint: "use a longer period or a shorter for",
    });
    return [];
  }
  const out: Expanded[] = [];
  const server = event.server;
  // Times from multiplication, not repeated addition, so that no rounding drift builds up.
  for (let k = 0; k < cycles; k++) {
    const crashMs = event.atMs + k * event.periodMs;
    if (crashMs >= untilMs) break;
    const upMs = crashMs + event.periodMs / 2;
    out.push(generated({ atMs: crashMs, kind: "crash", server }));
    out.push(
      generated({ atMs: event.forMs === null ? upMs : Math.min(upMs, untilMs), kind: "restore", server }),
    );
  }
  return out;
}

/**
 * The zero-downtime upgrade, one server at a time, with HAProxy's runtime commands (haproxy-semantics.md
 * §5): DRAIN (no new requests, in-flight ones finish, checks go on), MAINT as soon as the server is
 * idle or after `drain` at the longest (checks stop), the downtime, READY (checks resume at
 * health = rise), then `gap` before the next server. When the server turns idle depends on the run,
 * so this becomes one `upgrade` action that the timeline carries out step by step.
 */
function rollingUpgrade(
  event: Extract<RawEvent, { kind: "rolling-upgrade" }>,
  index: number,
  context: Context,
): Expanded[] {
  const servers = event.servers ?? serving(context);
  if (servers.length === 0) {
    context.problems.push({
      code: "bad-value",
      path: ["events", index, "rolling-upgrade"],
      message: "found no server to upgrade: every server is a backup or starts disabled",
      hint: "list the servers to upgrade under servers:",
    });
    return [];
  }
  return [
    generated({
      atMs: event.atMs,
      kind: "upgrade",
      backend: context.backends[0]?.name ?? "backend",
      servers,
      drainLimitMs: event.drainMs,
      downtimeMs: event.downtimeMs,
      gapMs: event.gapMs,
    }),
  ];
}

/**
 * Crashes `count` distinct servers chosen by a partial Fisher–Yates shuffle on the stream
 * `timeline:kill-random:<index>` (index = the event's position under `events:`), so that the same
 * scenario and seed kill the same servers, and adding a client or an event elsewhere changes nothing.
 */
function killRandom(
  event: Extract<RawEvent, { kind: "kill-random" }>,
  index: number,
  context: Context,
): Expanded[] {
  const pool = [...(event.servers ?? serving(context))];
  if (event.count > pool.length) {
    context.problems.push({
      code: "bad-value",
      path: ["events", index, "kill-random", "count"],
      message: `found a count of ${event.count}, expected at most the ${pool.length} server${pool.length === 1 ? "" : "s"} to choose from (${pool.join(", ")})`,
    });
    return [];
  }
  const stream = createStream(context.seed, `timeline:kill-random:${index}`);
  for (let i = 0; i < event.count; i++) {
    const j = i + Math.floor(stream.next() * (pool.length - i));
    const chosen = pool[j]!;
    pool[j] = pool[i]!;
    pool[i] = chosen;
  }
  const killed = pool.slice(0, event.count);
  const crashes = killed.map((server) => generated({ atMs: event.atMs, kind: "crash", server }));
  const restoreAfterMs = event.restoreAfterMs;
  if (restoreAfterMs === null) return crashes;
  return [
    ...crashes,
    ...killed.map((server) => generated({ atMs: event.atMs + restoreAfterMs, kind: "restore", server })),
  ];
}

/** The servers that take traffic in normal operation: not backups, not disabled or absent (`added: false`) at the start. */
function serving(context: Context): string[] {
  return context.backends.flatMap((backend) =>
    backend.servers
      .filter((s) => !s.backup && !s.disabled && s.added !== false)
      .map((s) => context.canonical(context.backends.length > 1 ? `${backend.name}/${s.name}` : s.name)),
  );
}
