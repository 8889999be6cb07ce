// Spec of the sweep report's page: self-contained (CSP, no network), the header's facts, a chart per metric, escaping, same bytes.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sweepReportHtml } from "./sweep-html.js";
import { sampleSweep } from "./sweep-test-support.js";

describe("sweepReportHtml", () => {
  it("is one self-contained page: its only script allowed by hash, nothing loaded from anywhere", () => {
    const html = sweepReportHtml(sampleSweep(), [7]);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const hash = createHash("sha256").update(script, "utf8").digest("base64");
    expect(html).toContain(`script-src 'sha256-${hash}'`);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it("says the scenario, the grid, replications, seed and lbsim version in its header", () => {
    const html = sweepReportHtml(sampleSweep(), [7, 7]);
    expect(html).toContain("<h1>small · sweep of clients.load.arrivals.poisson</h1>");
    expect(html).toContain("<dt>Grid</dt><dd>2 points × 2 strategies × 3 replications = 12 runs</dd>");
    expect(html).toContain("<dt>Replications</dt><dd>3</dd>");
    expect(html).toContain("<dt>Seed</dt><dd>7 (replication r runs seed + r)</dd>");
    expect(html).toContain("<dt>lbsim</dt><dd>1.2.3</dd>");
    expect(html).toContain("<code>clients.load.arrivals.poisson</code> = 100/s, 200/s (x axis)");
    expect(html).not.toContain("Partial report");
  });

  it("says auto replications' precision, and a partial sweep's missing runs", () => {
    const html = sweepReportHtml(
      sampleSweep({
        replicationsAuto: { precision: 0.05, min: 3, max: 20 },
        complete: false,
        runs: { total: 80, done: 30, missing: 50 },
      }),
      [7],
    );
    expect(html).toContain("auto: precision 5%");
    expect(html).toContain("3 to 20 per row");
    expect(html).toContain(
      "<strong>Partial report.</strong> Ctrl-C stopped the sweep: 50 of 80 runs are missing.",
    );
  });

  it("has one chart per metric, in the JSON's order, each linked from the contents", () => {
    const html = sweepReportHtml(sampleSweep(), [7]);
    expect([...html.matchAll(/<div class="sweep-chart" data-metric="(\w+)">/g)].map((m) => m[1])).toEqual([
      "p99Ms",
      "errorRate",
    ]);
    expect(html).toContain('<a href="#metric-p99Ms">p99 latency</a>');
    expect(html).toContain('<figure class="sweep" id="metric-errorRate"><h3>Error rate</h3>');
  });

  it("ends with a table of every row's figures (mean ± half-width, n), a dash where there is none", () => {
    const sweep = sampleSweep();
    const rows = sweep.rows.map((r, i) =>
      i === 3 ? { ...r, seeds: [], metrics: { p99Ms: { mean: null, low: null, high: null } } } : r,
    );
    const html = sweepReportHtml({ ...sweep, rows }, [7]);
    const table = /<details class="sweep-figures" id="figures">([\s\S]*?)<\/details>/.exec(html)?.[1] ?? "";
    expect(table.match(/<tr>/g)).toHaveLength(1 + rows.length);
    expect(table).toContain(
      '<td class="text">100/s</td><td class="text">roundrobin</td><td>3</td><td>20 ms ± 2 ms</td><td>0%</td>',
    );
    expect(table).toContain(
      '<td class="text">200/s</td><td class="text">leastconn</td><td>0</td><td>–</td><td>–</td>',
    );
    expect(html).toContain('<a href="#figures">Figures</a>');
  });

  it("escapes what the sweep's names say: nothing in them is markup", () => {
    const hostile = '</script><script>alert(1)</script>"&';
    const html = sweepReportHtml(
      sampleSweep({ scenario: hostile, file: hostile, strategies: [hostile, "b"] }),
      [7],
    );
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;");
  });

  it("writes the same bytes for the same sweep (no time in it)", () => {
    expect(sweepReportHtml(sampleSweep(), [7])).toBe(sweepReportHtml(sampleSweep(), [7]));
  });
});
