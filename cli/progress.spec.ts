// Spec of cli/progress.ts: the progress line, drawn only when enabled and at most every 100 ms.
import { describe, expect, it } from "vitest";
import { createProgress, formatElapsed } from "./progress.js";

describe("createProgress", () => {
  it("writes nothing when disabled (stderr is not a terminal, or --quiet)", () => {
    let written = "";
    const progress = createProgress({
      enabled: false,
      label: "x",
      durationMs: 1000,
      write: (t) => (written += t),
    });
    progress.update(500);
    progress.clear();
    expect(written).toBe("");
  });

  it("redraws one line in place at most every 100 ms and erases it on clear", () => {
    let written = "";
    let now = 0;
    const progress = createProgress({
      enabled: true,
      label: "lbsim: demo",
      durationMs: 60_000,
      write: (t) => (written += t),
      now: () => now,
    });
    progress.update(6_000);
    now += 50;
    progress.update(7_000);
    now += 100;
    progress.update(30_000);
    progress.clear();
    expect(written).toBe(
      "\r\u001b[2Klbsim: demo: 6s of 1m simulated (10%)" +
        "\r\u001b[2Klbsim: demo: 30s of 1m simulated (50%)" +
        "\r\u001b[2K",
    );
  });
});

describe("createProgress, not on a terminal", () => {
  it("prints a plain line only after 30 s of wall time without one, with the time elapsed", () => {
    let written = "";
    let now = 1_000;
    const progress = createProgress({
      enabled: true,
      plain: true,
      label: "lbsim: demo",
      durationMs: 3_600_000,
      write: (t) => (written += t),
      now: () => now,
    });
    progress.update(60_000);
    now += 29_999;
    progress.update(600_000);
    expect(written).toBe("");
    now += 1;
    progress.update(900_000);
    now += 10_000;
    progress.update(1_000_000);
    now += 20_000;
    progress.update(1_800_000);
    progress.clear();
    expect(written).toBe(
      "lbsim: demo: 15m of 1h simulated (25%) · 30.0s\n" + "lbsim: demo: 30m of 1h simulated (50%) · 1m00s\n",
    );
  });

  it("formats elapsed wall time in tenths of a second, then minutes", () => {
    expect([formatElapsed(0), formatElapsed(4_249), formatElapsed(59_900), formatElapsed(125_000)]).toEqual([
      "0.0s",
      "4.2s",
      "59.9s",
      "2m05s",
    ]);
  });
});
