// The harness itself: it records what HAProxy chose, reads runtime replies, uses the chosen source address, cleans up.
import { existsSync } from "node:fs";
import { expect, it } from "vitest";
import { cmd, describeWithHaproxy, plain } from "./conformance.js";
import { accepts, findHaproxy, liveProcesses, runOnHaproxy } from "./harness.js";

const binary = () => findHaproxy()!.binary;

describeWithHaproxy("HAProxy harness", () => {
  it("records HAProxy's own roundrobin order for (5,3,2), independently of lbsim", async () => {
    const backend = {
      balance: "roundrobin",
      servers: [
        { name: "s1", weight: 5 },
        { name: "s2", weight: 3 },
        { name: "s3", weight: 2 },
      ],
    };
    const { answers } = await runOnHaproxy(binary(), backend, plain(10));
    expect(answers.join(" ")).toBe("s1 s2 s1 s3 s1 s2 s1 s2 s1 s3");
  });

  it("balances on the client address it binds: source 127.0.0.1 (odd key) → map slot 1, 127.0.0.2 → slot 0", async () => {
    const backend = {
      balance: "source",
      hashType: "map-based" as const,
      servers: [{ name: "s1" }, { name: "s2" }],
    };
    const steps = ["127.0.0.1", "127.0.0.2", "127.0.0.1", "127.0.0.2"].map((source) => ({
      kind: "request" as const,
      source,
      path: "/",
      host: "x",
    }));
    const { answers } = await runOnHaproxy(binary(), backend, steps);
    expect(answers).toEqual(["s2", "s1", "s2", "s1"]);
  });

  it("returns the runtime API's reply: empty when applied, HAProxy's message when refused", async () => {
    const backend = { balance: "static-rr", servers: [{ name: "s1", weight: 2 }, { name: "s2" }] };
    const steps = [
      cmd("set server be/s2 state maint"),
      ...plain(2),
      cmd("set weight be/s1 3"),
      cmd("show servers state be"),
    ];
    const { answers } = await runOnHaproxy(binary(), backend, steps);
    expect(answers.slice(0, 3)).toEqual(["", "s1", "s1"]);
    expect(answers[3]).toMatch(/static/i);
    expect(answers[4]).toMatch(/^1\n# be_id be_name srv_id srv_name/);
  });

  it("stops HAProxy and removes its temp dir, also when a step fails", async () => {
    const run = await runOnHaproxy(binary(), { balance: "roundrobin", servers: [{ name: "s1" }] }, plain(1));
    expect(await accepts({ host: "127.0.0.1", port: run.port })).toBe(false);
    expect(existsSync(run.dir)).toBe(false);
    // A space in the request target: HAProxy answers 400, which the harness treats as a failure.
    const failing = runOnHaproxy(binary(), { balance: "roundrobin", servers: [{ name: "s1" }] }, [
      ...plain(1),
      { kind: "request", source: "127.0.0.1", path: "/a b c", host: "x" },
    ]);
    await expect(failing).rejects.toThrow(/unexpected answer.*400/);
    expect(liveProcesses()).toBe(0);
  });
});
