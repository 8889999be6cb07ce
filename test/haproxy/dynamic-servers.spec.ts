// add server / del server on a real HAProxy: the same commands, in the same order, refused or done
// alike, with HAProxy's own words in lbsim's warnings (sim/model/timeline.ts, DOCS-cls-addsrv.md).

import { expect, it } from "vitest";
import type { RuntimeCommand, Scenario, TimelineEvent } from "../../scenarios/types.js";
import { client, scenario, server, simulate } from "../../sim/test-support.js";
import { describeWithHaproxy } from "./conformance.js";
import { cfgPreamble, findHaproxy, runConfigOnHaproxy } from "./harness.js";

/** What HAProxy answers a command it carried out (the others are refusals, which lbsim must word alike). */
const DONE = new Set(["", "New server registered.", "Server deleted."]);

/** One backend per balance, each with s1 and s2 (s3 is the server the commands add). */
const BACKENDS = [
  { name: "be", balance: "roundrobin" },
  { name: "st", balance: "static-rr" },
  { name: "mb", balance: "source" },
] as const;

/** The commands, in order; `add server` takes an address in HAProxy (nothing listens there: no request is sent). */
const COMMANDS = [
  "add server st/s3 127.0.0.1:9",
  "add server mb/s3 127.0.0.1:9",
  "add server be/s1 127.0.0.1:9",
  "del server be/s2",
  "add server be/s3 127.0.0.1:9",
  "add server be/s3 127.0.0.1:9",
  "set server be/s3 state maint",
  "del server be/s3",
  "del server be/s3",
  "set server be/s3 state ready",
];

/** The command as lbsim's parser reads it, against backend `name` with servers s1, s2, s3. */
function parsed(text: string): RuntimeCommand {
  const [verb, noun, target, ...rest] = text.split(" ");
  const name = target!.split("/")[1]!;
  if (verb === "add") return { op: "add", server: name };
  if (verb === "del") return { op: "del", server: name };
  if (noun === "server" && rest[0] === "state")
    return { op: "state", server: name, state: rest[1] as "ready" | "drain" | "maint" };
  throw new Error(`not in this table: ${text}`);
}

/** lbsim on backend `name`: the commands addressed to it, one per second; its warnings by command. */
function lbsimWarnings(name: string, balance: string): Map<string, string[]> {
  const mine = COMMANDS.map((text, i) => ({ text, atMs: (i + 1) * 1000 })).filter((c) =>
    c.text.split(" ")[2]!.startsWith(`${name}/`),
  );
  const events: TimelineEvent[] = mine.map((c) => ({
    atMs: c.atMs,
    kind: "runtime",
    text: c.text,
    command: parsed(c.text),
  }));
  const s: Scenario = scenario({
    durationMs: 12_000,
    backend: {
      name,
      balance,
      servers: [server("s1"), server("s2"), server("s3", { added: false })],
    },
    clients: [client("c", { arrivals: { kind: "constant", ratePerSecond: 1 } })],
    events,
  });
  const byCommand = new Map<string, string[]>();
  for (const warning of simulate(s).warnings ?? []) {
    const match = /^(\d+)ms: "(.*)": (.*)$/.exec(warning);
    if (match === null) continue;
    const key = `${match[1]}|${match[2]}`;
    byCommand.set(key, [...(byCommand.get(key) ?? []), match[3]!]);
  }
  return byCommand;
}

const haproxy = findHaproxy();

describeWithHaproxy("add server / del server against HAProxy", () => {
  it("refuses and carries out the same commands, with HAProxy's messages", async () => {
    const run = await runConfigOnHaproxy(
      haproxy!.binary,
      ["s1", "s2"],
      (frontendPort, socketPath, ports) =>
        [
          ...cfgPreamble(socketPath),
          "frontend fe",
          `  bind 127.0.0.1:${frontendPort}`,
          "  default_backend be",
          "",
          ...BACKENDS.flatMap((b) => [
            `backend ${b.name}`,
            `  balance ${b.balance}`,
            ...["s1", "s2"].map((s, i) => `  server ${s} 127.0.0.1:${ports[i]}`),
            "",
          ]),
        ].join("\n"),
      [
        ...COMMANDS.map((command) => ({ kind: "runtime" as const, command })),
        { kind: "runtime", command: "show servers state" },
      ],
    );
    const replies = run.answers.map((a) => a.trim());
    const warnings = new Map(BACKENDS.flatMap((b) => [...lbsimWarnings(b.name, b.balance)]));
    const compared = COMMANDS.map((text, i) => ({
      text,
      reply: replies[i]!,
      lbsim: warnings.get(`${(i + 1) * 1000}|${text}`)?.join(" | "),
    }));
    // Every refusal in lbsim's words is HAProxy's reply; every command HAProxy did, lbsim did too.
    for (const { text, reply, lbsim } of compared)
      expect(lbsim, text).toBe(DONE.has(reply) ? undefined : reply);
    // At least these were refused by HAProxy (the table tests refusals, not only successes).
    expect(compared.filter(({ reply }) => !DONE.has(reply)).length).toBeGreaterThanOrEqual(6);
    // s3 was deleted: `show servers state` lists only s1 and s2 in be.
    const state = replies
      .at(-1)!
      .split("\n")
      .filter((line) => / be \d+ s\d /.test(line));
    expect(state.map((line) => line.split(" ")[3])).toEqual(["s1", "s2"]);
  });
});
