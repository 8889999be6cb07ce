// Spec of `lbsim replay` under conditions the log shows: the balancer's queue (maxconn) and outages.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Results } from "../sim/index.js";
import { counts, type ReplayJson, replaySandbox } from "./replay-test-support.js";

const { at, lbsim, replayJson } = replaySandbox();

describe("lbsim replay: the balancer's queue", () => {
  test("Tw as logged is the run's queue time, and the replay under the cfg's maxconn queues as much", async () => {
    writeFileSync(
      at("q.cfg"),
      `defaults
  mode http
  timeout queue 30s
frontend fe
  bind :80
  default_backend be
backend be
  balance roundrobin
  server s1 10.0.0.1:80 maxconn 1
  server s2 10.0.0.2:80 maxconn 1
`,
    );
    writeFileSync(
      at("q.yaml"),
      `name: q
seed: 8
duration: 30s
haproxy: q.cfg
backend:
  service: {exponential: 15ms}
clients:
  - {name: c, arrivals: {poisson: 80/s}}
events:
  - {at: 25s, rate: {client: c, to: 0}}
`,
    );
    writeFileSync(at("q-slots.yaml"), "backend: {servers: [{name: s1, slots: 1}, {name: s2, slots: 1}]}\n");
    expect(
      (await lbsim("run", at("q.yaml"), "--log", at("q.log"), "--json", at("q.json"), "--quiet")).code,
    ).toBe(0);
    const original = JSON.parse(readFileSync(at("q.json"), "utf8")) as Results;
    expect(original.queue.meanMs).toBeGreaterThan(5);
    const r = await replayJson(at("q.log"), "--cfg", at("q.cfg"), "--scenario", at("q-slots.yaml"));
    // Whole ms: each logged Tw is within 1 ms of the run's queue time.
    expect(Math.abs(r.logged.queue.meanMs - original.queue.meanMs)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.replayed.queue.meanMs - r.logged.queue.meanMs)).toBeLessThanOrEqual(1);
    // Without the cfg there is no maxconn: nothing queues at the balancer.
    const bare = await replayJson(at("q.log"), "--scenario", at("q-slots.yaml"));
    expect(bare.replayed.queue.meanMs).toBe(0);
  });
});

describe("lbsim replay: outages the log shows", () => {
  test("a crashed server's gap is replayed as MAINT: the logged counts come back; --keep-servers-up spreads them", async () => {
    writeFileSync(
      at("crash.yaml"),
      `name: crash
seed: 4
duration: 30s
backend:
  name: be
  balance: roundrobin
  retries: 1
  redispatch: true
  check: {inter: 1s, fall: 2, rise: 2}
  servers:
    - {name: s1, slots: 4, service: {exponential: 10ms}}
    - {name: s2, slots: 4, service: {exponential: 10ms}}
    - {name: s3, slots: 4, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 60/s}}
events:
  - {at: 10s, crash: s2}
  - {at: 20s, restore: s2}
  - {at: 28s, rate: {client: c, to: 0}}
`,
    );
    expect((await lbsim("run", at("crash.yaml"), "--log", at("crash.log"), "--quiet")).code).toBe(0);
    const r = await lbsim("replay", at("crash.log"), "--json", "-");
    const doc = JSON.parse(r.out) as ReplayJson & {
      estimate: { outages: Array<{ server: string; fromMs: number; toMs: number }> };
    };
    expect(doc.estimate.outages.map((o) => o.server)).toEqual(["s2"]);
    // Out from its crash (10 s) until it came back UP (restore at 20 s, then 2 checks of 1 s).
    expect(doc.estimate.outages[0]!.fromMs).toBeGreaterThan(9_500);
    expect(doc.estimate.outages[0]!.fromMs).toBeLessThanOrEqual(10_000);
    expect(doc.estimate.outages[0]!.toMs).toBeGreaterThan(20_000);
    expect(doc.estimate.outages[0]!.toMs).toBeLessThan(23_000);
    const logged = counts(doc.logged.servers);
    for (const name of ["s1", "s2", "s3"])
      expect(Math.abs(counts(doc.replayed.servers)[name]! - logged[name]!)).toBeLessThanOrEqual(2);
    const up = await replayJson(at("crash.log"), "--keep-servers-up");
    const third = doc.log.requests / 3;
    for (const s of up.replayed.servers) expect(Math.abs(s.requests - third)).toBeLessThanOrEqual(1);
  });
});
