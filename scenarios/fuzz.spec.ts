// Fuzzing: random and mutated YAML never makes the loader throw anything but InputError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "./errors.js";
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

/** parseScenario either returns or throws an InputError: never a TypeError or a zod error. */
function onlyInputErrors(text: string): void {
  try {
    parseScenario(text, "fuzz.yaml");
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

  it("a valid scenario with random edits throws nothing but InputError", () => {
    const edit = fc.record({
      at: fc.nat(GOOD.length),
      cut: fc.nat(12),
      insert: fc.oneof(yamlish, fc.string({ maxLength: 4 })),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let text = GOOD;
        for (const e of edits) text = text.slice(0, e.at) + e.insert + text.slice(e.at + e.cut);
        onlyInputErrors(text);
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

  it("the unedited scenario parses", () => {
    expect(parseScenario(GOOD, "fuzz.yaml").backend.servers).toHaveLength(2);
  });
});
