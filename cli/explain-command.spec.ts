// `lbsim explain` on the command line: the seed cfg, --json, several backends, bad input (exit 2).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./app.js";
import type { ExplainReport } from "./explain-report.js";
import { createToolkit, findPackage } from "./main.js";
import { recordingIo } from "./test-support.js";

const pkg = findPackage();
const dir = mkdtempSync(join(tmpdir(), "lbsim-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const seedCfg = join(dir, "seed.cfg");
writeFileSync(
  seedCfg,
  // The seed haproxy.cfg (errorfile, log, stats and chroot lines thinned out).
  [
    "global",
    "log /dev/log local0",
    "stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners",
    "daemon",
    "defaults",
    "log global",
    "mode http",
    "option httplog",
    "timeout connect 5000",
    "timeout client 50000",
    "timeout server 50000",
    "errorfile 503 /etc/haproxy/errors/503.http",
    "frontend test",
    "bind 172.16.200.10:80",
    "default_backend web_servers",
    "option httpclose",
    "backend web_servers",
    "balance roundrobin",
    "option httpchk HEAD / HTTP/1.0",
    "server ha-proxy1 10.10.10.2:80 check",
    "server ha-proxy2 10.10.10.3:80 check",
    "stats uri /statshaproxy",
    "",
  ].join("\n"),
);

async function lbsim(...args: string[]) {
  const io = recordingIo(dir);
  const code = await runCli(args, createToolkit({ LBSIM_WORKER: "0" }), pkg, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe("lbsim explain", () => {
  it("explains the seed cfg without error, each part with where its figures come from", async () => {
    const { code, stdout, stderr } = await lbsim("explain", seedCfg);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("backend web_servers  (balance roundrobin, retries 3, no redispatch)");
    for (const part of [
      "Expected shares [strategy:",
      "Health checks [formula:",
      "Failover [model:",
      "Queue and timeout limits [formula]",
    ])
      expect(stdout).toContain(part);
    expect(stdout).toContain("100/s (default; --rate), service {exponential: 20ms} (default; --service)");
    // retries 3 (HAProxy's default) without option redispatch: warned at the backend's header.
    expect(stdout).toContain("seed.cfg:17: retries 3 without option redispatch");
  });

  it("writes the explanation as JSON with --json -, the same bytes run after run", async () => {
    const first = await lbsim("explain", seedCfg, "--json", "-", "--rate", "50/s");
    const second = await lbsim("explain", seedCfg, "--json", "-", "--rate", "50/s");
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const report = JSON.parse(first.stdout) as ExplainReport;
    expect(report.explainVersion).toBe(1);
    expect(report.traffic).toMatchObject({ ratePerSecond: 50, rateDefault: false, serviceDefault: true });
    const be = report.backends[0]!;
    expect(be.name).toBe("web_servers");
    expect(be.shares?.source).toBe("strategy");
    expect(be.checks?.source).toBe("formula");
    expect(be.failover?.source).toBe("model");
    // Default inter 2s, fall 3: 4s … 6s; the model's DOWN falls inside.
    const range = be.checks!.servers[0]!.crashToDown!;
    expect(range).toEqual({ minMs: 4000, maxMs: 6000 });
    expect(be.failover!.crash.downAfterMs).toBeGreaterThanOrEqual(range.minMs);
    expect(be.failover!.crash.downAfterMs).toBeLessThanOrEqual(range.maxMs);
  });

  it("writes --json FILE and still prints the text", async () => {
    const { code, stdout, stderr } = await lbsim("explain", seedCfg, "--json", "out.json");
    expect(code).toBe(0);
    expect(stdout).toContain("backend web_servers");
    expect(stderr).toBe("lbsim: wrote the explanation to out.json\n");
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8")).explainVersion).toBe(1);
  });

  it("explains each backend of a cfg with several", async () => {
    writeFileSync(
      join(dir, "two.cfg"),
      "defaults\n mode http\n timeout connect 1s\n timeout server 5s\nfrontend fe\n bind :80\n acl api path_beg /api\n use_backend api if api\n default_backend web\nbackend web\n server w1 1.1.1.1:80 check\n server w2 1.1.1.2:80 check\nbackend api\n balance leastconn\n server a1 1.1.2.1:80 check\n",
    );
    const { code, stdout } = await lbsim("explain", "two.cfg", "--json", "-");
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ExplainReport;
    expect(report.backends.map((b) => [b.name, b.balance])).toEqual([
      ["web", "roundrobin"],
      ["api", "leastconn"],
    ]);
    expect(report.backends.every((b) => b.failover !== undefined)).toBe(true);
  });

  it("reports a malformed directive as lbsim import does: file:line:col, exit 2", async () => {
    writeFileSync(join(dir, "bad.cfg"), "backend be\n server s1 1.1.1.1:80 check inter soon\n");
    const explained = await lbsim("explain", "bad.cfg");
    const imported = await lbsim("import", "bad.cfg");
    expect(explained.code).toBe(2);
    expect(explained.stderr).toMatch(/^bad\.cfg:2:\d+: /);
    expect(explained.stderr).toBe(imported.stderr);
    expect(explained.stdout).toBe("");
  });

  it("prints lines it does not simulate as warnings, as lbsim import does, and goes on", async () => {
    writeFileSync(
      join(dir, "odd.cfg"),
      "frontend f\n bind :80\n default_backend b\nbackend b\n retry-on conn-failure\n server s 1.1.1.1:80 check\n",
    );
    const explained = await lbsim("explain", "odd.cfg");
    const imported = await lbsim("import", "odd.cfg");
    expect(explained.code).toBe(0);
    expect(explained.stderr).toBe(imported.stderr);
    expect(explained.stderr).toContain('odd.cfg:5: warning: "retry-on" in backend b is not understood');
    expect(explained.stdout).toContain('odd.cfg:5: "retry-on" in backend b is not understood');
  });

  it("refuses a missing file, a bad --rate and a bad --service with exit 2", async () => {
    const missing = await lbsim("explain", "nope.cfg");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("haproxy.cfg file not found");
    const rate = await lbsim("explain", seedCfg, "--rate", "fast");
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain("--rate");
    const tooFast = await lbsim("explain", seedCfg, "--rate", "200000/s");
    expect(tooFast.code).toBe(2);
    expect(tooFast.stderr).toContain("at most 100000/s");
    const service = await lbsim("explain", seedCfg, "--service", "{gaussian: 5ms}");
    expect(service.code).toBe(2);
    expect(service.stderr).toContain("gaussian");
    const none = await lbsim("explain");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("explain needs a haproxy.cfg file");
  });

  it("--seed changes the seeded key population and runs, not the formulas", async () => {
    writeFileSync(
      join(dir, "src.cfg"),
      "defaults\n mode http\n timeout connect 1s\n timeout server 5s\nbackend be\n balance source\n option redispatch\n server a 1.1.1.1:80 check\n server b 1.1.1.2:80 check disabled\n server c 1.1.1.3:80 check\n",
    );
    const one = JSON.parse((await lbsim("explain", "src.cfg", "--json", "-")).stdout) as ExplainReport;
    const two = JSON.parse(
      (await lbsim("explain", "src.cfg", "--json", "-", "--seed", "2")).stdout,
    ) as ExplainReport;
    expect([one.traffic.seed, two.traffic.seed]).toEqual([1, 2]);
    expect(two.backends[0]!.shares!.servers).not.toEqual(one.backends[0]!.shares!.servers);
    expect(two.backends[0]!.checks).toEqual(one.backends[0]!.checks);
    // The disabled server takes no share and is marked in the text.
    expect(one.backends[0]!.shares!.servers.map((s) => s.name)).toEqual(["a", "c"]);
    expect((await lbsim("explain", "src.cfg")).stdout).toContain("b (disabled)");
  });

  it("is listed in the help, and has its own", async () => {
    expect((await lbsim("help")).stdout).toContain("lbsim explain <haproxy.cfg>");
    const help = await lbsim("help", "explain");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--service DIST");
    expect((await lbsim("explain", "--help")).stdout).toBe(help.stdout);
  });
});
