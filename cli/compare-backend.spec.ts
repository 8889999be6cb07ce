// Spec of cli/compare-backend.ts through `lbsim compare --backend`: one backend compared, the others as written.
import { describe, expect, it } from "vitest";
import { cliSandbox, fakeToolkit, sampleScenario } from "./test-support.js";

const sandbox = cliSandbox("lbsim-compare-");
const { cli } = sandbox;

/** The sample scenario with backends web (roundrobin) and api (leastconn). */
function twoBackends() {
  const base = sampleScenario();
  const web = { ...base.backend, name: "web", balance: "roundrobin" };
  const api = { ...base.backend, name: "api", balance: "leastconn" };
  return sampleScenario({ backend: web, backends: [web, api] });
}

describe("lbsim compare --backend", () => {
  it("replaces the balance of that backend only, and the others keep theirs", async () => {
    const toolkit = fakeToolkit({ scenario: twoBackends() });
    const argv = [
      "compare",
      "demo.yaml",
      "--strategies",
      "roundrobin,random(2)",
      "--backend",
      "api",
      "--quiet",
    ];
    expect(await cli(argv, toolkit)).toBe(0);
    expect(
      toolkit.jobs.map((j) => [j.strategy, (j.scenario.backends ?? []).map((b) => `${b.name}:${b.balance}`)]),
    ).toEqual([
      [undefined, ["web:roundrobin", "api:roundrobin"]],
      [undefined, ["web:roundrobin", "api:random(2)"]],
    ]);
  });

  it("says in the table which backends the strategies balance", async () => {
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,random(2)"];
    expect(await cli([...argv, "--backend", "api"], fakeToolkit({ scenario: twoBackends() }))).toBe(0);
    expect(sandbox.io.stdout()).toContain(
      "The strategies balance backend api; the others keep their own: web roundrobin.",
    );
    sandbox.freshIo();
    expect(await cli(argv, fakeToolkit({ scenario: twoBackends() }))).toBe(0);
    expect(sandbox.io.stdout()).toContain(
      "Every backend (web, api) balances with the compared strategy; --backend NAME compares one backend's.",
    );
  });

  it("refuses an unknown backend with the nearest name (exit 2), before running anything", async () => {
    const toolkit = fakeToolkit({ scenario: twoBackends() });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--backend", "apo"];
    expect(await cli(argv, toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'lbsim: --backend: unknown backend "apo": demo.yaml has "web", "api" (hint: did you mean "api"?)\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });
});

describe("lbsim compare --backend: the other backends' balance", () => {
  it("is checked where it is written, while the compared backend's own balance is not run", async () => {
    const base = twoBackends();
    const [web, api] = base.backends ?? [];
    const scenario = {
      ...base,
      backends: [
        { ...(web as NonNullable<typeof web>), balance: "roundrobn" },
        { ...(api as NonNullable<typeof api>), balance: "bogus" },
      ],
    };
    const toolkit = fakeToolkit({ scenario });
    const argv = ["compare", "demo.yaml", "--strategies", "roundrobin,leastconn", "--backend", "api"];
    expect(await cli(argv, toolkit)).toBe(2);
    expect(sandbox.io.stderr()).toBe(
      'demo.yaml: backends[0].balance: unknown strategy "roundrobn" (hint: did you mean "roundrobin"?)\n',
    );
    expect(toolkit.jobs).toHaveLength(0);
  });
});
