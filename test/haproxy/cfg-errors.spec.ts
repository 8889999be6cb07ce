// haproxy.cfg files HAProxy refuses: the real `haproxy -c` and lbsim's importer refuse the same
// files at the same lines, with the same "did you mean"; and files HAProxy accepts, lbsim accepts.
//
// Each case is a small config written to a temp dir and checked with `haproxy -c -f` (no process
// is started: -c only parses). HAProxy's alerts name `[file:line]` and, for an unknown word,
// "did you mean 'x' maybe ?"; lbsim's issues must list the same lines and, line by line, the same
// suggestion (or none).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { InputError } from "../../errors/index.js";
import { importHaproxyCfg } from "../../scenarios/haproxy-cfg/index.js";
import { describeWithHaproxy } from "./conformance.js";
import { findHaproxy } from "./harness.js";

const HEAD = [
  "defaults",
  "    mode http",
  "    timeout connect 5s",
  "    timeout client 30s",
  "    timeout server 30s",
];

const BAD: ReadonlyArray<{ readonly name: string; readonly lines: ReadonlyArray<string> }> = [
  {
    name: "a misspelt proxy keyword",
    lines: ["backend web", "    retires 3", "    server web01 127.0.0.1:8001"],
  },
  { name: "a misspelt server keyword", lines: ["backend web", "    server web01 127.0.0.1:8001 chek"] },
  {
    name: "several at once, some without a suggestion",
    lines: [
      "global",
      "    nbthreads 1",
      "backend web",
      "    balanse roundrobin",
      "    option redispach",
      "    option nosuchoption",
      "    frobnicate on",
      "    timeout conect 5s",
      "    server web01 127.0.0.1:8001 check inter 2s foo 3",
      "    server web02 127.0.0.1:8002 wieght 2",
      "frontend fe",
      "    bind 127.0.0.1:8080",
      "    default_backend web",
      "    maxconns 10",
    ],
  },
];

/** Accepted by HAProxy, not modelled by lbsim: warnings, never errors. */
const GOOD = [
  "global",
  "    hard-stop-after 30s",
  "backend web",
  "    option checkcache",
  "    retry-on conn-failure",
  "    http-check comment hello",
  "    server web01 127.0.0.1:8001 check ws h1 weight 3",
  "frontend fe",
  "    bind 127.0.0.1:8080",
  "    default_backend web",
];

const dir = mkdtempSync(join(tmpdir(), "lbsim-cfg-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** HAProxy's verdict: exit status, and per refused line its suggestion ("" when it gives none). */
function haproxyCheck(
  name: string,
  lines: ReadonlyArray<string>,
): { ok: boolean; refused: Map<number, string> } {
  const file = join(dir, `${name.replace(/\W+/g, "-")}.cfg`);
  writeFileSync(file, `${[...HEAD, ...lines].join("\n")}\n`);
  const binary = findHaproxy()!.binary;
  const result = spawnSync(binary, ["-c", "-f", file], { encoding: "utf8", timeout: 10_000 });
  const refused = new Map<number, string>();
  for (const alert of `${result.stdout}${result.stderr}`.split("\n")) {
    const at = /\[[^\]]*\.cfg:(\d+)\]/.exec(alert);
    if (at === null || !alert.includes("[ALERT]")) continue;
    refused.set(Number(at[1]), /did you mean '([^']+)' maybe/.exec(alert)?.[1] ?? "");
  }
  return { ok: result.status === 0, refused };
}

/** lbsim's verdict on the same text, in the same shape. */
function lbsimCheck(lines: ReadonlyArray<string>): { ok: boolean; refused: Map<number, string> } {
  try {
    importHaproxyCfg(`${[...HEAD, ...lines].join("\n")}\n`, "t.cfg");
    return { ok: true, refused: new Map() };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return {
      ok: false,
      refused: new Map(
        error.issues.map((i) => [i.line, /did you mean '([^']+)'/.exec(i.hint ?? "")?.[1] ?? ""]),
      ),
    };
  }
}

describeWithHaproxy("haproxy.cfg keywords HAProxy refuses", () => {
  it.each(BAD)("$name: refused by both, at the same lines, with the same suggestions", ({ name, lines }) => {
    const real = haproxyCheck(name, lines);
    expect(real.ok).toBe(false);
    expect(real.refused.size).toBeGreaterThan(0);
    const ours = lbsimCheck(lines);
    expect(ours.ok).toBe(false);
    expect([...ours.refused].sort((a, b) => a[0] - b[0])).toEqual(
      [...real.refused].sort((a, b) => a[0] - b[0]),
    );
  });

  it("a file HAProxy accepts is not refused by lbsim for words it does not model", () => {
    expect(haproxyCheck("good", GOOD)).toMatchObject({ ok: true });
    expect(lbsimCheck(GOOD)).toMatchObject({ ok: true });
  });
});
