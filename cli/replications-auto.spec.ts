// Spec of cli/replications-auto.ts: parsing --replications auto/--precision/--max, and the stopping rule.
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { UsageError } from "./args.js";
import {
  AUTO_MIN_REPLICATIONS,
  type AutoReplications,
  decide,
  halfWidth95,
  parseReplicationsChoice,
  unsettledWarning,
} from "./replications-auto.js";

const auto = (precision = 0.05, max = 50): AutoReplications => ({
  kind: "auto",
  precision,
  min: AUTO_MIN_REPLICATIONS,
  max,
});

/** Normal values (Box–Muller over a seeded generator): a metric whose spread is known. */
function normals(meanValue: number, sd: number, n: number, seed: string): number[] {
  const random = seedrandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    const v = random();
    return meanValue + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  });
}

/** The loop a command runs: `batch` replications at a time, deciding after each whole batch. */
function runUntilSettled(a: AutoReplications, values: number[], batch: number) {
  let done = 0;
  let decision = decide(a, [{ metric: "p99", values: [] }], 0, batch);
  while (decision.kind === "more") {
    done = decision.target;
    decision = decide(a, [{ metric: "p99", values: values.slice(0, done) }], done, batch);
  }
  return { ...decision, ran: done };
}

describe("parseReplicationsChoice", () => {
  const parse = (replications?: string, precision?: string, max?: string) =>
    parseReplicationsChoice({ replications, precision, max }, "check");

  it("reads a fixed count, auto with its defaults, and auto with --precision and --max", () => {
    expect(parse()).toEqual({ kind: "fixed", count: 1 });
    expect(parse("7")).toEqual({ kind: "fixed", count: 7 });
    expect(parse("auto")).toEqual({ kind: "auto", precision: 0.05, min: 5, max: 50 });
    expect(parse("auto", "2.5%", "200")).toEqual({ kind: "auto", precision: 0.025, min: 5, max: 200 });
  });

  it.each([
    ["auto", "0%", undefined, /--precision expects a percentage above 0% and below 100%/],
    ["auto", "150%", undefined, /got "150%"/],
    ["auto", "5", undefined, /--precision expects a percentage/],
    ["auto", undefined, "1", /--max 1 is below the 5 replications/],
    ["auto", undefined, "4", /--max 4 is below/],
    ["auto", undefined, "x", /--replications expects a whole number/],
    ["3", "5%", undefined, /--precision goes with --replications auto/],
    [undefined, undefined, "9", /--max goes with --replications auto/],
  ])("refuses --replications %s --precision %s --max %s", (replications, precision, max, message) => {
    expect(() => parse(replications, precision, max)).toThrow(UsageError);
    expect(() => parse(replications, precision, max)).toThrow(message);
  });
});

describe("decide", () => {
  it("starts with the minimum: a t-interval of fewer runs is too wide to judge", () => {
    expect(decide(auto(), [], 0, 2)).toEqual({ kind: "more", target: 5 });
  });

  it("settles a metric of known spread near the N the precision predicts, and not one batch earlier", () => {
    // Spread 10% of the mean, precision 5%: N ≈ (1.96 × 0.10 / 0.05)² ≈ 15.4 (the t-quantile adds a little).
    for (const seed of ["a", "b", "c", "d"]) {
      const values = normals(100, 10, 50, seed);
      const stop = runUntilSettled(auto(), values, 2);
      expect(stop.kind).toBe("stop");
      if (stop.kind !== "stop") continue;
      expect(stop.unsettled).toBeUndefined();
      expect(stop.used).toBeGreaterThanOrEqual(9);
      expect(stop.used).toBeLessThanOrEqual(28);
      const at = (n: number) =>
        (halfWidth95(values.slice(0, n)) ?? Infinity) / Math.abs(mean(values.slice(0, n)));
      expect(at(stop.used)).toBeLessThanOrEqual(0.05);
      // Every smaller N from the minimum on was still too wide: the stop is the first that settles.
      for (let n = AUTO_MIN_REPLICATIONS; n < stop.used; n++) expect(at(n)).toBeGreaterThan(0.05);
    }
  });

  it("stops at the same N whatever the batch (the number of workers), dropping the runs past it", () => {
    const values = normals(100, 12, 50, "a");
    const stops = [2, 3, 4, 8, 16].map((batch) => runUntilSettled(auto(), values, batch));
    const used = stops.map((s) => (s.kind === "stop" ? s.used : -1));
    expect(new Set(used).size).toBe(1);
    expect(used[0]).toBeGreaterThan(AUTO_MIN_REPLICATIONS);
    // The larger batches ran past the stop: those runs were made but are not used.
    expect(Math.max(...stops.map((s) => s.ran))).toBeGreaterThan(used[0] as number);
  });

  it("stops at --max and names the metric that did not settle, with its half-width", () => {
    const values = normals(100, 60, 50, "f");
    const stop = decide(
      auto(0.05, 8),
      [
        { metric: "p50", values: values.map(() => 10) },
        { metric: "p99", values: values.slice(0, 8) },
      ],
      8,
      2,
    );
    expect(stop.kind).toBe("stop");
    if (stop.kind !== "stop") return;
    expect(stop.used).toBe(8);
    expect(stop.unsettled?.metric).toBe("p99");
    expect(stop.unsettled?.halfWidth).toBeCloseTo(halfWidth95(values.slice(0, 8)) ?? 0, 9);
    const warning = unsettledWarning(
      "demo",
      auto(0.05, 8),
      stop.unsettled as NonNullable<typeof stop.unsettled>,
    );
    expect(warning).toMatch(/^demo: p99 did not settle in 8 replications \(--max\): its 95% half-width is /);
    expect(warning).toMatch(/above the --precision 5%$/);
  });

  it("settles a mean of 0 (no error at all) at the minimum, and a tiny share by the absolute floor", () => {
    const zeros = { metric: "errors", values: [0, 0, 0, 0, 0], unit: "ratio" as const };
    expect(decide(auto(), [zeros], 5, 2)).toEqual({ kind: "stop", used: 5 });
    // 0.01% to 0.03% errors: relatively very noisy, but within 0.1 percentage point.
    const tiny = {
      metric: "errors",
      values: [0.0001, 0.0003, 0.0002, 0.0001, 0.0003],
      unit: "ratio" as const,
    };
    expect(decide(auto(), [tiny], 5, 2)).toEqual({ kind: "stop", used: 5 });
    // The same spread in ms is far above the 0.01 ms floor; as a count of requests, above half a request.
    const noisy = { metric: "p99", values: [1, 3, 2, 1, 3] };
    expect(decide(auto(), [noisy], 5, 2)).toEqual({ kind: "more", target: 7 });
    expect(decide(auto(), [{ ...noisy, unit: "count" as const }], 5, 2)).toEqual({ kind: "more", target: 7 });
    // Unfinished requests 0 or 1 at the end of a run: within half a request from 7 runs on (6: 0.54).
    const unfinished = {
      metric: "unfinished",
      values: [0, 1, 0, 0, 1, 0, 1, 0, 0, 0],
      unit: "count" as const,
    };
    expect(decide(auto(), [unfinished], 10, 2)).toEqual({ kind: "stop", used: 7 });
  });
});

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
