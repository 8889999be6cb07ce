// parseScenario: YAML or JSON text → Scenario, or one InputError listing every problem with file:line:col.

import { InputError, type InputIssue } from "../errors/index.js";
import { buildScenario } from "./build.js";
import { crossCheck, type TraceResolution } from "./cross.js";
import { type ReadExtended, resolveExtends } from "./extends.js";
import { type ReadHaproxy, resolveHaproxy, type Warn } from "./haproxy-cfg/merge.js";
import { describeEstimate, estimateEvents, estimateRequests, MAX_EVENTS, MAX_REQUESTS } from "./limits.js";
import { recordPlaces } from "./places.js";
import { formatPath, isRecord, type Path, type Problem } from "./problem.js";
import { scenarioSchema } from "./schema.js";
import { fileOf, type Place, placeOf, readSource, type Source } from "./source.js";
import type { Scenario } from "./types.js";
import { problemsOf } from "./zod-glue.js";

export interface ParseOptions {
  /** Accept a scenario over the 10^10-request limit (`--force`). */
  readonly force?: boolean;
  /**
   * Checks and resolves a trace file named by `arrivals: {trace: …}`, written in the scenario file
   * `from` (a base file, with `extends`); without it the name is kept as written.
   */
  readonly resolveTrace?: (file: string, from: string) => TraceResolution;
  /** Reads the files named by `extends:`; without it (no file system) `extends` is an error. */
  readonly readExtended?: ReadExtended;
  /** The identity of `file` for finding `extends` cycles (its absolute path); `file` by default. */
  readonly fileKey?: string;
  /** Reads the haproxy.cfg named by `haproxy:`; without it (no file system) `haproxy:` is an error. */
  readonly readHaproxy?: ReadHaproxy;
  /** Told each warning about an imported haproxy.cfg (`file.cfg:12: …`): unknown directives and such. */
  readonly warn?: Warn;
}

export function parseScenario(text: string, file: string, options: ParseOptions = {}): Scenario {
  let source = readSource(text, file);
  if (isRecord(source.value) && Object.hasOwn(source.value, "extends")) {
    if (options.readExtended === undefined) {
      throw InputError.one({
        ...placeOf(source.provenance, ["extends"], false),
        code: "bad-value",
        path: "extends",
        message: "extends needs a file system to read the base scenario, and this loader has none",
        hint: "load the scenario from a file (lbsim run, or loadScenarioFile)",
      });
    }
    source = resolveExtends(source, file, options.fileKey ?? file, options.readExtended);
  }
  source = resolveHaproxy(source, options.readHaproxy, options.warn);
  return checkScenario(source, file, options);
}

/** Validates a scenario's raw value (merged from its `extends` chain) into a Scenario. */
function checkScenario(source: Source, file: string, options: ParseOptions): Scenario {
  const raw = source.value;
  const toIssue = (p: Problem): InputIssue => {
    const place = placeOf(source.provenance, p.path, p.code === "unknown-key" || p.atKey === true);
    const issue: InputIssue = { code: p.code, ...place, path: formatPath(p.path), message: p.message };
    return p.hint === undefined ? issue : { ...issue, hint: p.hint };
  };
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : problemsOf(parsed.error.issues);
  const resolveTrace = options.resolveTrace;
  const cross = crossCheck(
    raw,
    resolveTrace === undefined
      ? undefined
      : (name: string, path: Path) => resolveTrace(name, fileOf(source.provenance, path)),
  );
  problems.push(...cross.problems);
  if (!parsed.success || problems.length > 0) throw new InputError(sortIssues(problems.map(toIssue), file));
  if (parsed.data.backend === undefined && parsed.data.backends === undefined) {
    // crossCheck reports a missing backend; this only keeps the compiler honest.
    throw new InputError([
      toIssue({ code: "missing-key", path: ["backend"], message: 'missing key "backend"' }),
    ]);
  }
  const scenario = buildScenario(parsed.data, cross.facts, file, problems);
  if (problems.length > 0) throw new InputError(sortIssues(problems.map(toIssue), file));
  recordPlaces(scenario, strategyPlaces(parsed.data, source));
  const estimate = estimateRequests(scenario);
  if (estimate > MAX_REQUESTS && options.force !== true) {
    throw InputError.one({
      ...toIssue({ code: "too-large", path: ["clients"], message: "" }),
      message: `about ${estimate.toPrecision(3)} requests expected, more than the limit of ${MAX_REQUESTS.toExponential()}`,
      hint: "shorten the duration or lower the rates, or pass --force",
    });
  }
  const events = estimateEvents(scenario);
  if (events.total > MAX_EVENTS && options.force !== true) {
    throw InputError.one({
      ...toIssue({ code: "too-large", path: ["duration"], message: "" }),
      message: `about ${events.total.toPrecision(3)} events expected, more than the limit of ${MAX_EVENTS.toExponential()}: ${describeEstimate(events)}`,
      hint: "shorten the duration, lower the rates or check less often (a longer inter), or pass --force",
    });
  }
  return scenario;
}

/** Where each strategy name is written: the CLI resolves them (it knows the user's strategy files). */
function strategyPlaces(
  raw: { backends?: ReadonlyArray<unknown> | undefined; compare?: ReadonlyArray<string> | undefined },
  source: Source,
): Map<string, Place> {
  const places = new Map<string, Place>();
  const at = (path: Path): void => {
    places.set(formatPath(path), placeOf(source.provenance, path, false));
  };
  if (raw.backends === undefined) at(["backend", "balance"]);
  else for (let index = 0; index < raw.backends.length; index++) at(["backends", index, "balance"]);
  for (let index = 0; index < (raw.compare ?? []).length; index++) at(["compare", index]);
  return places;
}

/**
 * The scenario's own file first, then each base file in the order its first problem was found; in
 * file order within a file, so that the first message is the first problem a reader meets.
 */
function sortIssues(issues: InputIssue[], file: string): InputIssue[] {
  const rank = new Map<string, number>([[file, -1]]);
  issues.forEach((issue, index) => {
    if (!rank.has(issue.file)) rank.set(issue.file, index);
  });
  return issues
    .map((issue, index) => ({ issue, index, rank: rank.get(issue.file) ?? 0 }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.issue.line - b.issue.line ||
        a.issue.column - b.issue.column ||
        a.index - b.index,
    )
    .map((entry) => entry.issue);
}
