// run(): invariants of Results and per-request records over random small scenarios (fast-check), and
// determinism (DESIGN.md "Principles", "Results"; STYLE.md "Tests").
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type {
  CheckParams,
  ClientSpec,
  Distribution,
  ObserveParams,
  RuntimeCommand,
  Scenario,
  ServerSpec,
  TimelineAction,
  TimelineEvent,
} from "../scenarios/types.js";
import type { Results } from "./results.js";
import type { RequestRecord } from "./run-types.js";
import { client, scenario, server, simulate, simulateWithRecords } from "./test-support.js";

// --- random scenarios ---------------------------------------------------------------------------

const serviceArb: fc.Arbitrary<Distribution> = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((valueMs) => ({ kind: "constant", valueMs }) as const),
  fc.integer({ min: 1, max: 60 }).map((meanMs) => ({ kind: "exponential", meanMs }) as const),
);

const checkArb: fc.Arbitrary<CheckParams | null> = fc.option(
  fc.record({
    type: fc.constantFrom("tcp", "http"),
    interMs: fc.integer({ min: 100, max: 800 }),
    fastinterMs: fc.integer({ min: 50, max: 800 }),
    downinterMs: fc.integer({ min: 100, max: 1500 }),
    rise: fc.integer({ min: 1, max: 3 }),
    fall: fc.integer({ min: 1, max: 3 }),
    timeoutMs: fc.option(fc.integer({ min: 20, max: 400 }), { nil: null }),
  }),
  { nil: null, freq: 3 },
);

const observeArb: fc.Arbitrary<ObserveParams | null> = fc.option(
  fc.record({
    mode: fc.constantFrom("layer4", "layer7"),
    errorLimit: fc.integer({ min: 1, max: 4 }),
    onError: fc.constantFrom("fastinter", "fail-check", "sudden-death", "mark-down"),
  }),
  { nil: null, freq: 3 },
);

const rare = fc.constantFrom(false, false, false, false, true);

const serverArb = (name: string): fc.Arbitrary<ServerSpec> =>
  fc
    .record({
      weight: fc.integer({ min: 0, max: 4 }),
      maxconn: fc.constantFrom(0, 0, 1, 2, 3),
      maxqueue: fc.constantFrom(0, 0, 1, 2),
      slots: fc.integer({ min: 1, max: 3 }),
      discipline: fc.constantFrom("fifo", "ps"),
      speed: fc.constantFrom(0.5, 1, 2),
      service: serviceArb,
      backup: rare,
      check: checkArb,
      slowstartMs: fc.constantFrom(0, 0, 0, 400, 1500),
      observe: observeArb,
      disabled: rare,
    })
    .map((fields) => server(name, fields));

const clientArb = (name: string): fc.Arbitrary<ClientSpec> =>
  fc
    .record({
      arrivals: fc.oneof(
        fc
          .integer({ min: 5, max: 150 })
          .map((ratePerSecond) => ({ kind: "poisson", ratePerSecond }) as const),
        fc
          .integer({ min: 5, max: 150 })
          .map((ratePerSecond) => ({ kind: "constant", ratePerSecond }) as const),
        fc
          .record({ count: fc.integer({ min: 1, max: 8 }), think: serviceArb })
          .map(({ count, think }) => ({ kind: "users", count, think }) as const),
      ),
      timeoutMs: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 20, max: 1500 })),
      retry: fc.option(
        fc.record({
          count: fc.integer({ min: 1, max: 2 }),
          backoffMs: fc.integer({ min: 5, max: 200 }),
          maxBackoffMs: fc.integer({ min: 5, max: 400 }),
          jitter: fc.constantFrom(0, 0.5, 1),
        }),
        { nil: null, freq: 2 },
      ),
    })
    .map((fields) => client(name, fields));

const actionArb = (names: string[]): fc.Arbitrary<TimelineAction> => {
  const name = fc.constantFrom(...names);
  const command: fc.Arbitrary<RuntimeCommand> = fc.oneof(
    fc.record({ op: fc.constant("state"), server: name, state: fc.constantFrom("ready", "drain", "maint") }),
    fc.record({
      op: fc.constant("weight"),
      server: name,
      weight: fc.integer({ min: 0, max: 5 }),
      percent: fc.constant(false),
    }),
    fc.record({
      op: fc.constant("weight"),
      server: name,
      weight: fc.integer({ min: 0, max: 300 }),
      percent: fc.constant(true),
    }),
    fc.record({ op: fc.constant("health"), server: name, health: fc.constantFrom("up", "down", "stopping") }),
  );
  return fc.oneof(
    fc.record({ kind: fc.constantFrom("crash", "hang", "restore", "partition", "heal"), server: name }),
    fc.record({ kind: fc.constant("slow"), server: name, factor: fc.constantFrom(0.5, 2, 4) }),
    fc.record({ kind: fc.constant("errors"), server: name, rate: fc.constantFrom(0.2, 0.5, 1) }),
    command.map((c) => ({ kind: "runtime", text: JSON.stringify(c), command: c }) as const),
  ) as fc.Arbitrary<TimelineAction>;
};

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    serverCount: fc.integer({ min: 1, max: 4 }),
    clientCount: fc.integer({ min: 1, max: 2 }),
    durationMs: fc.integer({ min: 500, max: 3000 }),
  })
  .chain(({ serverCount, clientCount, durationMs }) => {
    const names = Array.from({ length: serverCount }, (_, i) => `s${i + 1}`);
    return fc
      .record({
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        balance: fc.constantFrom("roundrobin", "leastconn", "random(2)", "random"),
        servers: fc.tuple(...names.map(serverArb)),
        clients: fc.tuple(...Array.from({ length: clientCount }, (_, i) => clientArb(`c${i + 1}`))),
        events: fc.array(
          fc
            .tuple(fc.integer({ min: 0, max: durationMs }), actionArb(names))
            .map(([atMs, a]) => ({ atMs, ...a }) as TimelineEvent),
          { maxLength: 6 },
        ),
        connectMs: fc.integer({ min: 20, max: 1000 }),
        serverMs: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 50, max: 2000 })),
        queueMs: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 20, max: 1500 })),
        retries: fc.integer({ min: 0, max: 3 }),
        redispatch: fc.option(fc.record({ interval: fc.constantFrom(-1, 1, 2) }), { nil: null }),
        allbackups: fc.boolean(),
        frontendMaxconn: fc.constantFrom(0, 0, 0, 1, 3, 8),
        bucketMs: fc.constantFrom(100, 250, 1000),
      })
      .map((p) =>
        scenario({
          seed: p.seed,
          durationMs,
          bucketMs: p.bucketMs,
          frontend: { name: "f", maxconn: p.frontendMaxconn, clientTimeoutMs: Number.POSITIVE_INFINITY },
          backend: {
            balance: p.balance,
            timeout: { connectMs: p.connectMs, serverMs: p.serverMs, queueMs: p.queueMs },
            retries: p.retries,
            redispatch: p.redispatch,
            allbackups: p.allbackups,
            servers: p.servers,
          },
          clients: p.clients,
          events: [...p.events].sort((a, b) => a.atMs - b.atMs),
        }),
      );
  });

const RUNS = { numRuns: 200 };

// --- the invariants -----------------------------------------------------------------------------

const sum = (xs: Iterable<number>) => {
  let n = 0;
  for (const x of xs) n += x;
  return n;
};

/** Statuses under which the load balancer must not give the server a new request (§4.2 table). */
const UNUSABLE = /^(DOWN|MAINT|DRAIN|NOLB)/;

function unusableSpans(states: Results["servers"][number]["states"]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  states.forEach((change, i) => {
    if (!UNUSABLE.test(change.state)) return;
    const next = states[i + 1];
    spans.push([change.atMs, next === undefined ? Number.POSITIVE_INFINITY : next.atMs]);
  });
  return spans;
}

function checkAccounting(s: Scenario, results: Results, records: RequestRecord[]): void {
  const r = results.requests;
  expect(r.total).toBe(r.ok + r.failed);
  expect(sum(Object.values(r.byStatus))).toBe(r.total);
  expect(sum(Object.values(r.byTermination))).toBe(r.total);
  // Every finished request is reported once.
  expect(records.length).toBe(r.total);
  expect(new Set(records.map((x) => x.id)).size).toBe(records.length);
  expect(r.ok).toBe(records.filter((x) => x.status >= 100 && x.status < 400).length);
  expect(r.retried).toBe(records.filter((x) => x.retries > 0).length);
  expect(r.redispatched).toBe(records.filter((x) => x.redispatched).length);
  // The time series sees every finished request, the last bucket included.
  expect(sum(results.series.requests)).toBe(records.length);
  expect(sum(results.series.errors)).toBe(records.filter((x) => x.status === -1 || x.status >= 500).length);
  expect(results.series.atMs.length).toBe(Math.ceil(s.durationMs / s.bucketMs));
  // Shares: each server's finished requests over all that had a server.
  const withServer = records.filter((x) => x.server !== "").length;
  expect(sum(results.servers.map((x) => x.requests))).toBe(withServer);
  const shares = sum(results.servers.map((x) => x.share));
  if (withServer === 0) expect(shares).toBe(0);
  else expect(Math.abs(shares - 1)).toBeLessThan(1e-5);
}

function checkServers(s: Scenario, results: Results): void {
  results.servers.forEach((out, i) => {
    const spec = s.backend.servers[i]!;
    if (spec.maxconn > 0) expect(out.maxInFlight).toBeLessThanOrEqual(spec.maxconn);
    // A server's own queue: only behind maxconn, and never beyond maxqueue (503 SQ instead).
    if (spec.maxconn === 0) expect(out.maxQueued).toBe(0);
    if (spec.maxqueue > 0) expect(out.maxQueued).toBeLessThanOrEqual(spec.maxqueue);
    expect(results.series.inFlight[spec.name]!.length).toBe(results.series.atMs.length);
    expect(out.utilization).toBeGreaterThanOrEqual(0);
    expect(out.utilization).toBeLessThanOrEqual(1 + 1e-9);
    expect(out.states[0]!.atMs).toBe(0);
    for (let k = 1; k < out.states.length; k++) {
      expect(out.states[k]!.atMs).toBeGreaterThanOrEqual(out.states[k - 1]!.atMs);
      expect(out.states[k]!.state).not.toBe(out.states[k - 1]!.state);
    }
  });
}

const TERMINATION_STATUS: Record<string, number[]> = {
  "--": [200, 500],
  SC: [503],
  sC: [503],
  sQ: [503],
  SQ: [503],
  sH: [504],
  SH: [502],
  CQ: [-1],
  CC: [-1],
  CH: [-1],
  CR: [-1],
};

/** What is wrong with a record, or "" (plain checks: this runs for every record of every case). */
function recordProblem(s: Scenario, x: RequestRecord): string {
  const eps = 1e-6;
  if (!(x.totalMs >= 0)) return "negative totalMs";
  if (x.atMs > s.durationMs || x.atMs + x.totalMs > s.durationMs + eps) return "outside the run";
  for (const t of [x.queueMs, x.connectMs, x.responseMs]) {
    if (t !== -1 && !(t >= 0 && t <= x.totalMs + eps)) return `timer ${t} outside [0, totalMs]`;
  }
  const code = x.termination.slice(0, 2);
  if (x.termination.slice(2) !== "--") return "termination not ending in --";
  if (!TERMINATION_STATUS[code]?.includes(x.status)) return `status ${x.status} with ${x.termination}`;
  if (code === "--") {
    if (x.server === "" || x.connectMs < 0 || x.responseMs < 0) return "answered without server or timers";
    // Tw, Tc and Tr are consecutive stages of Ta (§6).
    if (x.queueMs + x.connectMs + x.responseMs > x.totalMs + eps) return "Tw + Tc + Tr > Ta";
  } else if (x.responseMs !== -1) return "Tr set on an error";
  if (code === "SQ" && !s.backend.servers.some((v) => v.name === x.server && v.maxqueue > 0))
    return "SQ without maxqueue";
  if (x.retries < 0 || x.retries > s.backend.retries) return `retries ${x.retries}`;
  if (x.redispatched && x.retries < 1) return "redispatched without a retry";
  return "";
}

/** A request that arrived after a server became unusable, and ended before it was usable again, never used it. */
function checkNeverOnUnusable(s: Scenario, results: Results, records: RequestRecord[]): void {
  const eps = 1e-3; // status times are rounded to the microsecond
  const spans = new Map(results.servers.map((x) => [x.name, unusableSpans(x.states)] as const));
  for (const x of records) {
    if (x.server === "") continue;
    // Picked on arrival: accepted at once, never queued, connected on the first try.
    const pickedOnArrival =
      s.frontend.maxconn === 0 && x.queueMs <= 0 && x.retries === 0 && x.connectMs === 0;
    for (const [from, to] of spans.get(x.server)!) {
      const inside = x.atMs > from + eps && x.atMs + x.totalMs < to - eps;
      const pickedInside = pickedOnArrival && x.atMs > from + eps && x.atMs < to - eps;
      if (inside || pickedInside) {
        throw new Error(`request ${x.id} (${x.atMs}+${x.totalMs}) used ${x.server}, unusable ${from}..${to}`);
      }
    }
  }
}

describe("run over random scenarios", () => {
  it("accounts for every request: total = ok + failed, Σ byStatus = Σ byTermination = total = records", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { results, records } = simulateWithRecords(s);
        checkAccounting(s, results, records);
      }),
      RUNS,
    );
  });

  it("ends every request that arrived exactly once, or counts it unfinished", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        // With warm-up past the end, every arrival (client retries included) is counted as warm-up.
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        const { results, records } = simulateWithRecords(s);
        expect(results.requests.total + results.requests.unfinished).toBe(arrivals);
        expect(records.length).toBe(results.requests.total);
      }),
      RUNS,
    );
  });

  it("keeps steady-state figures to requests that arrived after warm-up", () => {
    fc.assert(
      fc.property(scenarioArb, fc.double({ min: 0, max: 1, noNaN: true }), (s0, f) => {
        const s = { ...s0, warmupMs: Math.round(f * s0.durationMs) };
        const { results, records } = simulateWithRecords(s);
        expect(results.requests.total).toBe(records.filter((x) => x.atMs >= s.warmupMs).length);
        expect(sum(results.series.requests)).toBe(records.length);
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        const steady = results.requests.total + results.requests.unfinished;
        expect(steady + results.requests.warmup).toBe(arrivals);
      }),
      { numRuns: 60 },
    );
  });

  it("never lets a server exceed its maxconn, and keeps utilization and state timelines sane", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        checkServers(s, simulate(s));
      }),
      RUNS,
    );
  });

  it("writes records whose times, statuses and terminations agree", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { records } = simulateWithRecords(s);
        const problems = records.map((x) => [x, recordProblem(s, x)] as const).filter(([, p]) => p !== "");
        expect(problems.slice(0, 3)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("never gives a request to a server that is DOWN, MAINT, DRAIN or NOLB for its whole life", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { results, records } = simulateWithRecords(s);
        checkNeverOnUnusable(s, results, records);
      }),
      RUNS,
    );
  });

  it("gives byte-identical Results for the same seed, whether records are taken or not", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = JSON.stringify(simulate(s));
        expect(JSON.stringify(simulate(s))).toBe(a);
        expect(JSON.stringify(simulateWithRecords(s).results)).toBe(a);
      }),
      { numRuns: 80 },
    );
  });
});

describe("run", () => {
  const poisson = scenario({
    durationMs: 5000,
    backend: { balance: "random(2)", servers: [server("s1"), server("s2"), server("s3")] },
    clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 100 } })],
  });
  const withoutSeed = (r: Results) => JSON.stringify({ ...r, seed: 0 });

  it("gives different Results for different seeds", () => {
    for (const seed of [2, 3, 4]) {
      expect(withoutSeed(simulate(poisson, { seed }))).not.toBe(withoutSeed(simulate(poisson, { seed: 1 })));
    }
  });

  it("reports wallMs 0 with deterministic, and the seed and strategy it used", () => {
    const results = simulate(poisson, { seed: 9, strategy: "leastconn" });
    expect(results).toMatchObject({ seed: 9, strategy: "leastconn", engine: { wallMs: 0 } });
    expect(results.engine.events).toBeGreaterThan(0);
  });

  it("closes the last bucket with the run, whatever the bucket width", () => {
    for (const bucketMs of [1000, 1500, 5000]) {
      const { results, records } = simulateWithRecords({ ...poisson, bucketMs });
      expect(results.series.atMs.length).toBe(Math.ceil(5000 / bucketMs));
      expect(sum(results.series.requests)).toBe(records.length);
      expect(results.series.inFlight.s1!.length).toBe(results.series.atMs.length);
    }
  });

  it("stops early when asked and says so", () => {
    let asked = 0;
    const results = simulate(poisson, { shouldStop: () => ++asked === 2 });
    expect(results).toMatchObject({ partial: true, endedAtMs: 2000 });
    expect(results.series.atMs.length).toBe(2);
  });

  it("measures utilization as busy slot-time over the steady period (M/D/1 at ρ = 0.5)", () => {
    const results = simulate(
      scenario({
        durationMs: 200_000,
        warmupMs: 10_000,
        backend: { servers: [server("s1", { service: { kind: "constant", valueMs: 10 } })] },
        clients: [client("c", { arrivals: { kind: "poisson", ratePerSecond: 50 } })],
      }),
    );
    expect(results.servers[0]!.utilization).toBeCloseTo(0.5, 1);
    // M/D/1: mean response = D + ρD / (2(1 − ρ)) = 10 + 5 = 15 ms.
    expect(results.latency.meanMs).toBeGreaterThan(14);
    expect(results.latency.meanMs).toBeLessThan(16);
  });
});
