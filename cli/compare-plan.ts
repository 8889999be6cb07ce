// `lbsim compare` planning: the strategies named, one job per strategy (for one backend or all), the expectations split.
import { dirname } from "node:path";
import { InputError, type InputIssue } from "../errors/index.js";
import type { Expectation } from "../scenarios/index.js";
import { placeIssue, type Scenario } from "../scenarios/index.js";
import { UsageError } from "./args.js";
import { withBalance } from "./compare-backend.js";
import type { Io, SimulationJob, StrategyFile, Toolkit } from "./context.js";
import { checkBalances } from "./run-command.js";
import { jobStrategyFiles, strategyFileOf } from "./simulate.js";
import { strategyHint } from "./suggest.js";

/**
 * `roundrobin,random(2),url_param id` → its names. Commas inside parentheses do not split
 * (`hdr(x,y)`), and spaces around a name are dropped; an empty name is an error.
 */
export function splitStrategies(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    else if (char === ")") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      names.push(current.trim());
      current = "";
    } else {
      current += char;
    }
  }
  names.push(current.trim());
  if (names.some((name) => name === "")) {
    throw new UsageError(
      `--strategies has an empty name in "${text}"; expected names separated by commas, e.g. roundrobin,leastconn`,
      "compare",
    );
  }
  return names;
}

/**
 * One job per strategy, every name checked before anything runs: an unknown one is bad input
 * (exit 2) with a suggestion, as in `lbsim run`. A strategy file is loaded by the simulating thread.
 * With `backend`, the strategy replaces that backend's `balance` only; the others keep theirs.
 */
export function planJobs(
  strategies: ReadonlyArray<string>,
  fromOption: boolean,
  scenario: Scenario,
  scenarioArg: string,
  scenarioPath: string,
  io: Io,
  toolkit: Toolkit,
  run: { readonly deterministic: boolean; readonly backend: string | undefined },
): Array<SimulationJob & { readonly label: string }> {
  const issues: InputIssue[] = [];
  const where = (index: number) =>
    fromOption ? { file: "", path: "--strategies" } : { file: scenarioArg, path: `compare[${index}]` };
  // The other backends' own balance, when one backend is compared: their files, their unknown names
  // (the compared backend's own balance is not run, so neither its file nor its name matters).
  const others = (() => {
    if (run.backend === undefined) return { files: [] as StrategyFile[] };
    const all = scenario.backends ?? [scenario.backend];
    const target = all.findIndex((b) => b.name === run.backend);
    const kept = all.filter((_, i) => i !== target).map((b) => b.balance);
    const own = checkBalances(scenario, scenarioArg, dirname(scenarioPath), io.cwd, toolkit);
    issues.push(...own.issues.filter((i) => i.path !== `backends[${target}].balance`));
    return { files: own.files.filter((f) => kept.includes(f.name)) };
  })();
  const jobs = strategies.map((name, index) => {
    const earlier = strategies.indexOf(name);
    if (earlier < index) {
      issues.push({
        code: "bad-value",
        line: 0,
        column: 0,
        ...where(index),
        message: `"${name}" is given twice; each strategy is compared once`,
      });
    }
    const strategyFile = fromOption
      ? strategyFileOf(name, io.cwd, io.cwd)
      : strategyFileOf(name, dirname(scenarioPath), io.cwd, scenarioArg);
    if (strategyFile === undefined && toolkit.resolveStrategy(name) === undefined) {
      issues.push(
        placeIssue(scenario, {
          code: "unknown-strategy",
          line: 0,
          column: 0,
          ...where(index),
          message: `unknown strategy "${name}"`,
          hint: strategyHint(name, toolkit.strategyNames()),
        }),
      );
    }
    const common = { scenarioDir: dirname(scenarioPath), deterministic: run.deterministic, label: name };
    if (run.backend !== undefined) {
      const files = [
        ...others.files.filter((f) => f.name !== name),
        ...(strategyFile === undefined ? [] : [strategyFile]),
      ];
      return { ...common, scenario: withBalance(scenario, run.backend, name), ...jobStrategyFiles(files) };
    }
    return {
      ...common,
      scenario,
      strategy: name,
      ...(strategyFile === undefined ? {} : { strategyFile }),
    };
  });
  if (issues.length > 0) throw new InputError(issues);
  return jobs;
}

/**
 * `expect:` lines with a metric of no strategy (`p99 < 300ms`, `leastconn.p99 < p99`) are checked
 * against every run; lines whose every metric names a strategy are checked once, across the runs.
 */
export function splitExpectations(expectations: ReadonlyArray<Expectation>): {
  readonly perRun: Expectation[];
  readonly across: Expectation[];
} {
  const perRun: Expectation[] = [];
  const across: Expectation[] = [];
  for (const parsed of expectations) {
    const operands =
      parsed.op === "in" ? [parsed.left, parsed.low, parsed.high] : [parsed.left, parsed.right];
    const unprefixed = operands.some((o) => o.kind === "metric" && o.strategy === null);
    (unprefixed ? perRun : across).push(parsed);
  }
  return { perRun, across };
}
