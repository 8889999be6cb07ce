// Timeline macros expanded at load time (flap, rolling-upgrade, kill-random), traffic changes
// (rate, spike), and their errors with file:line:col.
import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { createStream } from "../sim/random.js";
import { MAX_GENERATED_EVENTS } from "./macros.js";
import { parseScenario } from "./parse.js";
import type { TimelineEvent } from "./types.js";

const BASE = `duration: 60s
seed: 3
backend:
  name: web
  service: {exponential: 10ms}
  servers:
    - {name: web01}
    - {name: web02}
    - {name: web03}
    - {name: spare, backup: true}
clients:
  - name: browsers
    arrivals: {poisson: 10/s}
  - name: people
    arrivals: {users: {count: 2, think: {constant: 1s}}}
  - name: replay
    arrivals: {trace: day.csv}
`;
/** The line of the first event in texts built by `events(...)`. */
const FIRST = 19;

const events = (...lines: string[]) => `${BASE}events:\n${lines.map((l) => `  - ${l}\n`).join("")}`;
const timeline = (...lines: string[]) => parseScenario(events(...lines), "s.yaml").events;

function issuesOf(text: string): ReadonlyArray<InputIssue> {
  try {
    parseScenario(text, "s.yaml");
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

/** The one issue of a text, without its message (asserted separately where it matters). */
function only(text: string): Omit<InputIssue, "message"> {
  const issues = issuesOf(text);
  expect(issues).toHaveLength(1);
  const { message: _, ...rest } = issues[0] as InputIssue;
  return rest;
}

const crash = (atMs: number, server: string): TimelineEvent => ({ atMs, kind: "crash", server });
const restore = (atMs: number, server: string): TimelineEvent => ({ atMs, kind: "restore", server });

describe("flap", () => {
  it("crashes the server for the first half of each period and restores it for the second", () => {
    expect(timeline("{at: 10s, flap: {server: web01, period: 4s, for: 8s}}")).toEqual([
      crash(10_000, "web01"),
      restore(12_000, "web01"),
      crash(14_000, "web01"),
      restore(16_000, "web01"),
    ]);
  });

  it("ends restored at the end of `for`, even in the middle of a down half", () => {
    expect(timeline("{at: 10s, flap: {server: web01, period: 4s, for: 9s}}")).toEqual([
      crash(10_000, "web01"),
      restore(12_000, "web01"),
      crash(14_000, "web01"),
      restore(16_000, "web01"),
      crash(18_000, "web01"),
      restore(19_000, "web01"),
    ]);
  });

  it("goes on to the end of the run without `for`, dropping what falls after it", () => {
    expect(timeline("{at: 50s, flap: {server: web02, period: 8s}}")).toEqual([
      crash(50_000, "web02"),
      restore(54_000, "web02"),
      crash(58_000, "web02"),
    ]);
  });

  it("refuses a period that would write too many events", () => {
    const [issue] = issuesOf(events("{at: 0, flap: {server: web01, period: 1ms}}"));
    expect(issue).toMatchObject({
      code: "bad-value",
      line: FIRST,
      column: 43,
      path: "events[0].flap.period",
      hint: "use a longer period or a shorter for",
    });
    expect(issue?.message).toContain(`120000 crash and restore events, more than ${MAX_GENERATED_EVENTS}`);
  });

  it("reports an unknown server and a misspelt field with did-you-mean hints", () => {
    const issues = issuesOf(events("{at: 10s, flap: {server: web1, perod: 4s}}"));
    expect(issues.map((i) => [i.code, i.line, i.column, i.path, i.hint])).toEqual([
      ["missing-key", FIRST, 21, "events[0].flap.period", undefined],
      ["unknown-server", FIRST, 30, "events[0].flap.server", 'did you mean "web01"?'],
      ["unknown-key", FIRST, 36, "events[0].flap.perod", 'did you mean "period"?'],
    ]);
  });
});

describe("rolling-upgrade", () => {
  const upgrade = (
    atMs: number,
    servers: string[],
    drainLimitMs: number,
    downtimeMs: number,
    gapMs: number,
  ) => ({
    atMs,
    kind: "upgrade",
    backend: "web",
    servers,
    drainLimitMs,
    downtimeMs,
    gapMs,
  });

  it("becomes one upgrade of each non-backup server in turn, carried out by the timeline", () => {
    // The steps depend on the run (MAINT once the server is idle), so they are not expanded here;
    // sim/model/timeline.ts runs them, and scenarios/timeline-run.spec.ts shows them in a run.
    expect(timeline("{at: 10s, rolling-upgrade: {drain: 2s, downtime: 5s, gap: 1s}}")).toEqual([
      upgrade(10_000, ["web01", "web02", "web03"], 2000, 5000, 1000),
    ]);
  });

  it("waits at most 10s of drain and 30s of downtime by default, with no gap", () => {
    expect(timeline("{at: 0, rolling-upgrade: }")).toEqual([
      upgrade(0, ["web01", "web02", "web03"], 10_000, 30_000, 0),
    ]);
    expect(timeline("{at: 0, rolling-upgrade: {}}")).toEqual(timeline("{at: 0, rolling-upgrade: }"));
  });

  it("upgrades the servers listed, in their order, a backup included", () => {
    expect(timeline("{at: 1s, rolling-upgrade: {servers: [spare, web02], drain: 0, downtime: 1s}}")).toEqual([
      upgrade(1000, ["spare", "web02"], 0, 1000, 0),
    ]);
  });

  it("leaves out servers that start disabled, and has nothing to do when no server is left", () => {
    const text = events("{at: 1s, rolling-upgrade: {drain: 1s, downtime: 1s}}").replace(
      "{name: web02}",
      "{name: web02, disabled: true}",
    );
    expect(parseScenario(text, "s.yaml").events.map((e) => e.kind === "upgrade" && e.servers)).toEqual([
      ["web01", "web03"],
    ]);
    const none = events("{at: 1s, rolling-upgrade: {}}").replace(
      /\{name: (web0\d)\}/g,
      "{name: $1, backup: true}",
    );
    expect(only(none)).toMatchObject({
      code: "bad-value",
      line: FIRST,
      column: 31,
      path: "events[0].rolling-upgrade",
    });
  });

  it("reports unknown and repeated servers at their place in the list", () => {
    const issues = issuesOf(events("{at: 4s, rolling-upgrade: {servers: [web01, web05, web01], drian: 1s}}"));
    expect(issues.map((i) => [i.code, i.column, i.path, i.hint])).toEqual([
      ["unknown-server", 49, "events[0].rolling-upgrade.servers[1]", 'did you mean "web01"?'],
      ["bad-value", 56, "events[0].rolling-upgrade.servers[2]", undefined],
      ["unknown-key", 64, "events[0].rolling-upgrade.drian", 'did you mean "drain"?'],
    ]);
    expect(issues[1]?.message).toBe(
      'found server name "web01" a second time, expected unique names (first at events[0].rolling-upgrade.servers[0])',
    );
  });
});

describe("kill-random", () => {
  it("crashes count distinct non-backup servers chosen by the stream timeline:kill-random:<index>", () => {
    const killed = timeline(
      "{at: 1s, crash: web01}",
      "{at: 5s, kill-random: {count: 2, restore-after: 10s}}",
    );
    // The choice, worked by hand: a partial Fisher–Yates shuffle of [web01, web02, web03].
    const stream = createStream(3, "timeline:kill-random:1");
    const pool = ["web01", "web02", "web03"];
    for (let i = 0; i < 2; i++) {
      const j = i + Math.floor(stream.next() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    const [first, second] = pool as [string, string];
    expect(first).not.toBe(second);
    expect(killed).toEqual([
      crash(1000, "web01"),
      crash(5000, first),
      crash(5000, second),
      restore(15_000, first),
      restore(15_000, second),
    ]);
  });

  it("chooses again with the seed, the same way every time", () => {
    const choice = (seed: number) =>
      parseScenario(events("{at: 5s, kill-random: {}}").replace("seed: 3", `seed: ${seed}`), "s.yaml").events;
    expect(choice(3)).toEqual(choice(3));
    const chosen = new Set(
      Array.from({ length: 20 }, (_, seed) => (choice(seed)[0] as { server: string }).server),
    );
    expect([...chosen].sort()).toEqual(["web01", "web02", "web03"]);
    expect(choice(3)).toHaveLength(1);
  });

  it("chooses among the servers listed, and leaves them down without restore-after", () => {
    const killed = timeline("{at: 5s, kill-random: {count: 2, servers: [spare, web03]}}");
    expect(killed.map((e) => [e.atMs, e.kind])).toEqual([
      [5000, "crash"],
      [5000, "crash"],
    ]);
    expect(killed.map((e) => (e as { server: string }).server).sort()).toEqual(["spare", "web03"]);
  });

  it("drops a restore after the end of the run", () => {
    expect(timeline("{at: 55s, kill-random: {restore-after: 10s}}").map((e) => e.kind)).toEqual(["crash"]);
  });

  it("refuses more servers than there are to choose from", () => {
    const [issue] = issuesOf(events("{at: 5s, kill-random: {count: 4}}"));
    expect(issue).toMatchObject({
      code: "bad-value",
      line: FIRST,
      column: 35,
      path: "events[0].kill-random.count",
    });
    expect(issue?.message).toBe(
      "found a count of 4, expected at most the 3 servers to choose from (web01, web02, web03)",
    );
  });
});

describe("rate and spike", () => {
  it("read a client's new rate and a spike's factor and duration", () => {
    expect(
      timeline(
        "{at: 2s, rate: {client: browsers, to: 1200/m}}",
        "{at: 3s, spike: {client: browsers, factor: 3, for: 2s}}",
      ),
    ).toEqual([
      { atMs: 2000, kind: "rate", client: "browsers", ratePerSecond: 20 },
      { atMs: 3000, kind: "spike", client: "browsers", factor: 3, forMs: 2000 },
    ]);
  });

  it("report an unknown client with the nearest name", () => {
    expect(only(events("{at: 2s, rate: {client: browser, to: 20/s}}"))).toEqual({
      code: "unknown-client",
      file: "s.yaml",
      line: FIRST,
      column: 29,
      path: "events[0].rate.client",
      hint: 'did you mean "browsers"?',
    });
  });

  it("refuse a closed-loop or trace client clearly", () => {
    const [users] = issuesOf(events("{at: 3s, spike: {client: people, factor: 3, for: 2s}}"));
    expect(users).toMatchObject({
      code: "bad-value",
      line: FIRST,
      column: 30,
      path: "events[0].spike.client",
    });
    expect(users?.message).toBe(
      'client "people" has closed-loop users arrivals; spike changes the rate of a client with poisson, constant or ramp arrivals',
    );
    const [trace] = issuesOf(events("{at: 3s, rate: {client: replay, to: 5/s}}"));
    expect(trace?.message).toContain('client "replay" has trace arrivals');
  });

  it("report a bad rate and a missing duration at their place", () => {
    const issues = issuesOf(
      events(
        "{at: 2s, rate: {client: browsers, to: 20/q}}",
        "{at: 3s, spike: {client: browsers, factor: -1}}",
      ),
    );
    expect(issues.map((i) => [i.code, i.line, i.column, i.path])).toEqual([
      ["bad-rate", FIRST, 43, "events[0].rate.to"],
      ["missing-key", FIRST + 1, 21, "events[1].spike.for"],
      ["bad-value", FIRST + 1, 48, "events[1].spike.factor"],
    ]);
  });
});

describe("the size guard", () => {
  it("counts the requests of rate changes and spikes", () => {
    const tooLarge = (event: string) => issuesOf(events(event))[0];
    expect(tooLarge("{at: 30s, rate: {client: browsers, to: 1e9/s}}")).toMatchObject({ code: "too-large" });
    expect(tooLarge("{at: 1s, spike: {client: browsers, factor: 1e9, for: 20s}}")?.message).toBe(
      "about 2.00e+11 requests expected, more than the limit of 1e+10",
    );
    // 10/s × 10⁹ for 20 s is 2·10¹¹; 10/s for 59 s then 10⁸/s × 10 for 1 s is about 10⁹, under the limit.
    expect(
      timeline(
        "{at: 59s, rate: {client: browsers, to: 1e8/s}}",
        "{at: 59s, spike: {client: browsers, factor: 10, for: 5s}}",
      ),
    ).toHaveLength(2);
  });
});

describe("the timeline", () => {
  it("accepts partition and heal", () => {
    expect(timeline("{at: 1s, partition: web01}", "{at: 2s, heal: web01}")).toEqual([
      { atMs: 1000, kind: "partition", server: "web01" },
      { atMs: 2000, kind: "heal", server: "web01" },
    ]);
  });

  it("keeps written and generated events at the same time in the order written", () => {
    expect(
      timeline("{at: 12s, restore: web03}", "{at: 10s, flap: {server: web01, period: 4s, for: 4s}}"),
    ).toEqual([crash(10_000, "web01"), restore(12_000, "web03"), restore(12_000, "web01")]);
  });

  it("still refuses an event the user wrote after the end of the run", () => {
    expect(only(events("{at: 61s, flap: {server: web01, period: 2s}}"))).toMatchObject({
      code: "bad-value",
      line: FIRST,
      column: 10,
      path: "events[0].at",
    });
  });

  it("lists the new actions when an event has none", () => {
    const [issue] = issuesOf(events("{at: 1s}"));
    expect(issue?.message).toContain(
      '"flap", "rate", "spike", "rolling-upgrade", "kill-random", "balance" or "redispatch"',
    );
    expect(only(events("{at: 1s, rolling-upgarde: {}}"))).toMatchObject({
      code: "unknown-key",
      hint: 'did you mean "rolling-upgrade"?',
    });
  });
});
