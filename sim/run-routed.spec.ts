// run() with several frontends and backends: invariants over random routed scenarios (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FrontendSpec, Scenario, TimelineEvent } from "../scenarios/types.js";
import { scenarioArb } from "./arbitraries-test-support.js";
import type { Results } from "./results.js";
import { simulate, simulateWithRecords, withAbortOnClose } from "./test-support.js";

/** `/b/` paths go to backend b; `www` sends the rest to a, `edge` (when present) routes nothing else. */
const IS_B = { fetch: { kind: "path" }, method: "beg", ignoreCase: false, patterns: ["/b/"] } as const;

/**
 * A random single-backend scenario made into two backends `a` and `b` (the same servers, b with
 * leastconn), a frontend `www` (default a) and possibly `edge` (no default: what is not /b/ gets
 * HAProxy's 503); each client goes to a random frontend with a random prefix. Events name `a/…`
 * or `b/…` servers.
 */
const routedArb: fc.Arbitrary<Scenario> = scenarioArb.chain((s) =>
  fc
    .record({
      edge: fc.boolean(),
      edgeMaxconn: fc.constantFrom(0, 1, 2),
      clients: fc.array(fc.record({ edge: fc.boolean(), b: fc.boolean() }), {
        minLength: s.clients.length,
        maxLength: s.clients.length,
      }),
      eventBackend: fc.array(fc.constantFrom("a", "b"), {
        minLength: s.events.length,
        maxLength: s.events.length,
      }),
    })
    .map((p): Scenario => {
      const a = { ...s.backend, name: "a" };
      const b = { ...s.backend, name: "b", balance: "leastconn" };
      const www: FrontendSpec = {
        ...s.frontend,
        name: "www",
        acls: [{ name: "is_b", matches: [IS_B] }],
        useBackends: [
          {
            backend: "b",
            condition: { unless: false, anyOf: [[{ negate: false, acl: "is_b" }]] },
            text: "b if is_b",
          },
        ],
        defaultBackend: "a",
      };
      const edge: FrontendSpec = {
        name: "edge",
        maxconn: p.edgeMaxconn,
        clientTimeoutMs: Number.POSITIVE_INFINITY,
        useBackends: [
          {
            backend: "b",
            condition: { unless: false, anyOf: [[{ negate: false, acl: IS_B }]] },
            text: "b if { … }",
          },
        ],
        defaultBackend: null,
      };
      const frontends = p.edge ? [www, edge] : [www];
      const qualify = (event: TimelineEvent, index: number): TimelineEvent => {
        const owner = p.eventBackend[index]!;
        if (event.kind === "runtime")
          return { ...event, command: { ...event.command, server: `${owner}/${event.command.server}` } };
        if ("server" in event) return { ...event, server: `${owner}/${event.server}` };
        return event;
      };
      return {
        ...s,
        frontend: www,
        frontends,
        backend: a,
        backends: [a, b],
        clients: s.clients.map((c, i) => ({
          ...c,
          frontend: p.edge && p.clients[i]!.edge ? "edge" : "www",
          pathPrefix: p.clients[i]!.b ? "/b/" : "/a/",
        })),
        events: s.events.map(qualify),
      };
    }),
);

const sum = (xs: Iterable<number>) => {
  let n = 0;
  for (const x of xs) n += x;
  return n;
};

/** Where the rules send a request of this frontend and path. */
function expectedBackend(frontend: string | undefined, path: string): string {
  if (path.startsWith("/b/")) return "b";
  return frontend === "edge" ? "edge" : "a";
}

describe("run over random routed scenarios", () => {
  it("routes every request by its frontend's rules and accounts for it in its backend", () => {
    // One record per finished request needs `abortonclose` (see run.spec.ts).
    fc.assert(
      fc.property(routedArb.map(withAbortOnClose), (s) => {
        const { results, records } = simulateWithRecords(s);
        expect(records.length).toBe(results.requests.total);
        const backends = results.backends ?? [];
        const byBackend = new Map<string, number>();
        for (const x of records) {
          expect(x.backend).toBe(expectedBackend(x.frontend, x.path));
          byBackend.set(x.backend!, (byBackend.get(x.backend!) ?? 0) + 1);
          // Routed nowhere: HAProxy's 503, unless the client gave up first (in edge's backlog: CR).
          if (x.backend === "edge")
            expect([
              ["", 503, "SC--"],
              ["", -1, "CR--"],
            ]).toContainEqual([x.server, x.status, x.termination]);
          else if (x.server !== "") expect(x.server.startsWith(`${x.backend}/`)).toBe(true);
        }
        for (const b of backends) {
          expect(b.requests.total).toBe(byBackend.get(b.name) ?? 0);
          expect(b.requests.ok + b.requests.failed).toBe(b.requests.total);
          expect(sum(Object.values(b.requests.byStatus))).toBe(b.requests.total);
        }
        expect(sum(backends.map((b) => b.requests.total))).toBe(results.requests.total);
        expect(sum(backends.map((b) => b.queue.maxBackendQueue))).toBeGreaterThanOrEqual(
          results.queue.maxBackendQueue,
        );
      }),
      { numRuns: 150 },
    );
  });

  it("keeps shares within each backend, servers within maxconn, frontends within theirs", () => {
    fc.assert(
      fc.property(routedArb, (s) => {
        const results: Results = simulate(s);
        for (const name of ["a", "b"]) {
          const own = results.servers.filter((x) => x.backend === name);
          const served = sum(own.map((x) => x.requests));
          const shares = sum(own.map((x) => x.share));
          if (served === 0) expect(shares).toBe(0);
          else expect(Math.abs(shares - 1)).toBeLessThan(1e-5);
        }
        results.servers.forEach((x) => {
          const spec = s.backend.servers.find((v) => x.name === `${x.backend}/${v.name}`)!;
          if (spec.maxconn > 0) expect(x.maxInFlight).toBeLessThanOrEqual(spec.maxconn);
        });
        (results.frontends ?? []).forEach((f, i) => {
          const maxconn = s.frontends![i]!.maxconn;
          if (maxconn > 0) expect(f.maxConnections).toBeLessThanOrEqual(maxconn);
          if (maxconn === 0) expect(f.backlogged).toBe(0);
        });
      }),
      { numRuns: 150 },
    );
  });

  it("ends every arrival once or counts it unfinished, and repeats byte for byte", () => {
    fc.assert(
      fc.property(routedArb, (s) => {
        const arrivals = simulate({ ...s, warmupMs: s.durationMs + 1 }).requests.warmup;
        const results = simulate(s);
        expect(results.requests.total + results.requests.unfinished).toBe(arrivals);
        expect(sum((results.frontends ?? []).map((f) => f.requests))).toBe(arrivals);
        expect(JSON.stringify(simulate(s))).toBe(JSON.stringify(results));
      }),
      { numRuns: 80 },
    );
  });
});
