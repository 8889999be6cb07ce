// run() with several frontends in front of one backend: Results say per frontend and per backend.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../scenarios/index.js";
import { simulate } from "./test-support.js";

const TWO_FRONTENDS = `
name: two-frontends
duration: 5s
frontends:
  - {name: a, default_backend: be}
  - {name: b, default_backend: be}
backend:
  name: be
  balance: roundrobin
  service: {exponential: 10ms}
  servers: [{name: s1}, {name: s2}]
clients:
  - {name: c1, arrivals: {poisson: 50/s}, frontend: a}
  - {name: c2, arrivals: {poisson: 50/s}, frontend: b}
`;

describe("several frontends, one backend", () => {
  it("gives backends[] with the one backend's requests, and frontends[] that add up to them", () => {
    // Once an internal error (exit 3): Results asked for backends[] while the metrics kept a
    // per-backend tally only for several backends.
    const results = simulate(parseScenario(TWO_FRONTENDS, "two-frontends.yaml"));
    expect(results.backends?.map((b) => b.name)).toEqual(["be"]);
    expect(results.backends![0]!.requests.total).toBe(results.requests.total);
    const frontends = results.frontends!;
    expect(frontends.map((f) => f.name)).toEqual(["a", "b"]);
    expect(frontends[0]!.requests + frontends[1]!.requests).toBeGreaterThanOrEqual(results.requests.total);
    expect(frontends[0]!.requests).toBeGreaterThan(0);
    expect(frontends[1]!.requests).toBeGreaterThan(0);
  });
});
