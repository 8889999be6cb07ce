// Spec of viz/charts/index.ts: every chart of every section in page order, with safe and unique file names.
import { describe, expect, it } from "vitest";
import { HOSTILE, sampleSection, sampleView } from "../view-test-support.js";
import { chartSlots, reportCharts, slug } from "./index.js";

const chartOf = (svg: string) => /data-chart="([^"]*)"/.exec(svg)?.[1];

describe("reportCharts", () => {
  it("draws each section's time charts and distribution, then each backend's three, in page order", () => {
    const view = sampleView([
      sampleSection({ backends: ["web", "api"] }),
      sampleSection({ scenario: "second" }),
    ]);
    const charts = reportCharts(view, { width: 960, fontSize: 12 });
    expect(charts.map((c) => chartOf(c.svg))).toEqual([
      ...["latency-over-time", "distribution", "errors-over-time"],
      ...["shares", "server-load", "health", "shares", "server-load", "health"],
      ...["latency-over-time", "distribution", "errors-over-time", "shares", "server-load", "health"],
    ]);
    expect(charts.map((c) => c.file).slice(0, 4)).toEqual([
      "1-failover-latency-over-time",
      "1-failover-distribution",
      "1-failover-errors-over-time",
      "1-failover-web-shares",
    ]);
    expect(charts[9]?.file).toBe("2-second-latency-over-time");
    expect(charts[6]?.title).toBe("Requests per server of api (failover)");
  });

  it("draws at the width asked for", () => {
    const [first] = reportCharts(sampleView(), { width: 640, fontSize: 20 });
    expect(first?.svg).toMatch(/^<svg [^>]*width="640"/);
  });

  it("names files safely and uniquely whatever the scenario and backends are called", () => {
    const view = sampleView([
      sampleSection({ scenario: "../../etc/passwd", backends: [HOSTILE, "a b", "a-b", "", "C:\\x"] }),
      sampleSection({ scenario: "../../etc/passwd" }),
    ]);
    const files = chartSlots(view).map((s) => s.file);
    for (const file of files) expect(file).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(files).size).toBe(files.length);
    expect(files).toContain("1-etc-passwd-a-b-shares");
    expect(files).toContain("1-etc-passwd-a-b-shares-2");
    expect(files).toContain("1-etc-passwd-backend4-health");
    expect(files).toContain("2-etc-passwd-web-health");
  });
});

describe("slug", () => {
  it("keeps lower-case ASCII letters and digits, joined by single dashes", () => {
    expect(slug("Unequal Speed", "x")).toBe("unequal-speed");
    expect(slug("Ünïcode café", "x")).toBe("unicode-cafe");
    expect(slug("random(2)", "x")).toBe("random-2");
  });

  it("falls back when nothing is left, and stays short", () => {
    expect(slug("../..", "backend1")).toBe("backend1");
    expect(slug("a".repeat(100), "x")).toHaveLength(40);
  });
});
