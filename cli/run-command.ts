// `lbsim run`: load and check a scenario, simulate it once, write the table / JSON / trace CSV.
import { accessSync, constants, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { InputError, type InputIssue } from "../errors/index.js";
import { placeIssue, type Scenario } from "../scenarios/index.js";
import { parseArgs, parseSeed, UsageError } from "./args.js";
import {
  AbortedError,
  type Io,
  type PackageInfo,
  type SimulationJob,
  type SimulationOutcome,
  type StrategyFile,
  type Toolkit,
} from "./context.js";
import { parseExplainFilter } from "./explain-trace.js";
import { formatCount } from "./format.js";
import { formatFailure } from "./format-actual.js";
import { tempPathFor, writeFileAtomic } from "./output.js";
import { createProgress, type Progress } from "./progress.js";
import { checkChartFolders, reportOutputs, writeReportOutputs } from "./report-output.js";
import { jobStrategyFiles, strategyFileOf } from "./simulate.js";
import { scenarioNamed } from "./stdin.js";
import { didYouMean, strategyHint } from "./suggest.js";
import { formatActual, renderTable } from "./table.js";
import { RUN_OPTIONS, runHelp } from "./usage.js";

/** Exit code of a run stopped by Ctrl-C: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;

/**
 * A second SIGINT this soon after the first is the same keypress seen twice (`timeout -s INT`
 * signals both the child and its process group), not a request to quit at once.
 */
const REPEAT_WINDOW_MS = 250;

export async function runCommand(
  args: ReadonlyArray<string>,
  toolkit: Toolkit,
  pkg: PackageInfo,
  io: Io,
): Promise<number> {
  const parsed = parseArgs(args, RUN_OPTIONS, "run");
  if (parsed.flags.has("help")) {
    io.out(runHelp());
    return 0;
  }
  const [givenArg, ...extra] = parsed.positionals;
  if (givenArg === undefined) throw new UsageError("missing the scenario file: lbsim run <scenario>", "run");
  if (extra.length > 0) {
    throw new UsageError(`run takes one scenario file, but got ${parsed.positionals.length}`, "run");
  }
  const seedText = parsed.values.get("seed");
  const seed = seedText === undefined ? undefined : parseSeed(seedText, "run");
  const json = parsed.values.get("json");
  const trace = parsed.values.get("trace");
  const quiet = parsed.flags.has("quiet");
  const log = parsed.values.get("log");
  const outputs = reportOutputs(parsed.values, "run");
  if (trace === "-") throw new UsageError("--trace needs a file name (it cannot write to stdout)", "run");
  if (log === "-") throw new UsageError("--log needs a file name (it cannot write to stdout)", "run");
  const explain = parsed.values.get("explain");
  const explainFilter = parsed.values.get("explain-filter");
  if (explain === "-") throw new UsageError("--explain needs a file name (it cannot write to stdout)", "run");
  if (explainFilter !== undefined && explain === undefined)
    throw new UsageError("--explain-filter needs --explain FILE.jsonl", "run");
  const filter = explainFilter === undefined ? undefined : parseExplainFilter(explainFilter);
  // `-`: the scenario is standard input, named <stdin> (cli/stdin.ts).
  const { file: scenarioArg, fromStdin } = scenarioNamed(givenArg, io.cwd);
  const scenarioPath = resolve(io.cwd, scenarioArg);
  checkOutputs(
    [
      ["--json", json],
      ["--trace", trace],
      ["--log", log],
      ["--explain", explain],
      ["--report", outputs.report],
    ],
    scenarioPath,
    io.cwd,
  );
  checkChartFolders(outputs, io.cwd);

  if (!fromStdin) checkScenarioFile(scenarioArg, scenarioPath, pkg, io.cwd);
  const scenario = toolkit.loadScenarioFile(scenarioArg, {
    force: parsed.flags.has("force"),
    warn: (message) => io.err(`${message}\n`),
    ...(fromStdin ? { text: io.readStdin() } : {}),
  });
  const strategy = parsed.values.get("strategy");
  const strategyFiles = checkStrategy(strategy, scenario, scenarioArg, scenarioPath, io.cwd, toolkit);

  const job: SimulationJob = {
    scenario,
    scenarioDir: dirname(scenarioPath),
    strategy,
    ...jobStrategyFiles(strategyFiles),
    seed,
    deterministic: parsed.flags.has("deterministic"),
    trace: trace === undefined ? undefined : traceFiles(resolve(io.cwd, trace)),
    log: log === undefined ? undefined : traceFiles(resolve(io.cwd, log)),
    ...(explain === undefined
      ? {}
      : {
          explain: {
            ...traceFiles(resolve(io.cwd, explain)),
            ...(filter === undefined ? {} : { filter }),
          },
        }),
  };
  const progress = createProgress({
    enabled: !quiet,
    plain: !io.stderrIsTTY,
    now: io.now,
    label: `lbsim: ${scenario.name}`,
    durationMs: scenario.durationMs,
    write: io.err,
  });
  const interrupts = watchInterrupts(toolkit.interruptible, progress, io);
  let outcome: SimulationOutcome;
  try {
    outcome = await toolkit.simulate(job, {
      stop: interrupts.stop,
      onProgress: progress.update,
      abort: interrupts.abort,
    });
  } catch (error) {
    if (!(error instanceof AbortedError)) throw error;
    if (job.trace !== undefined) rmSync(job.trace.tempPath, { force: true });
    if (job.log !== undefined) rmSync(job.log.tempPath, { force: true });
    if (job.explain !== undefined) rmSync(job.explain.tempPath, { force: true });
    io.err("lbsim: interrupted; nothing was written\n");
    return EXIT_INTERRUPTED;
  } finally {
    interrupts.unsubscribe();
    progress.clear();
  }

  const { results, stopped } = outcome;
  // A stopped run's Results say so, so that no one takes them for the whole scenario's.
  const text = `${JSON.stringify(stopped ? { ...results, partial: true } : results, null, 2)}\n`;
  let tableShown = false;
  if (json === "-") {
    io.out(text);
  } else {
    if (json !== undefined) writeFileAtomic(resolve(io.cwd, json), text);
    if (!quiet) {
      const color = io.stdoutIsTTY && (io.env.NO_COLOR ?? "") === "";
      const stoppedAtMs = stopped ? outcome.reachedMs : undefined;
      io.out(renderTable(results, { color, stoppedAtMs, description: scenario.description }));
      tableShown = true;
    }
  }
  if (!quiet) {
    if (json !== undefined && json !== "-") io.err(`lbsim: wrote the results to ${json}\n`);
    if (trace !== undefined)
      io.err(`lbsim: wrote ${formatCount(outcome.traceRows)} request rows to ${trace}\n`);
    if (log !== undefined)
      io.err(`lbsim: wrote ${formatCount(outcome.logLines ?? 0)} httplog lines to ${log}\n`);
    if (explain !== undefined)
      io.err(`lbsim: wrote ${formatCount(outcome.explainLines ?? 0)} decisions to ${explain}\n`);
  }
  const input = { results: stopped ? { ...results, partial: true } : results, file: scenarioArg };
  await writeReportOutputs(
    outputs,
    (viz) => viz.runView({ ...input, description: scenario.description }, `lbsim ${pkg.version}`),
    { partial: stopped, quiet },
    io,
  );

  const failed = results.checks.filter((check) => !check.pass);
  if (failed.length > 0 && !tableShown) {
    const list = failed
      .map((c) => {
        // As the table shows a failed line: the limit and the margin, with digits enough to differ.
        const actual =
          c.limit === undefined ? formatActual(c.name, c.actual) : formatFailure(c.name, c.actual, c.limit);
        return `${c.name} (${c.note ?? `actual ${actual}`})`;
      })
      .join("; ");
    io.err(`lbsim: ${failed.length} of ${results.checks.length} expectations failed: ${list}\n`);
  }
  if (stopped) return EXIT_INTERRUPTED;
  return failed.length > 0 ? 1 : 0;
}

function traceFiles(path: string): { readonly path: string; readonly tempPath: string } {
  return { path, tempPath: tempPathFor(path) };
}

/**
 * First Ctrl-C: ask the run to stop (it then returns partial Results). A later one: abandon it.
 * Without a worker the handler could only run after the synchronous run, so Ctrl-C keeps its
 * default (quit at once) and nothing is subscribed.
 */
export function watchInterrupts(
  interruptible: boolean,
  progress: Progress,
  io: Io,
): { readonly stop: Int32Array; readonly abort: AbortSignal; readonly unsubscribe: () => void } {
  const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const abort = new AbortController();
  let firstAt: number | undefined;
  const unsubscribe = interruptible
    ? io.onInterrupt(() => {
        const now = io.now();
        if (firstAt === undefined) {
          firstAt = now;
          Atomics.store(stop, 0, 1);
          progress.clear();
          io.err("lbsim: stopping; the results so far will be written (Ctrl-C again quits at once)\n");
        } else if (now - firstAt >= REPEAT_WINDOW_MS) {
          abort.abort();
        }
      })
    : () => {};
  return { stop, abort: abort.signal, unsubscribe };
}

function issue(path: string, message: string, hint?: string, file = ""): InputIssue {
  return { code: "bad-value", file, line: 0, column: 0, path, message, hint };
}

/**
 * Output problems are found before a possibly long run, not after it. `outputs` are the output
 * options as given (`["--json", "r.json"]`), undefined when absent; `-` (stdout) is not a file.
 */
export function checkOutputs(
  outputs: ReadonlyArray<readonly [string, string | undefined]>,
  scenarioPath: string,
  cwd: string,
): void {
  const issues: InputIssue[] = [];
  const seen = new Map<string, string>();
  for (const [flag, target] of outputs) {
    if (target === undefined || target === "-") continue;
    const path = resolve(cwd, target);
    const earlier = seen.get(path);
    if (earlier !== undefined) {
      issues.push(issue(flag, `"${target}" is also the ${earlier} file; give them different names`));
      continue;
    }
    seen.set(path, flag);
    const problem = path === scenarioPath ? "it is the scenario file" : outputProblem(path);
    if (problem !== undefined) issues.push(issue(flag, `cannot write "${target}": ${problem}`));
  }
  if (issues.length > 0) throw new InputError(issues);
}

function outputProblem(path: string): string | undefined {
  const folder = dirname(path);
  if (!existsSync(folder)) return `the folder "${folder}" does not exist`;
  if (!statSync(folder).isDirectory()) return `"${folder}" is not a folder`;
  if (existsSync(path) && statSync(path).isDirectory()) return "it is a folder";
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `the folder "${folder}" is not writable`;
  }
  return undefined;
}

export function checkScenarioFile(arg: string, path: string, pkg: PackageInfo, cwd: string): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      throw InputError.one({
        ...issue("", "is a folder; expected a scenario file (.yaml, .yml or .json)"),
        code: "unreadable",
        file: arg,
      });
    }
    return;
  }
  throw InputError.one({
    ...issue("", "scenario file not found", libraryHint(arg, pkg, cwd)),
    code: "file-not-found",
    file: arg,
  });
}

/** `lbsim run tutorial` → hint at scenarios/library/tutorial.yaml. */
function libraryHint(arg: string, pkg: PackageInfo, cwd: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(pkg.libraryDir).filter((name) => /\.(ya?ml|json)$/.test(name));
  } catch {
    return undefined;
  }
  const wanted = basename(arg, extname(arg));
  const stems = names.map((name) => basename(name, extname(name)));
  const stem = didYouMean(wanted, stems) ?? stems.find((s) => s === wanted);
  const name = names[stems.indexOf(stem ?? "")];
  if (name === undefined) return "`lbsim list` shows the ready scenarios";
  const full = join(pkg.libraryDir, name);
  const shown = relative(cwd, full).startsWith("..") ? full : relative(cwd, full);
  return `did you mean ${shown}?`;
}

/**
 * The user's strategy files when the strategy in effect names any (`--strategy` relative to the
 * current folder, each backend's `balance` to the scenario's); the simulating thread loads and
 * checks them. The algorithms' names are checked here, before running.
 */
function checkStrategy(
  option: string | undefined,
  scenario: Scenario,
  file: string,
  scenarioPath: string,
  cwd: string,
  toolkit: Toolkit,
): StrategyFile[] {
  if (option === undefined) {
    const { files, issues } = checkBalances(scenario, file, dirname(scenarioPath), cwd, toolkit);
    if (issues.length > 0) throw new InputError(issues);
    return files;
  }
  const strategyFile = strategyFileOf(option, cwd, cwd);
  if (strategyFile !== undefined) return [strategyFile];
  if (toolkit.resolveStrategy(option) !== undefined) return [];
  throw InputError.one({
    code: "unknown-strategy",
    file: "",
    line: 0,
    column: 0,
    path: "--strategy",
    message: `unknown strategy "${option}"`,
    hint: strategyHint(option, toolkit.strategyNames()),
  });
}

/**
 * Each backend's `balance`: the user's strategy files named (relative to `folder`, the scenario's),
 * each once, and an issue for each balance that is neither a file nor an algorithm, at
 * `backend.balance` (one backend) or `backends[i].balance`.
 */
export function checkBalances(
  scenario: Scenario,
  file: string,
  folder: string,
  cwd: string,
  toolkit: Pick<Toolkit, "resolveStrategy" | "strategyNames">,
): { readonly files: StrategyFile[]; readonly issues: InputIssue[] } {
  const backends = scenario.backends ?? [scenario.backend];
  const files: StrategyFile[] = [];
  const issues: InputIssue[] = [];
  backends.forEach(({ balance }, index) => {
    const at = backends.length === 1 ? "backend.balance" : `backends[${index}].balance`;
    const strategyFile = strategyFileOf(balance, folder, cwd, file);
    if (strategyFile !== undefined) {
      if (!files.some((f) => f.name === balance))
        files.push(backends.length === 1 ? strategyFile : { ...strategyFile, at });
    } else if (toolkit.resolveStrategy(balance) === undefined) {
      issues.push(
        placeIssue(scenario, {
          code: "unknown-strategy",
          file,
          line: 0,
          column: 0,
          path: at,
          message: `unknown strategy "${balance}"`,
          hint: strategyHint(balance, toolkit.strategyNames()),
        }),
      );
    }
  });
  return { files, issues };
}
