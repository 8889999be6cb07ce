// JUnit XML of `lbsim check`: one testsuite per scenario file, one testcase per expectation.
//
// The layout is the common one CI servers read (Jenkins, GitLab, GitHub test reporters): a
// `<testsuites>` root with totals, a `<testsuite>` per scenario with its `<properties>`, and a
// `<testcase>` per `expect:` line holding a `<failure message=…>` when it failed. Scenarios stopped
// by Ctrl-C before being checked, or never reached, hold one `<skipped>` testcase.
import { regressionCases } from "./baseline-render.js";
import type { CheckedExpectation, CheckJson, ScenarioCheck } from "./check-command.js";
import { formatCount, formatPercent } from "./format.js";
import { formatActual, formatFailure, formatMargin, formatPair, nearestLimit } from "./format-actual.js";

export interface JunitOptions {
  /** Wall-clock milliseconds each scenario of `report.scenarios` took (by index); 0 when absent. */
  readonly wallMs?: ReadonlyArray<number>;
  /** Scenarios never reached (Ctrl-C stopped the check before them). */
  readonly notRun?: ReadonlyArray<{ readonly file: string; readonly scenario: string }>;
}

/**
 * Characters XML 1.0 does not allow anywhere, even escaped (§2.2 Char): controls other than tab and
 * line breaks, U+FFFE and U+FFFF, and lone UTF-16 surrogates (a pair is one code point under `u`).
 */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: `&`, `<` and `>` escaped; characters XML cannot hold become U+FFFD. */
export function xmlText(text: string): string {
  return text
    .replace(NOT_XML, "\uFFFD")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("\r", "&#13;");
}

/** An attribute value (in double quotes): as text, plus quotes, and tab and line breaks kept as references. */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    .replaceAll("\t", "&#9;")
    .replaceAll("\n", "&#10;");
}

function attributes(pairs: ReadonlyArray<readonly [string, string | number]>): string {
  return pairs.map(([name, value]) => ` ${name}="${xmlAttribute(String(value))}"`).join("");
}

// The words of a check, shared with the summary `lbsim check` prints.

/** The actual value as the summary shows it: the mean over the replications, in the metric's unit. */
export function shownActual(check: CheckedExpectation): string {
  return check.actual === null ? "no value" : formatActual(check.name, check.actual);
}

/** A failed check's value against its limit, with digits enough to see them differ, and the margin. */
export function failedActual(check: CheckedExpectation): string {
  const limit = nearestLimit(check);
  return check.actual === null || limit === undefined
    ? shownActual(check)
    : formatFailure(check.name, check.actual, limit);
}

/** What a check's line says after its verdict: the value, its interval, and what it was compared with. */
export function describeCheck(check: CheckedExpectation): string {
  if (check.actual === null) return check.note ?? "no value: the runs have no such figure";
  const limit = check.pass ? undefined : nearestLimit(check);
  const show = (value: number) => formatActual(check.name, value);
  // A failed value and its limit get the same digits, as many as make them read differently.
  const pair = limit === undefined ? undefined : formatPair(check.name, check.actual, limit);
  const actual = pair?.actual ?? show(check.actual);
  const parts = [check.ci95 === undefined ? actual : `mean ${actual}`];
  if (check.ci95 !== undefined) parts.push(`95% CI ${show(check.ci95.low)}..${show(check.ci95.high)}`);
  // A limit that is a metric (`leastconn.p99 < roundrobin.p99`) is shown; a number is in the name.
  if (check.limit !== undefined && check.limitMetric !== undefined) {
    const shownLimit = pair?.limit ?? show(check.limit);
    parts.push(`vs ${check.limitMetric} ${check.ci95 === undefined ? "" : "mean "}${shownLimit}`);
  }
  if (limit !== undefined) parts.push(formatMargin(check.name, check.actual, limit));
  if (check.uncertain === true) parts.push("the interval reaches the limit: more replications would tell");
  return parts.join("  ");
}

/**
 * `1,382 of 7,202 requests (19.2%) unanswered at the end`, over every replication; undefined when
 * none was, or when they were only the few young requests in flight at the end.
 */
export function unfinishedText(s: ScenarioCheck): string | undefined {
  const unfinished = (s.unfinished ?? []).reduce((a, b) => a + b, 0);
  const arrivals = (s.arrivals ?? []).reduce((a, b) => a + b, 0);
  // A few young requests in flight when each run ends are no news (the table says "in flight"):
  // said when they are 1% of the arrivals or more, or old enough to raise a latency figure.
  if (unfinished === 0 || (unfinished < arrivals * 0.01 && s.unfinishedAged !== true)) return undefined;
  const share = arrivals === 0 ? "" : ` (${formatPercent(unfinished / arrivals)})`;
  const over = (s.unfinished ?? []).length > 1 ? `, over ${s.unfinished!.length} replications` : "";
  return `${formatCount(unfinished)} of ${formatCount(arrivals)} requests${share} unanswered at the end${over}; latency checks count them at their age`;
}

const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

export function renderJunit(report: CheckJson, options: JunitOptions = {}): string {
  const notRun = options.notRun ?? [];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  let totalMs = 0;
  report.scenarios.forEach((s, index) => {
    const wallMs = options.wallMs?.[index] ?? 0;
    totalMs += wallMs;
    const skip = s.status === "interrupted";
    // A figure that got worse than the baseline is a failing testcase of its own (cli/baseline.ts).
    const regressed = regressionCases(report.baseline, s.scenario, s.file);
    const failed = s.checks.filter((c) => !c.pass).length + regressed.length;
    const count = (skip ? 1 : s.checks.length) + regressed.length;
    tests += count;
    failures += failed;
    skipped += skip ? 1 : 0;
    const lines = [
      `  <testsuite${attributes([
        ["name", s.scenario],
        ["file", s.file],
        ["tests", count],
        ["failures", failed],
        ["errors", 0],
        ["skipped", skip ? 1 : 0],
        ["time", seconds(wallMs)],
      ])}>`,
      ...properties(s, report.replications),
    ];
    if (skip) {
      lines.push(skippedCase(s.scenario, s.file, "stopped by Ctrl-C before a replication was complete"));
    }
    for (const check of s.checks) lines.push(testcase(s, check));
    lines.push(...regressed);
    if (s.status === "no expectations") {
      const why =
        s.figures === undefined ? "nothing to check; not run" : "run for the baseline's figures only";
      lines.push(`    <system-out>${xmlText(`no expectations: ${why}`)}</system-out>`);
    }
    const unanswered = unfinishedText(s);
    if (unanswered !== undefined) lines.push(`    <system-out>${xmlText(unanswered)}</system-out>`);
    lines.push("  </testsuite>");
    suites.push(lines.join("\n"));
  });
  for (const s of notRun) {
    tests += 1;
    skipped += 1;
    suites.push(
      [
        `  <testsuite${attributes([
          ["name", s.scenario],
          ["file", s.file],
          ["tests", 1],
          ["failures", 0],
          ["errors", 0],
          ["skipped", 1],
          ["time", seconds(0)],
        ])}>`,
        skippedCase(s.scenario, s.file, "not run: Ctrl-C stopped the check before it"),
        "  </testsuite>",
      ].join("\n"),
    );
  }
  const root = `<testsuites${attributes([
    ["name", "lbsim check"],
    ["tests", tests],
    ["failures", failures],
    ["errors", 0],
    ["skipped", skipped],
    ["time", seconds(totalMs)],
  ])}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', root, ...suites, "</testsuites>", ""].join("\n");
}

function properties(s: ScenarioCheck, replications: number): string[] {
  const seeds = s.seeds.length <= 1 ? s.seeds.join("") : `${s.seeds[0]}..${s.seeds[s.seeds.length - 1]}`;
  const pairs: Array<readonly [string, string | number]> = [
    ["strategy", s.strategy],
    ["compare", s.compared.join(",")],
    ["replications", s.seeds.length === 0 ? replications : s.seeds.length],
    ["seeds", seeds],
    // Requests left unanswered at the end, per replication: only when some were (CI dashboards chart properties).
    ...((s.unfinished ?? []).some((n) => n > 0)
      ? [["unfinished", (s.unfinished ?? []).join(",")] as const]
      : []),
  ];
  return [
    "    <properties>",
    ...pairs.map(
      ([name, value]) =>
        `      <property${attributes([
          ["name", name],
          ["value", value],
        ])}/>`,
    ),
    "    </properties>",
  ];
}

function testcase(s: ScenarioCheck, check: CheckedExpectation): string {
  const open = `    <testcase${attributes([
    ["name", check.name],
    ["classname", s.scenario],
    ["file", s.file],
    ["time", seconds(0)],
  ])}`;
  const detail = details(check);
  if (check.pass) return `${open}>\n      <system-out>${xmlText(detail)}</system-out>\n    </testcase>`;
  const message = `expected ${check.name}, actual ${failedActual(check)}`;
  return [
    `${open}>`,
    `      <failure${attributes([
      ["message", message],
      ["type", "expectation"],
    ])}>${xmlText(detail)}</failure>`,
    "    </testcase>",
  ].join("\n");
}

/** The check's figures in words: the value, its interval, and each replication's value. */
function details(check: CheckedExpectation): string {
  const lines = [describeCheck(check).replaceAll("  ", "; ")];
  if (check.values.length > 1) {
    lines.push(`per replication: ${check.values.map((v) => formatActual(check.name, v)).join(", ")}`);
  }
  return lines.join("\n");
}

function skippedCase(scenario: string, file: string, why: string): string {
  return [
    `    <testcase${attributes([
      ["name", "(not checked)"],
      ["classname", scenario],
      ["file", file],
      ["time", seconds(0)],
    ])}>`,
    `      <skipped${attributes([["message", why]])}/>`,
    "    </testcase>",
  ].join("\n");
}
