// `added: false` and the `add server` / `del server` runtime commands written in YAML: what the
// loader builds, where it points at a mistake, and a run end to end (the model: sim/model/dynamic-servers.spec.ts).
import { describe, expect, it } from "vitest";
import { InputError } from "../errors/index.js";
import { simulate } from "../sim/test-support.js";
import { parseScenario } from "./parse.js";

const BASE = `duration: 10s
backend:
  name: web
  balance: roundrobin
  service: {constant: 2ms}
  servers:
    - {name: web01, slots: 4}
    - {name: web02, slots: 4}
    - {name: web03, slots: 4, added: false}
clients:
  - name: browsers
    arrivals: {constant: 300/s}
`;
const withEvents = (...events: string[]) => `${BASE}events:\n${events.map((e) => `  - ${e}\n`).join("")}`;

function issueOf(text: string) {
  try {
    parseScenario(text, "s.yaml");
  } catch (error) {
    if (error instanceof InputError) return error.issues[0]!;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("added: false", () => {
  it("is kept on the server's spec; the others have no such field (present from the start)", () => {
    const servers = parseScenario(BASE, "s.yaml").backend.servers;
    expect(servers.map((s) => s.added)).toEqual([undefined, undefined, false]);
  });

  it("is a boolean: anything else points at its line and column", () => {
    // Line 9 is web03's; column 38 is the value.
    const issue = issueOf(BASE.replace("added: false", "added: no"));
    expect([issue.line, issue.column, issue.path]).toEqual([9, 38, "backend.servers[2].added"]);
  });

  it("keeps the server out of a rolling upgrade that names no servers (it is not there)", () => {
    const scenario = parseScenario(
      withEvents("{at: 1s, rolling-upgrade: {drain: 0, downtime: 1s}}"),
      "s.yaml",
    );
    const upgrade = scenario.events[0]!;
    expect(upgrade.kind === "upgrade" ? upgrade.servers : []).toEqual(["web01", "web02"]);
  });
});

describe("add server / del server in events", () => {
  it("are runtime commands, read as HAProxy writes them", () => {
    const scenario = parseScenario(
      withEvents(
        '{at: 4s, runtime: "add server web/web03"}',
        '{at: 4s, runtime: "set server web/web03 state ready"}',
        '{at: 6s, runtime: "del server web/web01"}',
      ),
      "s.yaml",
    );
    expect(scenario.events.map((e) => (e.kind === "runtime" ? e.command : e.kind))).toEqual([
      { op: "add", server: "web03" },
      { op: "state", server: "web03", state: "ready" },
      { op: "del", server: "web01" },
    ]);
  });

  it("an unknown server or a keyword after add server is bad input at its line and column", () => {
    const unknown = issueOf(withEvents('{at: 4s, runtime: "add server web/web04"}'));
    // Line 14 (the first event), column 23: the command's text.
    expect([unknown.line, unknown.column, unknown.message]).toEqual([
      14,
      23,
      'no server "web04" in backend "web"; servers are web01, web02, web03',
    ]);
    const keyword = issueOf(withEvents('{at: 4s, runtime: "add server web/web03 check"}'));
    expect(keyword.hint).toBe(
      "the server's settings come from its entry in backend.servers, declared with added: false",
    );
  });

  it("run: a third each once web03 is added and ready; HAProxy's refusal of a live del is a warning", () => {
    const results = simulate(
      parseScenario(
        withEvents(
          '{at: 5s, runtime: "add server web/web03"}',
          '{at: 5s, runtime: "set server web/web03 state ready"}',
          '{at: 6s, runtime: "del server web/web01"}',
        ),
        "s.yaml",
      ),
    );
    // 1500 arrivals in [0, 5 s) split two ways, ~1500 in [5 s, 10 s) three ways.
    const [web01, web02, web03] = results.servers.map((s) => s.requests);
    expect(web01! + web02! + web03!).toBeGreaterThan(2990);
    expect(web03).toBeGreaterThan(490);
    expect(web03).toBeLessThan(510);
    expect(results.warnings).toEqual([
      '6000ms: "del server web/web01": Only servers in maintenance mode can be deleted.',
    ]);
  });
});
