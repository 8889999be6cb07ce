// Scenario errors about references (servers, runtime commands), times and the size limit, with positions.
import { describe, expect, it } from "vitest";
import { BASE, issuesOf, only } from "./errors-test-support.js";

describe("scenario errors about references, times and size", () => {
  it("refuses haproxy: without a file system, with a clear message", () => {
    const [issue] = issuesOf(`haproxy: tutorial.cfg\n${BASE}`);
    expect(issue).toMatchObject({
      code: "bad-value",
      line: 1,
      column: 10,
      path: "haproxy",
      message: "haproxy: needs a file system to read the haproxy.cfg, and this loader has none",
    });
  });

  it("reports an event naming an unknown server, with the nearest name", () => {
    expect(only(`${BASE}events:\n  - {at: 1s, crash: web1}\n`)).toEqual({
      code: "unknown-server",
      file: "s.yaml",
      line: 12,
      column: 21,
      path: "events[0].crash",
      hint: 'did you mean "web01"?',
    });
    expect(only(`${BASE}events:\n  - {at: 1s, slow: {server: web3, factor: 2}}\n`)).toMatchObject({
      code: "unknown-server",
      path: "events[0].slow.server",
      column: 29,
    });
  });

  it("reports a bad runtime command at its text", () => {
    expect(only(`${BASE}events:\n  - {at: 1s, runtime: "set server backend/web01 state drian"}\n`)).toEqual({
      code: "bad-runtime-command",
      file: "s.yaml",
      line: 12,
      column: 23,
      path: "events[0].runtime",
      hint: 'did you mean "drain"?',
    });
    expect(only(`${BASE}events:\n  - {at: 1s, runtime: "disable server web_servers/web01"}\n`)).toMatchObject(
      {
        code: "unknown-server",
        hint: 'did you mean "backend/web01"?',
      },
    );
  });

  it("reports an event after the end of the run", () => {
    expect(only(`${BASE}events:\n  - {at: 11s, crash: web01}\n`)).toMatchObject({
      code: "bad-value",
      line: 12,
      column: 10,
      path: "events[0].at",
    });
  });

  it("reports an event with no action or two actions", () => {
    expect(only(`${BASE}events:\n  - {at: 1s}\n`)).toMatchObject({
      code: "bad-value",
      line: 12,
      column: 5,
      path: "events[0]",
    });
    expect(only(`${BASE}events:\n  - {at: 1s, crash: web01, hang: web01}\n`)).toMatchObject({
      code: "bad-value",
      path: "events[0]",
    });
    expect(only(`${BASE}events:\n  - {at: 1s, crush: web01}\n`)).toMatchObject({
      code: "unknown-key",
      hint: 'did you mean "crash"?',
    });
  });

  it("reports a server without a service model at the server", () => {
    const text = BASE.replace("  service: {exponential: 10ms}\n", "").replace(
      "{name: web01}",
      "{name: web01, service: {constant: 1ms}}",
    );
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({
      code: "missing-key",
      line: 5,
      column: 7,
      path: "backend.servers[1]",
      message: "server web02 has no service model",
    });
  });

  it("reports duplicate names and ids", () => {
    const issues = issuesOf(
      BASE.replace("name: web02", "name: web01\n      id: 1").replace(
        "{name: web01}",
        "{name: web01, id: 1}",
      ),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["bad-value", "backend.servers[1].name"],
      ["bad-value", "backend.servers[1].id"],
    ]);
  });

  it("reports a missing backend and an empty client list", () => {
    const issues = issuesOf("duration: 1s\nclients: []\n");
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["missing-key", "backend"],
      ["bad-value", "clients"],
    ]);
  });

  it("refuses a scenario expected to exceed 10^10 requests, with the estimate", () => {
    const [issue] = issuesOf(BASE.replace("10/s", "1e6/s").replace("duration: 10s", "duration: 1d"));
    expect(issue).toMatchObject({ code: "too-large", line: 9, column: 3, path: "clients" });
    expect(issue?.message).toContain("8.64e+10");
  });

  it("counts closed-loop users by their think time", () => {
    const users = BASE.replace("{poisson: 10/s}", "{users: {count: 1000000, think: {constant: 0}}}").replace(
      "10s",
      "1d",
    );
    expect(issuesOf(users)[0]?.code).toBe("too-large");
  });
});
