// parseScenario: YAML or JSON text → Scenario, or one InputError listing every problem with file:line:col.
import { LineCounter, parseDocument } from "yaml";
import { buildScenario } from "./build.js";
import { crossCheck, type TraceResolution } from "./cross.js";
import { InputError, type InputIssue } from "./errors.js";
import { estimateRequests, MAX_REQUESTS } from "./limits.js";
import { locate } from "./locate.js";
import { formatPath, type Problem } from "./problem.js";
import { scenarioSchema } from "./schema.js";
import type { Scenario } from "./types.js";
import { problemsOf } from "./zod-glue.js";

export interface ParseOptions {
  /** Accept a scenario over the 10^10-request limit (`--force`). */
  readonly force?: boolean;
  /** Checks and resolves a trace file named by `arrivals: {trace: …}`; without it the name is kept as written. */
  readonly resolveTrace?: (file: string) => TraceResolution;
}

/** YAML aliases expand; this many is plenty for a scenario and stops "billion laughs" inputs. */
const MAX_ALIASES = 100;

export function parseScenario(text: string, file: string, options: ParseOptions = {}): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.map((error) => {
        const pos = at(error.pos[0]);
        return { code: "syntax", file, line: pos.line, column: pos.col, path: "", message: error.message };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw InputError.one({ code: "syntax", file, line: 0, column: 0, path: "", message });
  }
  const toIssue = (p: Problem): InputIssue => {
    const pos = locate(doc, lineCounter, p.path, p.code === "unknown-key" || p.atKey === true);
    const issue: InputIssue = {
      code: p.code,
      file,
      line: pos.line,
      column: pos.column,
      path: formatPath(p.path),
      message: p.message,
    };
    return p.hint === undefined ? issue : { ...issue, hint: p.hint };
  };
  const parsed = scenarioSchema.safeParse(raw, { reportInput: true });
  const problems: Problem[] = parsed.success ? [] : problemsOf(parsed.error.issues);
  const cross = crossCheck(raw, options.resolveTrace);
  problems.push(...cross.problems);
  if (!parsed.success || problems.length > 0) throw new InputError(sortIssues(problems.map(toIssue)));
  const backend = parsed.data.backend;
  if (backend === undefined) {
    // crossCheck reports a missing backend; this only keeps the compiler and a future `haproxy:` honest.
    throw new InputError([
      toIssue({ code: "missing-key", path: ["backend"], message: 'missing key "backend"' }),
    ]);
  }
  const scenario = buildScenario(parsed.data, backend, cross.facts, file, problems);
  if (problems.length > 0) throw new InputError(sortIssues(problems.map(toIssue)));
  const estimate = estimateRequests(scenario);
  if (estimate > MAX_REQUESTS && options.force !== true) {
    throw InputError.one({
      ...toIssue({ code: "too-large", path: ["clients"], message: "" }),
      message: `about ${estimate.toPrecision(3)} requests expected, more than the limit of ${MAX_REQUESTS.toExponential()}`,
      hint: "shorten the duration or lower the rates, or pass --force",
    });
  }
  return scenario;
}

/** In file order, so that the first message is the first problem a reader meets. */
function sortIssues(issues: InputIssue[]): InputIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index)
    .map((entry) => entry.issue);
}
