// One section of the report from each variant's replications: every chart's data, summary, checks and warnings.
import type { Results } from "../sim/index.js";
import { backendSections } from "./build-backend.js";
import { failoverWindows } from "./build-health.js";
import { balancerInstances } from "./build-instances.js";
import {
  actionMarkers,
  distribution,
  errorsOverTime,
  latencyOverTime,
  timeAxis,
  type VariantRuns,
} from "./build-series.js";
import { summaryRows } from "./build-summary.js";
import type { ComparisonRowInput } from "./inputs.js";
import { variantColor } from "./palette.js";
import type { CheckView, SectionView, Variant } from "./view.js";

/** The variants in order, coloured by palette.ts. */
export function variantsOf(names: ReadonlyArray<string>): Variant[] {
  return names.map((name, i) => ({ name, color: variantColor(i) }));
}

export interface SectionParts {
  readonly id: string;
  readonly scenario: string;
  readonly file?: string;
  readonly description?: string;
  readonly seeds: ReadonlyArray<number>;
  readonly replications: number;
  /** Per variant in order, its replications' Results (seed order); empty when not run. */
  readonly variants: ReadonlyArray<{ readonly name: string; readonly runs: ReadonlyArray<Results> }>;
  readonly headline: (variants: ReadonlyArray<VariantRuns>) => string[];
  readonly checks: ReadonlyArray<CheckView>;
  readonly warnings: ReadonlyArray<string>;
  readonly comparisonRows?: ReadonlyArray<ComparisonRowInput>;
  readonly status?: string;
  readonly notRun?: string;
}

export function buildSection(parts: SectionParts): SectionView {
  const colours = variantsOf(parts.variants.map((v) => v.name));
  const all = parts.variants.map((v, i) => ({ variant: colours[i] as Variant, runs: v.runs }));
  // Variants without a run (a check not run, a comparison cut short) have no lines to draw.
  const drawn = all.filter((v) => v.runs.length > 0);
  const first = drawn[0]?.runs[0];
  const axis = timeAxis(first);
  const actions = actionMarkers(first);
  const failover = failoverWindows(drawn);
  const instances = balancerInstances(drawn);
  return {
    id: parts.id,
    scenario: parts.scenario,
    ...(parts.file === undefined ? {} : { file: parts.file }),
    ...(parts.description === undefined || parts.description === ""
      ? {}
      : { description: parts.description }),
    seeds: parts.seeds,
    replications: parts.replications,
    variants: colours,
    headline: parts.headline(drawn),
    summary: drawn.length === 0 ? [] : summaryRows(all, parts.comparisonRows),
    warnings: parts.warnings,
    checks: parts.checks,
    ...(parts.status === undefined ? {} : { status: parts.status }),
    ...(parts.notRun === undefined ? {} : { notRun: parts.notRun }),
    latency: latencyOverTime(drawn, axis, actions, failover),
    distribution: distribution(drawn),
    errors: errorsOverTime(drawn, axis, actions, failover),
    backends: backendSections(drawn, axis, actions, failover),
    ...(instances === undefined ? {} : { instances }),
  };
}
