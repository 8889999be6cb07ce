// Progress off a terminal (CI logs): plain lines on stderr for long runs of run, compare and check; none with --quiet; stdout clean.
import { rmSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./app.js";
import type { SimulationControl } from "./context.js";
import {
  cliFolder,
  fakePackage,
  fakeToolkit,
  type RecordingIo,
  sampleResults,
  sampleScenario,
} from "./test-support.js";

let dir = "";
let io: RecordingIo;
beforeEach(() => {
  ({ dir, io } = cliFolder("lbsim-progress-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run of 1 minute simulated that takes 45 s of (fake) wall time, reporting at 15 s steps. */
function slowToolkit(expect: string[] = []) {
  return {
    ...fakeToolkit({
      body: (_job, control: SimulationControl) => {
        for (const simulatedMs of [15_000, 30_000, 45_000, 60_000]) {
          io.advance(15_000);
          control.onProgress?.(simulatedMs);
        }
        return Promise.resolve({ results: sampleResults(), stopped: false, reachedMs: 60_000, traceRows: 0 });
      },
    }),
    loadScenarioFile: () => sampleScenario({ expect }),
  };
}

describe("progress off a terminal", () => {
  it("lbsim run prints a line after 30 s without one, on stderr, and keeps stdout for --json -", async () => {
    await runCli(["run", "demo.yaml", "--json", "-"], slowToolkit(), fakePackage(dir), io);
    // At 15 s no line yet; at 30 s the first; at 45 s (15 s later) none; at 60 s the second.
    expect(io.stderr()).toMatch(
      /^lbsim: failover-demo: 30s of 1m simulated \(50%\) · 30\.0s\nlbsim: failover-demo: 1m of 1m simulated \(100%\) · 1m00s\n/,
    );
    expect(() => JSON.parse(io.stdout())).not.toThrow();
  });

  it("lbsim check prints a line per replication with the time it took, and the long run's line", async () => {
    const code = await runCli(
      ["check", "demo.yaml", "--replications", "2", "--json", "-"],
      slowToolkit(["p99 < 1s"]),
      fakePackage(dir),
      io,
    );
    expect(code).toBe(0);
    const line = "lbsim check: failover-demo · roundrobin · replication";
    expect(io.stderr()).toBe(
      `${line} 1/2: 30s of 1m simulated (50%) · 30.0s\n` +
        `${line} 1/2: 1m of 1m simulated (100%) · 1m00s\n` +
        "lbsim check: [1/1] failover-demo: replication 1/2 done in 1m00s (seed 7; 1m00s elapsed)\n" +
        `${line} 2/2: 30s of 1m simulated (50%) · 30.0s\n` +
        `${line} 2/2: 1m of 1m simulated (100%) · 1m00s\n` +
        "lbsim check: [1/1] failover-demo: replication 2/2 done in 1m00s (seed 8; 2m00s elapsed)\n",
    );
    expect(JSON.parse(io.stdout()).passed).toBe(true);
  });

  it("prints nothing with --quiet", async () => {
    await runCli(["check", "demo.yaml", "-q"], slowToolkit(["p99 < 1s"]), fakePackage(dir), io);
    await runCli(["run", "demo.yaml", "-q"], slowToolkit(), fakePackage(dir), io);
    await runCli(
      ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "-q"],
      slowToolkit(),
      fakePackage(dir),
      io,
    );
    expect(io.stderr()).not.toContain("simulated");
    expect(io.stderr()).not.toContain("done in");
  });
});
