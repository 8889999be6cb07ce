// Spec of viz/report-html.ts: one self-contained page, its CSP, the inlined view and script, and what it shows without scripts.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartSlots } from "./charts/index.js";
import { readBundle } from "./report-bundle.js";
import { reportHtml, seedList } from "./report-html.js";
import { cspOf, HOSTILE, largeView, sampleSection, sampleView, scriptsOf } from "./view-test-support.js";

describe("reportHtml: a self-contained page", () => {
  const html = reportHtml(sampleView());

  it("is an HTML5 document whose CSP allows nothing from the network", () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    const csp = cspOf(html) ?? "";
    const directives = csp.split(";").map((d) => d.trim());
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("img-src data:");
    expect(directives).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toMatch(/connect-src|font-src|https?:|\*/);
  });

  it("allows exactly its own inline script, by hash", () => {
    const scripts = scriptsOf(html);
    expect(scripts.map((s) => s.tag)).toEqual(['<script type="application/json" id="view">', "<script>"]);
    const hash = createHash("sha256")
      .update(scripts[1]?.content ?? "", "utf8")
      .digest("base64");
    expect(cspOf(html)).toContain(`script-src 'sha256-${hash}'`);
    expect((scripts[1]?.content ?? "").length).toBeGreaterThan(10_000);
  });

  it("inlines the view as JSON that parses back to the same view", () => {
    const [json] = scriptsOf(html);
    expect(JSON.parse(json?.content ?? "")).toEqual(sampleView());
  });

  it("refers to nothing outside the file: no src, and links only to its own anchors", () => {
    expect(html).not.toMatch(/\ssrc=/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    for (const href of hrefs) expect(href).toMatch(/^#/);
  });

  it("gives the same bytes for the same view (no timestamps)", () => {
    expect(reportHtml(structuredClone(sampleView()))).toBe(html);
  });
});

describe("reportHtml: data is text, never markup or code", () => {
  const hostile = {
    ...sampleSection({ scenario: HOSTILE, backends: [HOSTILE] }),
    description: "</script><script>alert(1)</script> and <!-- a comment",
    variants: [{ name: HOSTILE, color: "red;background:url(x)" }],
  };
  const view = { ...sampleView([hostile]), title: `</title>${HOSTILE}` };
  const html = reportHtml(view);

  it("cannot close the JSON script element, and the data still parses back whole", () => {
    const scripts = scriptsOf(html);
    expect(scripts).toHaveLength(2);
    expect(scripts[0]?.content).not.toMatch(/<\/script|<!--/i);
    expect(JSON.parse(scripts[0]?.content ?? "")).toEqual(view);
  });

  it("shows names and descriptions escaped, as text", () => {
    expect(html).not.toContain("<img");
    expect(html).not.toContain("</title><");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("puts only a plain hex colour into a style attribute", () => {
    const page = html.slice(0, html.indexOf('<script type="application/json"'));
    expect(/style="[^"]*url\(x\)/.test(page)).toBe(false);
    expect(html).toContain('<span class="swatch" style="background:#8c959f">');
  });
});

describe("reportHtml: what the page holds", () => {
  it("opens with the header: scenario, description, seeds, replications, variants with their colours", () => {
    const html = reportHtml(sampleView());
    expect(html).toContain("<title>lbsim compare: failover</title>");
    expect(html).toContain('<span class="description">web01 crashes at 1 s.\nSecond line.</span>');
    expect(html).toContain("<dt>Seed</dt><dd>7</dd>");
    expect(html).toContain("<dt>Replications</dt><dd>1</dd>");
    expect(html).toContain('<span class="swatch" style="background:#ff7f0e"></span>leastconn');
    expect(html).toContain('<meta name="generator" content="lbsim 9.8.7">');
  });

  it("opens a long description on its first sentence, so the summary stays in the first screen", () => {
    const description = `leastconn wins. ${"More detail. ".repeat(20)}`;
    const html = reportHtml(sampleView([{ ...sampleSection(), description }]));
    expect(html).toContain(
      `<details class="description-more"><summary>leastconn wins.</summary><span class="description">${description.trim()}</span></details>`,
    );
  });

  it("orders the parts: summary, expectations, latency, distribution, errors, then each backend", () => {
    const html = reportHtml(sampleView([sampleSection({ backends: ["web", "api"] })]));
    const order = [
      'id="s0-summary"',
      'id="s0-expectations"',
      'id="s0-latency-over-time"',
      'id="s0-distribution"',
      'id="s0-errors-over-time"',
      'id="s0-b0"',
      'id="s0-b0-shares"',
      'id="s0-b0-server-load"',
      'id="s0-b0-health"',
      'id="s0-b1"',
    ].map((marker) => html.indexOf(marker));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("ends a section with several balancer instances with their chart and table, and has none without", () => {
    const html = reportHtml(sampleView([sampleSection({ instances: true })]));
    const order = [
      'id="s0-b0-health"',
      'id="s0-instances"',
      'id="s0-instance-shares"',
      'class="stats instances"',
    ].map((marker) => html.indexOf(marker));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // A row per variant per instance, each with its share of each server.
    const rows = [...html.matchAll(/<tr data-variant="([^"]*)" data-instance="([^"]*)">/g)].map(
      (m) => `${m[1]}/${m[2]}`,
    );
    expect(rows).toEqual(["roundrobin/lb1", "roundrobin/lb2", "leastconn/lb1", "leastconn/lb2"]);
    expect(html).toContain('<th scope="col">→ web02</th>');
    expect(reportHtml(sampleView())).not.toContain('id="s0-instances"');
  });

  it("has a container for every chart, each once, named as the export names its file", () => {
    const view = sampleView([sampleSection(), sampleSection({ id: "s1", scenario: "second" })]);
    const html = reportHtml(view);
    const ids = [...html.matchAll(/data-chart-id="([^"]*)"/g)].map((m) => m[1]);
    expect(ids).toEqual(chartSlots(view).map((slot) => slot.file));
    expect(ids).toHaveLength(12);
  });

  it("lists the contents when there are several sections or backends, and not for one of each", () => {
    expect(reportHtml(sampleView())).not.toContain('<nav class="toc"');
    expect(reportHtml(sampleView([sampleSection({ backends: ["web", "api"] })]))).toContain(
      '<nav class="toc"',
    );
    const check = reportHtml(sampleView([sampleSection(), sampleSection({ id: "s1", scenario: "second" })]));
    expect(check).toContain('<a href="#s1">second</a>');
  });

  it("draws nothing for a check's scenario that did not run, and says why", () => {
    const skipped = { ...sampleSection({ id: "s1", scenario: "quiet-one" }), notRun: "no expectations" };
    const view = sampleView([sampleSection(), skipped]);
    const html = reportHtml(view);
    expect(html).toContain('<p class="not-run">Not run: no expectations. There is nothing to draw.</p>');
    expect(html).not.toContain('id="s1-latency-over-time"');
    expect(chartSlots(view).every((slot) => slot.section === 0)).toBe(true);
  });

  it("says when the report is partial", () => {
    expect(reportHtml(sampleView())).not.toContain("Partial report");
    expect(reportHtml({ ...sampleView(), partial: true })).toContain("<strong>Partial report.</strong>");
  });

  it("has the large-type button, hidden until the script shows it", () => {
    expect(reportHtml(sampleView())).toContain(
      '<button id="large-type" type="button" aria-pressed="false" hidden',
    );
  });
});

describe("reportHtml: size", () => {
  it("keeps 7 significant digits of fractions in the inlined view, and whole numbers whole", () => {
    const section = sampleSection();
    const view = sampleView([
      { ...section, seeds: [123456789012], summary: [{ ...section.summary[0]!, values: [1 / 3, 2 / 3] }] },
    ]);
    const parsed = JSON.parse(scriptsOf(reportHtml(view))[0]?.content ?? "") as typeof view;
    expect(parsed.sections[0]?.summary[0]?.values).toEqual([0.3333333, 0.6666667]);
    expect(parsed.sections[0]?.seeds).toEqual([123456789012]);
  });

  it("stays under 3 MB for a 10M-request run (2000 buckets, 10 servers), and for three strategies", () => {
    expect(reportHtml(largeView(2000, 10)).length).toBeLessThan(3_000_000);
    expect(reportHtml(largeView(2000, 10, 3)).length).toBeLessThan(3_000_000);
  });
});

describe("seedList", () => {
  it("writes consecutive seeds as a range and others as a list", () => {
    expect(seedList([7])).toBe("7");
    expect(seedList([7, 8])).toBe("7, 8");
    expect(seedList([7, 8, 9, 10])).toBe("7–10");
    expect(seedList([7, 9, 10])).toBe("7, 9, 10");
  });
});

describe("readBundle", () => {
  it("says to run npm run build when the bundle is missing", () => {
    expect(() => readBundle(["/nonexistent/report-client.js"])).toThrow(/run npm run build/);
  });

  it("refuses a bundle that could end its script element", () => {
    const dir = mkdtempSync(join(tmpdir(), "lbsim-bundle-"));
    try {
      const path = join(dir, "bad.js");
      writeFileSync(path, 'var s = "</script>";');
      expect(() => readBundle([path])).toThrow(/cannot be inlined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
