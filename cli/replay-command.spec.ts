// Spec of cli/replay-command.ts: `lbsim replay` of lbsim's own --log: sequential and round-trip replays, what-ifs, several backends, determinism.
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type { Results } from "../sim/index.js";
import type { LoggedResults } from "./replay-run.js";
import { counts, replaySandbox } from "./replay-test-support.js";

const { at, lbsim, replayJson } = replaySandbox();

/** A cfg with unequal weights, so that a replay ignoring them would not give the same counts. */
const CFG = `defaults
  mode http
  timeout connect 5s
  timeout server 30s
frontend fe
  bind 127.0.0.1:8080
  default_backend be
backend be
  balance roundrobin
  server s1 127.0.0.1:9001 weight 3
  server s2 127.0.0.1:9002 weight 1
  server s3 127.0.0.1:9003 weight 2
`;

describe("lbsim replay of lbsim's own --log", () => {
  test("a sequential log (no overlap) replayed under its cfg's balance gives the logged per-server counts exactly", async () => {
    writeFileSync(at("be.cfg"), CFG);
    writeFileSync(
      at("seq.yaml"),
      `name: seq
duration: 30s
haproxy: be.cfg
backend:
  service: {uniform: [2ms, 40ms]}
clients:
  - {name: c, arrivals: {constant: 20/s}, sources: {count: 50}}
`,
    );
    const ran = await lbsim("run", at("seq.yaml"), "--log", at("seq.log"), "--quiet");
    expect(ran.err).toBe("");
    expect(ran.code).toBe(0);
    const r = await replayJson(at("seq.log"), "--cfg", at("be.cfg"));
    expect(r.log.requests).toBe(600);
    // Weights 3:1:2 over 600 requests: 300/100/200 logged, and the replay agrees server by server.
    expect(counts(r.logged.servers)).toEqual({ s1: 300, s2: 100, s3: 200 });
    expect(counts(r.replayed.servers)).toEqual(counts(r.logged.servers));
    // Without the cfg the replay assumes plain roundrobin, and the weights are lost: 200 each.
    const plain = await replayJson(at("seq.log"));
    expect(counts(plain.replayed.servers)).toEqual({ s1: 200, s2: 200, s3: 200 });
  });

  test("round trip: run --log, then replay --scenario (the servers' slots) gives the run's counts and percentiles", async () => {
    writeFileSync(
      at("rt.yaml"),
      `name: rt
seed: 5
duration: 40s
backend:
  name: be
  balance: roundrobin
  servers:
    - {name: s1, slots: 2, service: {exponential: 20ms}}
    - {name: s2, slots: 2, speed: 0.5, service: {exponential: 20ms}}
    - {name: s3, slots: 1, service: {exponential: 20ms}}
clients:
  - {name: c, arrivals: {poisson: 50/s}, sources: {count: 100}, paths: {count: 20}}
events:
  - {at: 35s, rate: {client: c, to: 0}}
`,
    );
    writeFileSync(
      at("slots.yaml"),
      "backend: {name: be, servers: [{name: s1, slots: 2}, {name: s2, slots: 2}, {name: s3, slots: 1}]}\n",
    );
    expect(
      (await lbsim("run", at("rt.yaml"), "--log", at("rt.log"), "--json", at("rt.json"), "--quiet")).code,
    ).toBe(0);
    const original = JSON.parse(readFileSync(at("rt.json"), "utf8")) as Results;
    expect(original.requests.unfinished).toBe(0);
    const r = await replayJson(at("rt.log"), "--scenario", at("slots.yaml"));
    expect(counts(r.replayed.servers)).toEqual(counts(original.servers));
    // Tolerance 1 ms + 0.1%: the log truncates each instant to a whole ms, and the FIFO
    // deconvolution gives each request demand = (its truncated end) − (when its worker freed), so
    // the replay ends each request within 1 ms of the run; the histogram adds at most 0.1%.
    for (const key of ["p50Ms", "p90Ms", "p99Ms"] as const) {
      expect(Math.abs(r.replayed.latency[key] - original.latency[key])).toBeLessThanOrEqual(
        1 + original.latency[key] / 1000,
      );
      expect(Math.abs(r.replayed.latency[key] - r.logged.latency[key])).toBeLessThanOrEqual(
        1 + r.logged.latency[key] / 1000,
      );
    }
    // s2 runs at half speed: its estimated speed is half s1's, within 3 standard errors of a
    // ratio of two means of ~650 exponential demands each (√(2/650) ≈ 5.5% each way → 17%).
    const speed = Object.fromEntries(r.estimate.speeds.map((s) => [s.server, s.speed]));
    expect(speed.s2! / speed.s1!).toBeGreaterThan(0.5 * 0.83);
    expect(speed.s2! / speed.s1!).toBeLessThan(0.5 * 1.17);
  });
});

describe("lbsim replay: the what-if and several backends", () => {
  test("--strategy leastconn on a log with one slow server: it gets fewer requests than roundrobin gave it", async () => {
    writeFileSync(
      at("slow.yaml"),
      `name: slow
seed: 2
duration: 30s
backend:
  name: be
  balance: roundrobin
  servers:
    - {name: fast1, slots: 4, service: {exponential: 10ms}}
    - {name: fast2, slots: 4, service: {exponential: 10ms}}
    - {name: slow, slots: 4, speed: 0.25, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 100/s}}
events:
  - {at: 28s, rate: {client: c, to: 0}}
`,
    );
    writeFileSync(
      at("slots4.yaml"),
      "backend: {servers: [{name: fast1, slots: 4}, {name: fast2, slots: 4}, {name: slow, slots: 4}]}\n",
    );
    expect((await lbsim("run", at("slow.yaml"), "--log", at("slow.log"), "--quiet")).code).toBe(0);
    const r = await replayJson(at("slow.log"), "--scenario", at("slots4.yaml"), "--strategy", "leastconn");
    expect(r.replayed.strategy).toBe("leastconn");
    expect(r.replayedAsLogged?.strategy).toBe("roundrobin");
    const share = (res: { servers: ReadonlyArray<{ name: string; share: number }> }) =>
      res.servers.find((s) => s.name === "slow")!.share;
    // Roundrobin gave the slow server a third, as logged; leastconn sees its connections pile up.
    expect(share(r.replayedAsLogged!)).toBeCloseTo(1 / 3, 2);
    expect(share(r.logged)).toBeCloseTo(1 / 3, 2);
    expect(share(r.replayed)).toBeLessThan(0.25);
    // Its demands were scaled by its estimated speed (about a quarter of the others').
    const speed = Object.fromEntries(r.estimate.speeds.map((s) => [s.server, s.speed]));
    expect(speed.slow! / speed.fast1!).toBeLessThan(0.35);
    expect(r.replayed.latency.p99Ms).toBeLessThan(r.replayedAsLogged!.latency.p99Ms);
  });

  test("without a cfg the roundrobin starts at the server of the first request accepted, not of the first line", async () => {
    const line = (server: string, at: string, ta: number) =>
      `10.0.0.1:1000 [07/Dec/2026:21:00:00.${at}] fe be/${server} 0/0/0/${ta}/${ta} 200 10 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"`;
    // Accepted s1 (0 ms), s2 (10 ms), s1 (100 ms); the s2 line comes first, as it ended first.
    writeFileSync(
      at("order.log"),
      `${line("s2", "010", 5)}\n${line("s1", "000", 50)}\n${line("s1", "100", 5)}\n`,
    );
    const r = await replayJson(at("order.log"));
    expect(counts(r.logged.servers)).toEqual({ s1: 2, s2: 1 });
    expect(counts(r.replayed.servers)).toEqual({ s1: 2, s2: 1 });
  });

  test("the same log replays byte for byte the same, random what-if included (no wall clock in the JSON)", async () => {
    const line = (i: number) =>
      `10.0.0.${i % 9}:1000 [07/Dec/2026:21:00:0${Math.floor(i / 10)}.${String((i % 10) * 100).padStart(3, "0")}] fe be/s${(i % 3) + 1} 0/0/0/${5 + (i % 4)}/${5 + (i % 4)} 200 10 - - ---- 1/1/1/1/0 0/0 "GET /${i} HTTP/1.1"`;
    writeFileSync(at("d.log"), `${Array.from({ length: 60 }, (_, i) => line(i)).join("\n")}\n`);
    const first = await lbsim("replay", at("d.log"), "--strategy", "random(2)", "--json", "-");
    const second = await lbsim("replay", at("d.log"), "--strategy", "random(2)", "--json", "-");
    expect(first.code).toBe(0);
    expect(second.out).toBe(first.out);
    expect(first.out).toContain('"wallMs": 0');
  });

  test("a what-if that cannot keep up leaves requests open at the end: counted, and shown as unfinished", async () => {
    writeFileSync(
      at("busy.yaml"),
      `name: busy
seed: 6
duration: 30s
backend:
  name: be
  servers:
    - {name: s1, service: {exponential: 10ms}}
    - {name: s2, service: {exponential: 10ms}}
    - {name: s3, service: {exponential: 10ms}}
clients:
  - {name: c, arrivals: {poisson: 150/s}}
`,
    );
    writeFileSync(
      at("ones.yaml"),
      "backend: {servers: [{name: s1, slots: 1}, {name: s2, slots: 1}, {name: s3, slots: 1}]}\n",
    );
    expect((await lbsim("run", at("busy.yaml"), "--log", at("busy.log"), "--quiet")).code).toBe(0);
    // balance first without maxconn sends everything to s1: 150% of what it can serve.
    const r = await lbsim("replay", at("busy.log"), "--scenario", at("ones.yaml"), "--strategy", "first");
    expect(r.code).toBe(0);
    const row = r.out.split("\n").find((l) => l.startsWith("  unfinished"));
    expect(row).toBeDefined();
    const [, logged, asLogged, first] = row!.trim().split(/\s{3,}/);
    expect([logged, asLogged]).toEqual(["0", "0"]);
    expect(Number(first!.replace(/,/g, ""))).toBeGreaterThan(100);
  });

  test("a log of two backends replays each, with its own balance from the cfg", async () => {
    writeFileSync(
      at("two.cfg"),
      `defaults
  mode http
frontend www
  bind :80
  acl is_api path_beg /api/
  use_backend api if is_api
  default_backend web
backend web
  balance roundrobin
  server w1 10.0.0.1:80
  server w2 10.0.0.2:80
backend api
  balance static-rr
  server a1 10.0.1.1:80 weight 2
  server a2 10.0.1.2:80 weight 1
`,
    );
    writeFileSync(
      at("two.yaml"),
      `name: two
duration: 10s
haproxy: two.cfg
backends:
  - {name: web, service: {constant: 5ms}}
  - {name: api, service: {constant: 5ms}}
clients:
  - {name: pages, arrivals: {constant: 30/s}}
  - {name: apis, arrivals: {constant: 30/s}, paths: {prefix: /api/}}
`,
    );
    expect((await lbsim("run", at("two.yaml"), "--log", at("two.log"), "--quiet")).code).toBe(0);
    const r = await lbsim("replay", at("two.log"), "--cfg", at("two.cfg"), "--json", "-");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      backends: Array<{ backend: string; logged: LoggedResults; replayed: Results }>;
    };
    expect(doc.backends.map((b) => b.backend).sort()).toEqual(["api", "web"]);
    for (const b of doc.backends) {
      expect(counts(b.replayed.servers)).toEqual(counts(b.logged.servers));
      expect(b.replayed.strategy).toBe(b.backend === "api" ? "static-rr" : "roundrobin");
    }
    const api = doc.backends.find((b) => b.backend === "api")!;
    expect(counts(api.logged.servers)).toEqual({ a1: 200, a2: 100 });
  });
});
