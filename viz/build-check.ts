// The view of a check (`lbsim check --report`): a section per scenario, its runs as variants, its verdicts.
import type { Results } from "../sim/index.js";
import { buildSection } from "./build-section.js";
import { checkHeadline } from "./headline.js";
import type { CheckInput } from "./inputs.js";
import type { CheckView, ReportView } from "./view.js";

/** Why a scenario has nothing to draw, by its status. */
function notRunReason(status: string): string {
  return status === "no expectations"
    ? "not run: the scenario has no expectations"
    : status === "interrupted"
      ? "interrupted before a replication was complete: nothing to draw"
      : "no runs were given for this scenario";
}

export function checkView(
  input: {
    check: CheckInput;
    scenarios: ReadonlyArray<{
      runs: Readonly<Record<string, ReadonlyArray<Results>>>;
      description?: string;
    }>;
  },
  generator: string,
): ReportView {
  const sections = input.check.scenarios.map((s, i) => {
    const given = input.scenarios[i];
    const names = [s.strategy, ...s.compared.filter((c) => c !== s.strategy)];
    const variants = names.map((name) => ({ name, runs: given?.runs[name] ?? [] }));
    const checks: CheckView[] = s.checks.map((c) => ({
      name: c.name,
      pass: c.pass,
      actual: c.actual !== null && Number.isFinite(c.actual) && c.note === undefined ? c.actual : null,
      ...(c.limit === undefined ? {} : { limit: c.limit }),
      ...(c.note === undefined ? {} : { note: c.note }),
    }));
    const empty = variants.every((v) => v.runs.length === 0);
    return buildSection({
      id: `s${i}`,
      scenario: s.scenario,
      file: s.file,
      ...(given?.description === undefined ? {} : { description: given.description }),
      seeds: s.seeds,
      replications: s.seeds.length,
      variants,
      headline: () => checkHeadline(s.status, checks, s.seeds.length),
      checks,
      warnings: s.warnings ?? [],
      status: s.status,
      ...(empty ? { notRun: notRunReason(s.status) } : {}),
    });
  });
  const failed = input.check.scenarios.filter((s) => s.status === "fail").length;
  const verdict = input.check.passed ? "pass" : failed > 0 ? `${failed} failed` : "not passed";
  return {
    kind: "check",
    title: `lbsim check · ${input.check.scenarios.length} scenario${input.check.scenarios.length === 1 ? "" : "s"} · ${verdict}`,
    generator,
    sections,
  };
}
