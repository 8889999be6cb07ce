// Add server on a scenario that declares nothing to add: a spare copied from the last server, the
// same run replayed with it, and an export that `lbsim run` replays to the page's counts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/index.js";
import { run } from "../sim/index.js";
import { resolveStrategy } from "../strategies/index.js";
import { failoverWithoutEvents, ROOT, sourceOf } from "./classroom-test-support.js";
import { exportScenario } from "./export.js";
import { Session } from "./page/session.js";
import { parseSource } from "./source.js";
import { nextFreeName, sessionWithSpare, withSpareServer } from "./spare-server.js";

const resolve = (balance: string) => {
  const factory = resolveStrategy(balance);
  if (factory === undefined) throw new Error(balance);
  return factory;
};
const dir = mkdtempSync(join(tmpdir(), "lbsim-classroom-spare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BACKEND = "web_servers";

describe("nextFreeName", () => {
  it("counts on from the last server's number, keeping its width, past names taken", () => {
    expect(nextFreeName("web03", ["web01", "web02", "web03"])).toBe("web04");
    expect(nextFreeName("web09", ["web09", "web10"])).toBe("web11");
    expect(nextFreeName("ha-proxy2", ["ha-proxy1", "ha-proxy2"])).toBe("ha-proxy3");
    expect(nextFreeName("api", ["api", "api-2"])).toBe("api-3");
  });
});

describe("withSpareServer", () => {
  it("copies the last non-backup server written in the scenario, with added: false", () => {
    const source = sourceOf(failoverWithoutEvents(dir));
    const spared = withSpareServer(source, parseSource(source), BACKEND);
    if (typeof spared === "string") throw new Error(spared);
    expect([spared.name, spared.copyOf]).toEqual(["web04", "web03"]);
    const servers = parseSource(spared.source).backend.servers;
    expect(servers.map((s) => [s.name, s.slots, s.added])).toEqual([
      ["web01", 8, undefined],
      ["web02", 8, undefined],
      ["web03", 8, undefined],
      ["web04", 8, false],
    ]);
    // Same service model and checks as the one it copies.
    expect(servers[3]!.service).toEqual(servers[2]!.service);
    expect(servers[3]!.check).toEqual(servers[2]!.check);
  });

  it("works beside a haproxy.cfg whose servers the scenario lists (the tutorial)", () => {
    const tutorial = sourceOf(join(ROOT, "scenarios", "library", "tutorial.yaml"));
    const spared = withSpareServer(tutorial, parseSource(tutorial), BACKEND);
    if (typeof spared === "string") throw new Error(spared);
    const servers = parseSource(spared.source).backend.servers;
    expect(servers.map((s) => [s.name, s.check?.type, s.added])).toEqual([
      ["ha-proxy1", "http", undefined],
      ["ha-proxy2", "http", undefined],
      ["ha-proxy3", "http", false],
    ]);
  });

  it("says why not when the scenario does not list its servers (they come from the haproxy.cfg only)", () => {
    const tutorial = sourceOf(join(ROOT, "scenarios", "library", "tutorial.yaml"));
    const bare = { ...tutorial, text: tutorial.text.replace(/^ {2}servers:\n( {4}- .*\n)+/m, "") };
    const why = withSpareServer(bare, parseSource(bare), BACKEND);
    expect(why).toMatch(
      /^Add server: backend "web_servers" has no server to add, and its servers are not listed/,
    );
  });
});

describe("sessionWithSpare", () => {
  it("goes on with the same run plus the spare, and the export replays the page's counts", () => {
    const source = sourceOf(failoverWithoutEvents(dir));
    const session = new Session(parseSource(source), 7);
    session.advanceTo(3000);
    session.apply([{ kind: "crash", server: "web02" }]);
    session.advanceTo(6000);
    session.apply([{ kind: "add", backend: BACKEND, prefer: "web01" }]);
    const wanted = session.takeWantedSpare()!;
    const before = session.frame();
    const spared = sessionWithSpare(session, source, wanted.add);
    if (typeof spared === "string") throw new Error(spared);
    const next = spared.session;
    expect(next.nowMs).toBeGreaterThanOrEqual(session.nowMs);
    // The run so far is the same: every server's requests and state as before the spare.
    const nowFrame = next.frame();
    for (const s of before.snapshot.servers)
      expect(nowFrame.snapshot.servers.find((n) => n.name === s.name)?.state).toBe(s.state);
    expect(next.applied.map((a) => a.action)).toEqual([
      { kind: "crash", server: "web02" },
      { kind: "add", backend: BACKEND, server: "web04" },
    ]);
    expect(spared.note).toBe(
      "Add server: web04 is a copy of web03, declared with added: false (the export writes it).",
    );
    next.advanceTo(next.scenario.durationMs);
    const final = next.frame();
    expect(final.serverRequests.web04).toBeGreaterThan(0);
    const text = exportScenario(spared.source, next.seed, next.applied);
    expect(text).toContain("{ name: web04, slots: 8, added: false }");
    const replayed = run(parseScenario(text, "exported.yaml"), {
      resolveStrategy: resolve,
      deterministic: true,
    });
    expect(final.serverRequests).toEqual(
      Object.fromEntries(replayed.servers.map((s) => [s.name, s.requests])),
    );
  });
});
