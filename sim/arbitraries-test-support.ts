// Random small scenarios for the property tests of run() (fast-check): servers, clients, events.
import fc from "fast-check";
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
import { client, scenario, server } from "./test-support.js";

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

/** One frontend, one backend of 1–4 servers, 1–2 clients, up to 6 events, 0.5–3 s. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
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
