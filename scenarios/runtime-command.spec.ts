// HAProxy runtime-API commands: every accepted form and the refused ones with their hints.
import { describe, expect, it } from "vitest";
import { parseRuntimeCommand } from "./runtime-command.js";

const servers = ["web01", "web02", "spare"];
const parse = (text: string) => parseRuntimeCommand(text, "web_servers", servers, [1, 2, 7]);

describe("parseRuntimeCommand", () => {
  it.each([
    ["disable server web_servers/web01", { op: "state", server: "web01", state: "maint" }],
    ["enable server web_servers/web01", { op: "state", server: "web01", state: "ready" }],
    ["set server web_servers/web02 state drain", { op: "state", server: "web02", state: "drain" }],
    ["set server web_servers/web02 state ready", { op: "state", server: "web02", state: "ready" }],
    ["set server web_servers/web02 state maint", { op: "state", server: "web02", state: "maint" }],
    ["set weight web_servers/web01 50", { op: "weight", server: "web01", weight: 50, percent: false }],
    ["set weight web_servers/web01 50%", { op: "weight", server: "web01", weight: 50, percent: true }],
    ["set server web_servers/web01 weight 0", { op: "weight", server: "web01", weight: 0, percent: false }],
    [
      "set server web_servers/web01 weight 300%",
      { op: "weight", server: "web01", weight: 300, percent: true },
    ],
    ["set server web_servers/spare health up", { op: "health", server: "spare", health: "up" }],
    ["set server web_servers/spare health down", { op: "health", server: "spare", health: "down" }],
    ["set server web_servers/spare health stopping", { op: "health", server: "spare", health: "stopping" }],
    ["  set   server web_servers/web01  state  drain ", { op: "state", server: "web01", state: "drain" }],
    ["disable server web_servers/#7", { op: "state", server: "spare", state: "maint" }],
    ["add server web_servers/spare", { op: "add", server: "spare" }],
    ["add server web_servers/spare 10.0.0.7:80", { op: "add", server: "spare" }],
    ["add server web_servers/spare spare.lan", { op: "add", server: "spare" }],
    ["add server web_servers/spare [fd00::7]:8080", { op: "add", server: "spare" }],
    ["del server web_servers/web02", { op: "del", server: "web02" }],
  ])("reads %j", (text, command) => {
    expect(parse(text)).toEqual({ ok: true, value: command });
  });

  it.each([
    ["disable sever web_servers/web01", "bad-runtime-command", 'did you mean "disable server ..."?'],
    ["show stat", "bad-runtime-command", undefined],
    ["", "bad-runtime-command", undefined],
    ["disable server web01", "bad-runtime-command", 'write "web_servers/web01"'],
    ["disable server backend/web01", "unknown-server", 'did you mean "web_servers/web01"?'],
    ["disable server web_servers/web1", "unknown-server", 'did you mean "web_servers/web01"?'],
    ["disable server web_servers/#9", "unknown-server", undefined],
    ["disable server web_servers/", "unknown-server", undefined],
    ["set server web_servers/web01 state drian", "bad-runtime-command", 'did you mean "drain"?'],
    ["set server web_servers/web01 state", "bad-runtime-command", undefined],
    ["set server web_servers/web01 heath up", "bad-runtime-command", 'did you mean "health"?'],
    ["set server web_servers/web01 health sick", "bad-runtime-command", undefined],
    ["set weight web_servers/web01 257", "bad-runtime-command", undefined],
    ["set weight web_servers/web01 -1", "bad-runtime-command", undefined],
    ["set weight web_servers/web01 1.5", "bad-runtime-command", undefined],
    ["set weight web_servers/web01", "bad-runtime-command", undefined],
    ["set weight web_servers/web01 5 now", "bad-runtime-command", undefined],
    ["enable server web_servers/web01 please", "bad-runtime-command", undefined],
    ["set server web_servers/web01 state drain now", "bad-runtime-command", undefined],
    ["add server web_servers/spar", "unknown-server", 'did you mean "web_servers/spare"?'],
    [
      "add server web_servers/spare check",
      "bad-runtime-command",
      "the server's settings come from its entry in backend.servers, declared with added: false",
    ],
    [
      "add server web_servers/spare 10.0.0.7:80 weight 3",
      "bad-runtime-command",
      "the server's settings come from its entry in backend.servers, declared with added: false",
    ],
    ["del server web_servers/web02 now", "bad-runtime-command", undefined],
    ["del server web02", "bad-runtime-command", 'write "web_servers/web02"'],
    ["add sever web_servers/spare", "bad-runtime-command", 'did you mean "add server ..."?'],
  ])("refuses %j (%s)", (text, code, hint) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.code).toBe(code);
      expect(result.problems[0]?.hint).toBe(hint);
    }
  });
});
