// Fuzzing: random and mutated YAML never makes the loader throw anything but InputError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { simulate } from "../sim/test-support.js";
import { resolveStrategy } from "../strategies/index.js";
import { parseScenario } from "./parse.js";

const GOOD = `name: fuzz
duration: 10s
warmup: 1s
backend:
  balance: roundrobin
  timeout: {connect: 1s, server: 5s}
  check: {type: http, inter: 1s}
  default-server: {maxconn: 8}
  servers:
    - {name: web01, weight: 2, service: {lognormal: {median: 5ms, sigma: 0.5}}}
    - {name: web02, service: {mix: [{p: 0.5, constant: 1ms}, {p: 0.5, uniform: [1ms, 3ms]}]}}
clients:
  - name: c
    arrivals: {ramp: {from: 0, to: 10/s}}
    retry: {count: 1, backoff: 10ms}
events:
  - {at: 2s, crash: web01}
  - {at: 3s, runtime: "set weight backend/web02 50%"}
  - {at: 1s, rate: {client: c, to: 5/s}}
  - {at: 4s, flap: {server: web02, period: 2s, for: 4s}}
  - {at: 5s, spike: {client: c, factor: 2, for: 1s}}
  - {at: 6s, rolling-upgrade: {drain: 1s, downtime: 1s}}
  - {at: 7s, kill-random: {count: 1, restore-after: 1s}}
`;

/** Several frontends and backends, routed by ACLs: the mutations reach the routing checks too. */
const ROUTED = `name: routed
duration: 10s
frontends:
  - name: www
    maxconn: 50
    acl: ["is_api path_beg -i /api/ /v2/", "is_admin hdr(host) -i admin.example.com", "lan src 10.0.0.0/8"]
    use_backend: ["admin if is_admin lan", "api if is_api || { path_reg ^/rpc/[0-9]+$ }", "web unless TRUE"]
    default_backend: web
  - name: internal
    use_backend: ["api if { path_end .json }"]
backends:
  - {name: web, service: {exponential: 5ms}, servers: [{name: s1}, {name: s2}]}
  - {name: api, balance: leastconn, service: {constant: 2ms}, servers: [{name: s1}, {name: a2}]}
  - {name: admin, service: {constant: 1ms}, servers: [{name: adm}]}
clients:
  - {name: c, arrivals: {poisson: 5/s}, host: admin.example.com, paths: {count: 3, prefix: /api/}}
  - {name: d, frontend: internal, arrivals: {poisson: 5/s}}
events:
  - {at: 2s, crash: api/s1}
  - {at: 3s, runtime: "set server web/s2 state drain"}
  - {at: 4s, kill-random: {count: 2}}
expect: ["backend.p99(api) < 1s", "share(web/s1) > 10%"]
`;

/**
 * parseScenario either returns or throws an InputError: never a TypeError or a zod error. With
 * `andRun`, what loads also runs (a short run) without throwing: the loader let nothing through
 * that the model cannot take.
 */
function onlyInputErrors(text: string, andRun = false): void {
  try {
    const scenario = parseScenario(text, "fuzz.yaml");
    // `balance` names are resolved by the command line (a user's strategy file is a name too).
    const known = (scenario.backends ?? [scenario.backend]).every(
      (b) => resolveStrategy(b.balance) !== undefined,
    );
    if (andRun && known) {
      const durationMs = Math.min(scenario.durationMs, 10_000);
      const events = scenario.events.filter((e) => e.atMs <= durationMs);
      simulate({ ...scenario, durationMs, warmupMs: Math.min(scenario.warmupMs, durationMs / 2), events });
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    for (const issue of error.issues) {
      expect(issue.line).toBeGreaterThanOrEqual(0);
      expect(issue.message).not.toBe("");
    }
  }
}

const yamlish = fc.oneof(
  fc.constantFrom(
    ":",
    " ",
    "\n",
    "  ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    ",",
    '"',
    "'",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "? ",
    "|",
    ">",
    "\t",
    "~",
  ),
  fc.constantFrom(
    "duration",
    "backend",
    "servers",
    "name",
    "weight",
    "clients",
    "arrivals",
    "poisson",
    "events",
    "at",
    "crash",
    "flap",
    "kill-random",
    "extends",
    "frontends",
    "backends",
    "acl",
    "use_backend",
    "default_backend",
    " if ",
    " unless ",
    " || ",
    " !",
    " { ",
    " } ",
    "path_beg",
    "hdr(host)",
    " -i ",
    " -m reg ",
    "src",
    "api/",
  ),
  fc.constantFrom(
    "10s",
    "5ms",
    "-1",
    "1e999",
    "null",
    "true",
    ".inf",
    "__proto__",
    "constructor",
    "toString",
    "200/s",
  ),
  fc.string({ maxLength: 6 }),
);

describe("fuzzing the loader", () => {
  it("random YAML-ish text throws nothing but InputError", () => {
    fc.assert(
      fc.property(fc.array(yamlish, { maxLength: 60 }), (parts) => onlyInputErrors(parts.join(""))),
      { numRuns: 1500 },
    );
  });

  it.each([
    ["a valid scenario", GOOD],
    ["a scenario routed by ACLs", ROUTED],
  ])("%s with random edits throws nothing but InputError", (_, base) => {
    const edit = fc.record({
      at: fc.nat(base.length),
      cut: fc.nat(12),
      insert: fc.oneof(yamlish, fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = base;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        onlyInputErrors(text, base === ROUTED);
      }),
      { numRuns: 1500 },
    );
  });

  it("arbitrary JSON values throw nothing but InputError", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => onlyInputErrors(JSON.stringify(value) ?? "null")),
      { numRuns: 500 },
    );
  });

  it("the unedited scenarios parse", () => {
    expect(parseScenario(GOOD, "fuzz.yaml").backend.servers).toHaveLength(2);
    expect(parseScenario(ROUTED, "fuzz.yaml").backends).toHaveLength(3);
  });
});
