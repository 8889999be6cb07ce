// The run table's balancer-instance rows: present only with `balancers:`, one row per instance.
import { describe, expect, it } from "vitest";
import { client, scenario, server, simulate } from "../sim/test-support.js";
import { formatPercent } from "./format.js";
import { renderTable } from "./table.js";

const base = scenario({
  durationMs: 5000,
  backend: { balance: "leastconn", servers: [server("web01"), server("web02")] },
  clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 50 } })],
});

describe("the run table with several balancer instances", () => {
  it("shows a row per instance: requests, share, errors, p50, p99, checks and each server's share", () => {
    const results = simulate({ ...base, balancers: { count: 3, spread: "roundrobin" } });
    const lines = renderTable(results, { color: false }).split("\n");
    const head = lines.findIndex((line) => line.startsWith("balancer "));
    expect(lines[head]!.split(/\s{2,}/)).toEqual([
      "balancer",
      "requests",
      "share",
      "errors",
      "p50",
      "p99",
      "checks",
      "web01",
      "web02",
    ]);
    const rows = lines.slice(head + 1, head + 4).map((line) => line.split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual(["lb1", "lb2", "lb3"]);
    // Requests as Results say, and each instance's shares of its servers.
    rows.forEach((row, i) => {
      const b = results.balancers![i]!;
      expect(row[1]).toBe(String(b.requests.total));
      expect(row[6]).toBe(String(b.checks));
      expect(row[7]).toBe(formatPercent(b.servers[0]!.share));
    });
    expect(lines[head + 4]).toMatch(/States below are lb1's view/);
  });

  it("has no such rows without balancers: (the table is as it always was)", () => {
    const table = renderTable(simulate(base), { color: false });
    expect(table).not.toMatch(/^balancer /m);
    expect(table).not.toMatch(/lb1/);
  });
});
