// Every ready scenario in scenarios/library/ loads, and the two seed scenarios say what they should.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "./load.js";

const library = join(dirname(fileURLToPath(import.meta.url)), "library");
const files = readdirSync(library).filter((f) => /\.(ya?ml|json)$/.test(f));

describe("the scenario library", () => {
  it("has scenarios", () => {
    expect(files).toEqual(expect.arrayContaining(["tutorial.yaml", "failover.yaml"]));
  });

  it.each(files)("%s parses, with a description and expectations", (file) => {
    const scenario = loadScenarioFile(join(library, file));
    expect(scenario.description).not.toBe("");
    expect(scenario.expect.length).toBeGreaterThan(0);
  });

  it("tutorial.yaml is the seed's two-server setup", () => {
    const scenario = loadScenarioFile(join(library, "tutorial.yaml"));
    expect(scenario.backend).toMatchObject({
      name: "web_servers",
      balance: "roundrobin",
      timeout: { connectMs: 5000, serverMs: 50_000, queueMs: 5000 },
    });
    expect(scenario.frontend.clientTimeoutMs).toBe(50_000);
    expect(
      scenario.backend.servers.map((s) => [
        s.name,
        s.check?.type,
        s.check?.interMs,
        s.check?.rise,
        s.check?.fall,
      ]),
    ).toEqual([
      ["ha-proxy1", "http", 2000, 2, 3],
      ["ha-proxy2", "http", 2000, 2, 3],
    ]);
    expect(scenario.clients[0]).toMatchObject({
      name: "browsers",
      arrivals: { kind: "poisson", ratePerSecond: 50 },
      sources: { count: 200 },
      paths: { count: 50, zipf: 1 },
    });
    expect(scenario).toMatchObject({ durationMs: 60_000, warmupMs: 5000, seed: 1 });
  });

  it("failover.yaml is the measured failover setup of haproxy-semantics.md §8", () => {
    const scenario = loadScenarioFile(join(library, "failover.yaml"));
    expect(scenario.backend).toMatchObject({
      retries: 3,
      redispatch: { interval: -1 },
      timeout: { connectMs: 1000 },
    });
    expect(scenario.backend.servers.map((s) => s.check)).toEqual(
      Array(3).fill({
        type: "http",
        interMs: 1000,
        fastinterMs: 1000,
        downinterMs: 1000,
        rise: 2,
        fall: 3,
        timeoutMs: null,
      }),
    );
    expect(scenario.clients[0]?.arrivals).toEqual({ kind: "constant", ratePerSecond: 50 });
    expect(scenario.events).toEqual([
      { atMs: 5000, kind: "crash", server: "web02" },
      { atMs: 12_000, kind: "restore", server: "web02" },
    ]);
    expect(scenario.durationMs).toBe(20_000);
  });

  it("rolling-upgrade.yaml upgrades web01, web02 and web03 in turn", () => {
    const scenario = loadScenarioFile(join(library, "rolling-upgrade.yaml"));
    expect(scenario.events).toEqual([
      {
        atMs: 10_000,
        kind: "upgrade",
        backend: "web",
        servers: ["web01", "web02", "web03"],
        drainLimitMs: 5000,
        downtimeMs: 10_000,
        gapMs: 2000,
      },
    ]);
  });

  it("flash-crowd.yaml is the tutorial with a spike, through extends", () => {
    const tutorial = loadScenarioFile(join(library, "tutorial.yaml"));
    const crowd = loadScenarioFile(join(library, "flash-crowd.yaml"));
    expect({ ...crowd, name: tutorial.name, description: tutorial.description, events: [] }).toEqual(
      tutorial,
    );
    expect(crowd.events).toEqual([
      { atMs: 20_000, kind: "spike", client: "browsers", factor: 4, forMs: 15_000 },
    ]);
  });
});
