// The words of a baseline comparison: the summary's section, each regression's line, and its JUnit testcases.
import type { BaselineReport, Regression } from "./baseline.js";
import { formatFigure } from "./check-figures.js";
import type { Interval } from "./check-stats.js";
import { formatCount } from "./format.js";
import { xmlAttribute, xmlText } from "./junit.js";

type Paint = (text: string) => string;

/** A tolerance as written in a scenario: 0.1 → "10%", 0.125 → "12.5%". */
const percent = (ratio: number): string => `${Number((ratio * 100).toPrecision(6))}%`;

/** `roundrobin.p99`: the run and the figure, as expectations name them. */
export function regressionName(r: Regression): string {
  return `${r.run}.${r.figure}`;
}

function withInterval(figure: string, value: { readonly mean: number; readonly ci95?: Interval }): string {
  const shown = formatFigure(figure, value.mean);
  if (value.ci95 === undefined) return shown;
  return `${shown} (95% CI ${formatFigure(figure, value.ci95.low)}..${formatFigure(figure, value.ci95.high)})`;
}

const signed = (figure: string, value: number): string =>
  `${value >= 0 ? "+" : "-"}${formatFigure(figure, Math.abs(value))}`;

/** Before and after, each with its interval. */
function beforeAfter(r: Regression): string {
  return `before ${withInterval(r.figure, r.before)}  after ${withInterval(r.figure, r.after)}`;
}

/** What was allowed, and how it was judged. */
function judgement(r: Regression): string {
  const parts = [`allowed up to ${formatFigure(r.figure, r.allowed)} (tolerance ${percent(r.tolerance)})`];
  if (r.difference !== undefined) {
    const { ci95 } = r.difference;
    parts.push(
      `paired by seed: ${signed(r.figure, r.difference.mean)} (95% CI ${signed(r.figure, ci95.low)}..${signed(r.figure, ci95.high)})`,
    );
  } else if (r.judged === "values") {
    parts.push("one run on each side: no interval");
  }
  return parts.join("  ");
}

/** Before, after, what was allowed, and how it was judged, on one line (JUnit, annotations, --quiet). */
export function describeRegression(r: Regression): string {
  return `${beforeAfter(r)}  ${judgement(r)}`;
}

/** `roundrobin.p99 50 ms → 65 ms`: the one-line form `--quiet` and `--json -` print on stderr. */
export function briefRegression(r: Regression): string {
  return `${regressionName(r)} ${formatFigure(r.figure, r.before.mean)} → ${formatFigure(r.figure, r.after.mean)}`;
}

/** The summary's section about the baseline, after the expectations' totals. */
export function renderBaseline(
  report: BaselineReport,
  paint: { red: Paint; green: Paint; yellow: Paint },
): string {
  const lines: string[] = [];
  const figures = `${formatCount(report.compared)} figure${report.compared === 1 ? "" : "s"}`;
  if (report.regressions.length === 0) {
    lines.push(`Baseline ${report.file}: ${paint.green("no regression")} in ${figures}`);
  } else {
    const n = report.regressions.length;
    lines.push(`Baseline ${report.file}: ${paint.red(`${n} regression${n === 1 ? "" : "s"}`)} in ${figures}`);
    for (const r of report.regressions) {
      lines.push(`  ${paint.red("WORSE")}  ${r.scenario} · ${regressionName(r)}: ${beforeAfter(r)}`);
      lines.push(`         ${judgement(r)}`);
    }
  }
  for (const s of report.notInBaseline)
    lines.push(`  ${paint.yellow("new")}  ${s.scenario} (${s.file}): not in the baseline, not compared`);
  for (const s of report.notRun)
    lines.push(`  ${paint.yellow("not run")}  ${s.scenario} (${s.file}): in the baseline, not run now`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return `${lines.join("\n")}\n`;
}

/** JUnit testcases of one scenario's regressions: `baseline: roundrobin.p99`, each failing. */
export function regressionCases(
  report: BaselineReport | undefined,
  scenario: string,
  file: string,
): string[] {
  if (report === undefined) return [];
  return report.regressions
    .filter((r) => r.scenario === scenario && r.file === file)
    .map((r) =>
      [
        `    <testcase name="${xmlAttribute(`baseline: ${regressionName(r)}`)}" classname="${xmlAttribute(scenario)}" file="${xmlAttribute(file)}" time="0.000">`,
        `      <failure message="${xmlAttribute(`${regressionName(r)} got worse than the baseline ${report.file}`)}" type="baseline">${xmlText(describeRegression(r).replaceAll("  ", "; "))}</failure>`,
        "    </testcase>",
      ].join("\n"),
    );
}
