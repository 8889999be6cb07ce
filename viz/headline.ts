// The headline of a section: 1–3 plain sentences saying who wins and why, only as far as the numbers go.
import type { Results } from "../sim/index.js";
import { stateSpans } from "./build-health.js";
import type { VariantRuns } from "./build-series.js";
import type { ComparisonRowInput } from "./inputs.js";
import { endOf, serverNamed } from "./inputs.js";
import { meanOf } from "./stats.js";
import type { CheckView } from "./view.js";

/** `153 ms`, `12.4 ms`, `0.412 ms`, `1.25 s`: three significant digits. */
export function formatMs(ms: number): string {
  if (Math.abs(ms) >= 1000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number(ms.toPrecision(3))} ms`;
}

/** A time on the run's clock: `7.3 s`. */
function formatAt(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(2))}%`;
}

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The DOWN episodes of a run's servers: `web02 was DOWN from 7.3 s to 13.3 s`, or for a server
 * down several times `web03 was DOWN 7 times, first from 11.9 s to 18.3 s`; up to three servers,
 * then how many more.
 */
function downEpisodes(results: Results): string | undefined {
  const endMs = endOf(results);
  const servers: string[] = [];
  for (const s of results.servers) {
    // An episode runs from DOWN to the next status that is not DOWN (`DOWN 1/2`, rising, is still DOWN).
    const episodes: Array<{ fromMs: number; toMs: number }> = [];
    let fromMs: number | undefined;
    for (const span of [...stateSpans(s.states, endMs), { fromMs: endMs, toMs: endMs, state: "" }]) {
      if (span.state === "DOWN" && fromMs === undefined) fromMs = span.fromMs;
      if (span.state.split(" ")[0] === "DOWN" || fromMs === undefined) continue;
      episodes.push({ fromMs, toMs: span.fromMs });
      fromMs = undefined;
    }
    const first = episodes[0];
    if (first === undefined) continue;
    const to = first.toMs >= endMs ? "the end" : formatAt(first.toMs);
    const span = `from ${formatAt(first.fromMs)} to ${to}`;
    servers.push(
      episodes.length === 1
        ? `${s.name} was DOWN ${span}`
        : `${s.name} was DOWN ${episodes.length} times, first ${span}`,
    );
  }
  if (servers.length === 0) return undefined;
  const shown = servers.slice(0, 3).join("; ");
  return servers.length > 3 ? `${shown}; and ${plural(servers.length - 3, "more server")} went DOWN` : shown;
}

function expectationsClause(checks: ReadonlyArray<CheckView>): string {
  if (checks.length === 0) return "No expectations";
  const failed = checks.filter((c) => !c.pass);
  if (failed.length === 0) return `${checks.length} of ${checks.length} expectations pass`;
  const names = failed
    .slice(0, 2)
    .map((c) => `\`${c.name}\``)
    .join(", ");
  return `${failed.length} of ${checks.length} expectations fail (${names}${failed.length > 2 ? ", …" : ""})`;
}

/** A run: its expectations' verdict with p99 and errors, its DOWN episodes, its first warning. */
export function runHeadline(results: Results, checks: ReadonlyArray<CheckView>): string[] {
  const { total, failed, unfinished } = results.requests;
  const figures = [`p99 ${formatMs(results.latency.p99Ms)}`];
  if (failed > 0) figures.push(`${percent(failed / Math.max(1, total))} errors`);
  if (unfinished > 0) figures.push(`${plural(unfinished, "request")} unfinished`);
  const lines = [`${expectationsClause(checks)}; ${figures.join(", ")}.`];
  const down = downEpisodes(results);
  // Server names are kept as written (not capitalised), even at the start of the sentence.
  if (down !== undefined) lines.push(`${down}.`);
  const warnings = results.warnings ?? [];
  if (warnings.length > 0) {
    lines.push(
      `Warning: ${warnings[0]}${warnings.length > 1 ? ` (and ${plural(warnings.length - 1, "more warning")})` : ""}`,
    );
  }
  return lines;
}

function rowMeans(row: ComparisonRowInput): Array<{ strategy: string; mean: number }> {
  return row.strategies.flatMap((s) => (s.mean === null ? [] : [{ strategy: s.strategy, mean: s.mean }]));
}

/** `295 ms for roundrobin` / `295 ms for roundrobin and 301 ms for random`. */
function others(list: ReadonlyArray<{ strategy: string; mean: number }>): string {
  const parts = list.map((o) => `${formatMs(o.mean)} for ${o.strategy}`);
  return parts.length <= 1
    ? (parts[0] ?? "")
    : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** The p99 sentence of a comparison, from its `latency.p99` row's verdict. */
function p99Sentence(row: ComparisonRowInput, replications: number): string | undefined {
  const means = rowMeans(row);
  if (means.length < 2) return undefined;
  const best = means.find((m) => m.strategy === row.best) ?? [...means].sort((a, b) => a.mean - b.mean)[0];
  if (best === undefined) return undefined;
  const rest = means.filter((m) => m !== best);
  const runs = plural(replications, "run");
  switch (row.verdict) {
    case "winner": {
      const change =
        rest.length === 1 && rest[0]!.mean > 0
          ? `${Math.round(((best.mean - rest[0]!.mean) / rest[0]!.mean) * 100)}%, `
          : "";
      return `${best.strategy} has the lower p99: ${formatMs(best.mean)} against ${others(rest)} (${change.replace("-", "−")}${runs}, told apart at 95%).`;
    }
    case "indistinguishable":
      return `The p99 cannot be told apart at 95% over ${runs}: ${means.map((m) => `${m.strategy} ${formatMs(m.mean)}`).join(", ")}.`;
    case "one run":
      return `In this one run ${best.strategy} has the lower p99, ${formatMs(best.mean)} against ${others(rest)}; one run cannot tell them apart (--replications can).`;
    case "same":
      return `Every strategy gives the same p99: ${formatMs(best.mean)}.`;
    default:
      return undefined;
  }
}

/** The errors sentence, only when the comparison tells a strategy apart with the fewest errors. */
function errorsSentence(row: ComparisonRowInput | undefined): string | undefined {
  if (row === undefined || row.verdict !== "winner" || row.winner === undefined) return undefined;
  const means = rowMeans(row);
  const best = means.find((m) => m.strategy === row.winner);
  if (best === undefined) return undefined;
  const rest = means
    .filter((m) => m !== best)
    .map((m) => `${Number(m.mean.toPrecision(3))} for ${m.strategy}`);
  return `${best.strategy} has the fewest failed requests: ${Number(best.mean.toPrecision(3))} against ${rest.join(", ")}.`;
}

/**
 * Why, from the data: the server whose utilization differs most between the worst and the best
 * strategy by p99 (means over replications), when by 5 points or more, with the time its
 * requests waited inside it under the worst when that is 1 ms or more.
 */
function whySentence(
  variants: ReadonlyArray<VariantRuns>,
  bestName: string,
  worstName: string,
): string | undefined {
  const best = variants.find((v) => v.variant.name === bestName)?.runs ?? [];
  const worst = variants.find((v) => v.variant.name === worstName)?.runs ?? [];
  if (best.length === 0 || worst.length === 0) return undefined;
  const of = (runs: ReadonlyArray<Results>, name: string, pick: "utilization" | "waitMeanMs") =>
    meanOf(runs.map((r) => serverNamed(r, name)?.[pick] ?? 0));
  let pick: { name: string; gap: number } | undefined;
  for (const s of worst[0]?.servers ?? []) {
    const gap = Math.abs(of(worst, s.name, "utilization") - of(best, s.name, "utilization"));
    if (pick === undefined || gap > pick.gap) pick = { name: s.name, gap };
  }
  if (pick === undefined || pick.gap < 0.05) return undefined;
  const waitMs = of(worst, pick.name, "waitMeanMs");
  const waited = waitMs >= 1 ? ` and its requests waited ${formatMs(waitMs)} inside it` : "";
  const busy = (runs: ReadonlyArray<Results>) => `${Math.round(of(runs, pick!.name, "utilization") * 100)}%`;
  return `Under ${worstName} ${pick.name} was busy ${busy(worst)} of the time${waited}; under ${bestName} ${busy(best)}.`;
}

/** A comparison: who has the lower p99 as its verdict says, the fewest errors when told apart, and why. */
export function compareHeadline(
  variants: ReadonlyArray<VariantRuns>,
  rows: ReadonlyArray<ComparisonRowInput>,
  replications: number,
): string[] {
  const p99 = rows.find((r) => r.key === "latency.p99");
  const lines: string[] = [];
  const first = p99 === undefined ? undefined : p99Sentence(p99, replications);
  if (first !== undefined) lines.push(first);
  const errors = errorsSentence(rows.find((r) => r.key === "requests.errors"));
  if (errors !== undefined) lines.push(errors);
  if (p99 !== undefined && (p99.verdict === "winner" || p99.verdict === "one run")) {
    const means = rowMeans(p99).sort((a, b) => a.mean - b.mean);
    const best = means[0];
    const worst = means[means.length - 1];
    const why =
      best === undefined || worst === undefined
        ? undefined
        : whySentence(variants, best.strategy, worst.strategy);
    if (why !== undefined) lines.push(why);
  }
  return lines.slice(0, 3);
}

/** A check's scenario: its status in words, and the failed expectations. */
export function checkHeadline(
  status: string,
  checks: ReadonlyArray<CheckView>,
  replications: number,
): string[] {
  switch (status) {
    case "no expectations":
      return ["No expectations: nothing to check, so not run."];
    case "interrupted":
      return ["Interrupted before a replication was complete: nothing checked."];
    default: {
      const over = replications > 1 ? ` over ${plural(replications, "replication")} (their means)` : "";
      const verdict = status === "pass" ? "Pass" : status === "fail" ? "Fail" : status;
      return [`${verdict}: ${expectationsClause(checks)}${over}.`];
    }
  }
}
