// The view of one run (`lbsim run --report`): one section, one variant.
import type { Results } from "../sim/index.js";
import { buildSection } from "./build-section.js";
import { runHeadline } from "./headline.js";
import type { CheckView, ReportView } from "./view.js";

export function runView(
  input: { results: Results; file?: string; description?: string },
  generator: string,
): ReportView {
  const { results } = input;
  const checks: CheckView[] = results.checks.map((c) => ({
    name: c.name,
    pass: c.pass,
    actual: c.note === undefined && Number.isFinite(c.actual) ? c.actual : null,
    ...(c.limit === undefined ? {} : { limit: c.limit }),
    ...(c.note === undefined ? {} : { note: c.note }),
  }));
  const section = buildSection({
    id: "s0",
    scenario: results.scenario,
    ...(input.file === undefined ? {} : { file: input.file }),
    ...(input.description === undefined ? {} : { description: input.description }),
    seeds: [results.seed],
    replications: 1,
    variants: [{ name: results.strategy, runs: [results] }],
    headline: () => runHeadline(results, checks),
    checks,
    warnings: results.warnings ?? [],
  });
  return { kind: "run", title: `${results.scenario} · ${results.strategy}`, generator, sections: [section] };
}
