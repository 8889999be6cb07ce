// loadScenarioFile: files on disk, trace paths beside the scenario, missing files, --force.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, type InputIssue } from "../errors/index.js";
import { loadScenarioFile } from "./load.js";

const dir = mkdtempSync(join(tmpdir(), "lbsim-load-"));

function issuesOf(action: () => unknown): ReadonlyArray<InputIssue> {
  try {
    action();
  } catch (error) {
    if (error instanceof InputError) return error.issues;
    throw error;
  }
  throw new Error("expected an InputError");
}

const TRACE_SCENARIO = `duration: 1m
backend: {servers: [{name: s}]}
clients:
  - name: replay
    arrivals: {trace: traces/day.csv}
`;

describe("loadScenarioFile", () => {
  it("reads a file and names the scenario after it", () => {
    const path = join(dir, "small.yaml");
    writeFileSync(
      path,
      "duration: 1s\nbackend: {service: {constant: 1}, servers: [{name: s}]}\nclients: [{name: c, arrivals: {poisson: 1}}]\n",
    );
    expect(loadScenarioFile(path).name).toBe("small");
  });

  it("resolves a trace file beside the scenario into an absolute path", () => {
    mkdirSync(join(dir, "traces"), { recursive: true });
    writeFileSync(join(dir, "traces", "day.csv"), "atMs\n0\n");
    const path = join(dir, "replay.yaml");
    writeFileSync(path, TRACE_SCENARIO);
    expect(loadScenarioFile(path).clients[0]?.arrivals).toEqual({
      kind: "trace",
      file: join(dir, "traces", "day.csv"),
    });
  });

  it("reports a missing trace file at its name in the scenario", () => {
    const path = join(dir, "missing-trace.yaml");
    writeFileSync(path, TRACE_SCENARIO.replace("day.csv", "night.csv"));
    expect(issuesOf(() => loadScenarioFile(path))).toEqual([
      expect.objectContaining({
        code: "file-not-found",
        file: path,
        line: 5,
        column: 23,
        path: "clients[0].arrivals.trace",
      }),
    ]);
  });

  it("reports a missing scenario file and an unreadable one", () => {
    expect(issuesOf(() => loadScenarioFile(join(dir, "nope.yaml")))[0]).toMatchObject({
      code: "file-not-found",
      line: 0,
    });
    expect(issuesOf(() => loadScenarioFile(dir))[0]).toMatchObject({ code: "unreadable", file: dir });
  });

  it("passes --force through", () => {
    const path = join(dir, "huge.yaml");
    writeFileSync(
      path,
      "duration: 1d\nbackend: {service: {constant: 1}, servers: [{name: s}]}\nclients: [{name: c, arrivals: {poisson: 1e6}}]\n",
    );
    expect(issuesOf(() => loadScenarioFile(path))[0]?.code).toBe("too-large");
    expect(loadScenarioFile(path, { force: true }).durationMs).toBe(86_400_000);
  });
});
