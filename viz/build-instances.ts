// The balancer instances' part of a section (`Results.balancers[]`): each instance's spread of its
// requests over the servers beside the totals, and its own figures, as means over replications.
import type { BalancerResults } from "../sim/index.js";
import type { VariantRuns } from "./build-series.js";
import type { BalancerInstances, InstanceRow } from "./view.js";

/**
 * The section's instances, or undefined when no run had several balancer instances. Instances are
 * matched by position (lb1 of every replication together: the same place in the spread), servers by
 * name; a figure a replication lacks leaves it out of that mean.
 */
export function balancerInstances(variants: ReadonlyArray<VariantRuns>): BalancerInstances | undefined {
  const withInstances = variants.filter((v) => v.runs.some((r) => (r.balancers?.length ?? 0) > 0));
  if (withInstances.length === 0) return undefined;
  const instances = firstSeen(
    withInstances.flatMap((v) => v.runs.flatMap((r) => r.balancers ?? []).map((b) => b.name)),
  );
  const servers = firstSeen(
    withInstances.flatMap((v) => v.runs.flatMap((r) => r.servers.map((s) => s.name))),
  );
  const rows: InstanceRow[] = [];
  const drawn = withInstances.map(({ variant, runs }) => {
    const shares = servers.map((server) =>
      instances.map((instance) =>
        mean(
          runs.map(
            (r) =>
              r.balancers?.find((b) => b.name === instance)?.servers.find((s) => s.name === server)?.share,
          ),
        ),
      ),
    );
    const total = servers.map((server) =>
      mean(runs.map((r) => r.servers.find((s) => s.name === server)?.share)),
    );
    for (const instance of instances) {
      const own = runs.map((r) => r.balancers?.find((b) => b.name === instance));
      const of = (figure: (b: BalancerResults) => number | undefined) =>
        mean(own.map((b) => (b === undefined ? undefined : figure(b))));
      rows.push({
        variant: variant.name,
        instance,
        requests: of((b) => b.requests.total),
        share: of((b) => b.requests.share),
        failed: of((b) => b.requests.failed),
        p50Ms: nullable(of((b) => (b.requests.total > 0 ? b.latency.p50Ms : undefined))),
        p99Ms: nullable(of((b) => (b.requests.total > 0 ? b.latency.p99Ms : undefined))),
        maxQueue: of((b) => b.queue.maxBackendQueue),
        checks: of((b) => b.checks),
        downs: of((b) => b.servers.reduce((sum, s) => sum + s.downs, 0)),
      });
    }
    return { variant, shares, total };
  });
  return { instances, servers, variants: drawn, rows };
}

/** The names in the order they first appear, each once. */
function firstSeen(names: ReadonlyArray<string>): string[] {
  return [...new Set(names)];
}

/** The mean of the values that are there (NaN when none is). */
function mean(values: ReadonlyArray<number | undefined>): number {
  let sum = 0;
  let n = 0;
  for (const v of values)
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  return n === 0 ? Number.NaN : sum / n;
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
