// Spec of cli/annotations.ts: GitHub's escaping, and `lbsim check` annotating the failing expect: line under GITHUB_ACTIONS=true.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, formatAnnotation } from "./annotations.js";
import { runCli } from "./app.js";
import { checkSandbox, checkToolkit } from "./check-test-support.js";
import { fakePackage, recordingIo } from "./test-support.js";

const sandbox = checkSandbox();

describe("workflow command escaping", () => {
  it("escapes % first, then CR and LF in a message; a property also escapes : and ,", () => {
    // `%0A` written by the user must not turn into a line break: % is escaped before the rest.
    expect(escapeData("50% of a, b: c\r\nd %0A")).toBe("50%25 of a, b: c%0D%0Ad %250A");
    expect(escapeProperty("50% of a, b: c\r\nd")).toBe("50%25 of a%2C b%3A c%0D%0Ad");
  });

  it("writes one ::error line with file, line and title", () => {
    expect(formatAnnotation({ file: "s/a,b.yaml", line: 7, title: "t: x", message: "m\nn" })).toBe(
      "::error file=s/a%2Cb.yaml,line=7,title=t%3A x::m%0An\n",
    );
    expect(formatAnnotation({ title: "t", message: "m" })).toBe("::error title=t::m\n");
  });
});

describe("lbsim check with GITHUB_ACTIONS=true", () => {
  const file = `name: demo
seed: 7
# the expectations
expect:
  - "p99 < 1s"
  - "p99 < 10ms"
baseline: {p99: 5%}
`;
  const toolkit = () => checkToolkit({ expect: ["p99 < 1s", "p99 < 10ms"] });

  it("annotates each failed expectation at its line in the scenario file, on stderr", async () => {
    writeFileSync(join(sandbox.dir, "demo.yaml"), file);
    const io = recordingIo(sandbox.dir, { env: { GITHUB_ACTIONS: "true" } });
    expect(await runCli(["check", "demo.yaml", "--json", "-"], toolkit(), fakePackage(sandbox.dir), io)).toBe(
      1,
    );
    const annotations = io
      .stderr()
      .split("\n")
      .filter((l) => l.startsWith("::"));
    expect(annotations).toEqual([
      "::error file=demo.yaml,line=6,title=lbsim check%3A failover-demo%3A p99 < 10ms::p99 < 10ms failed: 50 ms; 40 ms (400%25) over",
    ]);
    expect(JSON.parse(io.stdout()).passed).toBe(false);
  });

  it("annotates a regressed figure at the baseline: key, and gives paths relative to the current folder", async () => {
    writeFileSync(join(sandbox.dir, "demo.yaml"), file);
    const pkg = fakePackage(sandbox.dir);
    const passing = (p99: number) => checkToolkit({ expect: ["p99 < 1s"] }, () => p99);
    const absolute = join(sandbox.dir, "demo.yaml");
    const update = ["check", absolute, "--baseline", "b.json", "--update-baseline"];
    expect(await runCli(update, passing(50), pkg, recordingIo(sandbox.dir))).toBe(0);
    const io = recordingIo(sandbox.dir, { env: { GITHUB_ACTIONS: "true" } });
    expect(await runCli(["check", absolute, "--baseline", "b.json", "-q"], passing(80), pkg, io)).toBe(1);
    expect(
      io
        .stderr()
        .split("\n")
        .filter((l) => l.startsWith("::")),
    ).toEqual([
      "::error file=demo.yaml,line=7,title=lbsim check%3A failover-demo%3A roundrobin.p99 got worse than the baseline" +
        "::roundrobin.p99 got worse than the baseline b.json: before 50 ms; after 80 ms; allowed up to 55 ms (tolerance 10%25); one run on each side: no interval",
    ]);
  });

  it("prints no annotation outside GitHub Actions", async () => {
    writeFileSync(join(sandbox.dir, "demo.yaml"), file);
    expect(await sandbox.cli(["check", "demo.yaml"], toolkit())).toBe(1);
    expect(sandbox.io.stderr()).not.toContain("::error");
  });
});
