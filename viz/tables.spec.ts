import { describe, expect, it } from "vitest";
import { HOSTILE, HOSTILE_ESCAPED } from "./charts/charts-test-support.js";
import { BACKUP_STATE_COLORS, STATE_COLORS } from "./palette.js";
import {
  checksHtml,
  checkUnit,
  formatDowntime,
  formatInterval,
  statsTableHtml,
  summaryHtml,
} from "./tables.js";
import type { BackendSection, SectionView, StatsRow } from "./view.js";

const variants = [
  { name: "roundrobin", color: "#0072B2" },
  { name: "leastconn", color: "#D55E00" },
];

/** A section with only what the tables read (the charts' data left empty). */
function section(parts: Partial<SectionView>): SectionView {
  const axis = { atMs: [], bucketMs: 1000, durationMs: 0, warmupMs: 0 };
  return {
    id: "s0",
    scenario: "unequal-speed",
    seeds: [1],
    replications: 1,
    variants,
    headline: [],
    summary: [],
    warnings: [],
    checks: [],
    latency: { axis, lines: [], actions: [], failover: [] },
    distribution: { lines: [] },
    errors: { axis, variants: [], actions: [], failover: [] },
    backends: [],
    ...parts,
  };
}

function statsRow(fields: Partial<StatsRow>): StatsRow {
  return {
    variant: "roundrobin",
    server: "web01",
    status: "UP",
    weight: 1,
    backup: false,
    sessionsCur: 0,
    sessionsMax: 7,
    sessionsTotal: 3559,
    queueCur: null,
    queueMax: 0,
    requests: 3559,
    share: 1 / 3,
    utilization: 0.3625,
    retries: 0,
    redispatches: 0,
    connectErrors: 0,
    responseErrors: 0,
    lastCheck: "L4OK",
    checksFailed: 0,
    downs: 0,
    downtimeMs: 0,
    ...fields,
  };
}

function backend(stats: StatsRow[]): BackendSection {
  const axis = { atMs: [], bucketMs: 1000, durationMs: 0, warmupMs: 0 };
  return {
    name: "backend",
    shares: { servers: [], bars: [] },
    load: { axis, servers: [], lines: [], actions: [], failover: [] },
    health: { axis, lanes: [], actions: [] },
    stats,
  };
}

/** The opening tags of the rows (`<tr …>`) that carry `data-server`. */
const rows = (html: string) => [...html.matchAll(/<tr [^>]*data-server="[^"]*"[^>]*>/g)].map((m) => m[0]);

describe("summaryHtml", () => {
  const view = section({
    headline: ["leastconn wins: p99 157 ms against 257 ms for roundrobin."],
    summary: [
      {
        key: "latency.p99",
        label: "p99 latency",
        unit: "ms",
        better: "lower",
        values: [256.639, 157.311],
        ci95: [
          { low: 246.639, high: 266.639 },
          { low: 150, high: 170 },
        ],
        winner: "leastconn",
        verdict: "winner",
      },
      {
        key: "throughput",
        label: "throughput",
        unit: "per-second",
        better: "higher",
        values: [213.7, null],
        verdict: "indistinguishable",
      },
      { key: "errors", label: "errors", unit: "ratio", better: "lower", values: [0.001, 0.0005] },
    ],
    warnings: ["old03 is at 88% of its capacity"],
  });
  const html = summaryHtml(view);

  it("puts the headline first, then a column per variant with its swatch", () => {
    expect(html.indexOf("headline-sentence")).toBeLessThan(html.indexOf("<table"));
    expect(html).toContain("leastconn wins: p99 157 ms against 257 ms for roundrobin.");
    expect(html).toMatch(
      /<th scope="col" data-variant="leastconn"><svg class="swatch"[^>]*><rect[^>]*fill="#D55E00"/,
    );
  });

  it("formats each figure in its unit with its interval, and marks the winner", () => {
    expect(html).toMatch(
      /<td class="value" data-variant="roundrobin" data-value="256.639">257 ms <span class="ci"[^>]*>± 10 ms<\/span>/,
    );
    expect(html).toMatch(
      /<td class="value winner" data-variant="leastconn"[^>]*><span class="winner-mark"[^>]*>★<\/span> 157 ms <span class="ci"[^>]*>\[150 ms, 170 ms\]/,
    );
    expect(html).toContain(">214/s</td>");
    expect(html).toMatch(/data-variant="leastconn">-<\/td>/);
    expect(html).toContain(">0.1%</td>");
    expect(html).toContain('data-verdict="winner">winner: leastconn</td>');
    expect(html).toContain('data-verdict="indistinguishable">no clear winner</td>');
    expect((html.match(/class="value winner"/g) ?? []).length).toBe(1);
  });

  it("shows each warning as a callout, escaped", () => {
    const hostile = summaryHtml(section({ warnings: [`server ${HOSTILE} is slow`], headline: [HOSTILE] }));
    expect(hostile).not.toContain("<img");
    expect(hostile).toContain(`<p class="warning" role="note">`);
    expect(hostile).toContain(`server ${HOSTILE_ESCAPED} is slow`);
    expect(html).toContain("old03 is at 88% of its capacity");
  });

  it("says which way is better only when there are strategies to rank", () => {
    expect(html).toContain('<span class="better">(lower is better)</span>');
    const one = summaryHtml(
      section({
        variants: [variants[0]!],
        summary: [{ key: "latency.p99", label: "p99", unit: "ms", better: "lower", values: [12] }],
      }),
    );
    expect(one).toContain(">p99</th>");
    expect(one).not.toContain("is better");
  });

  it("writes a symmetric interval as ± and a skewed one as [low, high]", () => {
    expect(formatInterval(10, { low: 8, high: 12 }, "ms")).toBe("± 2 ms");
    expect(formatInterval(0.5, { low: 0.4, high: 0.7 }, "ratio")).toBe("[40%, 70%]");
  });
});

describe("checksHtml", () => {
  it("lists each expectation with ✓ or ✗, actual and limit in its unit, and notes", () => {
    const html = checksHtml(
      section({
        status: "fail",
        checks: [
          { name: "leastconn.p99 < roundrobin.p99", pass: true, actual: 157.311, limit: 256.639 },
          { name: "share(web01) in 32%..35%", pass: false, actual: 0.2, limit: 0.32 },
          { name: "detected(web02) in 2s..3s", pass: false, actual: null, note: "web02 was never DOWN" },
        ],
      }),
    );
    const trs = [...html.matchAll(/<tr class="(pass|fail)"[^>]*>(.*?)<\/tr>/g)];
    expect(trs.map((m) => m[1])).toEqual(["pass", "fail", "fail"]);
    expect(trs[0]![2]).toContain("✓ pass");
    expect(trs[0]![2]).toContain(">157 ms</td>");
    expect(trs[0]![2]).toContain(">257 ms</td>");
    expect(trs[1]![2]).toContain("✗ fail");
    expect(trs[1]![2]).toContain(">20%</td>");
    expect(trs[1]![2]).toContain(">32%</td>");
    expect(trs[2]![2]).toContain(">web02 was never DOWN</td>");
    expect(html).toContain('data-status="fail"');
  });

  it("says so when there are no expectations, and escapes names", () => {
    expect(checksHtml(section({}))).toContain("no expectations");
    const html = checksHtml(
      section({ checks: [{ name: `share(${HOSTILE}) < 50%`, pass: true, actual: 0.1, limit: 0.5 }] }),
    );
    expect(html).not.toContain("<img");
    expect(html).toContain(HOSTILE_ESCAPED);
  });

  it("reads the unit from the expectation's metric", () => {
    expect(checkUnit("leastconn.p99 < 300ms")).toBe("ms");
    expect(checkUnit("backend.p99(api) < 200ms")).toBe("ms");
    expect(checkUnit("errors during 5s..7s == 0")).toBe("ratio");
    expect(checkUnit("maxqueued(web01) < 10")).toBe("count");
    expect(checkUnit("unfinished < 1%")).toBe("ratio");
    expect(checkUnit("unfinished < 50")).toBe("count");
  });
});

describe("statsTableHtml", () => {
  it("colours each row by its status, backups in the backup colours", () => {
    const html = statsTableHtml(
      backend([
        statsRow({ server: "web01", status: "UP" }),
        statsRow({ server: "web02", status: "DOWN", downs: 1, downtimeMs: 83_400 }),
        statsRow({ server: "web03", status: "UP 1/3" }),
        statsRow({ server: "web04", status: "DOWN 1/2" }),
        statsRow({ server: "web05", status: "DRAIN" }),
        statsRow({ server: "spare", status: "UP", backup: true }),
        statsRow({ server: "spare2", status: "DOWN", backup: true }),
        statsRow({ server: "spare3", status: "UP 2/3", backup: true }),
        statsRow({ server: "spare4", status: "DOWN 1/2", backup: true }),
        statsRow({ server: "spare5", status: "NOLB", backup: true }),
        statsRow({ server: "spare6", status: "DRAIN", backup: true }),
        statsRow({ server: "spare7", status: "MAINT", backup: true }),
      ]),
      [variants[0]!],
    );
    const colours = rows(html).map((tr) => /background-color:(#\w+)/.exec(tr)![1]);
    expect(colours).toEqual([
      STATE_COLORS.up,
      STATE_COLORS.down,
      STATE_COLORS.goingDown,
      STATE_COLORS.goingUp,
      STATE_COLORS.drain,
      BACKUP_STATE_COLORS.up,
      BACKUP_STATE_COLORS.down,
      BACKUP_STATE_COLORS.goingDown,
      BACKUP_STATE_COLORS.goingUp,
      BACKUP_STATE_COLORS.nolb,
      BACKUP_STATE_COLORS.drain,
      STATE_COLORS.maint,
    ]);
    expect(rows(html)[1]).toContain('data-status="DOWN"');
    expect(rows(html)[1]).toContain("state-down");
    expect(BACKUP_STATE_COLORS).toMatchObject({
      up: "#b0d0ff",
      down: "#ff9090",
      goingUp: "#ff80ff",
      goingDown: "#c060ff",
      nolb: "#90b0e0",
      drain: "#cc9900",
    });
    expect(html).toContain(`<td class="downtime" title="83,400 ms">1m23s</td>`);
  });

  it("has HAProxy's grouped headers, then lbsim's figures, and - for what is unknown", () => {
    const html = statsTableHtml(
      backend([statsRow({ sessionsCur: null, weight: null, lastCheck: null, status: "no check" })]),
      [variants[0]!],
    );
    const groups = [...html.matchAll(/scope="colgroup"[^>]*>(\w+)</g)].map((m) => m[1]);
    expect(groups).toEqual(["Queue", "Sessions", "Errors", "Warnings", "Server", "lbsim"]);
    const cells = [...html.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((m) => m[1]);
    const row = cells.slice(cells.indexOf("web01"), cells.indexOf("web01") + 21);
    // server, queue cur/max, sessions cur/max/total, errors, warnings, status, lastchk, wght, act, bck, chk, dwn, dwntme, requests, share, util.
    expect(row).toEqual([
      "web01",
      "-",
      "0",
      "-",
      "7",
      "3,559",
      "0",
      "0",
      "0",
      "0",
      "no check",
      "-",
      "-",
      "Y",
      "-",
      "-",
      "-",
      "-",
      "3,559",
      "33.3%",
      "36.3%",
    ]);
    expect(html).not.toContain('<th rowspan="2" scope="col">variant</th>');
  });

  it("adds a variant column with several variants, and escapes a hostile server name", () => {
    const html = statsTableHtml(
      backend([statsRow({ server: HOSTILE }), statsRow({ server: HOSTILE, variant: "leastconn" })]),
      variants,
    );
    expect(html).not.toContain("<img");
    expect(rows(html).map((tr) => /data-variant="(\w+)"/.exec(tr)![1])).toEqual(["roundrobin", "leastconn"]);
    expect(rows(html)[0]).toContain(`data-server="${HOSTILE_ESCAPED}"`);
    expect(html).toContain(`<th scope="row" class="server">${HOSTILE_ESCAPED}</th>`);
    expect(html).toContain('<th rowspan="2" scope="col">variant</th>');
  });

  it("closes each variant's servers with a Backend line: sums, status, usable active and backup servers", () => {
    const html = statsTableHtml(
      backend([
        statsRow({
          server: "web01",
          status: "DOWN",
          weight: 2,
          sessionsTotal: 10,
          requests: 10,
          share: 0.1,
          retries: 2,
        }),
        statsRow({
          server: "web02",
          status: "UP 1/3",
          weight: 3,
          sessionsTotal: 90,
          requests: 90,
          share: 0.9,
          redispatches: 4,
        }),
        statsRow({
          server: "spare",
          status: "UP",
          backup: true,
          weight: 1,
          sessionsTotal: 0,
          requests: 0,
          share: 0,
        }),
        statsRow({ variant: "leastconn", server: "web01", status: "DOWN" }),
        statsRow({ variant: "leastconn", server: "web02", status: "MAINT" }),
      ]),
      variants,
    );
    const lines = [...html.matchAll(/<tr class="backend-row"([^>]*)>(.*?)<\/tr>/g)];
    expect(lines.map((m) => /data-variant="(\w+)"/.exec(m[1]!)![1])).toEqual(["roundrobin", "leastconn"]);
    expect(lines.map((m) => /data-status="(\w+)"/.exec(m[1]!)![1])).toEqual(["UP", "DOWN"]);
    const cells = [...lines[0]![2]!.matchAll(/<t[dh][^>]*>([^<]*)<\/t[dh]>/g)].map((m) => m[1]);
    // Backend, queue, sessions cur/max/total, errors, retr/redis, status, lastchk, wght (UP active only), act, bck, …
    expect(cells).toEqual([
      "Backend",
      "-",
      "-",
      "0",
      "-",
      "100",
      "0",
      "0",
      "2",
      "4",
      "UP",
      "-",
      "3",
      "1",
      "1",
      "-",
      "-",
      "-",
      "100",
      "100%",
      "-",
    ]);
    // Only the backup left: the backend still serves, through it.
    const backupOnly = statsTableHtml(
      backend([
        statsRow({ server: "web01", status: "DOWN" }),
        statsRow({ server: "spare", status: "UP", backup: true }),
      ]),
      [variants[0]!],
    );
    expect(backupOnly).toMatch(/<tr class="backend-row" data-variant="roundrobin" data-status="UP">/);
  });

  it("writes downtime as HAProxy does: at most two units, whole seconds", () => {
    expect([0, 999, 5000, 83_000, 3_600_000, 3_723_000, 90_061_000].map(formatDowntime)).toEqual([
      "0s",
      "0s",
      "5s",
      "1m23s",
      "1h",
      "1h2m",
      "1d1h",
    ]);
  });
});
