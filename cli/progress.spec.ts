// Spec of cli/progress.ts: the progress line, drawn only when enabled and at most every 100 ms.
import { describe, expect, it } from "vitest";
import { createProgress } from "./progress.js";

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
