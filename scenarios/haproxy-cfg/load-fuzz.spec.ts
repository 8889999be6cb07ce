// A scenario that imports a mangled haproxy.cfg (`haproxy:`) ends in a Scenario or an InputError,
// never in anything else: the importer and the merge with the scenario's own fields together.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors/index.js";
import { loadScenarioFile } from "../load.js";
import { seed } from "./test-support.js";

const SCENARIO = `duration: 2s
haproxy: site.cfg
backend:
  service: {exponential: 5ms}
  servers:
    - {name: ha-proxy1, slots: 2}
clients:
  - {name: c, arrivals: {poisson: 10/s}}
`;

describe("a scenario importing a mangled haproxy.cfg", () => {
  const dir = mkdtempSync(join(tmpdir(), "lbsim-cfg-fuzz-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "s.yaml"), SCENARIO);

  const mangled = fc.oneof(
    fc
      .tuple(fc.nat(seed.length), fc.nat(seed.length), fc.string({ maxLength: 30 }))
      .map(([a, b, s]) => seed.slice(0, Math.min(a, b)) + s + seed.slice(Math.max(a, b))),
    fc.string({ maxLength: 200 }),
  );

  it("loads or reports InputErrors with the file that holds each problem", () => {
    fc.assert(
      fc.property(mangled, (cfg) => {
        writeFileSync(join(dir, "site.cfg"), cfg);
        try {
          const scenario = loadScenarioFile(join(dir, "s.yaml"));
          expect(scenario.backend.servers.length).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const issue of error.issues) expect(issue.file).not.toBe("");
        }
      }),
      { numRuns: 300 },
    );
  });
});
