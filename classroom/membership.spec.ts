// The page's Add server and Remove server: which server joins, the `del server` that waits for the
// removed server's last request, what the teacher is told, and the export that `lbsim run` replays.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenario } from "../scenarios/index.js";
import { run } from "../sim/index.js";
import { resolveStrategy } from "../strategies/index.js";
import { describeAction } from "./actions.js";
import { failoverWithoutEvents, sourceOf } from "./classroom-test-support.js";
import { exportScenario } from "./export.js";
import { Session } from "./page/session.js";
import { parseSource, type ScenarioSource } from "./source.js";

const resolve = (balance: string) => {
  const factory = resolveStrategy(balance);
  if (factory === undefined) throw new Error(balance);
  return factory;
};

const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-membership-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** failover.yaml without its timeline, with web04 and web05 declared `added: false`. */
function withSpares(balance = "roundrobin"): ScenarioSource {
  const quiet = sourceOf(failoverWithoutEvents(dir));
  const text = quiet.text
    .replace("    - { name: web03, slots: 8 }\n", (line) =>
      [
        line,
        "    - { name: web04, slots: 8, added: false }\n",
        "    - { name: web05, slots: 8, added: false }\n",
      ].join(""),
    )
    .replace("balance: roundrobin", `balance: ${balance}`);
  const file = join(dir, `spares-${balance}.yaml`);
  writeFileSync(file, text);
  return sourceOf(file);
}

const BACKEND = "web_servers";

describe("Add server", () => {
  it("adds the selected server when it is absent, else the first absent one; add + ready at one time", () => {
    const session = new Session(parseSource(withSpares()), 1);
    session.advanceTo(2000);
    // web01 is selected (it is in the backend): the first absent one, web04, joins.
    session.apply([{ kind: "add", backend: BACKEND, prefer: "web01" }]);
    session.advanceTo(3000);
    session.apply([{ kind: "add", backend: BACKEND, prefer: "web05" }]);
    expect(session.applied.map((a) => [a.atMs, describeAction(a.action)])).toEqual([
      [2000, `add server ${BACKEND}/web04 + ready`],
      [3000, `add server ${BACKEND}/web05 + ready`],
    ]);
    session.advanceTo(6000);
    const states = Object.fromEntries(session.frame().snapshot.servers.map((s) => [s.name, s.state]));
    // Leaving MAINT with checks: UP at once (health = rise, then full after the first passing check).
    expect(states.web04).toBe("UP");
    expect(states.web05).toBe("UP");
    expect(session.takeNotices()).toEqual([]);
  });

  it("with no absent server left, adds nothing and asks for a spare (the worker declares one)", () => {
    const session = new Session(parseSource(sourceOf(failoverWithoutEvents(dir))), 1);
    session.advanceTo(1000);
    expect(session.apply([{ kind: "add", backend: BACKEND, prefer: "web01" }])).toEqual([]);
    const wanted = session.takeWantedSpare();
    expect(wanted?.add).toEqual({ kind: "add", backend: BACKEND, prefer: "web01" });
    expect(wanted?.why).toMatch(/declared in backend\.servers with added: false/);
    expect(session.takeWantedSpare()).toBeUndefined();
    expect(session.takeNotices()).toEqual([]);
  });

  it("under static-rr HAProxy refuses it: the action is kept (the export replays it) and the teacher told why", () => {
    const session = new Session(parseSource(withSpares("static-rr")), 1);
    session.advanceTo(1000);
    expect(session.apply([{ kind: "add", backend: BACKEND }])).toHaveLength(1);
    expect(session.takeNotices()).toEqual([
      'HAProxy refuses add server under balance static-rr: "Backend must use a dynamic load balancing to support dynamic servers." (static-rr and hash-type map-based are static)',
    ]);
    session.advanceTo(3000);
    expect(session.frame().snapshot.servers.find((s) => s.name === "web04")?.state).toBe("ABSENT");
  });
});

describe("Remove server", () => {
  it("puts it in MAINT at once and deletes it at the first moment the page sees it idle", () => {
    // Requests last ~5 ms (lognormal median 5 ms), one arrives every 20 ms round the three servers.
    const session = new Session(parseSource(withSpares()), 1);
    session.advanceTo(4000);
    session.apply([{ kind: "remove", server: "web02", backend: BACKEND }]);
    session.advanceTo(5000);
    const [remove, del] = session.applied;
    expect(remove).toEqual({ atMs: 4000, action: { kind: "remove", server: "web02", backend: BACKEND } });
    expect(del?.action).toEqual({ kind: "del", server: "web02", backend: BACKEND });
    // At most one request was on it (60 ms between its turns): gone within a second.
    expect(del!.atMs).toBeGreaterThanOrEqual(4000);
    expect(del!.atMs).toBeLessThan(5000);
    expect(session.frame().snapshot.servers.find((s) => s.name === "web02")?.state).toBe("ABSENT");
  });

  it("of a server that is not in the backend does nothing, and says so", () => {
    const session = new Session(parseSource(withSpares()), 1);
    session.advanceTo(1000);
    expect(session.apply([{ kind: "remove", server: "web04", backend: BACKEND }])).toEqual([]);
    expect(session.takeNotices()).toEqual([
      'Remove server: web04 is not in the backend (HAProxy: "No such server.")',
    ]);
  });

  it("is no longer waited for once the class made the server ready again", () => {
    // web02's requests last 3 s here: the del would wait; a `ready` in between cancels it.
    const source = withSpares();
    const slow = {
      ...source,
      text: source.text.replace("{ name: web02, slots: 8 }", "{ name: web02, slots: 8, speed: 0.001 }"),
    };
    const session = new Session(parseSource(slow), 1);
    session.advanceTo(2000);
    session.apply([{ kind: "remove", server: "web02", backend: BACKEND }]);
    session.advanceTo(2100);
    session.apply([{ kind: "ready", server: "web02", backend: BACKEND }]);
    session.advanceTo(session.scenario.durationMs);
    expect(session.applied.map((a) => a.action.kind)).toEqual(["remove", "ready"]);
  });
});

describe("export of add and remove", () => {
  it("writes add server + state ready, state maint and del server; run() gives the page's counts and states", () => {
    const source = withSpares();
    const session = new Session(parseSource(source), 7);
    const plan = [
      [2000, { kind: "add", backend: BACKEND }],
      [6000, { kind: "remove", server: "web02", backend: BACKEND }],
      [9000, { kind: "add", backend: BACKEND, prefer: "web02" }],
      [12_000, { kind: "crash", server: "web04" }],
    ] as const;
    for (const [atMs, action] of plan) {
      session.advanceTo(atMs);
      session.apply([action]);
    }
    session.advanceTo(session.scenario.durationMs);
    const text = exportScenario(source, session.seed, session.applied);
    const events = (parse(text) as { events: Array<{ at: string; runtime?: string }> }).events;
    const del = session.applied.find((a) => a.action.kind === "del")!;
    expect(events.slice(0, 5)).toEqual([
      { at: "2000ms", runtime: `add server ${BACKEND}/web04` },
      { at: "2000ms", runtime: `set server ${BACKEND}/web04 state ready` },
      { at: "6000ms", runtime: `set server ${BACKEND}/web02 state maint` },
      { at: `${del.atMs}ms`, runtime: `del server ${BACKEND}/web02` },
      // The removed web02 is absent again, and selected: it is the one added back.
      { at: "9000ms", runtime: `add server ${BACKEND}/web02` },
    ]);
    const replayed = run(parseScenario(text, "exported.yaml"), {
      resolveStrategy: resolve,
      deterministic: true,
    });
    expect(replayed.warnings).toBeUndefined();
    const frame = session.frame();
    expect(frame.serverRequests).toEqual(
      Object.fromEntries(replayed.servers.map((s) => [s.name, s.requests])),
    );
    expect(frame.snapshot.servers.map((s) => s.state)).toEqual(
      replayed.servers.map((s) => s.states.at(-1)?.state),
    );
    // Every declared server keeps its row: web05, never added, with no request.
    expect(frame.serverRequests.web05).toBe(0);
    expect(frame.serverRequests.web04).toBeGreaterThan(0);
  });
});
