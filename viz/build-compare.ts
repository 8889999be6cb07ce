// The view of a comparison (`lbsim compare --report`): one section, a variant per strategy, banded over replications.
import type { Results } from "../sim/index.js";
import { buildSection } from "./build-section.js";
import { compareHeadline } from "./headline.js";
import type { CheckedInput, ComparisonInput } from "./inputs.js";
import type { CheckView, ReportView } from "./view.js";

function checkView(c: CheckedInput, variant?: string): CheckView {
  return {
    name: c.name,
    pass: c.pass,
    actual: c.actual !== null && Number.isFinite(c.actual) && c.note === undefined ? c.actual : null,
    ...(c.limit === undefined ? {} : { limit: c.limit }),
    ...(c.note === undefined ? {} : { note: c.note }),
    ...(variant === undefined ? {} : { variant }),
  };
}

/**
 * The expectations: judged on the means (`meanChecks`) with replications, else each run's own and
 * the cross-strategy ones of the first seed.
 */
function comparisonChecks(comparison: ComparisonInput): CheckView[] {
  if (comparison.meanChecks !== undefined) {
    return [
      ...comparison.meanChecks.runs.flatMap((r) => r.checks.map((c) => checkView(c, r.strategy))),
      ...comparison.meanChecks.checks.map((c) => checkView(c)),
    ];
  }
  return [
    ...comparison.runs.flatMap((r) => r.checks.map((c) => checkView(c, r.strategy))),
    ...comparison.checks.map((c) => checkView(c)),
  ];
}

export function compareView(
  input: {
    comparison: ComparisonInput;
    replications?: ReadonlyArray<ReadonlyArray<Results>>;
    file?: string;
    description?: string;
  },
  generator: string,
): ReportView {
  const { comparison } = input;
  const variants = comparison.strategies.map((name, i) => ({
    name,
    runs: input.replications?.[i] ?? comparison.runs.filter((r) => r.strategy === name).slice(0, 1),
  }));
  const warnings = [
    ...new Set(comparison.runs.flatMap((r) => (r.warnings ?? []).map((w) => `${r.strategy}: ${w}`))),
  ];
  const section = buildSection({
    id: "s0",
    scenario: comparison.scenario,
    ...(input.file === undefined ? {} : { file: input.file }),
    ...(input.description === undefined ? {} : { description: input.description }),
    seeds: comparison.seeds,
    replications: comparison.seeds.length,
    variants,
    headline: (drawn) => compareHeadline(drawn, comparison.rows, comparison.seeds.length),
    checks: comparisonChecks(comparison),
    warnings,
    comparisonRows: comparison.rows,
  });
  return {
    kind: "compare",
    title: `${comparison.scenario} · ${comparison.strategies.join(" vs ")}`,
    generator,
    sections: [section],
  };
}
