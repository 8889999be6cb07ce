// lbsim run on a scenario whose network faults are written wrong: exit 2, each problem at its file:line:col.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadScenarioFile } from "../scenarios/node.js";
import { runCli } from "./app.js";
import { fakePackage, fakeToolkit, recordingIo } from "./test-support.js";

let dir = "";
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lbsim-netfaults-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("refuses a loss rate of 130%, an unknown server and a count of 0 (exit 2, nothing run)", async () => {
  const file = join(dir, "net.yaml");
  writeFileSync(
    file,
    `duration: 5s
backend:
  servers:
    - {name: web01, service: {constant: 10ms}, rtt: 2ms}
clients:
  - {name: c, arrivals: {poisson: 20/s}}
events:
  - {at: 1s, loss: {server: web01, rate: 130%}}
  - {at: 2s, reset: web09}
  - {at: 3s, refuse-first: {server: web01, count: 0}}
`,
  );
  const toolkit = { ...fakeToolkit(), loadScenarioFile };
  const io = recordingIo(dir);
  expect(await runCli(["run", file], toolkit, fakePackage(dir), io)).toBe(2);
  const lines = io.stderr().trimEnd().split("\n");
  expect(lines).toHaveLength(3);
  expect(lines[0]).toBe(
    `${file}:8:42: events[0].loss.rate: found "130%", expected a share from 0% to 100% (30%, or 0.3)`,
  );
  expect(lines[1]).toContain(`${file}:9:21: events[1].reset: `);
  expect(lines[1]).toContain('(hint: did you mean "web01"?)');
  expect(lines[2]).toBe(`${file}:10:51: events[2].refuse-first.count: found 0, expected ≥ 1`);
  expect(toolkit.jobs).toHaveLength(0);
});
