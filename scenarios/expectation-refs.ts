// What an expectation refers to: its metrics, and the servers, backends, strategies and time windows they name.
//
// Types only (a leaf, as sim/ runs it: boundaries.spec.ts): each metric says what its argument names.
import type { Expectation, MetricRef, TimeWindow } from "./types.js";

/** The metrics an expectation reads (its left side, and its right side or bounds when they are metrics). */
export function metricsOf(expectation: Expectation): MetricRef[] {
  const operands =
    expectation.op === "in"
      ? [expectation.left, expectation.low, expectation.high]
      : [expectation.left, expectation.right];
  return operands.filter((o): o is MetricRef => o.kind === "metric");
}

/** The arguments of the metrics taking a `kind` argument (`share(web01)`: server web01). */
function argumentsOf(expectation: Expectation, kind: "server" | "backend"): string[] {
  return metricsOf(expectation).flatMap((m) =>
    m.argumentKind === kind && m.argument !== null ? [m.argument] : [],
  );
}

/** Server names an expectation refers to (for validation against the topology). */
export function serversOf(expectation: Expectation): string[] {
  return argumentsOf(expectation, "server");
}

/** Backend names an expectation refers to (`backend.p99(api)`), for validation against the topology. */
export function backendsOf(expectation: Expectation): string[] {
  return argumentsOf(expectation, "backend");
}

/**
 * The time windows the expectations name, `after` ending at `durationMs`, each once in the order
 * first named: the run tallies exactly these (Results.windows).
 */
export function windowsOf(
  expectations: ReadonlyArray<Expectation>,
  durationMs: number,
): Array<{ fromMs: number; toMs: number }> {
  const spans: Array<{ fromMs: number; toMs: number }> = [];
  for (const e of expectations)
    for (const m of metricsOf(e)) {
      if (m.window === null) continue;
      const span = { fromMs: m.window.fromMs, toMs: m.window.toMs ?? durationMs };
      if (!spans.some((s) => s.fromMs === span.fromMs && s.toMs === span.toMs)) spans.push(span);
    }
  return spans;
}

/** The windows an expectation names as written (`toMs` null = to the end), for validation against the duration. */
export function timeWindowsOf(expectation: Expectation): TimeWindow[] {
  return metricsOf(expectation).flatMap((m) => (m.window === null ? [] : [m.window]));
}

/** Strategies an expectation refers to by prefix (`leastconn.p99`). */
export function strategiesOf(expectation: Expectation): string[] {
  return metricsOf(expectation).flatMap((m) => (m.strategy !== null ? [m.strategy] : []));
}
