// Spec of viz/client/tooltip-text.ts: the bucket under the pointer and the exact values a time chart's tooltip shows.
import { describe, expect, it } from "vitest";
import { sampleView } from "../view-test-support.js";
import { bucketAt, num, tooltipAt } from "./tooltip-text.js";

const view = sampleView();
const at = (
  chart: "latency-over-time" | "errors-over-time" | "server-load" | "health" | "shares",
  ms: number,
) =>
  tooltipAt(
    {
      chart,
      section: 0,
      ...(chart === "latency-over-time" || chart === "errors-over-time" ? {} : { backend: 0 }),
    },
    view,
    ms,
  );

describe("tooltipAt", () => {
  it("names the bucket and gives each strategy's p50, p90 and p99 in it", () => {
    expect(at("latency-over-time", 600)?.lines).toEqual([
      "0.5–1 s",
      "roundrobin p50 4.1 ms, p90 8.2 ms, p99 15.3 ms",
      "leastconn p50 3.25 ms, p90 6.5 ms, p99 12.5 ms",
    ]);
    expect(at("latency-over-time", 600)).toMatchObject({ index: 1, fromMs: 500, toMs: 1000 });
  });

  it("shows the 95% interval with replications", () => {
    const section = view.sections[0]!;
    const line = section.latency.lines[0]!;
    const banded = {
      ...view,
      sections: [
        {
          ...section,
          latency: {
            ...section.latency,
            lines: [
              { ...line, p99: { mean: [15, 15.3, 30, 16], low: [1, 14.06, 1, 1], high: [1, 16.5, 1, 1] } },
            ],
          },
        },
      ],
    };
    expect(tooltipAt({ chart: "latency-over-time", section: 0 }, banded, 700)?.lines[1]).toBe(
      "roundrobin p50 4.1 ms, p90 8.2 ms, p99 15.3 ms (95%: 14.1–16.5 ms)",
    );
  });

  it("says when no request finished in the bucket, rather than a latency of 0", () => {
    const section = view.sections[0]!;
    const [first, second] = section.latency.lines;
    const lines = [{ ...first!, requests: { mean: [10, 0, 10, 10] } }, second!];
    const empty = { ...view, sections: [{ ...section, latency: { ...section.latency, lines } }] };
    expect(tooltipAt({ chart: "latency-over-time", section: 0 }, empty, 600)?.lines.slice(1)).toEqual([
      "roundrobin: no request finished",
      "leastconn p50 3.25 ms, p90 6.5 ms, p99 12.5 ms",
    ]);
  });

  it("counts the errors by status and termination, and says when there are none", () => {
    expect(at("errors-over-time", 1200)?.lines).toEqual([
      "1–1.5 s",
      "roundrobin: 4 errors (503 × 4; SC × 4)",
      "leastconn: no errors",
    ]);
  });

  it("gives each server's in flight and queued, per strategy", () => {
    expect(at("server-load", 1100)?.lines).toContain("roundrobin web02: 3 in flight, 1.25 queued");
    expect(at("server-load", 1100)?.lines).toHaveLength(5);
  });

  it("gives each lane's status at that time, with the failed checks", () => {
    expect(at("health", 400)?.lines).toEqual(["0–0.5 s", "roundrobin web01: UP"]);
    expect(at("health", 1000)?.lines).toEqual(["1–1.5 s", "roundrobin web01: DOWN, 2 failed checks"]);
  });

  it("has nothing outside the run, or for a chart that is not over time", () => {
    expect(at("latency-over-time", -1)).toBeNull();
    expect(at("latency-over-time", 2001)).toBeNull();
    expect(at("shares", 600)).toBeNull();
  });
});

describe("bucketAt", () => {
  const axis = view.sections[0]!.latency.axis;
  it("finds the bucket whose start is at or before the time", () => {
    expect([0, 499.9, 500, 1999, 2000].map((ms) => bucketAt(axis, ms))).toEqual([0, 0, 1, 3, 3]);
  });
});

describe("num", () => {
  it("keeps three significant digits below 100 and whole numbers above", () => {
    expect([4.123, 15.34, 153.6, 0, 2].map(num)).toEqual(["4.12", "15.3", "154", "0", "2"]);
    expect(num(null)).toBe("–");
    expect(num(Number.NaN)).toBe("–");
  });
});
